"""End to end: the SPF checker against a real NSD on loopback.

Zones: testdata/zones/spf/ - provider trees in the shapes Google Workspace,
Microsoft 365, Mailchimp, SendGrid and Salesforce publish (mix.test), a
nested tree with void lookups (nested.test), and hostile trees: a loop
(loop.test), a 1000-wide fan-out (wide.test) and a chain 50 deep
(deep.test), written by make-hostile.py. The `test` zone is served empty
for the DMARC tree walk. Nothing here is timed: a hostile tree must end
with its finding, which the harness's timeout would catch if it did not.
"""

import unittest

from harness import DnsTestCase, Nsd, finding_ids, findings, run, zones_in

nsd = None


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("spf")).start()


def tearDownModule():
    nsd.stop()


def check(*args, **kw):
    return run("--resolver", nsd.address, "--timeout", "1000", *args, **kw)


def spf(*args):
    r = check("--format", "json", *args)
    return r, r.json()


def node(tree, *names):
    """The node reached from `tree` by child names."""
    for name in names:
        matches = [c for c in tree["children"] if c["name"] == name]
        if not matches:
            raise AssertionError(f"no {name} under {tree['name']}: {tree}")
        tree = matches[0]
    return tree


class Providers(DnsTestCase):
    def test_mix_counts_exactly(self):
        r, doc = spf("mix.test")
        s = doc["spf"]
        self.assertEqual(s["lookups"], 9, s)  # mx 1 + Google 4 + Microsoft 2 + Mailchimp 1 + SendGrid 1
        self.assertEqual(s["void_lookups"], 0)
        self.assertFalse(s["lower_bound"])
        self.assertEqual(s["all"], "-all")
        tree = s["tree"]
        self.assertEqual(tree["via"], "root")
        google = node(tree, "_spf.google.com")
        self.assertEqual(google["lookups"], 4)
        self.assertEqual([c["name"] for c in google["children"]],
                         ["_netblocks.google.com", "_netblocks2.google.com", "_netblocks3.google.com"])
        outlook = node(tree, "spf.protection.outlook.com")
        self.assertEqual(outlook["lookups"], 2)
        self.assertEqual(node(outlook, "spfd.protection.outlook.com")["status"], "ok")
        self.assertEqual(node(tree, "sendgrid.net")["status"], "ok")  # beside a non-SPF TXT
        ids = finding_ids(doc)
        for bad in ("spf.lookup-limit", "spf.void-limit", "spf.syntax", "spf.include-missing"):
            self.assertNotIn(bad, ids)

    def test_record_split_mid_token(self):
        # Microsoft's list is split inside "ip6:2a01:111:f403::/49": joined without a space
        _, doc = spf("mix.test")
        outlook = node(doc["spf"]["tree"], "spf.protection.outlook.com")
        self.assertIn(" ip6:2a01:111:f403::/49 ", outlook["record"])

    def test_over_the_limit(self):
        r, doc = spf("bloated.mix.test")
        self.assertEqual(doc["spf"]["lookups"], 12)  # + a + Salesforce (include and its exists:)
        self.assertFalse(doc["spf"]["lower_bound"])
        ids = finding_ids(doc)
        self.assertIn("spf.lookup-limit", ids)
        self.assertIn("spf.macro-unresolved", ids)  # Salesforce's exists:%{i}...
        self.assertExit(r, 1)
        limit = findings(doc, "spf.lookup-limit")[0]
        self.assertIn("needs 12 DNS lookups", limit["message"])

    def test_text_and_verbose_tree(self):
        r = check("-v", "mix.test")
        self.assertIn("(9 DNS lookups, 0 void)", r.text)
        self.assertIn("include:_spf.google.com  4 lookups", r.text)
        self.assertIn("include:_netblocks2.google.com  1 lookup\n", r.text)
        r = check("bloated.mix.test")
        self.assertNotIn("include:_spf.google.com  4 lookups", r.text)  # the tree is --verbose


class CheckHost(DnsTestCase):
    def test_fail_is_explained(self):
        r, doc = spf("--ip", "203.0.113.9", "--sender", "ceo@mix.test", "mix.test")
        ch = doc["spf"]["check_host"]
        self.assertEqual(ch["result"], "fail")
        self.assertEqual(ch["term"], "-all")
        self.assertEqual(ch["term_domain"], "mix.test")
        self.assertEqual(ch["explanation"],
                         "203.0.113.9 is not one of the senders of mix.test (MAIL FROM ceo@mix.test)")
        self.assertEqual(ch["sender"], "ceo@mix.test")
        r = check("--ip", "203.0.113.9", "--sender", "ceo@mix.test", "mix.test")
        self.assertIn("SPF for 203.0.113.9 (sender ceo@mix.test, HELO mix.test): fail", r.text)
        self.assertIn("matched      -all  (mix.test)", r.text)
        self.assertIn("203.0.113.9 is not one of the senders of mix.test", r.text)

    def test_pass_shows_the_path_of_includes(self):
        _, doc = spf("--ip", "35.190.247.10", "mix.test")
        ch = doc["spf"]["check_host"]
        self.assertEqual(ch["result"], "pass")
        self.assertEqual([s["domain"] for s in ch["path"]],
                         ["mix.test", "_spf.google.com", "_netblocks.google.com"])
        self.assertEqual(ch["path"][0]["term"], "include:_spf.google.com")
        self.assertEqual(ch["term"], "ip4:35.190.247.0/24")
        self.assertIsNone(ch["explanation"])
        # IPv6 from Microsoft's second string
        _, doc = spf("--ip", "2a01:111:f403::25", "mix.test")
        self.assertEqual(doc["spf"]["check_host"]["term"], "ip6:2a01:111:f403::/49")

    def test_deep_pass_and_receiver_limits(self):
        _, doc = spf("--ip", "192.0.2.200", "nested.test")
        ch = doc["spf"]["check_host"]
        self.assertEqual(ch["result"], "pass")
        self.assertEqual(len(ch["path"]), 5)
        self.assertEqual(ch["path"][-1], {"domain": "l4.nested.test", "term": "ip4:192.0.2.128/25"})
        # a client no term allows: the receiver meets the third void lookup first
        _, doc = spf("--ip", "198.51.100.1", "nested.test")
        ch = doc["spf"]["check_host"]
        self.assertEqual(ch["result"], "permerror")
        self.assertIn("void lookups", ch["reason"])
        self.assertEqual(ch["void_lookups"], 3)
        self.assertEqual(ch["term"], "a:gone.nested.test")
        r = check("--ip", "198.51.100.1", "nested.test")
        self.assertIn("stopped at   a:gone.nested.test  (l1.nested.test)", r.text)
        self.assertIn("because      more than 2 void lookups", r.text)

    def test_loop_is_permerror(self):
        _, doc = spf("--ip", "203.0.113.1", "a.loop.test")
        ch = doc["spf"]["check_host"]
        self.assertEqual(ch["result"], "permerror")
        self.assertIn("loop", ch["reason"])

    def test_no_ip_no_check_host(self):
        _, doc = spf("mix.test")
        self.assertIsNone(doc["spf"]["check_host"])

    def test_bad_ip_is_usage(self):
        r = check("--ip", "300.1.2.3", "mix.test")
        self.assertExit(r, 2)
        self.assertIn("--ip '300.1.2.3'", r.stderr.decode())


class Nested(DnsTestCase):
    def test_exact_counts_four_deep(self):
        r, doc = spf("nested.test")
        s = doc["spf"]
        # l4 costs 2, l3 4 (one void MX host), l2 6, l1 8 (a void a:); referenced twice
        self.assertEqual(s["lookups"], 17)
        self.assertEqual(s["void_lookups"], 4)
        self.assertFalse(s["lower_bound"])
        l1 = node(s["tree"], "l1.nested.test")
        self.assertEqual((l1["lookups"], l1["void_lookups"]), (8, 2))
        l3 = node(l1, "l2.nested.test", "l3.nested.test")
        self.assertEqual((l3["lookups"], l3["own_lookups"], l3["void_lookups"]), (4, 2, 1))
        self.assertIn("m2.nested.test", l3["voids"][0])
        self.assertEqual(node(l3, "l4.nested.test")["lookups"], 2)
        ids = finding_ids(doc)
        self.assertIn("spf.lookup-limit", ids)
        self.assertIn("spf.void-limit", ids)
        self.assertEqual(ids.count("spf.macro-unresolved"), 1)
        self.assertExit(r, 1)

    def test_under_the_limit(self):
        _, doc = spf("small.nested.test")
        self.assertEqual((doc["spf"]["lookups"], doc["spf"]["void_lookups"]), (2, 0))

    def test_each_name_asked_once(self):
        _, doc = spf("-v", "nested.test")
        asked = [(q["name"], q["type"]) for q in doc["queries"]]
        self.assertEqual(len(asked), len(set(asked)))
        self.assertIn(("l2.nested.test", "TXT"), asked)


class Hostile(DnsTestCase):
    def test_loop(self):
        r, doc = spf("a.loop.test")
        loops = findings(doc, "spf.loop")
        self.assertEqual(len(loops), 1)
        self.assertEqual(loops[0]["evidence"]["chain"],
                         ["a.loop.test", "b.loop.test", "c.loop.test", "a.loop.test"])
        self.assertEqual(doc["spf"]["lookups"], 3)
        self.assertExit(r, 1)

    def test_wide_fan_out(self):
        r, doc = spf("wide.test")
        s = doc["spf"]
        self.assertEqual(s["lookups"], 1000)
        self.assertTrue(s["lower_bound"])
        statuses = [c["status"] for c in s["tree"]["children"]]
        self.assertEqual(len(statuses), 1000)
        self.assertEqual(statuses.count("ok"), 128)
        self.assertIn("spf.lookup-limit", finding_ids(doc))
        self.assertExit(r, 1)
        r = check("wide.test")
        self.assertIn("at least 1000 DNS lookups", r.text)

    def test_deep_chain(self):
        r, doc = spf("d0.deep.test")
        self.assertTrue(doc["spf"]["lower_bound"])
        self.assertEqual(doc["spf"]["lookups"], 21)
        limit = findings(doc, "spf.lookup-limit")[0]
        self.assertIn("at least 21", limit["message"])
        self.assertExit(r, 1)

    def test_hostile_trees_in_one_batch(self):
        r = check("--format", "jsonl", "wide.test", "d0.deep.test", "a.loop.test", "mix.test")
        docs = r.jsonl()
        self.assertEqual([d["domain"] for d in docs],
                         ["wide.test", "d0.deep.test", "a.loop.test", "mix.test"])
        self.assertEqual(docs[3]["spf"]["lookups"], 9)


if __name__ == "__main__":
    unittest.main()
