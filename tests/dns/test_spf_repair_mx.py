"""End to end: SPF repair of an mx past the MX host limit (checks/spf_repair_mx.c)
against a real Knot DNS on loopback.

mxlimit.test has 12 MX hosts (RFC 7208 §4.6.4: more than 10 is a permerror):
eight in 192.0.2.0/29, one with A and AAAA, one with AAAA only, one more A,
one without any address. The repair writes their addresses in the mx's
place; published by a second Knot, receivers then pass those hosts. A host
that cannot be looked up (its name is in no zone Knot serves: REFUSED)
leaves nothing to write: no repair.
"""

import unittest

from harness import DnsTestCase, Knot, findings, run

knot = None


def apex_hosts(n, addresses):
    """n MX hosts mx1..mxN of the apex, with their records."""
    lines = [f"@ MX {i} mx{i}" for i in range(1, n + 1)]
    for i, rrs in addresses.items():
        lines += [f"mx{i} {rr}" for rr in rrs]
    return "\n".join(lines)


ADDRESSES = {i: [f"A 192.0.2.{i - 1}"] for i in range(1, 9)}
ADDRESSES.update({9: ["A 198.51.100.9", "AAAA 2001:db8::9"], 10: ["AAAA 2001:db8::10"],
                  11: ["A 198.51.100.10"], 12: ['TXT "no address"']})

BODY = "\n".join([
    '@ TXT "v=spf1 mx include:_spf.mxlimit.test -all"',
    '_spf TXT "v=spf1 ip4:203.0.113.0/24 -all"',
    apex_hosts(12, ADDRESSES),
    # mx:name with cidr-lengths and a qualifier
    'cidr TXT "v=spf1 ~mx:mxlimit.test/24//64 -all"',
    # one host of twelve cannot be looked up
    'broken TXT "v=spf1 mx:hosts.broken.mxlimit.test -all"',
    "\n".join(f"hosts.broken MX {i} h{i}.mxlimit.test." for i in range(1, 12)),
    "hosts.broken MX 12 mx.unserved.test.",
    "\n".join(f"h{i} A 192.0.2.{100 + i}" for i in range(1, 12)),
    '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@mxlimit.test"',
])

WANT = ("v=spf1 ip4:192.0.2.0/29 ip4:198.51.100.9 ip4:198.51.100.10 ip6:2001:db8::9 "
        "ip6:2001:db8::10 include:_spf.mxlimit.test -all")


def setUpModule():
    global knot
    knot = Knot()
    knot.add_zone("mxlimit.test")
    knot.write_zone("mxlimit.test", BODY)
    knot.start()


def tearDownModule():
    knot.stop()


def check(server, *args):
    return run("--resolver", server.address, "--timeout", "1000", *args)


class MxLimit(DnsTestCase):
    def test_zone_has_twelve_hosts(self):
        doc = check(knot, "--format", "json", "mxlimit.test").json()
        self.assertEqual(len(doc["mx"]["host_list"]), 12, doc["mx"])
        [f] = findings(doc, "spf.mx-limit")
        self.assertEqual(f["severity"], "error")

    def test_repair_writes_the_hosts_addresses(self):
        doc = check(knot, "--format", "json", "mxlimit.test").json()
        rp = doc["spf"]["repair"]
        self.assertIsNotNone(rp)
        self.assertEqual(rp["record"], WANT)
        self.assertEqual(rp["lookups"], 1)
        self.assertEqual(rp["void_lookups"], 0)
        self.assertTrue(rp["within_limits"])
        self.assertTrue(rp["proof"]["equal"], rp["proof"])
        self.assertEqual(rp["proof"]["added"], [])
        self.assertEqual(rp["proof"]["removed"], [])
        self.assertEqual(rp["risk"], "stale")
        [c] = [c for c in rp["changes"] if c["kind"] == "inline-mx"]
        self.assertEqual(c["removed"], ["mx"])
        self.assertEqual(c["added"], WANT.split()[1:6])
        self.assertEqual(c["hosts"], 12)
        self.assertEqual(c["ranges"], 5)
        self.assertEqual(c["ttl"], 300)
        self.assertIn("mxlimit.test has 12 MX hosts", c["why"])
        self.assertIn("updated by hand", c["why"])
        self.assertIn("exists:%{i}._spf.mxlimit.test", rp["alternative"])

    def test_text_and_japanese(self):
        t = check(knot, "mxlimit.test").text
        self.assertIn("repair     " + WANT, t)
        self.assertIn("- inline-mx: mx -> ip4:192.0.2.0/29 ip4:198.51.100.9", t)
        self.assertIn("must be updated by hand whenever an MX host or its addresses change", t)
        self.assertIn("every client gets the same result from both records", t)
        ja = run("--resolver", knot.address, "mxlimit.test", env={"LANG": "ja_JP.UTF-8"}).text
        self.assertIn("手で更新する必要があります", ja)

    def test_cidr_lengths_and_qualifier(self):
        rp = check(knot, "--format", "json", "cidr.mxlimit.test").json()["spf"]["repair"]
        self.assertEqual(rp["record"], "v=spf1 ~ip4:192.0.2.0/24 ~ip4:198.51.100.0/24 "
                                       "~ip6:2001:db8::/64 -all")
        self.assertTrue(rp["proof"]["equal"], rp["proof"])

    def test_host_that_fails_leaves_no_repair(self):
        doc = check(knot, "--format", "json", "broken.mxlimit.test").json()
        self.assertEqual(len(findings(doc, "spf.mx-limit")), 1)
        self.assertIsNone(doc["spf"]["repair"])
        self.assertEqual(findings(doc, "spf.repair"), [])

    def test_published_proposal_passes_the_hosts(self):
        rp = check(knot, "--format", "json", "mxlimit.test").json()["spf"]["repair"]
        # receivers today: permerror for every client that reaches the mx
        for ip in ("192.0.2.5", "203.0.113.7"):
            got = check(knot, "--format", "json", "--ip", ip, "mxlimit.test").json()
            self.assertEqual(got["spf"]["check_host"]["result"], "permerror", ip)
        second = Knot()
        try:
            second.add_zone("mxlimit.test")
            second.write_zone("mxlimit.test", BODY.replace(
                '@ TXT "v=spf1 mx include:_spf.mxlimit.test -all"', "@ " + rp["zone_line"]
                .split(" ", 1)[1]))
            second.start()
            doc = check(second, "--format", "json", "mxlimit.test").json()
            self.assertEqual(doc["spf"]["record"], rp["record"])
            self.assertEqual(doc["spf"]["lookups"], rp["lookups"])
            self.assertEqual(findings(doc, "spf.mx-limit"), [])
            self.assertIsNone(doc["spf"]["repair"])
            for ip, want in (("192.0.2.5", "pass"), ("192.0.2.0", "pass"),
                             ("198.51.100.9", "pass"), ("198.51.100.10", "pass"),
                             ("2001:db8::9", "pass"), ("2001:db8::10", "pass"),
                             ("203.0.113.7", "pass"), ("192.0.2.8", "fail"),
                             ("198.51.100.11", "fail"), ("2001:db8::11", "fail")):
                got = check(second, "--format", "json", "--ip", ip, "mxlimit.test").json()
                self.assertEqual(got["spf"]["check_host"]["result"], want, ip)
        finally:
            second.stop()


if __name__ == "__main__":
    unittest.main()
