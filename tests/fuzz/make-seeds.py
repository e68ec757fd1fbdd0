#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into testdata/fuzz/ (run once;
the output is committed). DNS responses come from NSD serving the pipeline
test zones; records from the test zones and fixtures; zone files and
baselines are the small ones of testdata/ and a few written here.

    make-seeds.py [TARGET...]   only these corpora (default: all)"""

import glob
import os
import random
import re
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "dns"))
from harness import Nsd, zones_in  # noqa: E402

OUT = os.path.join(ROOT, "testdata", "fuzz")


def query(port, name, qtype, do=False):
    q = struct.pack(">HHHHHH", random.randint(0, 65535), 0x0100, 1, 0, 0, 1)  # QD, AN, NS, AR
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", qtype, 1)
    q += b"\0" + struct.pack(">HHIH", 41, 1232, 0x8000 if do else 0, 0)  # EDNS0 (DO)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(q, ("127.0.0.1", port))
        return s.recvfrom(65535)[0]


def wire():
    nsd = Nsd(zones_in("pipeline")).start()
    try:
        asks = [("example.co.jp", 16), ("example.co.jp", 15), ("mail.example.co.jp", 1),
                ("google._domainkey.example.co.jp", 16), ("split.test", 16),
                ("escape.test", 16), ("_dmarc.cname.test", 16), ("_dmarc.loop.cname.test", 16),
                ("big.test", 16), ("nothing.test", 16), ("bare.test", 16),
                ("outside.example", 16), ("xn--wgv71a119e.jp", 15)]
        for i, (name, qtype) in enumerate(asks):
            with open(os.path.join(OUT, "wire", f"{i:02d}-{name}-{qtype}"), "wb") as f:
                f.write(query(nsd.port, name, qtype))
    finally:
        nsd.stop()
    print(f"wire: {len(asks)} responses")


def zone_txt():
    """The text of every quoted TXT record of the test zones."""
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "zones", "*", "*.zone"))):
        for line in open(path, encoding="utf-8", errors="replace"):
            if " TXT " in line and '"' in line:
                yield "".join(line.split('"')[1::2])


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, target, name), mode) as f:
        f.write(data)


def records():
    # the corpus grew by hand after this ran: the zones' TXT records of then,
    # and those of testdata/zones/posture/ (MTA-STS, TLS-RPT, BIMI) after them
    n = 0
    for text in zone_txt():
        write("records", f"{n:03d}", text)
        n += 1
    print(f"records: {n}")


def fixture():
    fixtures = [
        'example.com TXT "v=spf1 include:_spf.example.com -all"\n'
        '_spf.example.com TXT !TIMEOUT\nexample.com MX 10 mail.example.com.\n',
        '*.wild.example.com TXT "w"\nalias.example.com CNAME example.com.\n'
        'dead.example.com ** !SERVFAIL\n_dmarc.example.com TXT "v=DMARC1; p=none"\n',
        'a.example.com A 192.0.2.1\na.example.com AAAA 2001:db8::1\n'
        'x.example.com TXT "a" "b" "\\000\\255"\n',
    ]
    for i, text in enumerate(fixtures):
        write("fixture", f"{i:02d}", text)
    print(f"fixture: {len(fixtures)}")


def spf():
    # one record of each shape (the generated zones hold hundreds that differ in digits only)
    shapes = {}
    for t in zone_txt():
        if t.lower().startswith("v=spf1") and len(t) <= 4096:
            shapes.setdefault(re.sub("[0-9]+", "0", t), t)
    seen = sorted(shapes.values())
    macros = [
        "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all",
        "v=spf1 include:%{d2}.x a:%{h}.%{o} mx:%{p}.%{v} ptr:%{s} -all exp=%{d}",
        "%{c} at %{t} from %{r}: %{I}.%{S}%%%_%-",
        "v=spf1 a:%{d5r.-+,/_=}.example ip6:2001:db8::/32 ip4:192.0.2.0/24 ?all",
        "v=spf1 redirect=%{d}. exp=explain.%{o}",
    ]
    for i, text in enumerate(seen + macros):
        write("spf", f"{i:03d}", text)
    print(f"spf: {len(seen) + len(macros)}")


def small_files(*patterns, limit=500):
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(ROOT, "testdata", pattern))):
            if os.path.getsize(path) <= limit:
                yield path


def zone_bind():
    own = [
        "$ORIGIN example.com.\n$TTL 1h\n@ IN SOA ns. h. ( 1 2 3 4 5 )\n"
        "@ MX 10 mail\n@ TXT \"v=spf1 \" \"mx -all\" ; split\n"
        "* TXT \"wild\\059card \\\"q\\\"\"\nsub DNAME other.example.com.\n"
        "a.b.c.d CNAME _dmarc\n_dmarc CNAME a.b.c.d\n",
        "$INCLUDE example.com.zone\n",
        "$INCLUDE missing.zone sub\nx IN 300 TXT x\n\tTXT y\n",
        "selector1._domainkey 60 IN CNAME s1.onmicrosoft.com.\nns NS ns.other.\n"
        "x.ns A 192.0.2.1\n@ AAAA 2001:db8::1\n",
    ]
    n = 0
    for path in small_files("zones/*/*.zone", "zones/gate/proposed/*.zone"):
        write("zone_bind", f"{n:03d}", open(path, "rb").read())
        n += 1
    for text in own:
        write("zone_bind", f"{n:03d}", text)
        n += 1
    print(f"zone_bind: {n}")


def zone_yaml():
    own = [
        "'':\n  - type: TXT\n    values: [v=spf1 -all, 'a\\; b']\n  - type: MX\n"
        "    value: {exchange: mx.example.com., preference: 10}\n"
        "_dmarc: &d\n  type: TXT\n  value: v=DMARC1\\; p=none\nalias: *d\n"
        "'*._domainkey':\n  type: CNAME\n  value: k.example.net\n"
        "x: {type: Route53Provider/ALIAS, value: {name: y}}\n"
        "srv: {type: SRV, ttl: 60, values: [{priority: 1, weight: 2, port: 3, target: t}]}\n",
        "a: &a [*a]\n",
        "---\n'': {type: A, value: 192.0.2.1}\n---\nb: {}\n",
    ]
    n = 0
    for path in small_files("zones/*/*.yaml", "zones/gate/proposed/*.yaml"):
        write("zone_yaml", f"{n:03d}", open(path, "rb").read())
        n += 1
    for text in own:
        write("zone_yaml", f"{n:03d}", text)
        n += 1
    print(f"zone_yaml: {n}")


def baseline():
    n = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "expected", "golden", "*.json"))):
        write("baseline", f"{n:03d}", open(path, "rb").read())
        n += 1
    own = [
        '{"domain": "example.com", "findings": [{"id": "spf.lookup-limit", '
        '"message": "m", "evidence": {"chain": ["example.com"]}}], '
        '"dmarc": {"state": "found", "policy": "reject"}, "spf": {"lookups": 11}}',
        '{"domain": "a.example", "findings": []}\n\n'
        '{"domain": "example.com", "findings": [{"id": "dkim.weak-key"}], '
        '"dmarc": {"state": "missing"}}\n',
        '[{"domain": "EXAMPLE.com.", "findings": [{"id": "x", "evidence": {"chain": [1]}}]}, 3]',
    ]
    for text in own:
        write("baseline", f"{n:03d}", text)
        n += 1
    print(f"baseline: {n}")


def unpack():
    """Small report containers: files of the report corpus, and e-mails,
    mailboxes and nestings written here (fixed times: the same bytes on
    every run)."""
    import base64
    import gzip
    import io
    import zipfile

    corpus = os.path.join(ROOT, "testdata", "reports", "corpus")
    files = ["parsedmarc/extract_report/nice-input.xml.gz",
             "dmarc-report-converter/test.xml.gz.gz",
             "dmarc-report-converter/test.xml.zip",
             "dmarc-cat/bad.zip", "dmarc-cat/notempty.txt.gz",
             "dmarc-cat/google.com!keltia.net!1538438400!1538524799.zip",
             "stalwart-mail-auth/102.eml", "parsedmarc/mimecast-weird-gzip.eml",
             "dmarc-report-viewer/mailru.xml"]
    seeds = [open(os.path.join(corpus, f), "rb").read() for f in files]
    xml = b'<?xml version="1.0"?>\n<feedback><report_metadata><org_name>x</org_name>' \
          b'<report_id>1</report_id></report_metadata></feedback>\n'

    def gz(data, name=None):
        out = io.BytesIO()
        with gzip.GzipFile(filename=name or "", mode="wb", fileobj=out, mtime=0) as f:
            f.write(data)
        return out.getvalue()

    def zipped(members):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
        return out.getvalue()

    def mail(parts, boundary="b1"):
        body = "".join(f"--{boundary}\r\n{p}" for p in parts)
        return (f"From: dmarc@example.net\r\nTo: rua@example.com\r\nSubject: Report\r\n"
                f"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n"
                f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
                f"{body}--{boundary}--\r\n")

    def b64(ctype, name, data):
        text = base64.encodebytes(data).decode().replace("\n", "\r\n")
        return (f"Content-Type: {ctype}; name=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n"
                f"Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{text}")

    qp = ("Content-Type: text/xml\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
          "<?xml version=3D\"1.0\"?><feedback><report_metadata><org_=\r\nname>x</org_name>"
          "</report_metadata></feedback>\r\n")
    report_mail = mail([b64("application/gzip", "r.xml.gz", gz(xml))])
    seeds += [
        ("From dmarc@example.net Mon Jan  1 00:00:00 2024\n" + report_mail +
         "\nFrom x@example.org Mon Jan  1 00:00:01 2024\nFrom: x@example.org\n\n>From here.\n\n"
         "From dmarc@example.net Mon Jan  1 00:00:02 2024\n" +
         mail([b64("application/zip", "r.zip", zipped([("r.xml", xml)]))]) + "\n").encode(),
        mail([qp]).encode(),
        mail(["Content-Type: message/rfc822\r\n\r\n" + report_mail.replace("b1", "b2") + "\r\n"]).encode(),
        mail([b64("application/octet-stream", "report.bin", zipped([("a.xml", xml)]))]).encode(),
        zipped([("a.xml.gz", gz(xml, "a.xml")), ("dir/", b""), ("b.xml", xml)]),
        gz(zipped([("a.xml", xml)]), "a.zip"),
        gz(xml[:40]) + gz(xml[40:]),
        gz(gz(gz(xml))),
    ]
    for i, data in enumerate(seeds):
        write("unpack", f"{i:03d}", data)
    print(f"unpack: {len(seeds)}")


def options():
    """Command lines, one argv word a line (fuzz_options.c splits at newlines)."""
    lines = [
        ["example.com"],
        ["--format", "json", "-v", "example.com", "日本語.jp"],
        ["--format=sarif", "--fail-on", "warning", "--zone", "z.zone=example.com", "--offline"],
        ["--resolver", "127.0.0.1:5353", "--resolver", "[::1]:53", "--timeout", "100",
         "--retries", "0", "--concurrency", "1", "a.example"],
        ["--ip", "192.0.2.1", "--sender", "", "--helo", "mail.example.org", "example.org"],
        ["--selector", "google", "--selector", "s1", "--baseline", "b.json", "-f", "-"],
        ["-vVh", "--no-color", "--format", "csv", "x.example"],
        ["--timeout", "99999999999999999999", "--fail-on", "nope", "-q"],
        ["--ip", "2001:db8::1", "--sender", "first.last@xn--wgv71a119e.jp", "xn--wgv71a119e.jp"],
        ["--zone", "", "--format", "junit", "--", "-not-an-option.example"],
    ]
    for n, words in enumerate(lines):
        write("options", f"{n:03d}", "\n".join(words))
    print(f"options: {len(lines)}")


def lines():
    """Domain lists as -f FILE reads them."""
    files = [
        "example.com\n",
        "# clients\nexample.com\n  mail.example.org  # a comment\n\n\t\r\nEXAMPLE.NET.\r\n",
        "日本語.jp\nxn--wgv71a119e.jp\nbücher.de\nfaß.de\n",
        "-bad.example\n192.0.2.1\na..b\n_spf.example.com\nexample.com\x00evil.example\n",
        "x" * 5000 + "\nexample.com",
        "x" * 5000 + "# long comment after the cap\n" + "a." * 130 + "example\n",
        "\x1b[31mred.example\n\u202eevil.example\n".encode() + b"\xff\xfe.example\n",
    ]
    for n, text in enumerate(files):
        write("lines", f"{n:03d}", text)
    print(f"lines: {len(files)}")


def mta_sts():
    policies = [
        "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.net\nmax_age: 604800\n",
        "version: STSv1\r\nmode: testing\r\nmx: mail.example.org\r\nmax_age: 86400\r\n",
        "version: STSv1\nmode: none\nmax_age: 0\n",
        "version: STSv2\nmode: enforcing\nmax_age: 99999999999\nmx: *.\nmx: a..b\nno colon\n"
        "mode: none\n: empty\n",
        "mode: enforce\nversion: STSv1\nmax_age: 31557600\nfuture_ext: 1\nmx:  *.EXAMPLE.com.  \n",
        "",
        "version: STSv1\nmode: enforce\nmax_age: 86400\n" + "".join(f"mx: mx{i}.example.com\n"
                                                              for i in range(70)),
    ]
    for i, text in enumerate(policies):
        write("mta_sts", f"{i:03d}", text)
    print(f"mta_sts: {len(policies)}")


def svg():
    n = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "posture", "*.svg"))):
        write("svg", f"{n:03d}", open(path, "rb").read())
        n += 1
    own = [
        "<svg xmlns='http://www.w3.org/2000/svg' baseProfile='tiny-ps' viewBox='0 0 5 5'>"
        "<title>t</title><use href='#a'/><rect fill='url(#g)'/><a xlink:href='http://x'/></svg>",
        "<!DOCTYPE svg [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;'>]><svg xmlns='http://www.w3.org/2000/svg'>&b;</svg>",
        "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink' "
        "baseProfile='tiny-ps' viewBox='0,0,1e3,1000'><title>&#x263a;</title><animateMotion/><set/>"
        "<script/><foreignObject/><image x:href='data:,'/><g onload='x'/></svg>",
    ]
    for text in own:
        write("svg", f"{n:03d}", text)
        n += 1
    print(f"svg: {n}")


def der(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + content


def bimi_cert():
    import base64
    import gzip
    import hashlib
    import subprocess
    import tempfile
    svg_ = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    sha256 = der(0x06, bytes.fromhex("608648016503040201"))
    sha1 = der(0x06, bytes.fromhex("2b0e03021a"))
    seeds = []
    for data, alg, h in ((gzip.compress(svg_, mtime=0), sha256, hashlib.sha256),
                         (svg_, sha1, hashlib.sha1), (b"other", sha256, hashlib.sha256)):
        uri = b"data:image/svg+xml;base64," + base64.b64encode(data)
        hav = der(0x30, der(0x30, alg) + der(0x04, h(data).digest()))
        details = der(0x30, der(0x16, b"image/svg+xml") + der(0x30, hav) + der(0x30, der(0x16, uri)))
        seeds.append(der(0x30, der(0xA2, der(0xA0, der(0x30, der(0x30, details))))))
    with tempfile.TemporaryDirectory() as d:
        ext = os.path.join(d, "ext")
        with open(ext, "w") as f:
            f.write("[v3]\nsubjectAltName=DNS:example.com\n1.3.6.1.5.5.7.1.12=DER:"
                    + seeds[0].hex() + "\n")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", os.path.join(d, "k"),
                        "-out", os.path.join(d, "c"), "-days", "3650", "-subj", "/CN=example.com",
                        "-extensions", "v3", "-config", _req_conf(ext)],
                       check=True, capture_output=True)
        seeds.append(open(os.path.join(d, "c"), "rb").read())
    for i, data in enumerate(seeds):
        write("bimi_cert", f"{i:03d}", data)
    print(f"bimi_cert: {len(seeds)}")


def _req_conf(ext):
    conf = ext + ".cnf"
    with open(ext) as src, open(conf, "w") as f:
        f.write("[req]\ndistinguished_name=dn\n[dn]\n" + src.read())
    return conf


def http():
    values = [
        "text/plain", "text/plain; charset=utf-8", "Text/Plain;Charset=\"UTF-8\"", "image/svg+xml",
        "text/html; charset=iso-8859-1; boundary=\"a\\\"b\"", "application/x-pem-file;;", "text",
        "https://mta-sts.example.com/.well-known/mta-sts.txt",
        "https://bimi.example.com:8443/logo.svg?x=1#f\ntext/plain ;a=b",
        "https://user@example.com/\nhttp://example.com/\nhttps://[::1]/",
    ]
    for i, text in enumerate(values):
        write("http", f"{i:03d}", text)
    print(f"http: {len(values)}")


def tlsa():
    own = ["3 1 1 " + "ab" * 32, "2 0 1 " + "0f" * 32, "3 1 2 " + "12" * 64,
           "1 0 0 3082010a0282010100", "0 0 1 " + "cd" * 32, "3 1 1 ab cd ef 01",
           "3 1 1 " + "ab" * 31, "4 2 3 00", "3 1 1", "256 1 1 00", "3 1 1 xyz",
           "  3\t1\t1\t" + "AB" * 32 + "  ", "3 1 1 abc", ""]
    for n, text in enumerate(own):
        write("tlsa", f"{n:03d}", text)
    print(f"tlsa: {len(own)}")


def dnssec():
    """Responses with the DO bit from Knot signing a zone with NSEC and one with NSEC3."""
    from harness import Knot  # noqa: E402
    k = Knot()
    try:
        for origin, nsec3 in (("example.co.jp", False), ("n3.example", True)):
            k.add_zone(origin, signed="ecdsap256sha256", nsec3=nsec3)
            k.write_zone(origin, '@ TXT "v=spf1 -all"\n@ MX 10 mx\nmx A 192.0.2.1\n'
                         '_25._tcp.mx TLSA 3 1 1 ' + "ab" * 32 + '\nsub NS ns.test.\n')
        k.start()
        asks = [("example.co.jp", 16), ("example.co.jp", 48), ("example.co.jp", 15),
                ("_25._tcp.mx.example.co.jp", 52), ("sub.example.co.jp", 43),
                ("nothing.example.co.jp", 16), ("mx.example.co.jp", 43),
                ("n3.example", 48), ("n3.example", 16), ("sub.n3.example", 43),
                ("nothing.n3.example", 16), ("mx.n3.example", 16),
                ("_tcp.mx.example.co.jp", 43), ("_tcp.mx.n3.example", 43)]
        for i, (name, qtype) in enumerate(asks):
            write("dnssec", f"{i:02d}-{name}-{qtype}", query(k.port, name, qtype, do=True))
    finally:
        k.stop()
    print(f"dnssec: {len(asks)} responses")


def store_pack():
    """Packs of the report store (cmd/reports/store_pack.h), well formed and
    each cut or bent the way a damaged file would be."""
    def field(t):
        return "\x1a" if t is None else "\x1f" + t
    meta = "".join(field(t) for t in (
        "Reporter", "dmarc@reporter.test", None, "r-1", "gen 2", "example.com", "none",
        None, "reject", "r", "s", None, "y", "treewalk"))
    def row(seq, ip, count, items=""):
        return "\x1d" + "".join(field(t) for t in (
            str(seq), ip, str(count), "none", "pass", "fail", "example.com",
            "bounce.example.com", None)) + items
    dkim = "\x1ed" + field("example.com") + field("s1") + field("pass") + field(None)
    spf = "\x1es" + field("bounce.example.com") + field("mfrom") + field("softfail") + \
        field(None)
    reason = "\x1er" + field("forwarded") + field("list")
    good = meta + row(0, "192.0.2.1", 10, dkim + spf + reason) + row(2, "2001:db8::1", 3)
    packs = [meta, good, meta + row(1, "198.51.100.7", 18446744073709551615, dkim * 3),
             good[:len(good) // 2], good.replace("\x1d", "\x1e"), good + "\x1d",
             meta + row(0, "192.0.2.1", 99999999999999999999),
             meta + "\x1d\x1f0\x1f" + "1" * 60 + "\x1f1", good.replace("\x1ed", "\x1eq")]
    for n, p in enumerate(packs):
        write("store_pack", f"{n:03d}", p.encode())
    print(f"store_pack: {len(packs)}")


TARGETS = {"unpack": unpack, "wire": wire, "records": records, "fixture": fixture, "spf": spf,
           "zone_bind": zone_bind, "zone_yaml": zone_yaml, "baseline": baseline,
           "options": options, "lines": lines,
           "mta_sts": mta_sts, "svg": svg, "bimi_cert": bimi_cert, "http": http,
           "tlsa": tlsa, "dnssec": dnssec, "store_pack": store_pack}


def main():
    for target in sys.argv[1:] or TARGETS:
        TARGETS[target]()


if __name__ == "__main__":
    main()
