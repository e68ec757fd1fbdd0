"""End to end: the DKIM check against a real NSD on loopback.

Zones: testdata/zones/dkim/. sender.test has keys of 512, 1024, 2048 and
4096 bits, ed25519 and a bare RSAPublicKey, and Microsoft 365-style
selectors delegated by CNAME into another served zone (onmicrosoft.com);
wild.test a revoked wildcard *._domainkey beside a real key; parked.test
and parkedwild.test send no mail; nokeys.test sends mail with no key;
broken.test carries the copy-paste damage
of real zones. The parent zone (test) is served empty.
"""

import os
import re
import tempfile
import unittest

from harness import (DnsTestCase, Nsd, Testns, finding_ids, findings, run, write_testns,
                     zones_in)

nsd = None


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("dkim")).start()


def tearDownModule():
    nsd.stop()


def check(*args, **kw):
    return run("--resolver", nsd.address, "--timeout", "500", *args, **kw)


def batch(*args, domain):
    """The result of `domain` checked as part of a batch (-f): the RFC 8020
    economy applies there; a single domain asks every selector at once."""
    r = check("--format", "jsonl", *args, "-f", "-", stdin=domain.encode())
    return r.jsonl()[0]


def selectors(doc):
    return {s["selector"]: s for s in doc["dkim"]["selectors"]}


class Discovery(DnsTestCase):
    def test_every_probe_is_asked_once(self):
        """_domainkey, the early selectors and --selector first; the table one round trip later."""
        doc = batch("-v", "--selector", "custom", domain="sender.test")
        probes = [q for q in doc["queries"] if "._domainkey." in q["name"]]
        early = {f"{s}._domainkey.sender.test" for s in ("google", "selector1", "default", "custom")}
        self.assertEqual({q["name"] for q in probes if q["depth"] == 0}, early)
        self.assertEqual({q["depth"] for q in probes if q["name"] not in early}, {1})
        parent = [q for q in doc["queries"] if q["name"] == "_domainkey.sender.test"]
        self.assertEqual([(q["depth"], q["status"]) for q in parent], [(0, "nodata")])
        self.assertEqual(doc["dkim"]["domainkey"], "exists")
        # the table, --selector custom, and the wildcard probe; each asked once
        self.assertEqual(len(probes), doc["dkim"]["probed"] + 1)
        self.assertEqual(len({q["name"] for q in probes}), len(probes))
        self.assertGreaterEqual(doc["dkim"]["probed"], 50)
        names = {q["name"] for q in probes}
        for sel in ("google", "selector1", "selector2", "k1", "s1", "mte1", "fm1", "protonmail",
                    "hs1", "sf1", "s1024", "zoho", "default", "custom"):
            self.assertIn(f"{sel}._domainkey.sender.test", names)

    def test_single_domain_asks_every_probe_at_once(self):
        """One domain's wall time is its critical path: the table is not held back."""
        doc = check("--format", "json", "-v", "--selector", "custom", "sender.test").json()
        probes = [q for q in doc["queries"] if "_domainkey." in q["name"]]
        self.assertEqual({q["depth"] for q in probes}, {0}, probes)
        self.assertEqual(len(probes), doc["dkim"]["probed"] + 2)  # + _domainkey, wildcard probe
        self.assertEqual(doc["dkim"]["domainkey"], "exists")

    def test_cname_delegated_selectors_resolve(self):
        doc = batch("-v", domain="sender.test")
        sels = selectors(doc)
        for n in ("1", "2"):
            s = sels["selector" + n]
            self.assertEqual(s["found_at"], f"selector{n}-sender-test._domainkey.contoso.onmicrosoft.com")
            self.assertTrue(s["cname"])
            self.assertEqual(s["provider"], "Microsoft 365")
            self.assertEqual(s["provider_basis"], "cname")
            self.assertEqual((s["key_type"], s["key_bits"]), ("rsa", 2048))
            q = [q for q in doc["queries"] if q["name"] == f"selector{n}._domainkey.sender.test"][0]
            self.assertEqual(q["depth"], 0 if n == "1" else 1)  # selector1 is asked early
            self.assertEqual(q["cnames"], [s["found_at"]])

    def test_key_sizes_and_types(self):
        r = check("--format", "json", "--selector", "custom", "sender.test")
        self.assertExit(r, 1)  # the 512-bit key is an error
        doc = r.json()
        sels = selectors(doc)
        want = {
            "google": ("rsa", 2048, "spki"),
            "k1": ("rsa", 1024, "spki"),
            "s1": ("rsa", 4096, "spki"),
            "mte1": ("ed25519", 256, "raw"),
            "mandrill": ("rsa", 2048, "pkcs1"),
            "dkim": ("rsa", 512, "spki"),
            "custom": ("rsa", 2048, "spki"),
        }
        for sel, (kt, bits, enc) in want.items():
            self.assertEqual((sels[sel]["key_type"], sels[sel]["key_bits"], sels[sel]["key_encoding"]),
                             (kt, bits, enc), sel)
            self.assertFalse(sels[sel]["revoked"])
        self.assertEqual(sels["google"]["provider"], "Google Workspace")
        self.assertEqual(sels["s1"]["provider_basis"], "selector-shared")
        self.assertIsNone(sels["dkim"]["provider"])
        self.assertEqual(sels["dkim"]["provider_basis"], "generic")
        self.assertIsNone(sels["custom"]["provider"])
        self.assertTrue(sels["custom"]["testing"])
        self.assertEqual(sels["custom"]["flags"], ["y"])
        self.assertIsNone(sels["google"]["hash_algorithms"])
        self.assertEqual([f["evidence"]["chain"][0] for f in findings(doc, "dkim.weak-key")],
                         ["dkim._domainkey.sender.test"])
        self.assertEqual(findings(doc, "dkim.weak-key")[0]["severity"], "error")
        short = findings(doc, "dkim.short-key")
        self.assertEqual(len(short), 1)
        self.assertEqual(short[0]["severity"], "warning")
        self.assertIn("1024", short[0]["message"])
        self.assertEqual(len(findings(doc, "dkim.pkcs1-key")), 1)
        self.assertEqual(len(findings(doc, "dkim.testing")), 1)
        self.assertNotIn("dkim.none-found", finding_ids(doc))
        self.assertEqual(doc["dkim"]["state"], "found")
        self.assertEqual(doc["dkim"]["usable"], len(sels) - 1)  # all but the 512-bit key

    def test_token_selectors_are_named(self):
        doc = check("--format", "json", "sender.test").json()
        self.assertIn("Amazon SES", doc["dkim"]["unguessable"])
        self.assertIn("does not prove the domain signs nothing", doc["dkim"]["note"])
        hint = findings(doc, "dkim.token-selectors")
        self.assertEqual(len(hint), 1)
        self.assertIn("Amazon SES", hint[0]["message"])

    def test_text_one_line_per_key(self):
        r = check("sender.test")
        lines = r.text.splitlines()
        self.assertTrue(any("google (Google Workspace): RSA 2048" in l for l in lines), r.text)
        self.assertTrue(any("selector1 (Microsoft 365): RSA 2048  -> selector1-sender-test._domainkey"
                            ".contoso.onmicrosoft.com" in l for l in lines), r.text)
        self.assertTrue(any("mte1 (Mailchimp Transactional (Mandrill)): ed25519" in l for l in lines))
        self.assertTrue(any("s1 (probably SendGrid): RSA 4096" in l for l in lines), r.text)
        self.assertTrue(any("dkim (generic name): RSA 512" in l for l in lines), r.text)
        self.assertIn("does not prove the domain signs nothing", r.text)
        self.assertIn("Amazon SES", r.text)

    def test_keys_cut_short_in_findings_of_the_text_report(self):
        doc = check("--format", "json", "sender.test").json()
        whole = findings(doc, "dkim.short-key")[0]["evidence"]["record"]
        key = re.search(r"p=([A-Za-z0-9+/=]+)", whole).group(1)
        self.assertGreater(len(key), 200)
        lines = check("sender.test").text.splitlines()
        i = next(i for i, l in enumerate(lines) if "dkim.short-key:" in l)
        self.assertEqual(lines[i + 1].strip(),
                         '"' + whole.replace(key, key[:16] + "..." + key[-8:]) + '"  '
                         "(the key cut short; -v shows it whole)")
        lines = check("-v", "sender.test").text.splitlines()
        i = next(i for i, l in enumerate(lines) if "dkim.short-key:" in l)
        self.assertEqual(lines[i + 1].strip(), '"' + whole + '"')
        # where the finding is about the record's own text, it stays whole
        quotes = check("broken.test").text.splitlines()
        i = next(i for i, l in enumerate(quotes) if "dkim.stray-quotes:" in l)
        self.assertNotIn("...", quotes[i + 1])


class Wildcards(DnsTestCase):
    def test_revoked_wildcard_reported_once(self):
        r = check("--format", "json", "wild.test")
        self.assertExit(r, 0)
        doc = r.json()
        sels = selectors(doc)
        self.assertEqual(set(sels), {"*", "google"})
        self.assertTrue(sels["*"]["wildcard"])
        self.assertTrue(sels["*"]["revoked"])
        self.assertEqual(sels["*"]["found_at"], "*._domainkey.wild.test")
        self.assertIsNone(sels["*"]["key_type"])
        self.assertEqual(sels["google"]["key_bits"], 2048)
        self.assertTrue(doc["dkim"]["wildcard"])
        self.assertEqual(len(findings(doc, "dkim.revoked")), 1)
        self.assertNotIn("dkim.none-found", finding_ids(doc))


class Parked(DnsTestCase):
    def test_parked_domain_is_not_told_it_lacks_dkim(self):
        r = check("--format", "json", "--fail-on", "warning", "parked.test")
        self.assertExit(r, 0)
        doc = r.json()
        none = findings(doc, "dkim.none-found")
        self.assertEqual(len(none), 1)
        self.assertEqual(none[0]["severity"], "info")
        self.assertIn("none is needed", none[0]["message"])
        self.assertTrue(all(f["severity"] == "info" for f in doc["findings"]), doc["findings"])

    def test_parked_domain_with_a_revoked_wildcard_has_done_it(self):
        """The revoked wildcard is what none-found's fix suggests to a
        domain that sends no mail: nothing left to say about DKIM."""
        r = check("--format", "json", "--fail-on", "warning", "parkedwild.test")
        self.assertExit(r, 0)
        doc = r.json()
        sels = selectors(doc)
        self.assertTrue(sels["*"]["revoked"])
        self.assertEqual([f for f in doc["findings"] if f["id"].startswith("dkim.")], [])

    def test_parked_text_in_japanese(self):
        r = check("parked.test", env={"LANG": "ja_JP.UTF-8"})
        self.assertExit(r, 0)
        self.assertIn("必要ありません", r.text)
        self.assertIn("証明になりません", r.text)

    def test_sending_domain_without_keys_is_warned(self):
        r = check("--format", "json", "--fail-on", "warning", "nokeys.test")
        self.assertExit(r, 1)
        doc = r.json()
        none = findings(doc, "dkim.none-found")
        self.assertEqual(len(none), 1)
        self.assertEqual(none[0]["severity"], "warning")
        self.assertIn("does not prove the domain signs nothing", none[0]["message"])
        self.assertEqual(doc["dkim"]["state"], "missing")
        self.assertEqual(doc["dkim"]["selectors"], [])


class Damage(DnsTestCase):
    def test_copy_paste_damage(self):
        r = check("--format", "json", "--selector", "fmk7xlvhjfqqruhiytlb6434lcykrduv", "broken.test")
        self.assertExit(r, 1)
        doc = r.json()
        quotes = {f["evidence"]["chain"][0]: f for f in findings(doc, "dkim.stray-quotes")}
        self.assertEqual(set(quotes), {"google._domainkey.broken.test", "s1._domainkey.broken.test"})
        self.assertIn("RSA, 2048 bits", quotes["google._domainkey.broken.test"]["message"])
        self.assertIn("column 13", quotes["s1._domainkey.broken.test"]["message"])
        self.assertIn("RSA, 4096 bits", quotes["s1._domainkey.broken.test"]["message"])
        hosts = sorted(f["evidence"]["record"] for f in findings(doc, "dkim.txt-hostname"))
        self.assertEqual(hosts, ["fmk7xlvhjfqqruhiytlb6434lcykrduv.dkim.amazonses.com",
                                 "selector1-broken-test._domainkey.contoso.onmicrosoft.com"])
        self.assertEqual(len(findings(doc, "dkim.version-not-first")), 1)
        sels = selectors(doc)
        self.assertTrue(sels["google"]["malformed"])
        self.assertIsNone(sels["google"]["key_type"])
        self.assertEqual(sels["k2"]["key_bits"], 1024)
        self.assertNotIn("selector1", sels)
        self.assertNotIn("dkim.malformed", finding_ids(doc))


ED25519 = "v=DKIM1; k=ed25519; p=V63VpKBCVBCDscTgpGU5dUPvDYCi6o/JPSRIyd9TsEg="


def write_answers(path, entries):
    """ldns-testns data: (name, type, rcode, TXT data or None) each."""
    with open(path, "w") as f:
        for name, qtype, rcode, txt in entries:
            f.write(f"ENTRY_BEGIN\nMATCH opcode qtype qname\nADJUST copy_id\n"
                    f"REPLY QR AA {rcode}\nSECTION QUESTION\n{name}. IN {qtype}\n")
            if txt:
                f.write(f'SECTION ANSWER\n{name}. 300 IN {qtype} "{txt}"\n')
            f.write("ENTRY_END\n\n")


class Rfc8020(DnsTestCase):
    """NXDOMAIN at _domainkey.<domain> proves no selector exists below it (RFC 8020)."""

    def probes(self, doc):
        return [q for q in doc["queries"] if "._domainkey." in q["name"]]

    def test_nxdomain_skips_the_table(self):
        full = check("--format", "json", "sender.test").json()["dkim"]["probed"]
        doc = batch("-v", domain="nokeys.test")
        self.assertEqual(doc["dkim"]["domainkey"], "nxdomain")
        self.assertEqual(sorted(q["name"] for q in self.probes(doc)),
                         [f"{s}._domainkey.nokeys.test" for s in ("default", "google", "selector1")])
        self.assertEqual(doc["dkim"]["probed"], full)  # proven absent, all of them
        self.assertEqual(doc["dkim"]["state"], "missing")
        self.assertIn("dkim.none-found", finding_ids(doc))

    def test_empty_non_terminal_and_wildcard_probe_everything(self):
        for domain in ("sender.test", "wild.test", "parkedwild.test"):
            doc = batch("-v", domain=domain)
            self.assertEqual(doc["dkim"]["domainkey"], "exists", domain)
            self.assertEqual(len(self.probes(doc)), doc["dkim"]["probed"] + 1, domain)
        self.assertTrue(doc["dkim"]["wildcard"])

    def test_broken_server_is_detected(self):
        """NXDOMAIN for the empty non-terminal, keys below it: every selector is asked."""
        asked = check("--format", "json", "-v", "sender.test").json()["queries"]
        keys = {"google._domainkey.rfc8020.test": ED25519, "k1._domainkey.rfc8020.test": ED25519}
        entries = []
        for q in asked:
            name = q["name"].replace("sender.test", "rfc8020.test")
            if "rfc8020.test" not in name:
                continue
            entries.append((name, q["type"], "NOERROR" if name in keys else "NXDOMAIN",
                            keys.get(name)))
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "rfc8020.testns")
            write_answers(data, entries)
            ns = Testns(data).start()
            try:
                r = run("--resolver", ns.address, "--format", "jsonl", "-v", "--retries", "0",
                        "--timeout", "500", "-f", "-", stdin=b"rfc8020.test\n")
            finally:
                ns.stop()
        doc = r.jsonl()[0]
        dk = [q for q in doc["queries"] if q["name"] == "_domainkey.rfc8020.test"]
        self.assertEqual(dk[0]["status"], "nxdomain")
        self.assertEqual(doc["dkim"]["domainkey"], "broken")
        self.assertEqual(set(selectors(doc)), {"google", "k1"})  # k1 is not asked early
        self.assertEqual(doc["dkim"]["failed"], 0)


class FailedProbes(DnsTestCase):
    def test_failed_probe_is_never_no_key(self):
        """One selector SERVFAIL, every other name NXDOMAIN: DKIM is undetermined."""
        asked = check("--format", "json", "-v", "parked.test").json()["queries"]
        entries = []
        for q in asked:
            rcode = "SERVFAIL" if q["name"] == "google._domainkey.parked.test" else "NXDOMAIN"
            entries.append((q["name"], q["type"], rcode))
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "dkim.testns")
            write_testns(data, entries)
            ns = Testns(data).start()
            try:
                r = run("--resolver", ns.address, "--format", "json", "--retries", "0",
                        "--timeout", "500", "parked.test")
            finally:
                ns.stop()
        doc = r.json()
        self.assertNotIn("dkim.none-found", finding_ids(doc), doc)
        self.assertEqual(doc["dkim"]["state"], "undetermined")
        self.assertEqual(doc["dkim"]["failed"], 1)
        self.assertTrue(doc["undetermined"])
        self.assertIn("dns.temporary-failure", finding_ids(doc))


if __name__ == "__main__":
    unittest.main()
