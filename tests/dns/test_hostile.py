"""Hostile DNS answers through a real socket (tests/dns/hostile.py): truncation
with and without TCP, huge answers, CNAME loops and long chains, wrong
transaction ids, answers for another name, compression-pointer loops, labels
over 63 octets, SERVFAIL/REFUSED/silence for some names only, and records
full of terminal escapes, bidi overrides and invalid UTF-8.

For every case: the exit code; a failure is `undetermined`, never `missing`
(no spf.missing, dmarc.missing); the text output stays escaped in a real
terminal (tmux); JSON, JSONL, CSV, SARIF and JUnit stay valid; and the
other domains of the same batch get their verdicts.
"""

import csv
import io
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import sarif
from harness import BIN, TESTDATA, DnsTestCase, finding_ids, run
from hostile import (A, AAAA, CNAME, MX, REFUSED, SERVFAIL, TXT, HostileDns, a, cname, mx,
                     soa_rr, txt)

ZONE = "hostile.test"
SPF = "v=spf1 ip4:192.0.2.1 -all"
DMARC = "v=DMARC1; p=reject; rua=mailto:dmarc@hostile.test"
# what a terminal must never receive raw from the DNS
ESCAPES = "\x1b[31mRED\x1b[0m \x1b]0;PWNED-TITLE\x07 \x1b]8;;http://evil.example/\x1b\\link" \
    "\x1b]8;;\x1b\\ \u202eevil\u202c \x01\x08\x7f"

srv = None


def d(case):
    return f"{case}.{ZONE}"


def raw_answer(rdata_owner_wire):
    """A UDP answer whose one TXT record has the owner name given in wire form."""
    def build(qid, question):
        hdr = struct.pack(">HHHHHH", qid, 0x8500, 1, 1, 0, 0)
        body = rdata_owner_wire(12 + len(question))
        return hdr + question + body
    return build


def pointer_loop(at):
    # the owner name is a compression pointer to itself: a loop
    return struct.pack(">H", 0xC000 | at) + struct.pack(">HHIH", TXT, 1, 300, 4) + b"\x03abc"


def pointer_forward(at):
    # a pointer to a pointer to the first: a two-step loop
    return struct.pack(">HH", 0xC000 | (at + 2), 0xC000 | at) + \
        struct.pack(">HHIH", TXT, 1, 300, 4) + b"\x03abc"


def long_label(at):
    return bytes([70]) + b"x" * 70 + b"\0" + struct.pack(">HHIH", TXT, 1, 300, 12) + \
        txt("v=spf1 +all")


# case -> (what fails: {"spf"|"dmarc"|"mx": "undetermined"} or {}, exit code)
CASES = {}


def case(name, fails, code):
    def register(fn):
        CASES[name] = (fn, fails, code)
        return fn
    return register


@case("tc-then-tcp", {}, 0)
def _tc_then_tcp(s, n):
    s.add(n, TXT, [txt(SPF)], udp="tc")


@case("tc-no-tcp", {"spf": "undetermined"}, 3)
def _tc_no_tcp(s, n):
    s.add(n, TXT, [txt(SPF)], udp="tc", tcp="close")


@case("tc-tcp-silent", {"dmarc": "undetermined"}, 3)
def _tc_tcp_silent(s, n):
    s.add("_dmarc." + n, TXT, [txt(DMARC)], udp="tc", tcp="drop")


@case("big-txt", {}, 0)
def _big_txt(s, n):
    # one 64 KiB answer: a 60 000-octet TXT beside the SPF record, over TCP
    s.add(n, TXT, [txt("filler=" + "x" * 60000), txt(SPF)])


@case("udp-oversize", {}, 0)
def _udp_oversize(s, n):
    # a server that ignores the EDNS size: 3 000 octets over UDP, no TC bit
    s.add(n, TXT, [txt("filler=" + "y" * 3000), txt(SPF)], udp="oversize")


@case("many-txt", {}, 0)
def _many_txt(s, n):
    s.add(n, TXT, [txt(f"site-verification-{i}=abcdef{i}") for i in range(400)] + [txt(SPF)])


@case("cname-loop", {"spf": "undetermined"}, 3)
def _cname_loop(s, n):
    s.add(n, TXT, [(n, CNAME, cname("loop." + n)), ("loop." + n, CNAME, cname(n))])
    s.add("loop." + n, TXT, [("loop." + n, CNAME, cname(n)), (n, CNAME, cname("loop." + n))])


@case("cname-chain", {}, 0)
def _cname_chain(s, n):
    # 40 CNAMEs before the record, all in one answer: followed to the end
    # (bounded by the answer's size), no loop, no hang
    hops = [f"c{i}.{n}" for i in range(40)]
    chain = [("_dmarc." + n, CNAME, cname(hops[0]))]
    chain += [(hops[i], CNAME, cname(hops[i + 1])) for i in range(len(hops) - 1)]
    chain += [(hops[-1], TXT, txt(DMARC))]
    s.add("_dmarc." + n, TXT, chain)


@case("wrong-id", {"spf": "undetermined"}, 3)
def _wrong_id(s, n):
    s.add(n, TXT, [txt(SPF)], udp="wrong-id", tcp="close")


@case("wrong-id-then-right", {}, 0)
def _wrong_id_then_right(s, n):
    s.add(n, TXT, [txt(SPF)], udp="wrong-id-then-right")


@case("other-name", {"spf": "undetermined"}, 3)
def _other_name(s, n):
    s.add(n, TXT, [txt(SPF)], udp="other-name", tcp="close")


@case("pointer-loop", {"spf": "undetermined"}, 3)
def _pointer_loop(s, n):
    s.add(n, TXT, udp="raw", tcp="close", raw=raw_answer(pointer_loop))


@case("pointer-loop2", {"dmarc": "undetermined"}, 3)
def _pointer_loop2(s, n):
    s.add("_dmarc." + n, TXT, udp="raw", tcp="close", raw=raw_answer(pointer_forward))


@case("long-label", {"spf": "undetermined"}, 3)
def _long_label(s, n):
    s.add(n, TXT, udp="raw", tcp="close", raw=raw_answer(long_label))


@case("servfail-dmarc", {"dmarc": "undetermined"}, 3)
def _servfail(s, n):
    s.add("_dmarc." + n, TXT, rcode=SERVFAIL)


@case("refused-spf", {"spf": "undetermined"}, 3)
def _refused(s, n):
    s.add(n, TXT, rcode=REFUSED)


@case("silent-mx", {"mx": "undetermined"}, 3)
def _silent(s, n):
    s.add(n, MX, [mx(10, "mx." + ZONE)], udp="drop", tcp="close")


@case("escapes", {}, 1)
def _escapes(s, n):
    s.add(n, TXT, [txt("v=spf1 ip4:192.0.2.1 " + ESCAPES + " -all"),
                   txt(b"v=spf1 \xff\xfe\xc0\x80 -all"),
                   txt("note=" + ESCAPES)])
    s.add("_dmarc." + n, TXT, [txt("v=DMARC1; p=reject; rua=mailto:" + ESCAPES + "@hostile.test")])


@case("escapes-include", {}, 1)
def _escapes_include(s, n):
    # the escapes in a name: an include target and a DMARC record found by walking
    s.add(n, TXT, [txt("v=spf1 include:\x1b]0;PWNED-TITLE\x07.hostile.test -all")])
    s.add("_dmarc." + n, TXT, [txt("v=DMARC1; p=\u202equarantine; rua=mailto:x@\xff.test")])


GOOD = [f"good{i}.{ZONE}" for i in range(3)]


def dkim_key():
    """A real RSA 2048 key (testdata/dkim/key-pool.txt), so that DKIM is found."""
    with open(os.path.join(TESTDATA, "dkim", "key-pool.txt"), encoding="ascii") as f:
        key = next(line.split()[1] for line in f if line.startswith("rsa2048 "))
    return txt("v=DKIM1; k=rsa; p=" + key)


# MX hosts that are CNAMEs whose target has no AAAA, answered three ways:
# domain -> the authority section of the AAAA answer, and whether the target
# must then be asked itself
CHAIN_ENDS = {
    # the SOA of a zone holding the target: the server answered for it
    # (RFC 2308 §2.2), asking again would only cost a round trip
    "chain-soa": ([soa_rr(ZONE)], False),
    # no SOA: an authoritative server that did not chase the target
    "chain-open": ([], True),
    # an SOA, but of a zone that does not hold the target: proves nothing
    "chain-other-soa": ([soa_rr("elsewhere.test")], True),
}


def add_chain_ends(s):
    for name, (authority, _) in CHAIN_ENDS.items():
        n = d(name)
        host, target = "mx." + n, "host." + n
        s.add(n, TXT, [txt(SPF)])
        s.add("_dmarc." + n, TXT, [txt(DMARC)])
        s.add(n, MX, [mx(10, host)])
        s.add(host, A, [(host, CNAME, cname(target)), (target, A, a("192.0.2.26"))])
        s.add(host, AAAA, [(host, CNAME, cname(target))], authority=authority)
        s.add(target, AAAA, [])  # no record: NODATA with the SOA, and counted


def setUpModule():
    global srv
    srv = HostileDns()
    add_chain_ends(srv)
    srv.add(ZONE, MX, [mx(10, "mx." + ZONE)])
    srv.add("mx." + ZONE, A, [a("192.0.2.25")])
    key = dkim_key()
    for n in GOOD + [d(name) for name in CASES]:
        srv.add("google._domainkey." + n, TXT, [key])
    for n in GOOD:
        srv.add(n, TXT, [txt(SPF)])
        srv.add("_dmarc." + n, TXT, [txt(DMARC)])
        srv.add(n, MX, [mx(10, "mx." + ZONE)])
    for name, (setup, _, _) in CASES.items():
        n = d(name)
        # the defaults; a case replaces what it makes hostile
        srv.add(n, TXT, [txt(SPF)])
        srv.add("_dmarc." + n, TXT, [txt(DMARC)])
        srv.add(n, MX, [mx(10, "mx." + ZONE)])
        setup(srv, n)
    srv.start()


def tearDownModule():
    srv.stop()


# long enough that a loaded machine (the sanitizer build, parallel tests)
# never times out on the Python server; silence costs 1 + 2 s (c-ares doubles)
TIMEOUT = "1000"


def dd(*args, **kw):
    return run("--resolver", srv.address, "--timeout", TIMEOUT, "--retries", "1", *args, **kw)


def batch():
    """Every case between good domains, so a hostile answer's neighbours are checked too."""
    names = []
    for name in CASES:
        names += [GOOD[len(names) % len(GOOD)], d(name)]
    return names + [GOOD[0]]


def judged(names):
    """What a batch prints: each domain once, where it first appears."""
    return list(dict.fromkeys(names))


def assert_no_raw_escapes(test, data, where):
    for bad in (b"\x1b", b"\x07", b"\x01", b"\x08", b"\x7f", "\u202e".encode(), b"\xff", b"\xfe"):
        test.assertNotIn(bad, data, f"{where}: raw {bad!r} in the output")


class Verdicts(DnsTestCase):
    """Each case on its own: the exit code, and failures never reported as missing."""

    def test_each_case(self):
        # all at once: a silent case costs its timeouts only once
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = dict(zip(CASES, pool.map(lambda n: dd("--format", "json", d(n)), CASES)))
        for name, (_, fails, code) in CASES.items():
            with self.subTest(case=name):
                r = results[name]
                self.assertExit(r, code)
                doc = r.json()
                self.assertNoMissingClaims(doc)
                for part in ("spf", "dmarc", "mx"):
                    want = fails.get(part, "found")
                    self.assertEqual(doc[part]["state"], want, f"{part} of {name}: {doc[part]}")
                self.assertEqual(doc["undetermined"], bool(fails), doc)
                # a spoofed answer (wrong id, other name, hand-built) is never believed
                self.assertNotEqual(doc["spf"]["record"], "v=spf1 +all", doc["spf"])
                self.assertNotIn("spf.plus-all", finding_ids(doc))
                if "spf" in fails:
                    self.assertIn("dns.temporary-failure", finding_ids(doc))

    def test_answers_that_arrived_whole(self):
        docs = {n: dd("--format", "json", d(n)).json() for n in
                ("tc-then-tcp", "big-txt", "udp-oversize", "many-txt", "wrong-id-then-right")}
        for name, doc in docs.items():
            self.assertEqual(doc["spf"]["record"], SPF, name)
            self.assertEqual(doc["dmarc"]["policy"], "reject", name)
        # truncated over UDP, so asked again over TCP
        self.assertGreater(srv.rules[(d("tc-then-tcp"), TXT)].asked["tcp"], 0)
        self.assertGreater(srv.rules[(d("big-txt"), TXT)].asked["tcp"], 0)
        # longer than asked for: not read cut short, asked again over TCP
        self.assertGreater(srv.rules[(d("udp-oversize"), TXT)].asked["tcp"], 0)

    def test_escapes_are_kept_exact_in_json(self):
        doc = dd("--format", "json", "-v", d("escapes")).json()
        self.assertIn("spf.multiple", finding_ids(doc))  # two v=spf1 records
        answers = [s["data"] for q in doc["queries"]
                   if q["name"] == d("escapes") and q["type"] == "TXT" for s in q["answers"]]
        # JSON carries the exact text: controls as JSON escapes, bytes that are
        # not UTF-8 as the text \xNN
        self.assertIn("note=" + ESCAPES, answers)
        self.assertIn("v=spf1 \\xFF\\xFE\\xC0\\x80 -all", answers)
        self.assertIn(ESCAPES, doc["dmarc"]["record"])


class CnameTargets(DnsTestCase):
    """A CNAME chain ending in NODATA: the target is asked only when the
    answer does not show that the server answered for it."""

    def test_target_asked_only_without_the_servers_soa(self):
        for name, (_, asked) in CHAIN_ENDS.items():
            with self.subTest(case=name):
                n = d(name)
                r = dd("--format", "json", "-v", n)
                self.assertExit(r, 0)
                doc = r.json()
                self.assertEqual(doc["mx"]["state"], "found", doc["mx"])
                q = next(q for q in doc["queries"]
                         if q["name"] == "mx." + n and q["type"] == "AAAA")
                # the same answer either way: the host has no AAAA
                self.assertEqual((q["status"], q["cnames"], q["answers"]),
                                 ("nodata", ["host." + n], []), q)
                # an overdue question may go out twice on a loaded machine
                target_asked = srv.rules[("host." + n, AAAA)].asked["udp"]
                if asked:
                    self.assertGreaterEqual(target_asked, 1, name)
                else:
                    self.assertEqual(target_asked, 0, name)


class Retries(DnsTestCase):
    """--retries N sends a question N + 1 times, and once more when it is
    overdue (the resend has one try of its own): at most N + 2, counted at
    the server."""

    def test_a_silent_name_is_asked_at_most_n_plus_2_times(self):
        rule = srv.rules[(d("silent-mx"), MX)]
        for retries in (0, 2):
            with self.subTest(retries=retries):
                rule.asked = {"udp": 0, "tcp": 0}
                r = run("--resolver", srv.address, "--timeout", "300", "--retries",
                        str(retries), "--format", "json", d("silent-mx"))
                self.assertEqual(r.json()["mx"]["state"], "undetermined")
                self.assertGreaterEqual(rule.asked["udp"], retries + 1)
                self.assertLessEqual(rule.asked["udp"], retries + 2)


class Batch(DnsTestCase):
    """All cases in one batch: every format valid, every neighbour judged."""

    FORMATS = ("jsonl", "json", "csv", "sarif", "junit", "text")

    @classmethod
    def setUpClass(cls):
        cls.names = batch()
        cls.stdin = "\n".join(cls.names).encode()
        # two at a time, 64 questions in flight each: the Python server
        # must not lose bursts (that would be loss of the test's own making)
        with ThreadPoolExecutor(max_workers=2) as pool:
            cls.results = dict(zip(cls.FORMATS, pool.map(
                lambda f: dd("--format", f, "--concurrency", "64", "-f", "-", stdin=cls.stdin,
                             timeout=120), cls.FORMATS)))

    def run_batch(self, fmt):
        r = self.results[fmt]
        self.assertExit(r, 1)  # the escape cases have errors; errors outrank DNS failures
        return r

    def test_jsonl_every_domain_judged(self):
        docs = self.run_batch("jsonl").jsonl()
        self.assertEqual([doc["domain"] for doc in docs], judged(self.names))
        for doc in docs:
            self.assertNoMissingClaims(doc)
            name = doc["domain"].split(".")[0]
            if doc["domain"] in GOOD:
                self.assertEqual(doc["status"], "ok")
                self.assertFalse(doc["undetermined"], doc)
                self.assertEqual(doc["spf"]["record"], SPF)
                self.assertEqual(doc["dmarc"]["policy"], "reject")
                self.assertEqual(doc["mx"]["state"], "found")
            else:
                fails = CASES[name][1]
                for part in ("spf", "dmarc", "mx"):
                    self.assertEqual(doc[part]["state"], fails.get(part, "found"),
                                     f"{name} {part} in the batch")

    def test_json_is_valid(self):
        docs = self.run_batch("json").json()
        self.assertEqual(len(docs), len(judged(self.names)))

    def test_csv_is_valid(self):
        r = self.run_batch("csv")
        text = r.stdout.decode("utf-8")  # valid UTF-8 even with \xff in the DNS
        rows = list(csv.reader(io.StringIO(text)))
        header, rows = rows[0], rows[1:]
        self.assertTrue(all(len(row) == len(header) for row in rows))
        self.assertEqual(sorted(set(row[header.index("domain")] for row in rows)),
                         sorted(set(self.names)))
        assert_no_raw_escapes(self, r.stdout, "csv")

    def test_sarif_is_valid(self):
        r = self.run_batch("sarif")
        doc = json.loads(r.stdout)
        self.assertEqual(sarif.validate(doc), [])
        self.assertEqual(doc["version"], "2.1.0")
        assert_no_raw_escapes(self, r.stdout, "sarif")

    def test_junit_is_valid(self):
        r = self.run_batch("junit")
        root = ET.fromstring(r.stdout)  # raises on invalid XML (a raw control byte is invalid)
        cases = root.iter("testcase")
        self.assertTrue(any(True for _ in cases))
        assert_no_raw_escapes(self, r.stdout, "junit")

    def test_text_is_escaped(self):
        r = self.run_batch("text")
        assert_no_raw_escapes(self, r.stdout, "text")
        for n in GOOD:
            self.assertIn(n, r.text)


class UntrustedInput(DnsTestCase):
    """argv and -f FILE are untrusted too: quoted escaped, a bad line never stops the rest."""

    def test_an_argument_with_escapes_is_quoted_escaped(self):
        r = dd("a\x1b]0;PWNED-TITLE\x07.example")
        self.assertExit(r, 2)
        assert_no_raw_escapes(self, r.stderr, "usage error")
        self.assertIn(b"'a\\x1B]0;PWNED-TITLE\\x07.example' is not a valid domain", r.stderr)
        r = dd("--format", "\x1b[31m", GOOD[0])
        self.assertExit(r, 2)
        assert_no_raw_escapes(self, r.stderr, "usage error")

    def test_a_line_with_a_nul_byte_is_a_bad_line(self):
        lines = GOOD[0].encode() + b"\0evil.example\n" + b"\x1b[2J\n" + GOOD[1].encode() + b"\n"
        r = dd("--format", "jsonl", "-f", "-", stdin=lines)
        self.assertExit(r, 2)
        docs = r.jsonl()
        self.assertEqual(len(docs), 3)
        self.assertEqual(docs[0]["status"], "error")
        self.assertIn("(standard input):1:", docs[0]["error"])
        self.assertIn("NUL byte", docs[0]["error"])
        self.assertEqual(docs[1]["status"], "error")
        self.assertEqual(docs[2]["domain"], GOOD[1])
        self.assertEqual(docs[2]["dmarc"]["policy"], "reject")
        text = dd("-f", "-", stdin=lines)
        assert_no_raw_escapes(self, text.stdout + text.stderr, "text of bad lines")


class Terminal(DnsTestCase):
    """What a real terminal (tmux) shows: escapes from the DNS never act on it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="dd-tmux-")
        self.sock = os.path.join(self.dir, "sock")

    def tearDown(self):
        subprocess.run(["tmux", "-S", self.sock, "kill-server"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.sock] + list(args), capture_output=True,
                              text=True, timeout=30)

    def on_screen(self, names):
        out = os.path.join(self.dir, "raw")
        cmd = " ".join([BIN, "--resolver", srv.address, "--timeout", TIMEOUT, "--retries", "1",
                        "--concurrency", "64"] +
                       names) + f" | tee {out}; echo EXIT=${{PIPESTATUS[0]}}"
        env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "TERM": "xterm-256color"}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]
        conf = os.path.join(self.dir, "tmux.conf")
        with open(conf, "w") as f:
            f.write("set -g history-limit 100000\n")
        subprocess.run(["tmux", "-S", self.sock, "-f", conf, "new-session", "-d",
                        "-x", "200", "-y", "50", "-s", "dd", "bash", "--norc", "-c",
                        cmd + "; sleep 60"], env=env, check=True, timeout=30)
        deadline = time.time() + 60
        screen = ""
        while time.time() < deadline:
            screen = self.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "dd").stdout
            if "EXIT=" in screen:
                break
            time.sleep(0.2)
        title = self.tmux("display-message", "-p", "-t", "dd", "#{pane_title}").stdout
        with open(out, "rb") as f:
            raw = f.read()
        return screen, title, raw

    def test_escapes_never_reach_the_terminal_raw(self):
        # every case, so that what each one prints passes through the terminal
        screen, title, raw = self.on_screen(batch())
        self.assertIn("EXIT=1", screen)
        self.assertNotIn("PWNED", title)  # no OSC 0 took effect
        assert_no_raw_escapes(self, raw, "text on a terminal")
        self.assertIn("\\x1B]0;PWNED-TITLE\\x07", screen)  # shown, escaped
        self.assertIn("\\u{202E}", screen)
        for name in CASES:
            self.assertIn(d(name), screen)  # every domain of the batch got its report


if __name__ == "__main__":
    unittest.main()
