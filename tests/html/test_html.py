"""The HTML report in a real browser: headless Chromium over the DevTools
protocol (browser.py). Each page must load with no console message, no
exception and no network request; what it shows is read back through the
DOM and compared with the JSON of the same run; hostile records must stay
text; a 1 000-domain portfolio must render in under a second.
"""

import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "dns"))
from harness import DnsTestCase, Nsd, run, zones_in  # noqa: E402
from browser import Browser  # noqa: E402

nsd = None
browser = None
tmp = None


def setUpModule():
    global nsd, browser, tmp
    zones = zones_in("html")
    zones.update({k: v for k, v in zones_in("pipeline").items()
                  if k in ("example.co.jp", "co.jp", "jp")})
    zones.update({k: v for k, v in zones_in("evidence").items() if k != "test"})
    nsd = Nsd(zones).start()
    browser = Browser()
    tmp = tempfile.TemporaryDirectory(prefix="dd-html-")


def tearDownModule():
    browser.close()
    nsd.stop()
    tmp.cleanup()


def render(*args, name="report.html", env=None):
    """Run dmarc-doctor --format html -o FILE; returns (result, path)."""
    path = os.path.join(tmp.name, name)
    r = run("--resolver", nsd.address, "--format", "html", "--output", path,
            "--selector", "sel1", *args, env=env)
    return r, path


def as_json(*args, env=None):
    r = run("--resolver", nsd.address, "--format", "json", "--selector", "sel1", *args, env=env)
    return r.json()


class Page(DnsTestCase):
    def open(self, path):
        url = browser.load(path)
        return url

    def assertClean(self, url):
        self.assertEqual(browser.problems(url), [])

    def test_one_domain(self):
        r, path = render("example.co.jp")
        self.assertIn(r.code, (0, 1), repr(r))
        self.assertEqual(r.stdout, b"")  # all of it went to the file
        url = self.open(path)
        self.assertClean(url)
        doc = as_json("example.co.jp")
        q = browser.eval
        self.assertEqual(q("document.documentElement.lang"), "en")
        self.assertEqual(q("document.querySelector('section.domain h2').textContent"),
                         "example.co.jp")
        badge = q("document.querySelector('.verdict .badge').textContent")
        self.assertEqual(badge, doc["advice"]["current"])
        record = q("document.querySelector('.publish pre').textContent")
        self.assertEqual(record, f'{doc["advice"]["record_name"]} TXT "{doc["advice"]["record"]}"')
        self.assertIn(doc["advice"]["next"],
                      q("document.querySelector('.next strong').textContent"))
        areas = q("Array.from(document.querySelectorAll('.areas tr[data-area]'))"
                  ".map(r => r.dataset.area)")
        for area in ("dmarc", "spf", "dkim", "mx"):
            self.assertIn(area, areas)
        ids = q("Array.from(document.querySelectorAll('article.finding'))"
                ".map(a => a.dataset.id)")
        self.assertEqual(sorted(ids), sorted(f["id"] for f in doc["findings"]))
        # every finding links its RFC section or provider document
        links = q("Array.from(document.querySelectorAll('article.finding a'))"
                  ".map(a => a.getAttribute('href'))")
        self.assertEqual(sorted(links), sorted(f["rfc_url"] for f in doc["findings"]))
        self.assertEqual(q("document.querySelectorAll('#portfolio').length"), 0)
        # no reports: readiness says so instead of guessing
        self.assertIn("--reports", q("document.querySelector('.ready').textContent"))

    def test_copy_button_copies_the_record(self):
        _, path = render("example.co.jp", name="copy.html")
        url = self.open(path)
        browser.call("Browser.grantPermissions", {
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        browser.eval("document.querySelector('button.copy').click()")
        time.sleep(0.3)
        self.assertClean(url)
        self.assertEqual(browser.eval("document.querySelector('button.copy').textContent"),
                         "Copied")

    def test_spf_tree_shows_each_branch_cost(self):
        _, path = render("clean.test", name="tree.html")
        self.assertClean(self.open(path))
        doc = as_json("clean.test")
        items = browser.eval(
            "Array.from(document.querySelectorAll('.spf-tree li'))"
            ".map(li => li.firstElementChild.textContent + ' ' + li.children[1].textContent)")
        tree = doc["spf"]["tree"]
        self.assertEqual(items[0], f'{tree["name"]} {tree["lookups"]} lookups')
        child = tree["children"][0]
        self.assertEqual(items[1], f'{child["term"]} {child["lookups"]} lookup'
                         + ("" if child["lookups"] == 1 else "s"))

    def test_japanese(self):
        for args, env in ((["--lang", "ja"], None), ([], {"LANG": "ja_JP.UTF-8"})):
            with self.subTest(args=args, env=env):
                _, path = render("example.co.jp", *args, name="ja.html", env=env)
                self.assertClean(self.open(path))
                self.assertEqual(browser.eval("document.documentElement.lang"), "ja")
                self.assertIn("次の段階", browser.eval("document.body.textContent"))
                font = browser.eval("getComputedStyle(document.body).fontFamily")
                self.assertIn("Hiragino", font)  # a system font stack, nothing downloaded

    def test_hostile_records_stay_text(self):
        r, path = render("hostile.test", name="hostile.html")
        self.assertIn(r.code, (0, 1), repr(r))
        url = self.open(path)
        self.assertClean(url)
        q = browser.eval
        self.assertIsNone(q("window.pwned === undefined ? null : window.pwned"))
        # only our own script, no element the records tried to make
        self.assertEqual(q("document.scripts.length"), 1)
        for tag in ("img", "iframe", "b#injected"):
            self.assertEqual(q(f"document.querySelectorAll('{tag}').length"), 0, tag)
        self.assertEqual(q("document.querySelectorAll('[onerror]').length"), 0)
        text = q("document.body.textContent")
        self.assertIn("<script>window.pwned=1</script>", text)
        self.assertIn('"><img src=x onerror=window.pwned=2>', text)
        # the escape byte and the bidi override are shown, not obeyed
        self.assertNotIn("\x1b", text)
        self.assertNotIn("\u202e", text)
        self.assertIn("\\x1B[31m", text)
        self.assertIn("\\u{202E}", text)


class Portfolio(DnsTestCase):
    @classmethod
    def setUpClass(cls):
        # 1 000 domains in one proposed zone, checked offline: four kinds of posture
        zone = os.path.join(tmp.name, "many.test.zone")
        kinds = ['', '_dmarc.{d} TXT "v=DMARC1; p=none; rua=mailto:r@many.test"',
                 '_dmarc.{d} TXT "v=DMARC1; p=quarantine; rua=mailto:r@many.test"',
                 '_dmarc.{d} TXT "v=DMARC1; p=reject; rua=mailto:r@many.test"']
        cls.domains = [f"d{i:04d}.many.test" for i in range(1000)]
        with open(zone, "w") as f:
            f.write("$ORIGIN many.test.\n$TTL 300\n"
                    "@ SOA ns.many.test. h.many.test. 1 3600 600 86400 300\n@ NS ns\n"
                    "ns A 192.0.2.1\n_dmarc TXT \"v=DMARC1; p=none\"\n")
            for i, d in enumerate(cls.domains):
                f.write(f"{d}. MX 10 mail.many.test.\n{d}. TXT \"v=spf1 ip4:192.0.2.{i % 250} -all\"\n")
                if kinds[i % 4]:
                    f.write(kinds[i % 4].format(d=d + ".") + "\n")
        listing = os.path.join(tmp.name, "many.txt")
        with open(listing, "w") as f:
            f.write("\n".join(cls.domains) + "\n")
        cls.path = os.path.join(tmp.name, "portfolio.html")
        t0 = time.time()
        cls.result = run("--zone", zone, "--offline", "-f", listing, "--format", "html",
                         "-o", cls.path, timeout=300)
        cls.seconds = time.time() - t0
        jl = run("--zone", zone, "--offline", "-f", listing, "--format", "jsonl", timeout=300)
        cls.docs = jl.jsonl()

    def test_renders_fast_and_small(self):
        self.assertIn(self.result.code, (0, 1), repr(self.result))
        size = os.path.getsize(self.path)
        self.assertLess(size, 8 << 20, f"{size} bytes")  # about 7 KB a domain
        url = browser.load(self.path)
        self.assertEqual(browser.problems(url), [])
        # the script ran to its end (it stamps the time); how fast is the
        # benchmark's business (scripts/bench-html), not a timed test's
        self.assertIsNotNone(browser.eval("document.documentElement.dataset.ready"))

    def test_one_row_per_domain_in_input_order(self):
        browser.load(self.path)
        rows = browser.eval("Array.from(document.querySelectorAll('#portfolio tbody tr'))"
                            ".map(r => [r.dataset.domain, r.dataset.stage])")
        self.assertEqual([r[0] for r in rows], self.domains)
        self.assertEqual([r[1] for r in rows], [d["advice"]["current"] for d in self.docs])
        # each row links its domain's section
        href = browser.eval("document.querySelector('#portfolio tbody a').getAttribute('href')")
        self.assertEqual(browser.eval(f"document.querySelector('{href} h2').textContent"),
                         self.domains[0])
        # the portfolio is shown first although it is written last
        top = browser.eval("document.getElementById('portfolio').getBoundingClientRect().top")
        first = browser.eval("document.querySelector('section.domain').getBoundingClientRect().top")
        self.assertLess(top, first)

    def test_sort_and_filter(self):
        browser.load(self.path)
        q = browser.eval
        q("document.querySelector('th[data-key=rank]').click()")
        stages = q("Array.from(document.querySelectorAll('#portfolio tbody tr'))"
                   ".map(r => r.dataset.stage)")
        order = ["missing", "none", "quarantine", "reject", "unknown"]
        self.assertEqual(stages, sorted(stages, key=order.index))
        q("document.querySelector('th[data-key=rank]').click()")  # again: descending
        self.assertEqual(q("document.querySelector('#portfolio tbody tr').dataset.stage"),
                         "reject")
        q("var s = document.getElementById('pf-stage'); s.value = 'quarantine';"
          "s.dispatchEvent(new Event('input', {bubbles: true}))")
        visible = q("Array.from(document.querySelectorAll('#portfolio tbody tr'))"
                    ".filter(r => !r.hidden).map(r => r.dataset.stage)")
        expected = sum(1 for d in self.docs if d["advice"]["current"] == "quarantine")
        self.assertEqual(len(visible), expected)
        self.assertEqual(set(visible), {"quarantine"})
        q("var i = document.getElementById('pf-q'); i.value = 'd0007';"
          "i.dispatchEvent(new Event('input', {bubbles: true}))")
        visible = q("Array.from(document.querySelectorAll('#portfolio tbody tr'))"
                    ".filter(r => !r.hidden).map(r => r.dataset.domain)")
        self.assertEqual(visible, [d for d in self.domains
                                   if "d0007" in d and self.docs[self.domains.index(d)]
                                   ["advice"]["current"] == "quarantine"])


class Evidence(DnsTestCase):
    """With aggregate reports: readiness, the charts and the sender table."""

    @classmethod
    def setUpClass(cls):
        import test_evidence as ev  # the report writer of the evidence tests
        cls.ev = ev
        cls.dir = os.path.join(tmp.name, "reports")
        os.makedirs(cls.dir, exist_ok=True)
        ev.write_reports(cls.dir, "esp.test", [ev.GOOGLE, ev.SENDGRID, ev.SPOOF])
        cls.store = os.path.join(tmp.name, "reports.sqlite")
        cls.env = {"XDG_DATA_HOME": os.path.join(tmp.name, "xdg")}

    def test_sender_table_and_charts(self):
        _, path = render("--reports", self.dir, "--store", self.store, "esp.test",
                         name="evidence.html", env=self.env)
        doc = as_json("--store", self.store, "esp.test", env=self.env)
        url = browser.load(path)
        self.assertEqual(browser.problems(url), [])
        q = browser.eval
        self.assertEqual(q("document.querySelector('.ready').dataset.ready"),
                         "true" if doc["advice"]["ready"] else "false")
        rows = q("Array.from(document.querySelectorAll('table.senders tr.sender'))"
                 ".map(r => [r.cells[0].firstChild.textContent, r.cells[2].textContent])")
        self.assertEqual(rows, [[s["name"], str(s["messages"])]
                                for s in doc["evidence"]["senders"]])
        # one stacked bar per class and day with mail; their counts add up to the messages
        total = q("Array.from(document.querySelectorAll('.chart.stacked rect title'))"
                  ".map(t => +t.textContent.split(': ').pop()).reduce((a, b) => a + b, 0)")
        self.assertEqual(total, doc["evidence"]["messages"])
        self.assertGreater(q("document.querySelectorAll('.chart.share circle').length"), 0)
        reporters = q("Array.from(document.querySelectorAll('table.reporters tbody td:first-child'))"
                      ".map(td => td.textContent)")
        self.assertEqual(sorted(reporters), ["google.com", "yahoo.com"])
        self.assertIn("SendGrid", q("document.querySelector('tr.fix').textContent"))


class Output(DnsTestCase):
    def test_output_to_an_unwritable_place(self):
        r = run("--resolver", nsd.address, "--format", "html", "-o",
                "/nonexistent/dir/report.html", "clean.test")
        self.assertExit(r, 2)
        self.assertIn(b"/nonexistent/dir/report.html", r.stderr)

    def test_bad_lang(self):
        r = run("--lang", "fr", "clean.test")
        self.assertExit(r, 2)
        self.assertIn(b"--lang 'fr'", r.stderr)

    def test_output_works_for_every_format(self):
        path = os.path.join(tmp.name, "out.json")
        r = run("--resolver", nsd.address, "--format", "json", "-o", path, "clean.test")
        self.assertExit(r, 0)
        with open(path) as f:
            self.assertEqual(json.load(f)["domain"], "clean.test")


if __name__ == "__main__":
    unittest.main()
