"""End to end: the report evidence against a real NSD on loopback.

Zones: testdata/zones/evidence/. ready.test, esp.test and tokens.test send
mail at p=none; amazonses.com holds an Easy DKIM token key; the reverse
zones 100.51.198.in-addr.arpa and 5.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa name two
report sources. Aggregate reports are written here as RFC 7489 XML with
known truth, imported into a store (--import) and judged with --store, or
imported and judged at once (--reports).
"""

import os
import re
import shutil
import sys
import tempfile
import time
import unittest

from harness import DnsTestCase, Nsd, findings, run, zones_in

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reports"))
import gen_reports as g  # noqa: E402  (the report store's generator, with its truth)

nsd = None
tmp = None
STORE = None
DAY = 86400
NOW = int(time.time())

# (source ip, count, header_from, [(d, selector, result)], (mail from, result), reason)
GOOGLE = ("209.85.220.41", 2000, None, [("{d}", "google", "pass")], ("{d}", "pass"), None)
OWN = ("192.0.2.20", 400, None, [], ("{d}", "pass"), None)
SPOOF = ("203.0.113.66", 120, None, [], ("spoofer.example", "fail"), None)
SENDGRID = ("167.89.1.20", 800, None, [("sendgrid.net", "s1", "pass")],
            ("em123.sendgrid.net", "pass"), None)
# named only by reverse DNS (the PTR in 100.51.198.in-addr.arpa): SendGrid again
BY_PTR = ("198.51.100.7", 400, None, [], ("bounces.esp-mail.example", "pass"), None)
BY_PTR6 = ("2001:db8:5::25", 2, None, [], ("relay.example.net", "pass"), None)
LIST = ("198.51.100.99", 60, None, [("{d}", "google", "fail")], ("lists.example.org", "pass"),
        "mailing_list")
SES = ("54.240.8.1", 900, None, [("{d}", "abcdefghijklmnopqrstuvwxyz234567", "pass")],
       ("eu-west-1.amazonses.com", "pass"), None)


def xml_report(org, rid, domain, begin, end, rows, p="none"):
    recs = []
    for ip, count, hfrom, dkims, spf, reason in rows:
        hfrom = hfrom or domain
        dk = "".join(f"<dkim><domain>{d.format(d=domain)}</domain><selector>{s}</selector>"
                     f"<result>{r}</result></dkim>" for d, s, r in dkims)
        sp = (f"<spf><domain>{spf[0].format(d=domain)}</domain><scope>mfrom</scope>"
              f"<result>{spf[1]}</result></spf>")
        aligned_dkim = any(d == "{d}" and r == "pass" for d, s, r in dkims)
        aligned_spf = spf[0] == "{d}" and spf[1] == "pass"
        why = f"<reason><type>{reason}</type></reason>" if reason else ""
        recs.append(f"""<record><row><source_ip>{ip}</source_ip><count>{count}</count>
<policy_evaluated><disposition>none</disposition><dkim>{"pass" if aligned_dkim else "fail"}</dkim>
<spf>{"pass" if aligned_spf else "fail"}</spf>{why}</policy_evaluated></row>
<identifiers><header_from>{hfrom}</header_from></identifiers>
<auth_results>{dk}{sp}</auth_results></record>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feedback><report_metadata><org_name>{org}</org_name><email>noreply@{org}</email>
<report_id>{rid}</report_id><date_range><begin>{begin}</begin><end>{end}</end></date_range>
</report_metadata><policy_published><domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf>
<p>{p}</p><sp>{p}</sp><pct>100</pct></policy_published>
{"".join(recs)}</feedback>
"""


def write_reports(directory, domain, rows, weeks=4, orgs=("google.com", "yahoo.com"), age=0):
    """Weekly reports from each org, the newest ending `age` days ago; counts per report."""
    paths = []
    for w in range(weeks):
        end = NOW - age * DAY - w * 7 * DAY
        for org in orgs:
            path = os.path.join(directory, f"{org}!{domain}!{end}.xml")
            with open(path, "w") as f:
                f.write(xml_report(org, f"{domain}-{org}-{end}", domain, end - 7 * DAY, end, rows))
            paths.append(path)
    return paths


def setUpModule():
    global nsd, tmp, STORE
    nsd = Nsd(zones_in("evidence")).start()
    tmp = tempfile.mkdtemp(prefix="dd-evidence-")
    STORE = os.path.join(tmp, "reports.sqlite")
    xml = os.path.join(tmp, "xml")
    os.mkdir(xml)
    files = []
    files += write_reports(xml, "ready.test", [GOOGLE, OWN, SPOOF, LIST])
    files += write_reports(xml, "esp.test", [GOOGLE, SENDGRID, BY_PTR, BY_PTR6, SPOOF])
    # two months ago ready.test had a misaligned SendGrid: outside the window
    files += write_reports(xml, "ready.test", [SENDGRID], weeks=1, orgs=("outlook.com",), age=60)
    files += write_reports(xml, "tokens.test", [SES])
    out = run("--import", "--store", STORE, *files)
    if out.code != 0:
        raise RuntimeError(f"--import: {out!r}")


def tearDownModule():
    nsd.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def check(*args, **kw):
    env = {"XDG_DATA_HOME": os.path.join(tmp, "no-default-store")}
    env.update(kw.pop("env", {}))
    return run("--resolver", nsd.address, "--timeout", "500", *args, env=env, **kw)


def senders(doc):
    return {s["name"]: s for s in doc["evidence"]["senders"]}


class Readiness(DnsTestCase):
    def test_all_aligned_is_ready(self):
        doc = check("--store", STORE, "--format", "json", "ready.test").json()
        self.assertIs(doc["advice"]["ready"], True, doc["advice"])
        self.assertEqual(doc["advice"]["next"], "quarantine")
        self.assertNotIn("reports.sender-not-aligned", doc["advice"]["blockers"])
        ev = doc["evidence"]
        self.assertEqual(ev["reporters"], 2)
        self.assertEqual(ev["reports"], 8)  # the 60-day-old report is outside the window
        self.assertEqual(ev["window"]["days"], 30)
        s = senders(doc)
        self.assertEqual(s["Google Workspace"]["class"], "aligned")
        self.assertEqual(s["example.org"]["class"], "forwarded")  # the mailing list
        self.assertEqual(s["203.0.113.0/24"]["class"], "unauthenticated")
        self.assertNotIn("SendGrid", s)
        self.assertTrue(findings(doc, "reports.unauthenticated"))
        self.assertTrue(findings(doc, "reports.forwarded"))
        self.assertEqual(ev["messages"], 4 * 2 * (2000 + 400 + 120 + 60))

    def test_misaligned_esp_blocks_with_its_fix(self):
        doc = check("--store", STORE, "--format", "json", "esp.test").json()
        self.assertIs(doc["advice"]["ready"], False)
        self.assertIn("reports.sender-not-aligned", doc["advice"]["blockers"])
        self.assertIn("SendGrid", doc["advice"]["ready_reason"])
        sg = senders(doc)["SendGrid"]
        self.assertEqual(sg["class"], "fixable")
        self.assertEqual(sg["dkim_domains"], ["sendgrid.net"])
        self.assertIn("Domain Authentication", sg["fix"])
        # the PTR of 198.51.100.7 (NSD's reverse zone) folded it into SendGrid
        self.assertIn("198.51.100.7", sg["sources"])
        self.assertEqual(sg["messages"], 4 * 2 * (800 + 400))
        f = findings(doc, "reports.sender-not-aligned")
        self.assertEqual(f[0]["severity"], "warning")
        # an IPv6 source named by its ip6.arpa PTR: Google relaying with another SPF
        # domain, but 16 messages of 27 264 are below the blocking share (1 in 1000)
        g = senders(doc)["Google Workspace"]
        self.assertEqual(g["sources"][-1], "2001:db8:5::25")
        self.assertEqual(g["class"], "aligned")
        self.assertFalse(g["blocks"])
        self.assertEqual(len(f), 1)  # SendGrid only: Google's part is no finding of its own

    def test_text_says_not_ready_first(self):
        r = check("--store", STORE, "esp.test")
        self.assertExit(r, 0)
        lines = r.text.splitlines()
        self.assertIn("NOT READY", lines[1])
        self.assertIn("SendGrid", lines[1])
        table = r.text[r.text.index("Senders in the reports"):]
        self.assertLess(table.index("Google Workspace"), table.index("SendGrid"))
        self.assertIn("fix: Authenticate esp.test in SendGrid", table)
        ja = check("--store", STORE, "esp.test", env={"LANG": "ja_JP.UTF-8"})
        self.assertIn("準備未完了", ja.text.splitlines()[1])
        self.assertIn("レポート上の送信元", ja.text)
        # the table's columns line up in Japanese too: a CJK character is two
        # columns wide, so the header's count and a row's end in one column
        lines = ja.text.splitlines()
        head = next(l for l in lines if "通数" in l)
        row = next(l for l in lines if l.startswith("    Google Workspace"))

        def columns(s):
            return sum(2 if ord(c) > 0x2e7f else 1 for c in s)
        self.assertEqual(columns(head[:head.index("通数") + 2]),
                         columns(re.match(r".*?\d+(?= +\d+\.\d$)", row).group(0)), (head, row))

    def test_csv_headline(self):
        r = check("--store", STORE, "--format", "csv", "esp.test", "ready.test")
        head, esp, ready = r.text.splitlines()[:3]
        self.assertTrue(head.endswith(",ready,report_messages,report_dmarc_pass_share,top_blocker"))
        self.assertIn(",false,", esp)
        self.assertIn("SendGrid (", esp)
        self.assertIn(",true,", ready)


class Dkim(DnsTestCase):
    def test_report_selectors_are_probed(self):
        doc = check("--store", STORE, "--format", "json", "tokens.test").json()
        sel = {s["selector"]: s for s in doc["dkim"]["selectors"]}
        self.assertIn("abcdefghijklmnopqrstuvwxyz234567", sel)
        self.assertEqual(sel["abcdefghijklmnopqrstuvwxyz234567"]["key_bits"], 2048)
        self.assertNotIn("dkim.none-found", [f["id"] for f in doc["findings"]])
        self.assertEqual(senders(doc)["Amazon SES"]["class"], "aligned")
        # without the reports the token cannot be guessed
        plain = check("--format", "json", "tokens.test").json()
        self.assertIn("dkim.none-found", [f["id"] for f in plain["findings"]])


class Window(DnsTestCase):
    def test_since_narrows_the_window(self):
        doc = check("--store", STORE, "--since", "10", "--format", "json", "ready.test").json()
        self.assertEqual(doc["evidence"]["window"]["days"], 10)
        self.assertEqual(doc["evidence"]["reports"], 4)  # the two newest weeks overlap it
        self.assertIs(doc["advice"]["ready"], False)  # 14 days are needed
        self.assertTrue(findings(doc, "reports.insufficient"))

    def test_no_store_is_todays_advice(self):
        with_store = check("--store", STORE, "--format", "json", "ready.test").json()
        plain = check("--format", "json", "ready.test").json()
        self.assertIsNone(plain["evidence"])
        self.assertIsNone(plain["advice"]["ready"])
        self.assertEqual(plain["advice"]["record"], with_store["advice"]["record"])
        # without reports the step says "when the reports have shown"; with them, "now"
        self.assertTrue(any("When the aggregate reports have shown" in s
                            for s in plain["advice"]["steps"]))
        self.assertTrue(any("The aggregate reports show every legitimate sender" in s
                            for s in with_store["advice"]["steps"]))
        self.assertEqual(len(plain["advice"]["steps"]), len(with_store["advice"]["steps"]))

    def test_a_domain_without_reports(self):
        doc = check("--store", STORE, "--format", "json", "amazonses.com").json()
        self.assertIsNone(doc["evidence"])

    def test_reports_import_then_judge(self):
        """--reports DIR imports into the (default) store, then judges with it."""
        home = os.path.join(tmp, "xdg")
        r = check("--reports", os.path.join(tmp, "xml"), "--format", "json", "esp.test",
                  env={"XDG_DATA_HOME": home})
        doc = r.json()
        self.assertIs(doc["advice"]["ready"], False)
        self.assertEqual(senders(doc)["SendGrid"]["class"], "fixable")
        self.assertTrue(os.path.exists(os.path.join(home, "dmarc-doctor", "reports.sqlite")))
        # the default store is read only when --reports or --store says so
        plain = check("--format", "json", "esp.test", env={"XDG_DATA_HOME": home}).json()
        self.assertIsNone(plain["evidence"])


class Batch(DnsTestCase):
    """A batch reads each domain's reports ahead, in a thread of their own
    (cmd/evidence.h): from a file up to 64 lines ahead, from a pipe one at
    a time. Either way each result is in its input place with the evidence
    a check of that domain alone gives, a bad line and a duplicate too."""

    LINES = ["ready.test", "esp.test", "not a domain!", "amazonses.com", "ready.test",
             "tokens.test"]

    def alone(self, domain):
        doc = check("--store", STORE, "--format", "json", domain).json()
        return doc["evidence"], doc["advice"]

    def expect(self, docs):
        self.assertEqual([d["domain"] for d in docs],
                         ["ready.test", "esp.test", "not a domain!", "amazonses.com",
                          "tokens.test"])
        self.assertEqual(docs[2]["status"], "error")
        self.assertIn(":3: 'not a domain!' is not a valid domain", docs[2]["error"])
        for d in (docs[0], docs[1], docs[3], docs[4]):
            ev, advice = self.alone(d["domain"])
            for e in (ev, d["evidence"]):
                if e:
                    e.pop("window")  # the clock of each run
            self.assertEqual(d["evidence"], ev, d["domain"])
            self.assertEqual(d["advice"], advice, d["domain"])
        self.assertIsNotNone(docs[0]["evidence"])
        self.assertIsNone(docs[3]["evidence"])

    def test_from_a_file(self):
        path = os.path.join(tmp, "batch.txt")
        with open(path, "w") as f:
            f.write("\n".join(self.LINES) + "\n")
        r = check("--store", STORE, "--format", "jsonl", "-f", path)
        self.assertEqual(r.code, 2, r)  # the bad line
        self.expect(r.jsonl())

    def test_from_a_pipe(self):
        r = check("--store", STORE, "--format", "jsonl", "-f", "-",
                  stdin=("\n".join(self.LINES) + "\n").encode())
        self.assertEqual(r.code, 2, r)
        self.expect(r.jsonl())


class GeneratedSet(DnsTestCase):
    def test_every_container_with_known_truth(self):
        """A set from tests/reports/gen_reports.py in every reporter's container
        (zip, gz, gz of gz, e-mails), imported with --reports: the evidence
        counts what the truth says, and names the misaligned ESP with its fix."""
        rows = []
        for day in range(21):
            for reporter in ("google.com", "Outlook.com", "GMX", "WEB.DE", "Fastmail Pty Ltd"):
                rows += [
                    g.Row(reporter=reporter, day=day, source_ip="209.85.220.41", count=50,
                          header_from="esp.test", dkim=[("esp.test", "google", "pass")],
                          spf=[("esp.test", "mfrom", "pass")]),
                    g.Row(reporter=reporter, day=day, source_ip="2a01:111:f400::10", count=7,
                          header_from="esp.test", dkim=[("mcsv.net", "k1", "pass")],
                          spf=[("mail3.mcsv.net", "mfrom", "pass")]),
                    g.Row(reporter=reporter, day=day, source_ip="203.0.113.9", count=3,
                          header_from="esp.test", spf=[("evil.test", "mfrom", "fail")]),
                ]
        start = NOW - 22 * DAY
        out = os.path.join(tmp, "generated")
        truth = g.write_set(out, g.scenario(rows, domain="esp.test", start=start))
        home = os.path.join(tmp, "generated-home")
        r = check("--reports", out, "--format", "json", "esp.test",
                  env={"XDG_DATA_HOME": home})
        doc = r.json()
        ev = doc["evidence"]
        self.assertEqual(ev["reports"], len(truth))
        self.assertEqual(ev["messages"], sum(x["count"] for t in truth for x in t["rows"]))
        self.assertEqual(ev["reporters"], 5)
        s = senders(doc)
        self.assertEqual(s["Mailchimp"]["class"], "fixable")
        self.assertEqual(s["Mailchimp"]["messages"], 21 * 5 * 7)
        self.assertIn("k2/k3._domainkey", s["Mailchimp"]["fix"])
        self.assertEqual(s["Google Workspace"]["class"], "aligned")
        self.assertEqual(s["203.0.113.0/24"]["class"], "unauthenticated")
        self.assertIs(doc["advice"]["ready"], False)
        self.assertIn("Mailchimp", doc["advice"]["ready_reason"])


if __name__ == "__main__":
    unittest.main()
