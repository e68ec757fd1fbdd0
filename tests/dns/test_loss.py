"""Loss under faults: a small generated world (../shared/bench/gen-zones, 100
domains) served by NSD, behind a relay that loses a share of the UDP packets
(tests/dns/lossrelay.py, seeded: the same packets are lost on every run).
Every domain must get its true verdict - as truth.jsonl has it - or be
undetermined (exit 3); never a false "missing".
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

from harness import DnsTestCase, Nsd, run
from lossrelay import LossyRelay

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DOMAINS = 100

tmp = nsd = None


def gen_zones():
    """Where gen-zones is: DD_GEN_ZONES, or ../shared/bench beside the repository
    (or beside the folder of its worktree)."""
    for path in (os.environ.get("DD_GEN_ZONES"),
                 os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen-zones"),
                 os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "bench",
                              "gen-zones")):
        if path and os.path.exists(path):
            return path
    raise AssertionError("gen-zones not found: set DD_GEN_ZONES")


def setUpModule():
    global tmp, nsd
    tmp = tempfile.mkdtemp(prefix="dd-loss-")
    world = os.path.join(tmp, "world")
    subprocess.run([sys.executable, gen_zones(), "-n", str(DOMAINS), "--seed", "7", "-o", world,
                    "--no-link", "--run-dir", os.path.join(tmp, "run")],
                   check=True, capture_output=True, env={**os.environ, "DNSBENCH_HOME": tmp})
    zones = {}
    for f in sorted(os.listdir(os.path.join(world, "zones"))):
        if f.endswith(".zone") and f != "root.zone":
            zones[f[:-len(".zone")]] = os.path.join(world, "zones", f)
    zones["."] = os.path.join(world, "zones", "root.zone")  # last: the start probe asks the first
    nsd = Nsd(zones).start()


def tearDownModule():
    if nsd:
        nsd.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def truth():
    with open(os.path.join(tmp, "world", "truth.jsonl")) as f:
        return {t["domain"]: t for t in map(json.loads, f)}


def expected_states(t, part):
    """The states a verdict may have for this part of a truth.jsonl entry."""
    status = t[part]["status"]
    if status == "none":
        return {"missing"}
    if status == "error" or (status == "permerror" and t[part].get("records", 1) > 1):
        # several records, or one receivers do not recognise: no usable
        # policy; the state says found or missing, a finding says why
        return {"found", "missing"}
    return {"found"}


def exit_code(doc):
    """The exit code a single domain's result calls for (README, Exit codes)."""
    if any(f["severity"] == "error" and not f["id"].startswith("dns.") for f in doc["findings"]):
        return 1
    return 3 if doc["undetermined"] else 0


def batch(resolver, retries=2):
    return run("--resolver", resolver, "--timeout", "300", "--retries", str(retries), "--format",
               "jsonl", "-f", os.path.join(tmp, "world", "domains.txt"), timeout=300)


def resend_counts(result):
    """(sent again, lost) from the --summary's DNS line."""
    m = re.search(rb"(\d+) sent again when overdue \((\d+) lost\)", result.stderr)
    assert m, result.stderr
    return int(m.group(1)), int(m.group(2))


class Loss(DnsTestCase):
    def compare(self, docs):
        """Per part: 'agree', 'undetermined'; fails on anything else."""
        world = truth()
        counts = {"agree": 0, "undetermined": 0}
        self.assertEqual(len(docs), DOMAINS)
        for doc in docs:
            t = world[doc["domain"]]
            self.assertNoMissingClaims_unless_true(doc, t)
            for part in ("spf", "dmarc", "mx"):
                state = doc[part]["state"]
                if state == "undetermined":
                    counts["undetermined"] += 1
                    self.assertTrue(doc["undetermined"], doc)
                    continue
                self.assertIn(state, expected_states(t, part),
                              f"{doc['domain']} {part}: {doc[part]} / truth {t[part]}")
                counts["agree"] += 1
            if doc["spf"]["state"] == "found" and t["spf"]["records"] == 1:
                self.assertEqual(doc["spf"]["record"], t["spf"]["record"], doc["domain"])
            if doc["undetermined"]:
                self.assertIn("dns.temporary-failure", [f["id"] for f in doc["findings"]])
        return counts

    def assertNoMissingClaims_unless_true(self, doc, t):
        ids = [f["id"] for f in doc["findings"]]
        for part in ("spf", "dmarc"):
            if "missing" not in expected_states(t, part):
                self.assertNotIn(part + ".missing", ids, doc["domain"])

    def test_without_loss_every_verdict_is_true(self):
        r = batch(nsd.address)
        counts = self.compare(r.jsonl())
        self.assertEqual(counts["undetermined"], 0, counts)
        self.assertIn(r.code, (0, 1))

    def test_with_loss_true_or_undetermined(self):
        # a fifth of the packets lost each way, one retry: both tries of a
        # question and of the copy sent when it is overdue all fail about
        # one time in fifty, so some domains lose one of their ~40 questions
        # and must say undetermined, never missing
        relay = LossyRelay(nsd.address, 0.2, seed=3).start()
        try:
            r = batch(relay.address, retries=1)
        finally:
            relay.stop()
        self.assertGreater(relay.stats["dropped_queries"], 0)
        self.assertGreater(relay.stats["dropped_answers"], 0)
        docs = r.jsonl()
        counts = self.compare(docs)
        self.assertGreater(counts["agree"], 0)
        self.assertGreater(counts["undetermined"], 0, counts)  # the loss really bit
        self.assertIn(r.code, (1, 3))  # a finding outranks a DNS failure
        # each domain on its own exits as its verdict says: 1 for an error
        # finding, else 3 when undetermined, else 0
        relay = LossyRelay(nsd.address, 0.2, seed=4).start()
        try:
            codes = set()
            for doc in docs[:6]:
                # no retries: the first try and the overdue copy fail
                # together about one time in eight
                one = run("--resolver", relay.address, "--timeout", "300", "--retries", "0",
                          "--format", "json", doc["domain"])
                self.assertExit(one, exit_code(one.json()))
                codes.add(one.code)
        finally:
            relay.stop()
        self.assertIn(3, codes)

    def test_overdue_questions_are_sent_again(self):
        # 5 % of the packets lost each way, one try each (--retries 0, a
        # long --timeout): only
        # the copy sent when an answer is overdue (RFC 6298's timer on the
        # measured round trips) recovers a lost question. --qps turns the
        # resend off (each resend is one more question), which is the
        # comparison: the same packets are lost in both runs (the relay's
        # choice is a hash of the question and its try)
        def lossy(*extra):
            relay = LossyRelay(nsd.address, 0.05, seed=5).start()
            try:
                r = run("--resolver", relay.address, "--timeout", "1000", "--retries", "0",
                        "--format", "jsonl", "--summary", "-f",
                        os.path.join(tmp, "world", "domains.txt"), *extra, timeout=300)
            finally:
                relay.stop()
            return r, sum(d["undetermined"] for d in r.jsonl())

        with_resend, undetermined_with = lossy()
        without, undetermined_without = lossy("--qps", "1000000")
        resent, lost = resend_counts(with_resend)
        self.assertGreater(lost, 0, with_resend)
        self.assertGreaterEqual(resent, lost)
        self.assertEqual(resend_counts(without), (0, 0))
        self.assertGreater(undetermined_without, 0)
        self.assertLess(undetermined_with, undetermined_without / 2,
                        (undetermined_with, undetermined_without))
        for r in (with_resend, without):
            self.compare(r.jsonl())  # never a false "missing" either way

if __name__ == "__main__":
    unittest.main()
