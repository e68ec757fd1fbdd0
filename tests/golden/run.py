"""Golden tests: a zone file in, the JSON and SARIF out, compared as files.

For every zone in testdata/zones/golden/ (BIND *.zone, octoDNS *.yaml) the
binary runs offline from testdata/ - so the paths in the output are the
same everywhere - and its output is compared with
testdata/expected/golden/<zone>.json and .sarif. Volatile fields are
replaced before the comparison (the tool's version in SARIF). A difference
fails the test and shows the diff.

After a deliberate change, regenerate the expected files and review the
diff in git:

    DD_REGEN_GOLDEN=1 meson test -C build golden

Standard library only.
"""

import difflib
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dns"))
import sarif  # noqa: E402  (the SARIF 2.1.0 structure checker of the e2e tests)

BIN = os.path.abspath(os.environ.get("DD_BIN", "build/cmd/dmarc-doctor"))
TESTDATA = os.path.abspath(os.environ.get("DD_TESTDATA", "testdata"))
EXPECTED = os.path.join(TESTDATA, "expected", "golden")
REGEN = os.environ.get("DD_REGEN_GOLDEN") == "1"


def scrub_sarif(doc):
    for run in doc["runs"]:
        run["tool"]["driver"]["version"] = "VERSION"
    return doc


SCRUB = {"json": lambda doc: doc, "sarif": scrub_sarif}


def output(zone, fmt):
    proc = subprocess.run([BIN, "--zone", zone, "--offline", "--format", fmt], cwd=TESTDATA,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C"})
    if proc.returncode not in (0, 1) or proc.stderr:
        raise AssertionError(f"{zone} --format {fmt}: exit {proc.returncode}\n"
                             f"{proc.stderr.decode(errors='replace')}")
    doc = json.loads(proc.stdout)
    if fmt == "sarif":
        problems = sarif.validate(doc)
        if problems:
            raise AssertionError(f"{zone}: invalid SARIF:\n" + "\n".join(problems))
    doc = SCRUB[fmt](doc)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main():
    zones = sorted(glob.glob(os.path.join(TESTDATA, "zones", "golden", "*.zone")) +
                   glob.glob(os.path.join(TESTDATA, "zones", "golden", "*.yaml")))
    if not zones:
        print("no golden zones found", file=sys.stderr)
        return 1
    failed = 0
    for path in zones:
        rel = os.path.relpath(path, TESTDATA)
        for fmt in ("json", "sarif"):
            got = output(rel, fmt)
            want_path = os.path.join(EXPECTED, f"{os.path.basename(path)}.{fmt}")
            if REGEN:
                os.makedirs(EXPECTED, exist_ok=True)
                with open(want_path, "w", encoding="utf-8") as f:
                    f.write(got)
                print(f"wrote {os.path.relpath(want_path, TESTDATA)}")
                continue
            try:
                with open(want_path, encoding="utf-8") as f:
                    want = f.read()
            except FileNotFoundError:
                print(f"FAIL {rel} ({fmt}): {want_path} is missing "
                      "(DD_REGEN_GOLDEN=1 writes it)")
                failed += 1
                continue
            if got != want:
                failed += 1
                print(f"FAIL {rel} ({fmt}) differs from the expected file:")
                sys.stdout.writelines(difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True),
                    os.path.relpath(want_path, TESTDATA), "now"))
            else:
                print(f"ok   {rel} ({fmt})")
    if failed:
        print(f"{failed} golden files differ; if the change is intended: DD_REGEN_GOLDEN=1 "
              "meson test -C build golden, then review the diff")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
