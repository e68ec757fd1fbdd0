"""The defects found when dmarc-doctor was tried as a new user would (issue
15), each kept as a test: a parser cap that turned into a false verdict, a
duplicated DMARC tag called an invalid value, citations that did not fit.

NSD on loopback serves zones written here into a temporary folder (and the
empty parent zone "test", so that the DMARC tree walk gets real answers).
"""

import os
import shutil
import tempfile
import unittest

from harness import DnsTestCase, Nsd, finding_ids, findings, run

nsd = None
tmp = None


def quoted(record):
    """A TXT value as zone-file strings of at most 255 octets."""
    return " ".join(f'"{record[i:i + 255]}"' for i in range(0, len(record), 255))


# 2 000 ip4: terms ending in -all: about 29 KB, only over TCP
BIG_SPF = "v=spf1 " + " ".join(f"ip4:10.{i // 250}.{i % 250}.1" for i in range(2000)) + " -all"
MANY_TAGS = "v=DMARC1; p=reject; " + "; ".join(f"x{i}=y" for i in range(70)) + \
    "; rua=mailto:d@defects.test"

ZONE = f"""$ORIGIN defects.test.
$TTL 300
@ SOA ns.defects.test. h.defects.test. 1 3600 600 86400 300
@ NS ns.defects.test.
@ MX 10 mx.defects.test.
@ TXT "v=spf1 -all"
_dmarc TXT "v=DMARC1; p=reject"
ns A 127.0.0.1
mx A 127.0.0.1
*._report._dmarc TXT "v=DMARC1"
spfcap MX 10 mx.defects.test.
spfcap TXT ( {quoted(BIG_SPF)} )
_dmarc.spfcap TXT "v=DMARC1; p=reject; rua=mailto:d@defects.test"
noall MX 10 mx.defects.test.
noall TXT ( {quoted(BIG_SPF[:-len(" -all")])} )
_dmarc.noall TXT "v=DMARC1; p=reject; rua=mailto:d@defects.test"
dup MX 10 mx.defects.test.
dup TXT "v=spf1 -all"
_dmarc.dup TXT "v=DMARC1; p=none; p=reject; rua=mailto:d@defects.test"
manytags TXT "v=spf1 -all"
_dmarc.manytags TXT ( {quoted(MANY_TAGS)} )
gmail MX 10 mx.defects.test.
gmail TXT "v=spf1 ip4:192.0.2.1 -all"
_dmarc.gmail TXT "v=DMARC1; p=none; rua=mailto:d@defects.test"
"""

PARENT = """$ORIGIN test.
$TTL 300
@ SOA ns.test. h.test. 1 3600 600 86400 300
@ NS ns.test.
ns A 127.0.0.1
"""


def setUpModule():
    global nsd, tmp
    tmp = tempfile.mkdtemp(prefix="dd-defects-")
    for name, text in (("defects.test", ZONE), ("test", PARENT)):
        with open(os.path.join(tmp, name + ".zone"), "w") as f:
            f.write(text)
    nsd = Nsd({n: os.path.join(tmp, n + ".zone") for n in ("defects.test", "test")}).start()


def tearDownModule():
    nsd.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def live(*args):
    return run("--resolver", nsd.address, "--timeout", "1000", *args)


class SpfPastTheCap(DnsTestCase):
    def test_a_long_record_ending_in_all_gets_no_no_all(self):
        r = live("--format", "json", "spfcap.defects.test")
        doc = r.json()
        self.assertEqual(doc["spf"]["state"], "found")
        self.assertEqual(len(doc["spf"]["record"]), len(BIG_SPF))  # all of it, over TCP
        ids = finding_ids(doc)
        self.assertNotIn("spf.no-all", ids)  # the -all is there, past the cap
        cap = findings(doc, "spf.parse-cap")
        self.assertEqual(len(cap), 1, ids)
        self.assertIn("more than 1024 terms", cap[0]["message"])
        self.assertEqual(cap[0]["severity"], "warning")
        self.assertFalse(doc["undetermined"], doc)
        self.assertExit(r, 0)  # only warnings
        self.assertExit(live("--fail-on", "warning", "spfcap.defects.test"), 1)

    def test_no_all_in_the_part_read_is_no_verdict_either(self):
        # the record without its -all looks the same up to the cap: the tool
        # cannot tell them apart, so it says what it did not read in both
        doc = live("--format", "json", "noall.defects.test").json()
        self.assertNotIn("spf.no-all", finding_ids(doc))
        self.assertIn("spf.parse-cap", finding_ids(doc))

    def test_check_host_past_the_cap_is_a_temperror(self):
        doc = live("--format", "json", "--ip", "192.0.2.1", "spfcap.defects.test").json()
        self.assertEqual(doc["spf"]["check_host"]["result"], "temperror", doc["spf"])


class DmarcDuplicateTag(DnsTestCase):
    def test_a_duplicate_is_called_a_duplicate(self):
        doc = live("--format", "json", "dup.defects.test").json()
        self.assertEqual(doc["dmarc"]["policy"], "none")
        steps = doc["advice"]["steps"]
        dropped = [s for s in steps if s.startswith("p=reject is left out")]
        self.assertEqual(len(dropped), 1, steps)
        self.assertIn("given twice", dropped[0])
        self.assertNotIn("not a valid value", dropped[0])
        self.assertIn("appears more than once", findings(doc, "dmarc.syntax")[0]["message"])

    def test_no_rua_is_not_claimed_past_the_tag_cap(self):
        doc = live("--format", "json", "manytags.defects.test").json()
        ids = finding_ids(doc)
        self.assertNotIn("dmarc.no-rua", ids)  # its rua is the 73rd tag, not read
        self.assertTrue(any("more tags than dmarc-doctor reads (64)" in f["message"]
                            for f in findings(doc, "dmarc.syntax")), ids)


class Citations(DnsTestCase):
    def test_provider_findings_cite_the_providers_document(self):
        doc = live("--format", "json", "gmail.defects.test").json()
        google = findings(doc, "provider.gmail-yahoo")
        outlook = findings(doc, "provider.outlook")
        docomo = findings(doc, "provider.docomo")
        self.assertTrue(google and outlook and docomo, finding_ids(doc))
        self.assertEqual(google[0]["rfc_url"], "https://support.google.com/a/answer/81126")
        self.assertTrue(google[0]["rfc"].startswith("Google"))
        self.assertIn("outlook.com", outlook[0]["rfc_url"])
        self.assertIn("docomo.ne.jp", docomo[0]["rfc_url"])
        for f in google + outlook + docomo:
            self.assertNotIn("RFC 9989", f["rfc"])

    def offline(self, zone):
        path = os.path.join(tmp, "proposed.zone")
        with open(path, "w") as f:
            f.write(zone)
        r = run("--zone", path + "=proposed.test", "--offline", "--format", "json")
        return r, findings(r.json(), "dns.offline")

    def test_offline_without_spf_names_cites_the_dmarc_walk(self):
        r, off = self.offline("""$TTL 300
@ SOA ns h 1 3600 600 86400 300
@ MX 10 mx
@ TXT "v=spf1 ip4:192.0.2.1 -all"
mx A 192.0.2.1
""")
        self.assertEqual(len(off), 1, r)
        # the zone says _dmarc.proposed.test does not exist; the walk's next name is outside
        self.assertEqual(off[0]["rfc"], "RFC 9989 §4.10")
        self.assertIn("_dmarc.test", off[0]["message"])
        self.assertNotIn("lookup counts", off[0]["message"])

    def test_offline_with_spf_names_cites_the_lookup_limit(self):
        r, off = self.offline("""$TTL 300
@ SOA ns h 1 3600 600 86400 300
@ TXT "v=spf1 include:_spf.elsewhere.example -all"
_dmarc TXT "v=DMARC1; p=reject"
""")
        self.assertEqual(off[0]["rfc"], "RFC 7208 §4.6.4", off)
        self.assertIn("lookup counts are lower bounds", off[0]["message"])


if __name__ == "__main__":
    unittest.main()
