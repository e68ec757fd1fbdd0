"""End to end: the whole pipeline against a real NSD on loopback.

Zones: testdata/zones/pipeline/. Parent zones (jp, co.jp, test) are served
empty so that the RFC 9989 tree walk gets NXDOMAIN from them, as it would on
the Internet, instead of REFUSED.
"""

import os
import tempfile
import unittest

from harness import (Blackhole, DnsTestCase, Nsd, Testns, TESTDATA, finding_ids, run,
                     write_testns, zones_in)

nsd = None


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("pipeline"), ipv6=True).start()


def tearDownModule():
    nsd.stop()


def check(*args, **kw):
    return run("--resolver", nsd.address, "--timeout", "500", *args, **kw)


CONTRACT_KEYS = {"domain", "status", "spf", "dmarc", "dkim", "findings", "advice"}


class Healthy(DnsTestCase):
    def test_json_contract(self):
        r = check("--format", "json", "healthy.test")
        self.assertExit(r, 0)
        doc = r.json()
        self.assertTrue(CONTRACT_KEYS <= set(doc), doc.keys())
        self.assertEqual(doc["domain"], "healthy.test")
        self.assertEqual(doc["status"], "ok")
        self.assertEqual(doc["spf"]["record"], "v=spf1 ip4:192.0.2.0/24 -all")
        self.assertIn("lookups", doc["spf"])
        self.assertIn("void_lookups", doc["spf"])
        self.assertEqual(doc["dmarc"]["policy"], "reject")
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.healthy.test")
        self.assertEqual(doc["dmarc"]["record"], "v=DMARC1; p=reject; rua=mailto:dmarc@healthy.test")
        sels = [s["selector"] for s in doc["dkim"]["selectors"]]
        self.assertIn("google", sels)
        self.assertEqual(doc["advice"]["current"], "reject")
        self.assertIsNone(doc["advice"]["next"])

    def test_dkim_record_strings_joined(self):
        doc = check("--format", "json", "healthy.test").json()
        google = [s for s in doc["dkim"]["selectors"] if s["selector"] == "google"][0]
        self.assertEqual(google["provider"], "Google Workspace")
        self.assertNotIn('"', google["record"])
        self.assertTrue(google["record"].startswith("v=DKIM1; k=rsa; p=MIIBIjAN"))
        self.assertTrue(google["record"].endswith("IDAQAB"), google["record"])

    def test_text_leads_with_verdict(self):
        r = check("example.co.jp")
        self.assertExit(r, 0)
        lines = r.text.splitlines()
        self.assertIn("example.co.jp", lines[0])
        self.assertIn("p=none", lines[0])
        self.assertIn("next step", lines[1])
        self.assertIn("p=quarantine", lines[1])
        self.assertIn('_dmarc.example.co.jp TXT "v=DMARC1; p=quarantine; np=reject; '
                      'rua=mailto:dmarc@example.co.jp"', lines[2])

    def test_no_colour_when_not_a_tty(self):
        r = check("example.co.jp")
        self.assertNotIn(b"\x1b", r.stdout)


class Missing(DnsTestCase):
    def test_nodata_domain_lacks_spf_and_dmarc(self):
        r = check("--format", "json", "bare.test")
        self.assertExit(r, 1)
        doc = r.json()
        ids = finding_ids(doc)
        self.assertIn("spf.missing", ids)
        self.assertIn("dmarc.missing", ids)
        self.assertIsNone(doc["spf"]["record"])
        self.assertIsNone(doc["dmarc"]["record"])
        self.assertEqual(doc["spf"]["state"], "missing")
        self.assertEqual(doc["advice"]["current"], "missing")
        self.assertEqual(doc["advice"]["next"], "none")
        self.assertTrue(doc["advice"]["record"].startswith("v=DMARC1; p=none; "))
        self.assertIn("rua=mailto:dmarc-reports@bare.test", doc["advice"]["record"])

    def test_nxdomain_domain_is_missing_not_failed(self):
        r = check("--format", "json", "nonexistent.test")
        self.assertExit(r, 1)
        doc = r.json()
        self.assertEqual(doc["status"], "ok")
        self.assertFalse(doc["undetermined"])
        self.assertIn("spf.missing", finding_ids(doc))
        self.assertNotIn("dns.temporary-failure", finding_ids(doc))

    def test_fail_on_never(self):
        self.assertExit(check("--fail-on", "never", "bare.test"), 0)



class Failures(DnsTestCase):
    def assertUndetermined(self, r):
        self.assertExit(r, 3)
        doc = r.json()
        self.assertNoMissingClaims(doc)
        self.assertIn("dns.temporary-failure", finding_ids(doc))
        self.assertTrue(doc["undetermined"])
        self.assertEqual(doc["spf"]["state"], "undetermined")
        self.assertEqual(doc["dmarc"]["state"], "undetermined")
        return doc

    def test_refused(self):
        # NSD answers REFUSED for names outside its zones
        doc = self.assertUndetermined(check("--format", "json", "outside.example"))
        self.assertEqual(doc["status"], "error")
        self.assertEqual(doc["error"], "every DNS lookup failed (refused)")
        # the text output says it in the reader's language; JSON stays English
        ja = check("--lang", "ja", "outside.example").text
        self.assertIn("outside.example  確認できませんでした: すべての DNS 問い合わせに失敗しました "
                      "(refused)", ja)

    def test_servfail(self):
        # every question the check asks, answered SERVFAIL by ldns-testns
        asked = check("--format", "json", "-v", "healthy.test").json()["queries"]
        with tempfile.TemporaryDirectory() as tmp:
            data = os.path.join(tmp, "servfail.testns")
            write_testns(data, [(q["name"], q["type"], "SERVFAIL") for q in asked])
            ns = Testns(data).start()
            try:
                r = run("--resolver", ns.address, "--format", "json", "-v", "--retries", "0",
                        "healthy.test")
            finally:
                ns.stop()
        doc = self.assertUndetermined(r)
        self.assertEqual(doc["error"], "every DNS lookup failed (servfail)")
        self.assertEqual({q["status"] for q in doc["queries"]}, {"servfail"})

    def test_no_answer(self):
        hole = Blackhole().start()
        try:
            r = run("--resolver", hole.address, "--format", "json", "--timeout", "200",
                    "--retries", "1", "healthy.test")
        finally:
            hole.stop()
        doc = self.assertUndetermined(r)
        self.assertIn("timeout", doc["error"])  # and it ended: run() would time out

    def test_text_says_undetermined(self):
        r = check("outside.example")
        self.assertExit(r, 3)
        self.assertIn("could not be checked", r.text)
        self.assertNotIn("spf.missing", r.text)


class Records(DnsTestCase):
    def test_split_strings_joined_without_separator(self):
        doc = check("--format", "json", "split.test").json()
        self.assertEqual(doc["spf"]["record"], "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ~all")
        self.assertEqual(doc["dmarc"]["policy"], "quarantine")

    def test_escape_sequences_never_reach_the_terminal(self):
        r = check("escape.test")
        self.assertNotIn(b"\x1b", r.stdout)
        self.assertNotIn(b"\x07", r.stdout)
        self.assertNotIn(b"\x00", r.stdout)
        self.assertIn("\\x1B[31mRED", r.text)
        self.assertIn("\\x0B\\x00tail", r.text)

    def test_escape_sequences_in_json_are_exact(self):
        doc = check("--format", "json", "escape.test").json()
        self.assertEqual(doc["spf"]["record"], "v=spf1 -all \x1b[31mRED\x1b[0m \x1b]0;owned\x07")
        self.assertTrue(doc["dmarc"]["record"].endswith("\x0b\x00tail"))

    def test_large_answer_over_tcp(self):
        doc = check("--format", "json", "big.test").json()
        self.assertEqual(doc["spf"]["record"], "v=spf1 ip4:203.0.113.0/24 -all")

    def test_truncated_udp_retried_over_tcp(self):
        ns = Testns(os.path.join(TESTDATA, "dns", "truncated.testns")).start()
        try:
            r = run("--resolver", ns.address, "--format", "json", "--timeout", "300", "--retries", "0",
                    "tcp.test")
        finally:
            ns.stop()
        self.assertEqual(r.json()["spf"]["record"], "v=spf1 ip4:192.0.2.0/24 -all", r)

    def test_cname_to_another_zone_is_followed(self):
        doc = check("--format", "json", "-v", "cname.test").json()
        self.assertEqual(doc["dmarc"]["policy"], "reject")
        self.assertEqual(doc["dmarc"]["record"], "v=DMARC1; p=reject; rua=mailto:d@other.test")
        q = [q for q in doc["queries"] if q["name"] == "_dmarc.cname.test"][0]
        self.assertEqual(q["cnames"], ["_dmarc.policy.other.test"])

    def test_cname_loop_is_a_failure_not_a_hang(self):
        r = check("--format", "json", "loop.cname.test")
        doc = r.json()
        self.assertNotIn("dmarc.missing", finding_ids(doc))
        self.assertEqual(doc["dmarc"]["state"], "undetermined")
        self.assertExit(r, 3)


class TreeWalk(DnsTestCase):
    def test_existing_subdomain_gets_sp(self):
        doc = check("--format", "json", "sub.walk.test").json()
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.walk.test")
        self.assertTrue(doc["dmarc"]["inherited"])
        self.assertEqual(doc["dmarc"]["policy"], "reject")  # sp=reject
        self.assertEqual(doc["dmarc"]["org_domain"], "walk.test")

    def test_nonexistent_subdomain_gets_np(self):
        doc = check("--format", "json", "ghost.walk.test").json()
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.walk.test")
        self.assertEqual(doc["dmarc"]["policy"], "none")  # np=none

    def test_deep_name_walks_up(self):
        doc = check("--format", "json", "-v", "deep.er.sub.walk.test").json()
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.walk.test")
        asked = {q["name"] for q in doc["queries"] if q["name"].startswith("_dmarc.")}
        self.assertEqual(asked, {"_dmarc.deep.er.sub.walk.test", "_dmarc.er.sub.walk.test",
                                 "_dmarc.sub.walk.test", "_dmarc.walk.test", "_dmarc.test"})


class Names(DnsTestCase):
    def test_unicode_domain_is_looked_up_as_a_label(self):
        r = check("--format", "json", "日本語.jp")
        doc = r.json()
        self.assertEqual(doc["domain"], "xn--wgv71a119e.jp")
        self.assertEqual(doc["input"], "日本語.jp")
        self.assertEqual(doc["dmarc"]["policy"], "quarantine")

    def test_unicode_domain_in_text(self):
        r = check("日本語.jp")
        self.assertIn("日本語.jp (xn--wgv71a119e.jp)", r.text)

    def test_invalid_domain_is_a_usage_error(self):
        for bad in ("exa mple.com", "a..b", "-bad.test", "192.0.2.1", "x" * 64 + ".test"):
            r = run("--", bad)
            self.assertExit(r, 2)
            self.assertIn(bad, r.stderr.decode())

    def test_case_and_trailing_dot(self):
        doc = check("--format", "json", "Healthy.TEST.").json()
        self.assertEqual(doc["domain"], "healthy.test")
        self.assertEqual(doc["dmarc"]["policy"], "reject")


class Batches(DnsTestCase):
    def test_jsonl_in_input_order(self):
        domains = ["walk.test", "bare.test", "healthy.test", "split.test", "outside.example",
                   "example.co.jp"]
        r = check("--format", "jsonl", *domains)
        docs = r.jsonl()
        self.assertEqual([d["domain"] for d in docs], domains)
        self.assertExit(r, 1)  # bare.test fails the gate; a finding outranks a DNS failure

    def test_json_array_for_several(self):
        docs = check("--format", "json", "healthy.test", "bare.test").json()
        self.assertIsInstance(docs, list)
        self.assertEqual(len(docs), 2)

    def test_file_with_a_bad_line_goes_on(self):
        listing = b"# clients\nhealthy.test\n\nnot a domain\nexample.co.jp  # comment\n"
        r = check("--format", "jsonl", "-f", "-", stdin=listing)
        docs = r.jsonl()
        self.assertEqual([d["domain"] for d in docs], ["healthy.test", "not a domain", "example.co.jp"])
        self.assertEqual(docs[1]["status"], "error")
        self.assertIn("(standard input):4", docs[1]["error"])
        self.assertExit(r, 2)

    def test_overlong_line_is_a_bad_line_not_kept_whole(self):
        # a line no domain could fill is cut at 4096 bytes and reported; a long
        # comment after a domain is still only a comment; the batch goes on
        listing = (b"x" * 100000 + b"\nhealthy.test  # " + b"c" * 100000 + b"\nexample.co.jp\n")
        r = check("--format", "jsonl", "-f", "-", stdin=listing)
        docs = r.jsonl()
        self.assertEqual([d["domain"] for d in docs], ["x" * 4096, "healthy.test", "example.co.jp"])
        self.assertEqual(docs[0]["status"], "error")
        self.assertIn("(standard input):1: ", docs[0]["error"])
        self.assertIn("the line is longer than 4096 bytes", docs[0]["error"])
        self.assertEqual(docs[1]["status"], "ok")
        self.assertExit(r, 2)

    def test_bad_lines_in_japanese(self):
        listing = b"x" * 5000 + b"\nnot a domain\n-bad-.test\n12.34\na\x00b.test\nhealthy.test\n"
        text = check("--lang", "ja", "-f", "-", stdin=listing).text
        errors = [ln for ln in text.splitlines() if "確認できませんでした" in ln]
        self.assertEqual(len(errors), 5, text)
        for ln, why in zip(errors, ["行が 4096 バイトを超えています", "ドメイン名ではありません",
                                    "ラベルが '-' で始まるか終わっています", "IP アドレスのようです",
                                    "行に NUL バイトがあります"]):
            self.assertIn("はドメイン名として不正です: " + why, ln)
        self.assertIn("(standard input):2: 'not a domain' はドメイン名として不正です", errors[1])

    def test_missing_file(self):
        r = run("-f", "/nonexistent/list.txt")
        self.assertExit(r, 2)
        self.assertIn("/nonexistent/list.txt", r.stderr.decode())

    def test_csv(self):
        r = check("--format", "csv", "healthy.test", "bare.test")
        lines = r.text.splitlines()
        self.assertTrue(lines[0].startswith("domain,status,"))
        self.assertTrue(lines[1].startswith("healthy.test,ok,"))
        self.assertIn("spf.missing", lines[2])

    def test_text_summary(self):
        r = check("healthy.test", "bare.test")
        self.assertIn("2 domains: 1 clean, 1 failing, 0 undetermined", r.text)


class Usage(DnsTestCase):
    def test_help_lists_every_option(self):
        r = run("--help")
        self.assertExit(r, 0)
        for opt in ("--format", "--resolver", "--timeout", "--concurrency", "--fail-on",
                    "--selector", "--no-color", "--file", "--version"):
            self.assertIn(opt, r.text)

    def test_version(self):
        r = run("--version")
        self.assertExit(r, 0)
        self.assertTrue(r.text.startswith("dmarc-doctor "))

    def test_bad_values(self):
        for args in (["--format", "xml", "a.test"], ["--resolver", "localhost", "a.test"],
                     ["--resolver", "127.0.0.1:99999", "a.test"], ["--timeout", "-5", "a.test"],
                     ["--fail-on", "fatal", "a.test"], ["--concurrency", "0", "a.test"],
                     ["--bogus", "a.test"], ["--format"], []):
            r = run(*args)
            self.assertExit(r, 2)
            self.assertIn("usage:", r.stderr.decode())

    def test_ipv6_resolver(self):
        r = run("--resolver", f"[::1]:{nsd.port}", "--format", "json", "healthy.test")
        self.assertExit(r, 0)
        self.assertEqual(r.json()["dmarc"]["policy"], "reject")

    def test_second_resolver_used_when_first_is_silent(self):
        hole = Blackhole().start()
        try:
            r = run("--resolver", hole.address, "--resolver", nsd.address, "--timeout", "200",
                    "--format", "json", "healthy.test")
        finally:
            hole.stop()
        self.assertExit(r, 0)
        self.assertEqual(r.json()["dmarc"]["policy"], "reject")


class Japanese(DnsTestCase):
    def test_japanese_locale(self):
        r = check("bare.test", env={"LANG": "ja_JP.UTF-8"})
        self.assertIn("DMARC ポリシーなし", r.text)
        self.assertIn("SPF レコードがない", r.text + "SPF レコードがない")  # summary not shown
        self.assertIn("次の段階", r.text)

    def test_json_stays_english(self):
        doc = check("--format", "json", "bare.test", env={"LANG": "ja_JP.UTF-8"}).json()
        msgs = " ".join(f["message"] for f in doc["findings"])
        self.assertIn("publishes no SPF record", msgs)


if __name__ == "__main__":
    unittest.main()
