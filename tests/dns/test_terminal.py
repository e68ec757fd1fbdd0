"""What a terminal sees: colour only on a tty without NO_COLOR or --no-color,
escape bytes from the DNS never raw, and the batch progress line on stderr.
"""

import json
import os
import tempfile
import pty
import subprocess
import unittest

from harness import BIN, DnsTestCase, Nsd, zones_in

nsd = None


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("pipeline")).start()


def tearDownModule():
    nsd.stop()


def read_all(fd):
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO once the child has closed its side
            break
        if not chunk:
            break
        out += chunk
    return out


def on_tty(args, env=None, stdout_tty=True, stdin=None):
    """Runs the binary with stdout (or stderr) on a pseudo-terminal."""
    e = {"PATH": os.environ.get("PATH", ""), "LANG": "C"}
    e.update(env or {})
    master, slave = pty.openpty()
    kw = {"stdout": slave, "stderr": subprocess.PIPE} if stdout_tty else \
        {"stdout": subprocess.PIPE, "stderr": slave}
    proc = subprocess.Popen([BIN, "--resolver", nsd.address] + args, env=e,
                            stdin=subprocess.PIPE, **kw)
    os.close(slave)
    piped = proc.communicate(stdin, timeout=60)[1 if stdout_tty else 0]
    tty = read_all(master)
    os.close(master)
    return proc.returncode, tty, piped


class Colour(DnsTestCase):
    def test_colour_on_a_tty(self):
        code, tty, _ = on_tty(["healthy.test"])
        self.assertEqual(code, 0)
        self.assertIn(b"\x1b[32m", tty)  # reject is green
        self.assertIn(b"\x1b[0m", tty)

    def test_no_color_env(self):
        _, tty, _ = on_tty(["healthy.test"], env={"NO_COLOR": "1"})
        self.assertNotIn(b"\x1b", tty)

    def test_no_color_option(self):
        _, tty, _ = on_tty(["--no-color", "healthy.test"])
        self.assertNotIn(b"\x1b", tty)

    def test_dns_escapes_stay_escaped_on_a_tty(self):
        _, tty, _ = on_tty(["--no-color", "escape.test"])
        self.assertNotIn(b"\x1b", tty)
        self.assertIn(b"\\x1B[31mRED", tty)


class Progress(DnsTestCase):
    def test_progress_on_stderr_for_a_batch(self):
        listing = "\n".join(["healthy.test", "bare.test", "walk.test"] * 20).encode()
        code, tty, out = on_tty(["--format", "jsonl", "-f", "-"], stdout_tty=False,
                                stdin=listing)
        self.assertEqual(code, 1)
        # each domain checked once, in input order
        self.assertEqual([json.loads(l)["domain"] for l in out.splitlines()],
                         ["healthy.test", "bare.test", "walk.test"])
        self.assertRegex(tty, rb"\d+ domains, \d+/s")  # the progress line (standard input: no total)
        self.assertIn(b"summary: 3 domains", tty)  # the closing summary, always on a terminal
        self.assertIn(b"skipped       57 (named twice", tty)
        self.assertNotIn(b"domains, ", out)  # never on stdout

    def test_progress_counts_down_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("# clients\nhealthy.test\n\nbare.test  # a comment\nwalk.test\n")
            f.flush()
            code, tty, out = on_tty(["--format", "jsonl", "-f", f.name], stdout_tty=False)
        self.assertEqual(len(out.splitlines()), 3)
        self.assertRegex(tty, rb"\d/3 domains, \d+/s")

    def test_progress_in_japanese(self):
        listing = "\n".join(["healthy.test", "bare.test", "walk.test"] * 20).encode()
        code, tty, out = on_tty(["--format", "jsonl", "--lang", "ja", "-f", "-"],
                                stdout_tty=False, stdin=listing)
        self.assertRegex(tty.decode(), r"\d+ ドメイン、毎秒 \d+")
        self.assertIn("集計: 3 ドメイン", tty.decode())
        self.assertIn("読み飛ばし    57 (2 回目の指定か", tty.decode())


if __name__ == "__main__":
    unittest.main()
