"""End to end: a batch of domains - summary, --resume, --qps, duplicates.

Zones: testdata/zones/batch/ (its header says the DMARC stage of every
domain, the truth the summary is checked against). --qps is checked at a
counting server of the test's own (every question answered NXDOMAIN, its
arrival time kept), not by timing dmarc-doctor.
"""

import json
import os
import re
import select
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, DnsTestCase, Nsd, run, zones_in

nsd = None
DOMAINS = [f"d{i:02d}.batch.test" for i in range(1, 28)]


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("batch")).start()


def tearDownModule():
    nsd.stop()


def summary_numbers(text):
    """The stage counts, undetermined and the finding counts of a summary."""
    m = re.search(r"missing (\d+), none (\d+), quarantine (\d+), reject (\d+), unknown (\d+)",
                  text)
    stages = dict(zip(("missing", "none", "quarantine", "reject", "unknown"),
                      map(int, m.groups())))
    und = int(re.search(r"undetermined +(\d+)", text).group(1))
    found = {fid: int(n) for n, fid in re.findall(r"^ +(\d+)  ([a-z0-9.-]+)$", text, re.M)}
    total = int(re.search(r"summary: (\d+) domains", text).group(1))
    return total, stages, und, found


TRUTH = {"missing": 5, "none": 10, "quarantine": 5, "reject": 5, "unknown": 2}


class Summary(DnsTestCase):
    def test_summary_matches_the_world(self):
        listing = "\n".join(DOMAINS + DOMAINS[:3]).encode()  # three named twice
        r = run("--resolver", nsd.address, "--format", "jsonl", "--summary", "-f", "-",
                stdin=listing)
        self.assertExit(r, 1)  # dmarc.missing is an error (it outranks d26, d27 undetermined)
        docs = r.jsonl()
        self.assertEqual([d["domain"] for d in docs], DOMAINS)  # once each, input order
        total, stages, und, found = summary_numbers(r.stderr.decode())
        self.assertEqual(total, 27)
        self.assertEqual(stages, TRUTH)
        self.assertEqual(und, 2)
        self.assertEqual(found["dmarc.policy-none"], 10)
        self.assertEqual(found["dmarc.missing"], 5)
        self.assertIn("skipped       3 (named twice", r.stderr.decode())
        self.assertRegex(r.stderr.decode(), r"DNS +\d+ questions sent \(\d+\.\d a domain\)")

    def test_summary_from_merged_files(self):
        """A list split over two hosts, with an overlap, sums up as one run."""
        with tempfile.TemporaryDirectory() as tmp:
            parts = []
            for n, chunk in enumerate((DOMAINS[:15], DOMAINS[12:])):
                path = os.path.join(tmp, f"part{n}.jsonl")
                r = run("--resolver", nsd.address, "--format", "jsonl", *chunk)
                with open(path, "wb") as f:
                    f.write(r.stdout)
                parts.append(path)
            with open(parts[1], "ab") as f:
                f.write(b'{"domain": "d99.batch.test", "sta')  # a killed run's last line
            r = run("--summary-from", *parts)
        self.assertExit(r, 0)
        total, stages, und, _ = summary_numbers(r.text)
        self.assertEqual((total, stages, und), (27, TRUTH, 2))
        self.assertIn("3 duplicate domains counted once, 1 lines skipped", r.text)
        self.assertIn("part1.jsonl:16: the last line is cut off", r.stderr.decode())

    def test_summary_in_japanese(self):
        """Under --lang ja the summary's words are Japanese; its numbers and ids
        are the same as in English."""
        def numbers(text, ja):
            if not ja:
                return summary_numbers(text)[1:3]
            m = re.search(r"なし (\d+)、none (\d+)、quarantine (\d+)、reject (\d+)、不明 (\d+)",
                          text)
            stages = dict(zip(("missing", "none", "quarantine", "reject", "unknown"),
                              map(int, m.groups())))
            return stages, int(re.search(r"判定できず +(\d+)", text).group(1))

        listing = "\n".join(DOMAINS).encode()
        r = run("--resolver", nsd.address, "--format", "jsonl", "--summary", "--lang", "ja",
                "-f", "-", stdin=listing)
        text = r.stderr.decode()
        self.assertIn("集計: 27 ドメイン", text)
        self.assertEqual(numbers(text, True), (TRUTH, 2))
        self.assertRegex(text, r"DNS +質問 \d+ 件 \(1 ドメインあたり \d+\.\d\)")
        self.assertIn("多い指摘 (ドメイン数):", text)
        self.assertRegex(text, r"\n +10  dmarc\.policy-none\n")
        self.assertNotIn("domains", text)
        with tempfile.NamedTemporaryFile("wb", suffix=".jsonl") as f:
            f.write(r.stdout)
            f.flush()
            merged = run("--summary-from", f.name, env={"LANG": "ja_JP.UTF-8"}).text
        self.assertIn("集計: 27 ドメイン", merged)  # the locale, as for the text output
        self.assertEqual(numbers(merged, True), (TRUTH, 2))

    def test_summary_from_needs_readable_files(self):
        r = run("--summary-from", "/nonexistent/x.jsonl")
        self.assertExit(r, 2)
        self.assertIn("cannot read /nonexistent/x.jsonl", r.stderr.decode())


class Resume(DnsTestCase):
    def test_resume_after_a_killed_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            listing = os.path.join(tmp, "list.txt")
            out = os.path.join(tmp, "out.jsonl")
            with open(listing, "w") as f:
                f.write("\n".join(DOMAINS) + "\n")
            # slow enough (--qps) to be killed half way
            with open(out, "wb") as f:
                proc = subprocess.Popen([BIN, "--resolver", nsd.address, "--qps", "60",
                                         "--format", "jsonl", "-f", listing], stdout=f,
                                        stderr=subprocess.DEVNULL)
                deadline = time.time() + 30
                while time.time() < deadline and os.path.getsize(out) < 3000:
                    time.sleep(0.05)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            with open(out, "rb") as f:
                first = f.read().splitlines(keepends=True)
            done = [json.loads(l)["domain"] for l in first if l.endswith(b"\n")]
            self.assertGreater(len(done), 0)
            self.assertLess(len(done), len(DOMAINS) - 1, "the run was not interrupted")
            # as if killed in the middle of a line
            nxt = DOMAINS[len(done)]
            with open(out, "ab") as f:
                if first and not first[-1].endswith(b"\n"):
                    pass  # killed mid-line already
                else:
                    f.write(b'{"domain": "' + nxt.encode() + b'", "status": "o')
            r = subprocess.run(f'"{BIN}" --resolver {nsd.address} --format jsonl -f "{listing}" '
                               f'--resume "{out}" >> "{out}"', shell=True,
                               stderr=subprocess.PIPE, timeout=60)
            self.assertIn(r.returncode, (1, 3), r.stderr)
            self.assertIn(b"dropped the cut-off last line", r.stderr)
            with open(out, "rb") as f:
                data = f.read()
            self.assertTrue(data.endswith(b"\n"))
            lines = [json.loads(l) for l in data.splitlines()]  # every line whole
            self.assertEqual([d["domain"] for d in lines], DOMAINS)  # nothing lost or twice
            # the domains of the first run were not asked again
            r2 = run("--resolver", nsd.address, "--format", "jsonl", "-f", listing,
                     "--resume", out)
            self.assertEqual(r2.stdout, b"")

    def test_resume_refuses_a_truncated_output(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.jsonl")
            with open(out, "w") as f:
                f.write(json.dumps({"domain": DOMAINS[0]}) + "\n")
            r = subprocess.run(f'"{BIN}" --resolver {nsd.address} --format jsonl '
                               f'--resume "{out}" {DOMAINS[1]} > "{out}"', shell=True,
                               stderr=subprocess.PIPE, timeout=60)
            self.assertEqual(r.returncode, 2)
            self.assertIn(b"use >>", r.stderr)

    def test_file_errors_in_japanese(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.jsonl")
            with open(out, "w") as f:
                f.write(json.dumps({"domain": DOMAINS[0]}) + "\n" + '{"domain": "x')
            # the cut-off line of an interrupted run, said in Japanese
            r = subprocess.run(f'"{BIN}" --lang ja --resolver {nsd.address} --format jsonl '
                               f'--resume "{out}" {DOMAINS[0]} >> "{out}"', shell=True,
                               stderr=subprocess.PIPE, timeout=60)
            self.assertIn("途中で切れた最後の行 (13 バイト) を削除しました", r.stderr.decode())
            # > instead of >>
            r = subprocess.run(f'"{BIN}" --lang ja --resolver {nsd.address} --format jsonl '
                               f'--resume "{out}" {DOMAINS[1]} > "{out}"', shell=True,
                               stderr=subprocess.PIPE, timeout=60)
            self.assertEqual(r.returncode, 2)
            self.assertIn(">> " + out + " を使ってください", r.stderr.decode())
        r = run("--lang", "ja", "-f", "/nonexistent/list.txt")
        self.assertIn("/nonexistent/list.txt を読めません: ", r.stderr.decode())
        r = run("--lang", "ja", "-o", "/nonexistent/out.txt", "--resolver", nsd.address,
                DOMAINS[0])
        self.assertExit(r, 2)
        self.assertIn("/nonexistent/out.txt に書き込めません: ", r.stderr.decode())


class SlowWriter(DnsTestCase):
    """A pipe whose writer is slow (a mail filter, a terminal): each domain is
    printed once it is checked, not when the next line comes (line_feed.h)."""

    def read_line(self, proc, timeout):
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        self.assertTrue(ready, "no result within %.0f s" % timeout)
        return json.loads(proc.stdout.readline())

    def test_each_result_before_the_next_line(self):
        proc = subprocess.Popen([BIN, "--resolver", nsd.address, "--format", "jsonl", "-f", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={"LANG": "C"})
        try:
            for domain in DOMAINS[:3]:
                proc.stdin.write(domain.encode() + b"\n")
                proc.stdin.flush()
                # the next line is not written until this result is read
                self.assertEqual(self.read_line(proc, 10)["domain"], domain)
            proc.stdin.write(b"not a domain\n" + DOMAINS[3].encode() + b"\n")
            proc.stdin.flush()
            bad = self.read_line(proc, 10)
            self.assertEqual(bad["status"], "error")
            self.assertIn("(standard input):4:", bad["error"])
            self.assertEqual(self.read_line(proc, 10)["domain"], DOMAINS[3])
            proc.stdin.close()
            self.assertEqual(proc.wait(10), 2)  # the bad line, the other lines still checked
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()


class CountingServer:
    """UDP on loopback: every question gets NXDOMAIN; arrival times are kept."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.arrivals = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.sock.settimeout(0.2)
        while self.running:
            try:
                q, addr = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            self.arrivals.append(time.monotonic())
            if len(q) < 12:
                continue
            # the question back with QR, RA and NXDOMAIN; no records
            end = 12
            while end < len(q) and q[end]:
                end += q[end] + 1
            end += 5
            reply = q[:2] + bytes([0x81, 0x83]) + b"\x00\x01\x00\x00\x00\x00\x00\x00" + q[12:end]
            self.sock.sendto(reply, addr)

    def stop(self):
        self.running = False
        self.thread.join()
        self.sock.close()

    def busiest_second(self):
        t = sorted(self.arrivals)
        best, j = 0, 0
        for i in range(len(t)):
            while t[i] - t[j] >= 1.0:
                j += 1
            best = max(best, i - j + 1)
        return best


class Qps(DnsTestCase):
    def count(self, *args):
        srv = CountingServer()
        try:
            r = run("--resolver", f"127.0.0.1:{srv.port}", "--format", "jsonl", *args,
                    *[f"q{i}.example" for i in range(6)])
        finally:
            srv.stop()
        return r, srv

    def test_qps_is_honoured_at_the_server(self):
        r, srv = self.count("--qps", "20")
        self.assertEqual(len(r.jsonl()), 6)
        self.assertGreaterEqual(len(srv.arrivals), 40)  # enough to fill two seconds
        self.assertLessEqual(srv.busiest_second(), 21)  # 20 a second, a burst of 1

    def test_without_qps_the_same_questions_come_at_once(self):
        r, srv = self.count()
        self.assertEqual(len(r.jsonl()), 6)
        self.assertGreater(srv.busiest_second(), 21)


if __name__ == "__main__":
    unittest.main()
