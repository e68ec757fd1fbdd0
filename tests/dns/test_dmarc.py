"""End to end: the DMARC checker and the advisor against a real NSD on loopback.

Zones: testdata/zones/dmarc/ (the parent zone "test" is served empty so that
the RFC 9989 tree walk gets NXDOMAIN, as on the Internet, instead of REFUSED;
the zone "example" is a public suffix that publishes DMARC without psd=y).
The Public Suffix List is Debian's, read by libpsl as in production.
"""

import unittest

from harness import DnsTestCase, Nsd, finding_ids, findings, run, zones_in

nsd = None


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("dmarc")).start()


def tearDownModule():
    nsd.stop()


def check(*args, **kw):
    return run("--resolver", nsd.address, "--timeout", "500", *args, **kw)


def doc_of(domain, *args):
    r = check("--format", "json", *args, domain)
    return r, r.json()


def parse_tags(record):
    """A DMARC record as {tag: value}, enough to compare advised records."""
    tags = {}
    for part in record.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            tags[k.strip().lower()] = v.strip()
    return tags


class TreeWalk(DnsTestCase):
    def test_organizational_domain_record(self):
        r, doc = doc_of("tree.test")
        d = doc["dmarc"]
        self.assertEqual(d["found_at"], "_dmarc.tree.test")
        self.assertFalse(d["inherited"])
        self.assertEqual(d["policy"], "reject")
        self.assertEqual(d["org_domain"], "tree.test")
        self.assertEqual(d["psl_org_domain"], "tree.test")
        self.assertNotIn("dmarc.org-domain-differs", finding_ids(doc))

    def test_existing_subdomain_gets_sp(self):
        _, doc = doc_of("sub.tree.test")
        self.assertTrue(doc["dmarc"]["inherited"])
        self.assertEqual(doc["dmarc"]["policy"], "quarantine")
        # advised where the record lives, changing sp
        a = doc["advice"]
        self.assertEqual(a["record_name"], "_dmarc.tree.test")
        self.assertEqual(parse_tags(a["record"])["sp"], "reject")
        self.assertEqual(parse_tags(a["record"])["p"], "reject")

    def test_nonexistent_subdomain_gets_np(self):
        _, doc = doc_of("ghost.tree.test")
        self.assertEqual(doc["dmarc"]["policy"], "none")  # np=none
        # RFC 7489 receivers know no np: they apply sp
        self.assertEqual(doc["dmarc"]["rfc7489"]["policy"], "quarantine")
        self.assertIn("dmarc.rfc7489-differs", finding_ids(doc))
        a = doc["advice"]
        self.assertEqual(a["current"], "none")
        self.assertEqual(a["next"], "reject")  # a name that does not exist sends nothing
        self.assertEqual(parse_tags(a["record"])["np"], "reject")

    def test_deep_name_asks_eight_names(self):
        r = check("--format", "json", "-v", "a.b.c.d.e.f.g.h.i.j.tree.test")
        doc = r.json()
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.tree.test")
        asked = [q["name"] for q in doc["queries"] if q["name"].startswith("_dmarc.")]
        self.assertEqual(sorted(asked), sorted([
            "_dmarc.a.b.c.d.e.f.g.h.i.j.tree.test", "_dmarc.f.g.h.i.j.tree.test",
            "_dmarc.g.h.i.j.tree.test", "_dmarc.h.i.j.tree.test", "_dmarc.i.j.tree.test",
            "_dmarc.j.tree.test", "_dmarc.tree.test", "_dmarc.test"]))

    def test_subdomain_with_its_own_record(self):
        _, doc = doc_of("own.tree.test")
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.own.tree.test")
        self.assertEqual(doc["dmarc"]["policy"], "none")
        self.assertEqual(doc["dmarc"]["org_domain"], "tree.test")  # fewest labels
        self.assertNotIn("np", parse_tags(doc["advice"]["record"]))  # np counts only at tree.test

    def test_public_suffix_without_psd(self):
        _, doc = doc_of("shop.example")
        d = doc["dmarc"]
        self.assertEqual(d["org_domain"], "example")
        self.assertEqual(d["psl_org_domain"], "shop.example")
        self.assertEqual(d["policy"], "reject")
        self.assertIsNone(d["rfc7489"]["policy"])
        ids = finding_ids(doc)
        self.assertIn("dmarc.org-domain-differs", ids)
        self.assertIn("dmarc.rfc7489-differs", ids)
        self.assertTrue(any("RFC 7489" in s for s in doc["advice"]["steps"]))


class ReportDestinations(DnsTestCase):
    def dest(self, doc, domain):
        return [d for d in doc["dmarc"]["destinations"] if d["domain"] == domain][0]

    def test_external_authorized(self):
        r, doc = doc_of("authorized.test")
        d = self.dest(doc, "vendor.test")
        self.assertTrue(d["external"])
        self.assertEqual(d["authorization"], "authorized")
        self.assertEqual(d["authorization_name"], "authorized.test._report._dmarc.vendor.test")
        self.assertEqual(d["receives_mail"], "yes")
        self.assertNotIn("dmarc.rua-unauthorized", finding_ids(doc))

    def test_external_unauthorized(self):
        r, doc = doc_of("unauthorized.test")
        ids = finding_ids(doc)
        self.assertIn("dmarc.rua-unauthorized", ids)
        self.assertIn("dmarc.ruf-unauthorized", ids)
        self.assertEqual(self.dest(doc, "vendor.test")["authorization"], "unauthorized")
        self.assertIn("dmarc.rua-unauthorized", doc["advice"]["blockers"])
        self.assertExit(r, 0)  # a warning: the default gate is error

    def test_wildcard_authorization(self):
        _, doc = doc_of("wildcard.test")
        self.assertEqual(self.dest(doc, "anyone.test")["authorization"], "authorized")
        self.assertNotIn("dmarc.rua-unauthorized", finding_ids(doc))

    def test_destination_that_receives_no_mail(self):
        # the corpus's parked pattern, reports to anyone.test: fine
        _, doc = doc_of("parked.test")
        self.assertEqual(self.dest(doc, "anyone.test")["receives_mail"], "yes")
        self.assertNotIn("dmarc.report-undeliverable", finding_ids(doc))


class ParkedDomains(DnsTestCase):
    def test_parked_done_right(self):
        r, doc = doc_of("parked.test")
        self.assertExit(r, 0)
        a = doc["advice"]
        self.assertEqual(a["current"], "reject")
        self.assertIsNone(a["next"])
        self.assertIsNone(a["record"])
        self.assertNotIn("provider.gmail-yahoo", finding_ids(doc))

    def test_parked_without_dmarc_goes_straight_to_reject(self):
        r, doc = doc_of("idle.test")
        self.assertExit(r, 1)  # dmarc.missing
        a = doc["advice"]
        self.assertEqual(a["current"], "missing")
        self.assertEqual(a["next"], "reject")
        self.assertEqual(a["record"], "v=DMARC1; p=reject")
        self.assertEqual(a["blockers"], [])
        self.assertTrue(any("Japanese regulators" in s for s in a["steps"]))


class Records(DnsTestCase):
    def test_several_records(self):
        r, doc = doc_of("multi.test")
        self.assertExit(r, 1)
        self.assertIn("dmarc.multiple", finding_ids(doc))
        self.assertEqual(doc["dmarc"]["state"], "missing")
        self.assertEqual(doc["advice"]["blockers"], ["dmarc.multiple"])

    def test_several_spf_and_dmarc_records_are_counted_in_text(self):
        r = check("--lang", "en", "several.test")
        lines = {ln.split()[0]: ln for ln in r.text.splitlines() if ln.startswith("  ") and ln.split()}
        self.assertEqual(lines["SPF"].split(None, 1)[1],
                         "2 records: receivers return permerror (spf.multiple)")
        self.assertEqual(lines["DMARC"].split(None, 1)[1],
                         "2 records: receivers discard them all (dmarc.multiple)")
        self.assertEqual(lines["MTA-STS"].split(None, 1)[1], "no record")
        ja = check("--lang", "ja", "several.test").text
        self.assertIn("SPF     レコードが 2 個: 受信側は permerror を返します", ja)
        self.assertIn("DMARC   レコードが 2 個: 受信側はすべて破棄します", ja)
        html = check("--format", "html", "--lang", "en", "several.test").text
        self.assertIn("2 records: receivers return permerror", html)
        self.assertIn("2 records: receivers discard them all", html)
        # one record of each: the record itself, not a count
        one = check("--lang", "en", "multi.test").text
        self.assertIn("SPF     v=spf1 mx -all", one)

    def test_cname(self):
        r, doc = doc_of("alias.test")
        d = doc["dmarc"]
        self.assertEqual(d["found_at"], "_dmarc.alias.test")
        self.assertEqual(d["via_cname"], "_dmarc.policy.vendor.test")
        self.assertEqual(d["policy"], "quarantine")
        self.assertIn("dmarc.cname", finding_ids(doc))
        # the report destination is checked for the domain the policy was asked for
        dest = d["destinations"][0]
        self.assertEqual(dest["authorization_name"], "alias.test._report._dmarc.vendor.test")
        self.assertEqual(dest["authorization"], "authorized")

    def test_quoted_record_is_reported_as_what_it_is(self):
        r, doc = doc_of("quoted.test")
        self.assertExit(r, 1)
        ids = finding_ids(doc)
        self.assertIn("dmarc.not-recognized", ids)
        f = findings(doc, "dmarc.not-recognized")[0]
        self.assertIn("double quote", f["message"])
        self.assertTrue(f["evidence"]["record"].startswith('"v=DMARC1'))
        self.assertEqual(f["evidence"]["chain"], ["_dmarc.quoted.test"])

    def test_text_reports_the_quotes(self):
        r = check("quoted.test")
        self.assertIn("dmarc.not-recognized", r.text)
        self.assertIn("double quote", r.text)


class Gate(DnsTestCase):
    def test_p_none_passes_the_default_gate(self):
        self.assertExit(check("monitor.test"), 0)

    def test_p_none_fails_a_warning_gate(self):
        r = check("--fail-on", "warning", "--format", "json", "monitor.test")
        self.assertExit(r, 1)
        self.assertIn("dmarc.policy-none", finding_ids(r.json()))

    def test_advice_alone_never_fails(self):
        # at reject, with nothing wrong: no findings at warning or above
        r = check("--fail-on", "warning", "parked.test")
        self.assertExit(r, 0)


class Text(DnsTestCase):
    def test_verdict_first(self):
        r = check("monitor.test")
        lines = r.text.splitlines()
        self.assertIn("monitor.test", lines[0])
        self.assertIn("p=none", lines[0])
        self.assertIn("next step", lines[1])
        self.assertIn("p=quarantine", lines[1])
        self.assertTrue(lines[2].strip().startswith("publish"), lines[2])
        self.assertIn('_dmarc.monitor.test TXT "v=DMARC1; p=quarantine; np=reject; '
                      'rua=mailto:dmarc@monitor.test"', lines[2])
        self.assertTrue(lines[3].strip().startswith("1. "))
        # pct=100 was left out, and the step says why
        self.assertIn("pct=100 is left out", r.text)

    def test_blockers_on_the_next_step_line(self):
        lines = check("unauthorized.test").text.splitlines()
        # the zone publishes no DKIM key for this sending domain either
        self.assertIn("(fix first: dkim.none-found, dmarc.rua-unauthorized)", lines[1])

    def test_inherited_says_where_from(self):
        lines = check("sub.tree.test").text.splitlines()
        self.assertIn("policy from _dmarc.tree.test", lines[0])
        self.assertIn("_dmarc.tree.test TXT", lines[2])

    def test_test_mode(self):
        r = check("trial.test")
        lines = r.text.splitlines()
        self.assertIn("p=reject in test mode (t=y): RFC 9989 receivers apply quarantine", lines[0])
        self.assertIn("next step  p=reject", lines[1])
        self.assertIn('"v=DMARC1; p=reject; rua=mailto:dmarc@trial.test"', lines[2])
        doc = check("--format", "json", "trial.test").json()
        self.assertTrue(doc["dmarc"]["testing"])
        self.assertEqual(doc["advice"]["current"], "quarantine")
        self.assertIn("dmarc.testing", finding_ids(doc))

    def test_japanese(self):
        r = check("idle.test", env={"LANG": "ja_JP.UTF-8"})
        self.assertIn("次の段階", r.text)
        self.assertIn("国内の当局", r.text)
        self.assertIn('_dmarc.idle.test TXT "v=DMARC1; p=reject"', r.text)
        # the labels are padded by columns, so the values start where the
        # English ones do ("  next step  p=..."): 次の段階 is eight columns
        lines = r.text.splitlines()
        self.assertEqual(lines[1], "  次の段階   p=reject")
        self.assertTrue(lines[2].startswith("  公開       _dmarc.idle.test TXT "), lines[2])


if __name__ == "__main__":
    unittest.main()
