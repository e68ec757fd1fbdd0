"""The binary's malloc is jemalloc when meson chose it (meson.build, option
`allocator`): a batch frees on one thread what another allocated, and with
glibc's malloc it ran a third slower (README, "The allocator"). A link that
silently fell back to the system malloc would only show in the benchmark.

jemalloc prints its statistics at exit when MALLOC_CONF asks for them; the
system malloc ignores the variable."""

import os
import subprocess
import sys

env = dict(os.environ, MALLOC_CONF="stats_print:true")
proc = subprocess.run([os.environ["DD_BIN"], "--version"], env=env, capture_output=True,
                      text=True, timeout=60)
if proc.returncode != 0:
    sys.exit(f"dmarc-doctor --version exited {proc.returncode}: {proc.stderr}")
if "Begin jemalloc statistics" not in proc.stderr:
    sys.exit("dmarc-doctor does not run on jemalloc (no statistics with MALLOC_CONF)")
print("jemalloc:", proc.stderr.split("Version: ", 1)[1].split("\n", 1)[0])
