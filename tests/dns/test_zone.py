"""End to end: the CI gate on proposed zone files (--zone, --offline,
--format sarif/junit, --baseline).

Proposed zones: testdata/zones/gate/proposed/. The "live DNS" is NSD on
loopback serving testdata/zones/gate/live/ - the published gate.test, a
mail provider's zone, and the empty parent zone "test" - so a name outside
the proposed zone is really looked up, and one inside it never is.
The real-world zones of testdata/zones/corpus/ are read too, with their
known mistakes (KNOWN-MISTAKES.txt) found at their lines.
"""

import glob
import json
import os
import re
import shlex
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

import sarif
from harness import DnsTestCase, Nsd, TESTDATA, finding_ids, findings, run, zone_path, zones_in

PROPOSED = zone_path("gate", "proposed")
CORPUS = zone_path("corpus")
nsd = None
tld_nsd = None


def setUpModule():
    global nsd
    nsd = Nsd(zones_in("gate", "live")).start()


def tearDownModule():
    nsd.stop()
    if tld_nsd:
        tld_nsd.stop()


def proposed(name):
    return os.path.join(PROPOSED, name)


def live(*args, **kw):
    return run("--resolver", nsd.address, "--timeout", "500", *args, **kw)


def line_of(path, text):
    """The 1-based line of the first line of `path` that contains `text`."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if text in line:
                return n
    raise AssertionError(f"{text!r} is not in {path}")


def pool_key_txt(label):
    """The first `label` key of testdata/dkim/key-pool.txt as a zone-file
    TXT value, cut into strings of at most 255 octets."""
    with open(os.path.join(TESTDATA, "dkim", "key-pool.txt"), encoding="ascii") as f:
        key = next(line.split()[1] for line in f if line.startswith(label + " "))
    record = "v=DKIM1; k=rsa; p=" + key
    return " ".join(f'"{record[i:i + 255]}"' for i in range(0, len(record), 255))


class Offline(DnsTestCase):
    def test_names_come_from_the_zone_with_their_lines(self):
        path = proposed("gate.test.zone")
        r = run("--zone", path, "--offline", "--format", "json", "-v")
        self.assertExit(r, 0)
        doc = r.json()
        self.assertEqual(doc["domain"], "gate.test")  # no DOMAIN: the zone's origin
        self.assertEqual(doc["spf"]["record"], "v=spf1 include:_spf.provider.test -all")
        self.assertEqual(doc["spf"]["file"], path)
        self.assertEqual(doc["spf"]["line"], line_of(path, "v=spf1"))
        self.assertEqual(doc["dmarc"]["line"], line_of(path, "v=DMARC1"))
        self.assertEqual(doc["dmarc"]["policy"], "none")
        by_name = {(q["name"], q["type"]): q for q in doc["queries"]}
        self.assertEqual(by_name[("gate.test", "TXT")]["source"], "zone")
        # outside the zone: not asked, never "missing"
        walk = by_name[("_dmarc.test", "TXT")]
        self.assertEqual(walk["status"], "unknown")
        self.assertEqual(walk["source"], "none")
        offline = findings(doc, "dns.offline")
        self.assertEqual(len(offline), 1)
        self.assertEqual(offline[0]["severity"], "info")
        self.assertIn("_dmarc.test", offline[0]["message"])
        self.assertIn("sel1.dkim.provider.test", offline[0]["message"])  # where the CNAME led
        self.assertEqual(offline[0]["location"]["file"], path)
        # selector1's CNAME leaves the zone: its key may be there, so no "none found"
        self.assertNotIn("dkim.none-found", finding_ids(doc))
        self.assertEqual(doc["dkim"]["state"], "unknown")
        self.assertIn("DKIM    no key at the 53 selectors probed, the others not looked up (offline)",
                      run("--zone", path, "--offline").text)

    def test_compiler_style_text(self):
        path = proposed("broken.test.zone")
        r = run("--zone", path, "--offline")
        self.assertExit(r, 1)
        want = f"{path}:{line_of(path, 'v=spf1')}: error: spf.multiple: "
        self.assertTrue(any(line.startswith(want) for line in r.text.splitlines()), r)

    def test_yaml_zone(self):
        path = proposed("clean.test.yaml")
        r = run("--zone", path, "--offline", "--format", "json")
        self.assertExit(r, 0)
        doc = r.json()
        self.assertEqual(doc["domain"], "clean.test")  # from the file's name
        self.assertEqual(doc["dmarc"]["record"], "v=DMARC1; p=reject; rua=mailto:dmarc@clean.test")
        self.assertEqual(doc["dmarc"]["line"], line_of(path, "v=DMARC1"))
        self.assertEqual(doc["mx"]["hosts"], 1)

    def test_several_zones_and_a_domain_outside_them(self):
        r = run("--zone", proposed("gate.test.zone"), "--zone", proposed("broken.test.zone"),
                "--offline", "--format", "jsonl")
        self.assertEqual([d["domain"] for d in r.jsonl()], ["gate.test", "broken.test"])
        # a domain no zone holds is not asked at all offline
        r = run("--zone", proposed("gate.test.zone"), "--offline", "--format", "json",
                "elsewhere.example")
        doc = r.json()
        self.assertEqual(doc["spf"]["state"], "unknown")
        self.assertNoMissingClaims(doc)

    def test_origin_given_on_the_command_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "zonefile")
            shutil.copy(proposed("broken.test.zone"), path)
            with open(path) as f:
                text = f.read().replace("$ORIGIN broken.test.\n", "")
            with open(path, "w") as f:
                f.write(text)
            r = run("--zone", path + "=Other.Test", "--offline", "--format", "json")
            self.assertEqual(r.json()["domain"], "other.test")
            r = run("--zone", path, "--offline")  # nothing says the origin
            self.assertExit(r, 2)
            self.assertIn("=ORIGIN", r.stderr.decode())


class ExitCodes(DnsTestCase):
    def test_fail_on_levels(self):
        broken = proposed("broken.test.zone")  # spf.multiple: an error
        for level, code in (("error", 1), ("warning", 1), ("info", 1), ("never", 0)):
            self.assertExit(run("--zone", broken, "--offline", "--fail-on", level), code)
        clean = proposed("clean.test.yaml")  # only dns.offline, which never fails the gate
        doc = run("--zone", clean, "--offline", "--format", "json").json()
        self.assertEqual(finding_ids(doc), ["dns.offline"])
        for level in ("error", "warning", "info", "never"):
            self.assertExit(run("--zone", clean, "--offline", "--fail-on", level), 0)

    def test_warnings_and_infos(self):
        """--fail-on decides by severity: warnings fail only at warning and
        below, infos only at info."""
        cases = [
            # p=none: dmarc.policy-none, a warning (and what docomo does, an info)
            ("warn.test.zone", "warning", (("error", 0), ("warning", 1), ("info", 1),
                                           ("never", 0))),
            # sends no mail, no rua: dmarc.no-rua and dkim.none-found as infos
            ("parked.test.zone", "info", (("error", 0), ("warning", 0), ("info", 1),
                                          ("never", 0))),
        ]
        for name, worst, codes in cases:
            path = proposed(name)
            doc = run("--zone", path, "--offline", "--format", "json").json()
            severities = {f["severity"] for f in doc["findings"] if f["id"] != "dns.offline"}
            self.assertIn(worst, severities, (name, doc["findings"]))
            below = {"warning": {"warning", "info"}, "info": {"info"}}[worst]
            self.assertLessEqual(severities, below, (name, doc["findings"]))
            for level, code in codes:
                self.assertExit(run("--zone", path, "--offline", "--fail-on", level), code)
            # the default is --fail-on error
            self.assertExit(run("--zone", path, "--offline"), 0)

    def test_usage(self):
        for args in (["--offline", "a.test"], ["--zone", "x.zone=not..a.name"], ["--zone", "=a.test"],
                     ["--zone"]):
            r = run(*args)
            self.assertExit(r, 2)
            self.assertIn("usage:", r.stderr.decode())


class ZoneErrors(DnsTestCase):
    """A zone that does not load stops the run: FILE:LINE: error: ..., exit 2."""

    CASES = [
        ("syntax.test.zone", "$ORIGIN syntax.test.\n@ TXT \"v=spf1 -all\"\nwww A 192.0.2.300\n",
         3, "A record"),
        ("long.test.zone", "$ORIGIN long.test.\n\n@ TXT \"" + "a" * 256 + "\"\n", 3,
         "character-string of 256 octets"),
        ("quote.test.zone", "$ORIGIN quote.test.\n@ TXT \"v=spf1 -all\n_dmarc TXT \"x\"\n", 2,
         "unbalanced quote"),
        ("include.test.zone", "$ORIGIN include.test.\n$INCLUDE nowhere.inc\n", 2,
         "$INCLUDE"),
        ("outside.test.zone", "$ORIGIN outside.test.\nwww.example.com. A 192.0.2.1\n", 2,
         "outside the zone outside.test"),
        ("dup.test.yaml", "a:\n  type: TXT\n  value: x\na:\n  type: TXT\n  value: y\n", 4,
         "appears twice"),
        ("indent.test.yaml", "a:\n  type: TXT\n value: x\n", 3, "YAML"),
    ]

    def test_each_error_at_its_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, text, line, what in self.CASES:
                path = os.path.join(tmp, name)
                with open(path, "w") as f:
                    f.write(text)
                for fmt in ("text", "sarif", "json"):
                    r = run("--zone", path, "--offline", "--format", fmt)
                    self.assertExit(r, 2)
                    err = r.stderr.decode()
                    self.assertTrue(err.startswith(f"{path}:{line}:"), (name, err))
                    self.assertIn(": error: ", err)
                    self.assertIn(what, err)
                    self.assertEqual(r.stdout, b"")  # no half document

    def test_unreadable_and_duplicate_zones(self):
        r = run("--zone", "/nonexistent/x.test.zone", "--offline")
        self.assertExit(r, 2)
        self.assertIn("/nonexistent/x.test.zone", r.stderr.decode())
        r = run("--zone", proposed("gate.test.zone"), "--zone", proposed("gate.test.zone"),
                "--offline")
        self.assertExit(r, 2)
        self.assertIn("both the zone gate.test", r.stderr.decode())
        # loaded zones and a baseline are released when the domain list cannot be read
        with tempfile.TemporaryDirectory() as tmp:
            base = os.path.join(tmp, "base.json")
            with open(base, "wb") as f:
                f.write(run("--zone", proposed("gate.test.zone"), "--offline",
                            "--format", "json").stdout)
            r = run("--zone", proposed("gate.test.zone"), "--offline", "--baseline", base,
                    "-f", "/nonexistent/domains.txt")
            self.assertExit(r, 2)
            self.assertIn("/nonexistent/domains.txt", r.stderr.decode())

    def test_zone_text_reaches_stderr_escaped(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "esc.test.zone")
            with open(path, "wb") as f:
                f.write(b"$ORIGIN esc.test.\n\x1b[31mred A 192.0.2.1\n")
            r = run("--zone", path, "--offline")
            self.assertNotIn(b"\x1b", r.stderr)


class Sarif(DnsTestCase):
    def sarif(self, *args, code=None):
        r = run(*args, "--format", "sarif")
        if code is not None:
            self.assertExit(r, code)
        doc = json.loads(r.stdout)
        self.assertEqual(sarif.validate(doc), [])
        return doc

    def test_structure_and_lines(self):
        rel = os.path.join("zones", "gate", "proposed", "broken.test.zone")
        path = os.path.join(TESTDATA, rel)
        r = run("--zone", rel, "--offline", "--format", "sarif", cwd=TESTDATA)
        self.assertExit(r, 1)
        doc = json.loads(r.stdout)
        self.assertEqual(sarif.validate(doc), [])
        run0 = doc["runs"][0]
        self.assertEqual(run0["tool"]["driver"]["name"], "dmarc-doctor")
        results = {res["ruleId"]: res for res in run0["results"]}
        spf = results["spf.multiple"]
        self.assertEqual(spf["level"], "error")
        loc = spf["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"]["uri"], rel)  # relative to the working directory
        self.assertEqual(loc["region"]["startLine"], line_of(path, "v=spf1"))
        self.assertEqual(results["dns.offline"]["level"], "note")
        rules = {rule["id"]: rule for rule in run0["tool"]["driver"]["rules"]}
        self.assertEqual(set(rules), set(results))  # one rule per id used
        self.assertEqual(rules["spf.multiple"]["helpUri"],
                         "https://www.rfc-editor.org/rfc/rfc7208#section-4.5")
        self.assertIn("Merge them", rules["spf.multiple"]["help"]["text"])

    def test_uri_relative_to_the_working_directory(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "zones dir"))
            target = os.path.join(tmp, "zones dir", "broken.test.zone")
            shutil.copy(proposed("broken.test.zone"), target)
            r = run("--zone", os.path.abspath(target), "--offline", "--format", "sarif", cwd=tmp)
            doc = json.loads(r.stdout)
            self.assertEqual(sarif.validate(doc), [])
            uris = {res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for res in doc["runs"][0]["results"]}
            self.assertEqual(uris, {"zones%20dir/broken.test.zone"})
            # outside the working directory: an absolute file URI
            r = run("--zone", os.path.abspath(target), "--offline", "--format", "sarif",
                    cwd=os.path.dirname(TESTDATA))
            doc = json.loads(r.stdout)
            self.assertEqual(sarif.validate(doc), [])
            uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            self.assertEqual(uri["artifactLocation"]["uri"],
                             "file://" + os.path.abspath(target).replace(" ", "%20"))

    def test_live_domain_gets_a_logical_location(self):
        doc = self.sarif("--resolver", nsd.address, "bare.missing.test")
        for res in doc["runs"][0]["results"]:
            loc = res["locations"][0]
            self.assertNotIn("physicalLocation", loc)
            self.assertEqual(loc["logicalLocations"][0]["kind"], "resource")

    def test_empty_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            # nothing found: still a valid log with an empty results array
            path = os.path.join(tmp, "ok.test.zone")
            with open(path, "w") as f:
                # a sending domain with everything in place: SPF, DKIM, DMARC at
                # p=reject with reports to a mailbox of its own
                f.write("$ORIGIN ok.test.\n@ SOA ns h 1 2 3 4 5\n@ MX 10 mx\n"
                        "mx A 192.0.2.25\n@ TXT \"v=spf1 mx -all\"\n"
                        "_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@ok.test\"\n"
                        f"google._domainkey TXT {pool_key_txt('rsa2048')}\n")
            doc = self.sarif("--zone", path, "--resolver", nsd.address, code=0)
            self.assertEqual(doc["runs"][0]["results"], [])

    def test_validator_catches_what_it_should(self):
        """The checker itself: every kind of mistake it is there to find."""
        good = self.sarif("--zone", proposed("broken.test.zone"), "--offline")
        breakages = [
            lambda d: d.pop("version"),
            lambda d: d.__setitem__("version", "2.0.0"),
            lambda d: d["runs"][0].pop("tool"),
            lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
            lambda d: d["runs"][0]["results"][0].__setitem__("level", "fatal"),
            lambda d: d["runs"][0]["results"][0].pop("message"),
            lambda d: d["runs"][0]["results"][0].__setitem__("ruleIndex", 99),
            lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
            .__setitem__("startLine", 0),
            lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"].__setitem__("uri", "a b.zone"),
            lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].__setitem__("helpUri", "rfc7208"),
            lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("id"),
            lambda d: d["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"].pop("text"),
            lambda d: d["runs"][0]["results"][0].__setitem__("colour", "red"),
            lambda d: d["runs"][0]["results"][0].__setitem__("baselineState", "old"),
        ]
        for i, breakage in enumerate(breakages):
            doc = json.loads(json.dumps(good))
            breakage(doc)
            self.assertNotEqual(sarif.validate(doc), [], f"breakage {i} passed")


class Junit(DnsTestCase):
    def junit(self, *args):
        r = run(*args, "--format", "junit")
        return r, ET.fromstring(r.stdout)

    def test_testcases_and_failures(self):
        path = proposed("broken.test.zone")
        r, root = self.junit("--zone", path, "--offline")
        self.assertExit(r, 1)
        self.assertEqual(root.tag, "testsuites")
        suite = root.find("testsuite")
        self.assertEqual(suite.get("name"), "broken.test")
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        self.assertEqual(
            set(cases),
            {"mx", "spf", "dmarc", "dkim", "mta-sts", "tls-rpt", "bimi", "dnssec", "dane",
             "provider", "reports", "dns"},
        )
        self.assertEqual(suite.get("tests"), "12")
        self.assertEqual(suite.get("failures"), "1")
        failure = cases["spf"].find("failure")
        self.assertEqual(failure.get("type"), "spf.multiple")
        self.assertEqual(cases["spf"].get("file"), path)
        self.assertIn(f"{path}:{line_of(path, 'v=spf1')}: error: spf.multiple:", failure.text)
        self.assertIsNone(cases["dns"].find("failure"))  # dns.offline never fails
        # the SPF permerror misses the mailbox providers' rules: a warning, listed
        self.assertIsNone(cases["provider"].find("failure"))
        self.assertIn("provider.gmail-yahoo", cases["provider"].find("system-out").text)
        self.assertIn("dns.offline", cases["dns"].find("system-out").text)

    def test_fail_on_moves_failures_to_output(self):
        r, root = self.junit("--zone", proposed("broken.test.zone"), "--offline", "--fail-on",
                             "never")
        self.assertExit(r, 0)
        self.assertEqual(root.findall(".//failure"), [])
        self.assertIn("spf.multiple", root.find(".//testcase[@name='spf']/system-out").text)

    def test_dns_failure_is_an_error(self):
        r, root = self.junit("--resolver", nsd.address, "--timeout", "300", "--retries", "0",
                             "outside.example")
        self.assertExit(r, 3)
        self.assertEqual(len(root.findall(".//error")), 1)


class Live(DnsTestCase):
    """The proposed zone in front of the live DNS that NSD plays."""

    def test_zone_overrides_published_records(self):
        doc = live("--format", "json", "gate.test").json()  # as published
        self.assertEqual(doc["spf"]["record"], "v=spf1 -all")
        r = live("--zone", proposed("gate.test.zone"), "--format", "json", "-v")
        doc = r.json()
        self.assertEqual(doc["spf"]["record"], "v=spf1 include:_spf.provider.test -all")
        self.assertEqual(doc["dmarc"]["policy"], "none")
        self.assertNotIn("dns.offline", finding_ids(doc))
        # in the zone: never asked of the server; outside: asked, and answered
        for q in doc["queries"]:
            # where the records came from: a CNAME's target decides
            name = q["cnames"][-1] if q.get("cnames") else q["name"]
            inside = name == "gate.test" or name.endswith(".gate.test")
            self.assertEqual(q["source"], "zone" if inside else "live", q)
        walk = [q for q in doc["queries"] if q["name"] == "_dmarc.test"][0]
        self.assertEqual(walk["status"], "nxdomain")

    def test_cname_out_of_the_zone_is_looked_up(self):
        doc = live("--zone", proposed("gate.test.zone"), "--format", "json", "-v").json()
        sel = [s for s in doc["dkim"]["selectors"] if s["selector"] == "selector1"]
        self.assertEqual(len(sel), 1, doc["dkim"])
        self.assertEqual(sel[0]["found_at"], "sel1.dkim.provider.test")
        self.assertTrue(sel[0]["record"].endswith("providerkey"))
        q = [q for q in doc["queries"] if q["name"] == "selector1._domainkey.gate.test"][0]
        self.assertEqual(q["cnames"], ["sel1.dkim.provider.test"])
        self.assertEqual(q["source"], "live")  # the records came from the provider's server

    def test_policy_inherited_from_the_live_parent(self):
        doc = live("--zone", proposed("news.gate.test.zone"), "--format", "json").json()
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.gate.test")
        self.assertTrue(doc["dmarc"]["inherited"])
        self.assertEqual(doc["dmarc"]["policy"], "quarantine")  # sp= of the published parent

    def test_missing_record_points_at_the_zone(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "nodmarc.test.zone")
            with open(path, "w") as f:
                f.write("$ORIGIN nodmarc.test.\n$TTL 300\n"
                        "@ SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n"
                        "@ TXT \"v=spf1 include:_spf.provider.test -all\"\n")
            r = live("--zone", path, "--format", "json")
            self.assertExit(r, 1)
            missing = findings(r.json(), "dmarc.missing")
            self.assertEqual(missing[0]["location"], {"file": path, "line": 3})


    def test_include_outside_the_zone_is_counted_live(self):
        """An include outside the proposed zone is counted through live DNS
        when a resolver is given; offline it is not asked and the count is a
        lower bound."""
        path = proposed("gate.test.zone")
        r = live("--zone", path, "--format", "json", "-v")
        doc = r.json()
        asked = {(q["name"], q["type"]): q for q in doc["queries"]}
        for name in ("_spf.provider.test", "_spf2.provider.test"):  # and what it includes
            q = asked[(name, "TXT")]
            self.assertEqual((q["source"], q["status"]), ("live", "ok"), q)
        self.assertEqual(asked[("gate.test", "TXT")]["source"], "zone")
        self.assertEqual(doc["spf"]["lookups"], 2)  # include:_spf.provider.test, include:_spf2
        self.assertFalse(doc["spf"]["lower_bound"])
        child = doc["spf"]["tree"]["children"][0]
        self.assertEqual((child["name"], child["status"], child["lookups"]),
                         ("_spf.provider.test", "ok", 2))
        self.assertEqual(child["record"],
                         "v=spf1 ip4:192.0.2.0/24 include:_spf2.provider.test -all")
        self.assertNotIn("dns.offline", finding_ids(doc))

        r = run("--zone", path, "--offline", "--format", "json", "-v")
        doc = r.json()
        asked = {(q["name"], q["type"]): q for q in doc["queries"]}
        q = asked[("_spf.provider.test", "TXT")]
        self.assertEqual((q["source"], q["status"]), ("none", "unknown"), q)
        self.assertNotIn(("_spf2.provider.test", "TXT"), asked)
        self.assertEqual(doc["spf"]["lookups"], 1)
        self.assertTrue(doc["spf"]["lower_bound"])
        self.assertEqual(doc["spf"]["tree"]["children"][0]["status"], "not-followed")
        self.assertNotIn("spf.include-missing", finding_ids(doc))  # not asked is not missing
        offline = findings(doc, "dns.offline")
        self.assertEqual(len(offline), 1)
        self.assertIn("_spf.provider.test", offline[0]["message"])
        text = run("--zone", path, "--offline").text
        self.assertIn("at least 1 DNS lookups", text)


class OfflineDmarc(DnsTestCase):
    """--offline: the DMARC tree walk above the zone is not asked, yet a zone
    that publishes no DMARC record still fails the gate."""

    ZONE = ("; no _dmarc record\n$ORIGIN nodmarc.test.\n$TTL 300\n"
            "@ NS ns.test.\n"                                       # 4: the domain's first line
            "@ SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n"
            "@ MX 10 mx.provider.test.\n"
            "@ TXT \"v=spf1 include:_spf.provider.test -all\"\n")

    def test_zone_without_dmarc(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "nodmarc.test.zone")
            with open(path, "w") as f:
                f.write(self.ZONE)
            r = run("--zone", path, "--offline", "--format", "json", "-v")
            self.assertExit(r, 1)
            doc = r.json()
            walk = [q for q in doc["queries"] if q["name"] == "_dmarc.test"][0]
            self.assertEqual((walk["source"], walk["status"]), ("none", "unknown"))
            self.assertEqual(doc["dmarc"]["state"], "missing")
            self.assertIsNone(doc["dmarc"]["record"])
            missing = findings(doc, "dmarc.missing")
            self.assertEqual(len(missing), 1)
            self.assertEqual(missing[0]["severity"], "error")
            self.assertEqual(missing[0]["location"], {"file": path, "line": 4})
            self.assertIn("Not looked up (--offline): _dmarc.test,", missing[0]["message"])
            self.assertEqual(doc["advice"]["current"], "missing")
            self.assertIn("_dmarc.test", findings(doc, "dns.offline")[0]["message"])
            # the gate's outputs say it at the line
            r = run("--zone", path, "--offline")
            self.assertExit(r, 1)
            self.assertIn(f"{path}:4: error: dmarc.missing: ", r.text)
            r = run("--zone", path, "--offline", "--format", "sarif")
            self.assertExit(r, 1)
            sdoc = json.loads(r.stdout)
            self.assertEqual(sarif.validate(sdoc), [])
            res = [x for x in sdoc["runs"][0]["results"] if x["ruleId"] == "dmarc.missing"]
            self.assertEqual(res[0]["level"], "error")
            self.assertEqual(res[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 4)
            self.assertExit(run("--zone", path, "--offline", "--fail-on", "never"), 0)
            # with a resolver, the parent zone answers NXDOMAIN: the plain message
            doc = live("--zone", path, "--format", "json").json()
            missing = findings(doc, "dmarc.missing")
            self.assertEqual(missing[0]["location"], {"file": path, "line": 4})
            self.assertNotIn("--offline", missing[0]["message"])

    def test_a_subdomain_zone_stays_unknown(self):
        """The Organizational Domain's record (sp=) normally applies to a
        subdomain's own zone: offline that is unknown, not missing."""
        doc = run("--zone", proposed("news.gate.test.zone"), "--offline", "--format", "json").json()
        self.assertEqual(doc["dmarc"]["state"], "unknown")
        self.assertNotIn("dmarc.missing", finding_ids(doc))
        self.assertIn("_dmarc.gate.test", findings(doc, "dns.offline")[0]["message"])


class Japanese(DnsTestCase):
    """A parser's reason inside a Japanese message is Japanese too."""

    def test_syntax_reasons(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ja.test.zone")
            with open(path, "w") as f:
                f.write("$ORIGIN ja.test.\n$TTL 300\n@ SOA ns.test. h.test. 1 1 1 1 1\n"
                        "@ NS ns.test.\n"
                        '@ TXT "v=spf1 ip4:192.0.2.1/33 -all"\n'
                        '_dmarc TXT "v=DMARC1; p=none; rua=mailto:d@ja.test"\n'
                        'google._domainkey TXT "v=DKIM1; k=rsa; p=MIIB*AAA"\n'
                        'selector1._domainkey TXT "v=DKIM1; k=rsa; p=MIIBIjAN; p=AAAA"\n')
            r = run("--zone", path, "--offline", "--lang", "ja", "ja.test")
            # --ip: the receiver's verdict says why in Japanese too
            verdict = run("--zone", path, "--offline", "--lang", "ja", "--ip", "192.0.2.1",
                          "ja.test")
        # the label is padded to 12 columns, as "because" is: 理由 is four
        self.assertIn("\n            理由         ja.test のレコードの 22 桁目に構文エラーがあります: "
                      "IPv4 のプレフィックス長", verdict.text)
        lines = [l for l in r.text.splitlines() if re.search(r": (error|warning): (spf|dkim)\.", l)]
        text = "\n".join(lines)
        for phrase in ("IPv4 のプレフィックス長は 0 から 32 で",
                       "p= の base64 が 23 桁目 '*' で壊れています: base64 では使わない文字です",
                       "構文エラーがあります: 同じタグが 2 回あります"):
            self.assertIn(phrase, text)
        for line in lines:
            self.assertIsNone(re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", line), line)


class Baseline(DnsTestCase):
    def save(self, tmp, *args):
        r = run(*args, "--format", "json")
        path = os.path.join(tmp, "baseline.json")
        with open(path, "wb") as f:
            f.write(r.stdout)
        return path

    def test_only_what_got_worse_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            zone = os.path.join(tmp, "broken.test.zone")
            shutil.copy(proposed("broken.test.zone"), zone)
            base = self.save(tmp, "--zone", zone, "--offline")
            # the same zone: its known error no longer fails the gate
            r = run("--zone", zone, "--offline", "--baseline", base, "--format", "json")
            self.assertExit(r, 0)
            for f in r.json()["findings"]:
                self.assertEqual(f["baseline"], "unchanged")
            # lines moving does not make a finding new
            with open(zone) as f:
                text = f.read()
            with open(zone, "w") as f:
                f.write("; a comment added on top\n\n" + text)
            self.assertExit(run("--zone", zone, "--offline", "--baseline", base), 0)
            # a weaker policy is worse
            with open(zone, "w") as f:
                f.write(text.replace("p=reject", "p=none"))
            r = run("--zone", zone, "--offline", "--baseline", base, "--format", "sarif")
            self.assertExit(r, 1)
            doc = json.loads(r.stdout)
            self.assertEqual(sarif.validate(doc), [])
            states = {res["ruleId"]: res["baselineState"] for res in doc["runs"][0]["results"]}
            self.assertEqual(states["baseline.policy-weaker"], "new")
            self.assertEqual(states["spf.multiple"], "unchanged")
            # --fail-on still decides for the new findings
            self.assertExit(run("--zone", zone, "--offline", "--baseline", base, "--fail-on",
                                "never"), 0)

    def test_text_marks_known_findings(self):
        with tempfile.TemporaryDirectory() as tmp:
            base = self.save(tmp, "--zone", proposed("broken.test.zone"), "--offline")
            r = run("--zone", proposed("broken.test.zone"), "--offline", "--baseline", base)
            # the finding line, not the SPF line that names it too
            line = [l for l in r.text.splitlines() if "spf.multiple:" in l][0]
            self.assertTrue(line.endswith("(in the baseline)"), line)

    def test_array_and_lines_are_accepted(self):
        with tempfile.TemporaryDirectory() as tmp:
            args = ["--zone", proposed("broken.test.zone"), "--zone", proposed("gate.test.zone"),
                    "--offline"]
            base = self.save(tmp, *args)
            with open(base) as f:
                self.assertIsInstance(json.load(f), list)
            self.assertExit(run(*args, "--baseline", base), 0)
            lines = os.path.join(tmp, "base.jsonl")
            with open(lines, "wb") as f:
                f.write(run(*args, "--format", "jsonl").stdout)
            self.assertExit(run(*args, "--baseline", lines), 0)

    def test_bad_baselines(self):
        with tempfile.TemporaryDirectory() as tmp:
            cases = [("missing.json", None, "missing.json: No such file"),
                     ("empty.json", "", "empty"),
                     ("broken.json", "[{\"domain\": \"a.test\",\n \"findings\": [", "broken.json:2:"),
                     ("other.json", "{\"name\": \"x\"}", "not a dmarc-doctor JSON result")]
            for name, text, what in cases:
                path = os.path.join(tmp, name)
                if text is not None:
                    with open(path, "w") as f:
                        f.write(text)
                r = run("--zone", proposed("broken.test.zone"), "--offline", "--baseline", path)
                self.assertExit(r, 2)
                self.assertIn(what, r.stderr.decode())
                self.assertEqual(r.stdout, b"")


class Corpus(DnsTestCase):
    """The real-world zones: every one loads, and their known mistakes are found."""

    def zones(self):
        found = sorted(glob.glob(os.path.join(CORPUS, "bind", "*", "*.zone")) +
                       glob.glob(os.path.join(CORPUS, "bind", "ocf", "etc", "zones", "*")) +
                       glob.glob(os.path.join(CORPUS, "octodns", "*", "*.yaml")))
        self.assertEqual(len(found), 14)
        return found

    def test_every_zone_loads_offline(self):
        for path in self.zones():
            r = run("--zone", path, "--offline", "--format", "json")
            self.assertIn(r.code, (0, 1), (path, r))
            self.assertEqual(r.stderr, b"", path)
            doc = r.json()
            self.assertEqual(doc["status"], "ok", path)
            self.assertEqual(doc["spf"]["state"], "found", path)  # each publishes SPF
            for f in doc["findings"]:
                self.assertTrue(f["location"]["file"].startswith(CORPUS), (path, f))
            r = run("--zone", path, "--offline", "--format", "sarif")
            self.assertEqual(sarif.validate(json.loads(r.stdout)), [], path)

    def test_known_mistakes_at_their_lines(self):
        global tld_nsd
        if not tld_nsd:  # the top-level zones, empty, as the rest of the world
            tmp = tempfile.mkdtemp(prefix="dd-tld-")
            zones = {}
            for tld in ("com", "net", "org", "io", "in", "su", "edu", "uk"):
                path = os.path.join(tmp, tld + ".zone")
                with open(path, "w") as f:
                    f.write(f"$ORIGIN {tld}.\n@ 300 SOA ns.{tld}. h.{tld}. 1 3600 600 86400 300\n"
                            f"@ 300 NS ns.{tld}.\nns 300 A 127.0.0.1\n")
                zones[tld] = path
            tld_nsd = Nsd(zones).start()
        rows = 0
        with open(os.path.join(CORPUS, "KNOWN-MISTAKES.txt")) as table:
            for text in table:
                if not text.strip() or text.startswith("#"):
                    continue
                file, domain, line, fid, *options = shlex.split(text)
                path = os.path.join(CORPUS, file)
                r = run("--zone", path, "--resolver", tld_nsd.address, "--timeout", "300",
                        "--format", "json", *options, domain)
                doc = r.json()
                self.assertEqual(doc["domain"], domain)
                if fid.startswith("!"):
                    self.assertNotIn(fid[1:], finding_ids(doc), (text, doc["findings"]))
                else:
                    # file and line (a column, where the finding has one, is extra)
                    where = [(f["location"]["file"], f["location"]["line"])
                             for f in findings(doc, fid) if f.get("location")]
                    self.assertIn((path, int(line)), where, (text, doc["findings"]))
                rows += 1
        self.assertGreaterEqual(rows, 22)


if __name__ == "__main__":
    unittest.main()
