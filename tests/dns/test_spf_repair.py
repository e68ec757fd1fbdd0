"""End to end: SPF repair (checks/spf_repair.c) against a real NSD on loopback.

Zones: testdata/zones/spf/ - repair.test is 19 lookups over the limit with
the provider trees of google.com, outlook.com, mcsv.net, sendgrid.net and
salesforce.com zones beside it; dup.repair.test is within the limit with
redundant parts only. --zone reads the same file as a proposed zone, the
provider names then come from NSD as live DNS.
"""

import os
import re
import shutil
import tempfile
import unittest

from harness import DnsTestCase, Nsd, findings, run, zone_path, zones_in

nsd = None
ZONE = zone_path("spf", "repair.test.zone")


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("spf")).start()


def tearDownModule():
    nsd.stop()


def check(*args):
    return run("--resolver", nsd.address, "--timeout", "1000", *args)


def spf_line():
    """The zone-file line of the apex SPF record."""
    with open(ZONE) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("@ TXT"):
                return n
    raise AssertionError("no apex TXT in " + ZONE)


class Repair(DnsTestCase):
    def test_over_the_limit_is_brought_within_it(self):
        r = check("--format", "json", "repair.test")
        doc = r.json()
        s = doc["spf"]
        self.assertEqual(s["lookups"], 19)
        rp = s["repair"]
        self.assertEqual(rp["lookups"], 10, rp)
        self.assertTrue(rp["within_limits"])
        self.assertTrue(rp["proof"]["equal"], rp["proof"])
        self.assertEqual(rp["proof"]["added"], [])
        self.assertEqual(rp["proof"]["removed"], [])
        self.assertEqual(rp["risk"], "stale")
        # Salesforce's exists:%{i} cannot be computed: kept, named
        self.assertIn("include:_spf.salesforce.com", rp["record"])
        self.assertTrue(any("salesforce" in u for u in rp["proof"]["unprovable"]), rp)
        inlined = [c for c in rp["changes"] if c["kind"] == "inline-include"]
        # the longest TTL first among equals; the agency's Google include is kept
        self.assertEqual(inlined[0]["removed"], ["include:long.repair.test"])
        self.assertEqual(inlined[0]["ttl"], 86400)
        self.assertEqual(inlined[1]["removed"], ["include:short.repair.test"])
        self.assertEqual(inlined[1]["ttl"], 60)
        agency = inlined[2]
        self.assertEqual(agency["removed"], ["include:_spf.agency.repair.test"])
        self.assertIn("include:_spf.google.com", agency["added"])
        self.assertIsNone(agency["provider"])
        # a provider inlined last, and said to be one
        self.assertEqual(inlined[-1]["provider"], "Mailchimp")
        self.assertTrue(inlined[-1]["provider_url"].startswith("https://"))
        self.assertEqual(rp["record"].count("include:_spf.google.com"), 1)
        self.assertTrue(rp["zone_line"].startswith('repair.test. 300 IN TXT "v=spf1 mx '))
        self.assertIn("exists:%{i}._spf.repair.test", rp["alternative"])
        [f] = findings(doc, "spf.repair")
        self.assertEqual(f["severity"], "info")
        self.assertIn("10 DNS lookups instead of 19", f["message"])

    def test_proposal_counts_as_published(self):
        """The proposed record, published by NSD, counts what the repair said, and
        receivers then pass the hosts the published record meant to pass."""
        rp = check("--format", "json", "repair.test").json()["spf"]["repair"]
        tmp = tempfile.mkdtemp(prefix="dd-repair-")
        try:
            published = os.path.join(tmp, "repair.test.zone")
            with open(ZONE) as src, open(published, "w") as dst:
                for line in src:
                    if line.startswith("@ TXT"):
                        line = rp["zone_line"] + "\n"
                    dst.write(line)
            zones = zones_in("spf")
            zones["repair.test"] = published
            second = Nsd(zones).start()
            try:
                def at(*args):
                    return run("--resolver", second.address, "--timeout", "1000",
                               "--format", "json", *args, "repair.test").json()
                doc = at()
                self.assertEqual(doc["spf"]["record"], rp["record"])
                self.assertEqual(doc["spf"]["lookups"], rp["lookups"])
                self.assertEqual(doc["spf"]["void_lookups"], rp["void_lookups"])
                self.assertEqual(findings(doc, "spf.lookup-limit"), [])
                self.assertIsNone(doc["spf"]["repair"])  # nothing left to repair
                # published: over the limit, receivers stop before long.repair.test
                self.assertEqual(check("--format", "json", "--ip", "203.0.113.7",
                                       "repair.test").json()["spf"]["check_host"]["result"],
                                 "permerror")
                for ip, want in (("203.0.113.7", "pass"), ("198.51.100.9", "pass"),
                                 ("192.0.2.70", "pass"), ("192.0.2.25", "pass"),
                                 ("74.125.1.1", "pass"), ("2a00:1450:4000::1", "pass"),
                                 ("205.201.130.1", "pass"), ("192.0.2.10", "fail"),
                                 ("8.8.8.8", "fail")):
                    got = at("--ip", ip)["spf"]["check_host"]["result"]
                    self.assertEqual(got, want, ip)
            finally:
                second.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_pure_repair_text(self):
        r = check("dup.repair.test")
        t = r.text
        self.assertIn("repair     v=spf1 ip4:192.0.2.0/24 include:long.repair.test -all", t)
        self.assertIn("duplicate: include:long.repair.test", t)
        self.assertIn("merge-ranges: ip4:192.0.2.0/25 ip4:192.0.2.128/25 -> ip4:192.0.2.0/24", t)
        self.assertIn("every client gets the same result from both records", t)
        self.assertIn('publish    dup.repair.test. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 '
                      'include:long.repair.test -all"', t)
        ja = run("--resolver", nsd.address, "dup.repair.test", env={"LANG": "ja_JP.UTF-8"}).text
        self.assertIn("修復案", ja)
        # Japanese labels are padded by columns, as the English ones
        self.assertIn("\n          修復案     v=spf1 ip4:192.0.2.0/24", ja)
        self.assertIn("\n          証明       どの送信元でも", ja)

    def test_long_proof_is_cut_short_unless_verbose(self):
        # ?all -> ~all changes the result of every address the record does not
        # list: 24 IPv4 ranges around 192.0.2.0/24, and all of IPv6
        doc = check("--format", "json", "neutral.repair.test").json()
        changed = doc["spf"]["repair"]["proof"]["changed"]
        self.assertEqual(len(changed), 1, changed)
        self.assertEqual(len(changed[0]["ranges"]), 25, changed)
        proof = [l for l in check("neutral.repair.test").text.splitlines()
                 if l.startswith("          proof")]
        self.assertEqual(len(proof), 1)
        self.assertEqual(len(re.findall(r"ip[46]:", proof[0])), 8, proof[0])
        self.assertTrue(proof[0].endswith(
            "... and 17 more (all of them with -v, or in --format json)"), proof[0])
        verbose = [l for l in check("-v", "neutral.repair.test").text.splitlines()
                   if l.startswith("          proof")]
        self.assertEqual(len(re.findall(r"ip[46]:", verbose[0])), 25, verbose[0])
        self.assertNotIn("more", verbose[0])

    def test_zone_gives_a_diff_and_a_sarif_fix(self):
        line = spf_line()
        rel = os.path.relpath(ZONE)
        r = check("--zone", ZONE, "repair.test")
        t = r.text
        self.assertIn(f"{ZONE}:{line}:\n         - repair.test. 300 IN TXT \"v=spf1 mx include:", t)
        self.assertIn("\n         + repair.test. 300 IN TXT \"v=spf1 mx include:_spf.google.com", t)
        doc = check("--zone", ZONE, "--format", "json", "repair.test").json()
        rp = doc["spf"]["repair"]
        self.assertEqual(rp["line"], line)
        self.assertEqual(rp["lookups"], 10)
        sarif = check("--zone", rel, "--format", "sarif", "repair.test").json()
        res = [x for x in sarif["runs"][0]["results"] if x["ruleId"] == "spf.repair"]
        self.assertEqual(len(res), 1)
        [fix] = res[0]["fixes"]
        [change] = fix["artifactChanges"]
        self.assertEqual(change["artifactLocation"]["uri"], rel)
        [rep] = change["replacements"]
        self.assertEqual(rep["deletedRegion"]["startLine"], line)
        self.assertEqual(rep["insertedContent"]["text"], rp["zone_line"])

    def test_nothing_to_repair(self):
        doc = check("--format", "json", "mix.test").json()
        self.assertIsNone(doc["spf"]["repair"])
        self.assertEqual(findings(doc, "spf.repair"), [])


if __name__ == "__main__":
    unittest.main()
