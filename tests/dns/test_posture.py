"""End to end: MX hosts, MTA-STS, TLS-RPT and BIMI against real servers on
loopback - NSD for DNS (testdata/zones/posture/test.zone) and nginx for
HTTPS, with a test CA and certificates made in a temporary directory.

Every web name resolves to 127.0.0.1 in the zone; DMARC_DOCTOR_TEST_HTTPS_PORT
sends the fetches to nginx's free port, so they go to the address our own
resolver found, never through the system resolver. nginx serves good and
bad policies and logos, a redirect, an oversized body, a slow body, a 404,
a cookie on every answer of one host, and certificates for another name,
self-signed and expired.
"""

import base64
import gzip
import hashlib
import os
import re
import shutil
import tempfile
import unittest

from harness import DnsTestCase, Nsd, TESTDATA, finding_ids, findings, run, zones_in
from https import Nginx, Pki

nsd = nginx = tmp = pki = None

GOOD_POLICY = "version: STSv1\nmode: enforce\nmx: mx1.good.test\nmx: *.good.test\nmax_age: 604800\n"
BAD_POLICY = ("version: STSv2\nmode: enforcing\nmax_age: 99999999999\nmx: mx.stsbad.test\n"
              "this is not a field\n")
TESTING_POLICY = "version: STSv1\nmode: testing\nmx: mx1.testing.test\nmax_age: 3600\n"
NONE_POLICY = "version: STSv1\nmode: none\nmax_age: 86400\n"


def der(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + content


def logotype_ext(svg):
    """RFC 3709 LogotypeExtn with the subject logo as a gzip data: URI and its SHA-256."""
    data = gzip.compress(svg, mtime=0)
    uri = b"data:image/svg+xml;base64," + base64.b64encode(data)
    sha256 = der(0x06, bytes.fromhex("608648016503040201"))
    hav = der(0x30, der(0x30, sha256) + der(0x04, hashlib.sha256(data).digest()))
    details = der(0x30, der(0x16, b"image/svg+xml") + der(0x30, hav) + der(0x30, der(0x16, uri)))
    image = der(0x30, details)
    extn = der(0x30, der(0xA2, der(0xA0, der(0x30, image))))
    return "1.3.6.1.5.5.7.1.12=DER:" + extn.hex()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def setUpModule():
    global nsd, nginx, tmp, pki
    tmp = tempfile.mkdtemp(prefix="dd-https-")
    nsd = Nsd(zones_in("posture")).start()
    pki = Pki(tmp)
    names = ["mta-sts.good.test", "bimi.good.test", "mta-sts.stsbad.test", "bimi.stsbad.test",
             "mta-sts.redirect.test", "mta-sts.big.test", "mta-sts.slow.test",
             "mta-sts.notfound.test", "mta-sts.testing.test", "mta-sts.stsnone.test"]
    cert, key = pki.issue("server", names)
    other = pki.issue("other", ["other.test"])
    selfsigned = pki.issue("selfsigned", ["mta-sts.selfsigned.test"], self_signed=True)
    expired = pki.issue("expired", ["mta-sts.expired.test"], start="20200101000000Z",
                        end="20200201000000Z")
    with open(os.path.join(TESTDATA, "posture", "logo.svg"), "rb") as f:
        logo = f.read()
    with open(os.path.join(TESTDATA, "posture", "other-logo.svg"), "rb") as f:
        other_logo = f.read()
    vmc, _ = pki.issue("vmc", ["good.test"], extra_ext=logotype_ext(logo))
    vmc_bad, _ = pki.issue("vmc-bad", ["other.test"], start="20200101000000Z",
                           end="20200201000000Z", extra_ext=logotype_ext(other_logo))
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    write(os.path.join(www, "good.txt"), GOOD_POLICY)
    write(os.path.join(www, "bad.txt"), BAD_POLICY)
    write(os.path.join(www, "testing.txt"), TESTING_POLICY)
    write(os.path.join(www, "none.txt"), NONE_POLICY)
    write(os.path.join(www, "big.txt"), GOOD_POLICY + "x" * (70 * 1024))
    write(os.path.join(www, "slow.txt"), GOOD_POLICY + "#" * 200)
    shutil.copy(os.path.join(TESTDATA, "posture", "logo.svg"), www)
    # a valid logo padded past the 32 KiB of SVG Tiny PS, under the 64 KiB fetch cap
    write(os.path.join(www, "big.svg"),
          logo.replace(b"</svg>", b"<!--" + b"x" * (40 * 1024) + b"-->\n</svg>"))
    shutil.copy(os.path.join(TESTDATA, "posture", "bad.svg"), www)
    shutil.copy(vmc, os.path.join(www, "vmc.pem"))
    shutil.copy(vmc_bad, os.path.join(www, "vmc-bad.pem"))

    def policy(file, ctype="text/plain", extra=""):
        return (f"        location = /.well-known/mta-sts.txt {{ types {{ }} default_type {ctype}; "
                f"alias {www}/{file}; {extra} }}\n")

    servers = [
        {"name": "mta-sts.good.test", "locations": policy("good.txt")},
        # sets a cookie on every answer: no later fetch may send it back
        {"name": "bimi.good.test",
         "locations": f"        root {www};\n        add_header Set-Cookie \"dd=1; Path=/\";\n"},
        {"name": "mta-sts.stsbad.test", "locations": policy("bad.txt", "text/html")},
        {"name": "bimi.stsbad.test", "locations": f"        root {www};\n"},
        {"name": "mta-sts.redirect.test",
         "locations": "        location / { return 301 https://mta-sts.good.test/.well-known/mta-sts.txt; }\n"},
        {"name": "mta-sts.big.test", "locations": policy("big.txt")},
        {"name": "mta-sts.slow.test", "locations": policy("slow.txt", extra="limit_rate 20;")},
        {"name": "mta-sts.notfound.test", "locations": "        location / { return 404; }\n"},
        {"name": "mta-sts.testing.test", "locations": policy("testing.txt")},
        {"name": "mta-sts.stsnone.test", "locations": policy("none.txt")},
    ]
    for s in servers:
        s["cert"], s["key"] = cert, key
    servers += [
        {"name": "mta-sts.othername.test", "cert": other[0], "key": other[1],
         "locations": policy("good.txt")},
        {"name": "mta-sts.selfsigned.test", "cert": selfsigned[0], "key": selfsigned[1],
         "locations": policy("good.txt")},
        {"name": "mta-sts.expired.test", "cert": expired[0], "key": expired[1],
         "locations": policy("good.txt")},
    ]
    nginx = Nginx(tmp, servers).start()


def tearDownModule():
    if nginx:
        nginx.stop()
    if nsd:
        nsd.stop()
    shutil.rmtree(tmp, ignore_errors=True)


def check(*args, **kw):
    env = {"DMARC_DOCTOR_TEST_HTTPS_PORT": str(nginx.port)}
    return run("--resolver", nsd.address, "--timeout", "500", "--ca-file", pki.ca, *args,
               env=env, **kw)


def doc(*args):
    r = check("--format", "json", *args)
    return r, r.json()


class MxHosts(DnsTestCase):
    def test_host_list(self):
        r, d = doc("good.test")
        self.assertEqual(d["mx"]["hosts"], 2)  # the contract: still the count
        hosts = d["mx"]["host_list"]
        self.assertEqual([(h["name"], h["preference"]) for h in hosts],
                         [("mx1.good.test", 10), ("mx2.good.test", 20)])
        self.assertEqual((hosts[0]["a"], hosts[0]["aaaa"]), (1, 0))
        self.assertEqual((hosts[1]["a"], hosts[1]["aaaa"]), (0, 1))
        self.assertFalse([i for i in finding_ids(d) if i.startswith("mx.")])
        text = check("good.test").text
        self.assertIn("MX      10 mx1.good.test, 20 mx2.good.test", text)

    def test_every_defect(self):
        r, d = doc("mxbad.test")
        ids = finding_ids(d)
        self.assertEqual(findings(d, "mx.host-cname")[0]["message"].count("real.mxbad.test"), 1)
        self.assertIn("192.0.2.9", findings(d, "mx.ip-literal")[0]["message"])
        self.assertIn("nowhere.mxbad.test", findings(d, "mx.host-no-address")[0]["message"])
        self.assertEqual(len(findings(d, "mx.duplicate")), 1)
        self.assertIn("mx.null-mixed", ids)
        self.assertFalse(d["mx"]["null_mx"])
        names = [h["name"] for h in d["mx"]["host_list"]]
        self.assertEqual(names[0], ".")
        self.assertIn("192.0.2.9", names)
        text = check("mxbad.test").text
        self.assertIn("10 alias.mxbad.test (CNAME)", text)
        self.assertIn("30 nowhere.mxbad.test (no address)", text)
        self.assertIn("20 192.0.2.9 (IP address)", text)


    def test_csv_columns(self):
        import csv
        import io
        rows = list(csv.DictReader(io.StringIO(check("--format", "csv", "good.test").text)))
        self.assertEqual(rows[0]["mx_hosts"], "mx1.good.test mx2.good.test")
        self.assertEqual((rows[0]["mta_sts_state"], rows[0]["mta_sts_mode"]), ("found", "enforce"))
        self.assertEqual((rows[0]["tls_rpt_state"], rows[0]["bimi_state"]), ("found", "found"))


class MtaSts(DnsTestCase):
    def test_good(self):
        r, d = doc("good.test")
        m = d["mta_sts"]
        self.assertEqual((m["state"], m["policy_state"], m["fetch"]), ("found", "found", "ok"))
        self.assertEqual((m["mode"], m["max_age"], m["id"]), ("enforce", 604800, "20261203"))
        self.assertEqual(m["mx"], ["mx1.good.test", "*.good.test"])
        self.assertEqual(m["unmatched_mx"], [])
        self.assertFalse([i for i in finding_ids(d) if i.startswith(("mta-sts.", "tls-rpt."))], d)
        self.assertIn("MTA-STS v=STSv1; id=20261203  (policy: mode enforce, max_age 604800, 2 mx)",
                      check("good.test").text)
        self.assertTrue(any("/.well-known/mta-sts.txt" in line for line in nginx.requests()))

    def test_bad_policy(self):
        r, d = doc("stsbad.test")
        self.assertEqual(findings(d, "mta-sts.media-type")[0]["message"].count("text/html"), 1)
        syntax = [f["message"] for f in findings(d, "mta-sts.policy-syntax")]
        for what in ("version is not STSv1", "mode is not", "max_age is not", "not \"key: value\""):
            self.assertTrue(any(what in s for s in syntax), (what, syntax))
        self.assertIn("the id is not", findings(d, "mta-sts.record-syntax")[0]["message"])
        self.assertEqual(len(findings(d, "mta-sts.wrong-place")), 1)

    def test_testing_mode_and_mx_mismatch(self):
        r, d = doc("testing.test")
        self.assertIn("mta-sts.testing", finding_ids(d))
        self.assertIn("mta-sts.max-age-low", finding_ids(d))
        mism = findings(d, "mta-sts.mx-mismatch")
        self.assertEqual(len(mism), 1)
        self.assertEqual(mism[0]["severity"], "warning")  # testing: not yet enforced
        self.assertIn("backup.other.test", mism[0]["message"])
        self.assertEqual(d["mta_sts"]["unmatched_mx"], ["backup.other.test"])

    def fetch_failure(self, domain):
        r, d = doc(domain)
        self.assertEqual(d["mta_sts"]["state"], "found")
        return d["mta_sts"], findings(d, "mta-sts.policy-unavailable")

    def test_failures_each_named(self):
        for domain, status in (("redirect.test", "redirect-refused"), ("big.test", "too-large"),
                               ("othername.test", "tls-error"), ("selfsigned.test", "tls-error"),
                               ("expired.test", "tls-error"), ("notfound.test", "http-error"),
                               ("noaddr.test", "no-address")):
            with self.subTest(domain=domain):
                m, fs = self.fetch_failure(domain)
                self.assertEqual(m["fetch"], status)
                self.assertEqual(m["policy_state"], "missing")
                self.assertEqual(len(fs), 1)
                self.assertEqual(fs[0]["severity"], "error")
                if status == "tls-error":  # curl's words say which check failed
                    self.assertRegex(fs[0]["message"], r"could not be fetched: the TLS handshake "
                                     r'or the certificate check failed: "[^"]*certificate[^"]*"; ')
        m, fs = self.fetch_failure("notfound.test")
        self.assertEqual(m["http_status"], 404)
        self.assertIn("HTTP status 404", fs[0]["message"])

    def test_connects_where_the_dns_says(self):
        """HTTP goes to the address our resolver found: 127.0.0.2 has no server."""
        m, fs = self.fetch_failure("elsewhere.test")
        self.assertEqual(m["fetch"], "connect-error")
        self.assertIn('could not be fetched: the connection failed (refused or unreachable): "',
                      fs[0]["message"])
        # a proposed zone file moves mta-sts.good.test: --zone decides for HTTP too
        zone = os.path.join(tmp, "good.test.zone")
        write(zone, "$ORIGIN good.test.\n$TTL 300\n@ SOA ns.test. h.test. 1 3600 600 86400 300\n"
              "@ MX 10 mx1\nmx1 A 192.0.2.1\n_mta-sts TXT \"v=STSv1; id=9\"\n"
              "mta-sts A 127.0.0.2\n")
        d = check("--zone", zone, "--format", "json", "good.test").json()
        self.assertEqual(d["mta_sts"]["fetch"], "connect-error")
        self.assertEqual(d["mta_sts"]["id"], "9")

    def test_slow_server_times_out(self):
        m, fs = self.fetch_failure("slow.test")
        self.assertEqual(m["fetch"], "timeout")
        self.assertEqual(m["policy_state"], "undetermined")
        self.assertEqual(fs[0]["severity"], "warning")

    def test_no_http_is_unknown_not_missing(self):
        r, d = doc("--no-http", "good.test")
        self.assertEqual(d["mta_sts"]["policy_state"], "unknown")
        self.assertEqual(d["mta_sts"]["fetch"], "not-fetched")
        self.assertEqual(d["bimi"]["logo_fetch"], "not-fetched")
        self.assertNotIn("mta-sts.policy-unavailable", finding_ids(d))
        self.assertIn("not fetched (--offline or --no-http)", check("--no-http", "good.test").text)

    def test_zone_offline_line_numbers(self):
        path = os.path.join(TESTDATA, "zones", "posture", "test.zone")
        r = run("--zone", f"{path}=test", "--offline", "--format", "json", "stsbad.test")
        d = r.json()
        self.assertEqual(d["mta_sts"]["policy_state"], "unknown")
        with open(path) as z:
            lines = z.read().splitlines()
        expected = {"stsbad.test": (("mta-sts.record-syntax", "_mta-sts.stsbad TXT"),
                                    ("tls-rpt.multiple", "_smtp._tls.stsbad TXT"),
                                    ("mta-sts.wrong-place", "stsbad TXT \"v=STSv1")),
                    "mxbad.test": (("mx.host-cname", "mxbad MX 10 alias.mxbad"),
                                   ("mx.ip-literal", "mxbad MX 20 192.0.2.9."),
                                   ("mx.host-no-address", "mxbad MX 30 nowhere.mxbad"),
                                   ("mx.duplicate", "mxbad MX 50 real.mxbad.test.")),
                    "bimisyntax.test": (("bimi.syntax", "default._bimi.bimisyntax TXT"),),
                    "rptbad.test": (("tls-rpt.bad-rua", "_smtp._tls.rptbad TXT"),)}
        for domain, want in expected.items():
            if domain != "stsbad.test":
                d = run("--zone", f"{path}=test", "--offline", "--format", "json", domain).json()
            for fid, start in want:
                loc = findings(d, fid)[0]["location"]
                self.assertEqual(loc["file"], f"{path}")
                self.assertTrue(lines[loc["line"] - 1].startswith(start), (fid, loc))


    def test_multiple_records_and_mode_none(self):
        r, d = doc("stsmulti.test")
        multi = findings(d, "mta-sts.multiple")
        self.assertEqual(len(multi), 1)
        self.assertIn("2", multi[0]["message"])
        # RFC 8461 §3.1: not one record, no policy: a sender fetches nothing
        self.assertEqual((d["mta_sts"]["policy_state"], d["mta_sts"]["fetch"]), (None, None))
        self.assertFalse([l for l in nginx.requests() if l.startswith("mta-sts.stsmulti.")])
        r, d = doc("stsnone.test")
        self.assertEqual((d["mta_sts"]["fetch"], d["mta_sts"]["mode"]), ("ok", "none"))
        self.assertIn("mta-sts.mode-none", finding_ids(d))
        self.assertNotIn("mta-sts.mode-none", finding_ids(doc("good.test")[1]))


class TlsRpt(DnsTestCase):
    def test_good(self):
        r, d = doc("good.test")
        self.assertEqual(d["tls_rpt"]["rua"], ["mailto:tls@good.test", "https://reports.good.test/tls"])

    def test_multiple(self):
        r, d = doc("stsbad.test")
        self.assertEqual(findings(d, "tls-rpt.multiple")[0]["message"].count("2"), 1)

    def test_bad_rua_and_syntax(self):
        r, d = doc("rptbad.test")
        bad = findings(d, "tls-rpt.bad-rua")
        self.assertEqual(len(bad), 1)
        self.assertIn("ftp://reports.rptbad.test/", bad[0]["message"])
        self.assertNotIn("tls-rpt.syntax", finding_ids(d))
        r, d = doc("rptsyntax.test")
        self.assertIn("no rua", findings(d, "tls-rpt.syntax")[0]["message"])
        self.assertNotIn("tls-rpt.bad-rua", finding_ids(d))
        for fid in ("tls-rpt.bad-rua", "tls-rpt.syntax"):
            self.assertNotIn(fid, finding_ids(doc("good.test")[1]))

    def test_missing_beside_mta_sts(self):
        r, d = doc("testing.test")
        self.assertIn("tls-rpt.missing", finding_ids(d))
        r, d = doc("mxbad.test")  # no MTA-STS: no TLS-RPT needed
        self.assertNotIn("tls-rpt.missing", finding_ids(d))


class Bimi(DnsTestCase):
    def test_good(self):
        r, d = doc("good.test")
        b = d["bimi"]
        self.assertEqual((b["state"], b["dmarc_allows"], b["logo_ok"], b["authority_ok"]),
                         ("found", True, True, True), d)
        self.assertRegex(b["authority_not_after"], r"^\d{4}-\d\d-\d\dT")
        self.assertFalse([i for i in finding_ids(d) if i.startswith("bimi.")], d)
        self.assertIn("(logo: ok; certificate: ok)", check("good.test").text)

    def test_bad_svg_and_dmarc_none(self):
        r, d = doc("stsbad.test")
        svg = " ".join(f["message"] for f in findings(d, "bimi.svg-invalid"))
        for what in ("baseProfile", "no <title>", "a script", "external reference", "animation",
                     "not square", "x or y"):
            self.assertIn(what, svg)
        self.assertIn("p=none", findings(d, "bimi.dmarc-not-enforcing")[0]["message"])
        self.assertIn("bimi.no-authority", finding_ids(d))

    def test_selector(self):
        r, d = doc("--bimi-selector", "brand", "stsbad.test")
        self.assertEqual(d["bimi"]["found_at"], "brand._bimi.stsbad.test")
        self.assertTrue(d["bimi"]["logo_ok"])

    def test_certificate_defects(self):
        r, d = doc("vmcbad.test")
        ids = finding_ids(d)
        for fid in ("bimi.cert-expired", "bimi.cert-san-mismatch", "bimi.cert-logo-mismatch",
                    "bimi.dmarc-not-enforcing"):
            self.assertIn(fid, ids)
        self.assertIn("pct=50", findings(d, "bimi.dmarc-not-enforcing")[0]["message"])
        self.assertIn("2020-02-01", findings(d, "bimi.cert-expired")[0]["message"])
        self.assertFalse(d["bimi"]["authority_ok"])


    def test_multiple_and_syntax(self):
        r, d = doc("bimimulti.test")
        self.assertIn("2", findings(d, "bimi.multiple")[0]["message"])
        r, d = doc("bimisyntax.test")
        self.assertIn("l= is not an https:// URL", findings(d, "bimi.syntax")[0]["message"])
        self.assertIsNone(d["bimi"]["logo_url"])  # http:// is never fetched
        for fid in ("bimi.multiple", "bimi.syntax"):
            self.assertNotIn(fid, finding_ids(doc("good.test")[1]))

    def test_logo_and_certificate_unavailable(self):
        r, d = doc("bimigone.test")
        b = d["bimi"]
        self.assertEqual((b["logo_fetch"], b["authority_fetch"]), ("http-error", "http-error"))
        self.assertIn("gone.svg", findings(d, "bimi.logo-unavailable")[0]["message"])
        self.assertIn("gone.pem", findings(d, "bimi.cert-unavailable")[0]["message"])

    def test_logo_over_32_kib(self):
        r, d = doc("bimibig.test")
        self.assertEqual(d["bimi"]["logo_fetch"], "ok")  # under the 64 KiB fetch cap
        self.assertFalse(d["bimi"]["logo_ok"])
        svg = [f["message"] for f in findings(d, "bimi.svg-invalid")]
        self.assertEqual(len(svg), 1, svg)
        self.assertIn("larger than 32 KiB", svg[0])


class Japanese(DnsTestCase):
    """The reasons of the MTA-STS, TLS-RPT and BIMI findings are Japanese under --lang ja."""

    def finding_lines(self, domain, prefixes):
        lines = check("--lang", "ja", domain).text.splitlines()
        return [l for l in lines if re.match(r"  \w+ (%s)" % "|".join(map(re.escape, prefixes)), l)]

    def test_reasons(self):
        # the X.509 term "subject alternative name" stays as it is: vmcbad.test's
        # certificate findings are not read here
        cases = {
            "stsbad.test": (["mta-sts", "tls-rpt", "bimi"],
                            ["バージョンが STSv1 ではありません", "\"key: value\" の形でない行",
                             "id が 1 から 32 文字の英数字ではありません",
                             "baseProfile が \"tiny-ps\" ではありません", "スクリプトがあります"]),
            "rptsyntax.test": (["tls-rpt"], ["rua (レポートの送り先) がありません"]),
            "bimisyntax.test": (["bimi"], ["l= が https:// の URL ではありません"]),
            "vmcbad.test": (["bimi.dmarc-not-enforcing"],
                            ["DMARC ポリシー p=quarantine で pct=50 は強制ではない"]),
            "notfound.test": (["mta-sts"], ["を取得できませんでした: HTTP ステータス 404。"]),
            "bimigone.test": (["bimi.logo-unavailable", "bimi.cert-unavailable"],
                              ["を取得できませんでした: HTTP ステータス 404。",
                               "を使えませんでした: HTTP ステータス 404。"]),
            "selfsigned.test": (["mta-sts"], ["TLS のハンドシェイクか証明書の検証に失敗しました: \""]),
            "redirect.test": (["mta-sts"], ["サーバーがリダイレクトを返しました"]),
            "noaddr.test": (["mta-sts"], ["ホストに A レコードも AAAA レコードもありません"]),
        }
        for domain, (prefixes, phrases) in cases.items():
            with self.subTest(domain=domain):
                lines = self.finding_lines(domain, prefixes)
                text = "\n".join(lines)
                for phrase in phrases:
                    self.assertIn(phrase, text)
                for line in lines:
                    # what the policy itself says is quoted, as written; names
                    # such as "SVG Tiny PS" are capitalised, English prose is not
                    unquoted = re.sub(r'"[^"]*"', "", line)
                    self.assertIsNone(re.search(r"[a-z]+ [a-z]+ [a-z]+", unquoted), line)

    def test_fetch_status_on_the_mta_sts_line(self):
        line = [l for l in check("--lang", "ja", "selfsigned.test").text.splitlines()
                if l.startswith("  MTA-STS")][0]
        self.assertIn("取得できません: TLS エラー", line)
        line = [l for l in check("--lang", "en", "selfsigned.test").text.splitlines()
                if l.startswith("  MTA-STS")][0]
        self.assertIn("not fetched: TLS error", line)


class Fetch(DnsTestCase):
    def test_no_cookie_sent_back(self):
        """bimi.good.test sets a cookie on each answer; no fetch of a batch returns it."""
        domains = ["good.test", "vmcbad.test", "bimimulti.test", "bimibig.test", "good.test"]
        check("--format", "jsonl", "-f", "-", stdin="\n".join(domains).encode())
        bimi = [l for l in nginx.requests() if l.startswith("bimi.good.test ")]
        self.assertGreaterEqual(len(bimi), 4, bimi)
        self.assertTrue(all(l.endswith('cookie="-"') for l in bimi), bimi)

    def test_proxy_from_the_environment_ignored(self):
        proxy = "http://127.0.0.1:9"  # discard: nothing listens
        env = {"DMARC_DOCTOR_TEST_HTTPS_PORT": str(nginx.port), "https_proxy": proxy,
               "HTTPS_PROXY": proxy, "ALL_PROXY": proxy, "all_proxy": proxy}
        d = run("--resolver", nsd.address, "--timeout", "500", "--ca-file", pki.ca,
                "--format", "json", "good.test", env=env).json()
        self.assertEqual((d["mta_sts"]["fetch"], d["bimi"]["logo_fetch"]), ("ok", "ok"))


class Text(DnsTestCase):
    def test_one_line_per_area_in_order(self):
        text = check("good.test").text
        self.assertIn("TLS-RPT v=TLSRPTv1; rua=mailto:tls@good.test,https://reports.good.test/tls",
                      text)
        labels = [line.split()[0] for line in text.splitlines()
                  if line.startswith("  ") and line[2:3].isupper()]
        order = ["SPF", "DMARC", "DKIM", "MX", "MTA-STS", "TLS-RPT", "BIMI", "DNSSEC", "DANE"]
        self.assertEqual([l for l in labels if l in order], order, text)


class Batch(DnsTestCase):
    def test_fetches_concurrent_in_a_batch(self):
        """Slow fetches do not hold up the rest: the whole batch ends near one timeout."""
        domains = ["slow.test", "good.test", "testing.test", "stsbad.test", "big.test"] * 3
        r = check("--format", "jsonl", "-f", "-", stdin="\n".join(domains).encode())
        docs = r.jsonl()
        # a domain given again is checked once (issue "Bulk audits")
        self.assertEqual([d["domain"] for d in docs], list(dict.fromkeys(domains)))
        slow = [d for d in docs if d["domain"] == "slow.test"]
        self.assertTrue(all(d["mta_sts"]["fetch"] == "timeout" for d in slow))
        good = [d for d in docs if d["domain"] == "good.test"]
        self.assertTrue(all(d["mta_sts"]["fetch"] == "ok" for d in good))
        # the slow fetch runs beside the others: one total timeout (4 x 500 ms) in all
        self.assertLess(r.elapsed, 5.5, r.elapsed)


if __name__ == "__main__":
    unittest.main()
