#!/usr/bin/env python3
"""Realistic DMARC aggregate report sets, with their truth. Standard library only.

As a module (the e2e tests and the evidence tests use it):

    import gen_reports as g
    rows = [g.Row(reporter="google.com", day=0, source_ip="192.0.2.1", count=12,
                  header_from="example.com",
                  dkim=[("example.com", "s1", "pass")], spf=[("example.com", "mfrom", "pass")],
                  disposition="none")]
    reports = g.scenario(rows, domain="example.com", start=1767225600)
    truth = g.write_set("out/", reports)          # files in each reporter's container
    g.write_truth("out/truth.json", truth)

    g.random_reports(seed=1, n=100, domains=["example.com"])   # many reporters, days, sources
    g.hostile_cases()                                          # (name, bytes, expected skip)

A Row is one <record>; scenario() groups rows into one report per
(reporter, day). write_set() writes each report in its reporter's container
(xml, gz, gz of gz, zip, eml with base64 or quoted-printable) or in the one
given, and can gather e-mails into an mbox file and a Maildir. The truth is
what a correct reader must store: per report the reporter, id, dates,
policy and rows with canonical IPs and lowercased enumerations.

As a program (the benchmark uses it):

    gen_reports.py --out DIR [--reports N] [--seed S] [--rows-per-report R]
                   [--container auto|xml|gz|gzgz|zip|eml-base64|eml-qp|mbox|maildir]
"""

import argparse
import dataclasses
import email.message
import email.policy
import gzip
import io
import ipaddress
import json
import mailbox
import os
import random
import sys
import zipfile
from typing import List, Optional, Sequence, Tuple

DAY = 86400
NS_RFC9990 = "urn:ietf:params:xml:ns:dmarc-2.0"

# Receivers that send reports, as they send them: the schema they write,
# the container, and the shape of their report ids.
REPORTERS = {
    "google.com": dict(email="noreply-dmarc-support@google.com", schema="rfc7489",
                       container="zip", version=None, host="google.com",
                       extra="https://support.google.com/a/answer/2466580"),
    "Outlook.com": dict(email="dmarcreport@microsoft.com", schema="rfc7489",
                        container="gz", version="1.0", host="protection.outlook.com"),
    "Yahoo": dict(email="dmarchelp@yahooinc.com", schema="rfc7489", container="gz",
                  version=None, host="yahoo.com"),
    "Mail.Ru": dict(email="dmarc_support@corp.mail.ru", schema="rfc7489", container="gz",
                    version="1.0", host="mail.ru"),
    "GMX": dict(email="dmarc_agg@gmx.net", schema="rfc9990", container="eml-base64",
                version="2.0", host="gmx.net"),
    "WEB.DE": dict(email="dmarc_agg@web.de", schema="rfc9990", container="gzgz",
                   version="2.0", host="web.de"),
    "Fastmail Pty Ltd": dict(email="dmarc-reports@fastmail.com", schema="rfc7489",
                             container="eml-qp", version="1.0", host="fastmail.com"),
    "Mimecast": dict(email="dmarc@mimecast.org", schema="rfc9990", container="xml",
                     version="2.0", host="mimecast.org"),
}


@dataclasses.dataclass
class Row:
    """One <record>: what one reporter saw of one source on one day."""
    reporter: str
    day: int
    source_ip: str
    count: int
    header_from: str
    dkim: Sequence[Tuple[str, Optional[str], str]] = ()  # (domain, selector, result)
    spf: Sequence[Tuple[str, Optional[str], str]] = ()   # (domain, scope, result)
    disposition: str = "none"
    dkim_eval: Optional[str] = None  # None: derived from dkim/spf and alignment
    spf_eval: Optional[str] = None
    envelope_from: Optional[str] = None
    envelope_to: Optional[str] = None
    reasons: Sequence[Tuple[str, Optional[str]]] = ()  # (type, comment)


@dataclasses.dataclass
class Report:
    reporter: str
    report_id: str
    begin: int
    end: int
    domain: str
    rows: List[Row]
    p: str = "none"
    sp: Optional[str] = None
    np: Optional[str] = None
    adkim: Optional[str] = None
    aspf: Optional[str] = None
    pct: Optional[int] = None
    testing: Optional[str] = None
    discovery_method: Optional[str] = None
    fo: Optional[str] = None
    errors: Sequence[str] = ()
    schema: Optional[str] = None  # None: the reporter's

    def info(self):
        return REPORTERS.get(self.reporter, dict(email="dmarc@" + self.reporter.lower(),
                                                 schema="rfc7489", container="gz", version=None))

    @property
    def schema_used(self):
        return self.schema or self.info()["schema"]


def aligned(domain, header_from):
    """Relaxed alignment, roughly: one is the other or below it."""
    d, h = domain.lower(), header_from.lower()
    return d == h or d.endswith("." + h) or h.endswith("." + d)


def evaluated(row):
    dkim = row.dkim_eval or ("pass" if any(r == "pass" and aligned(d, row.header_from)
                                           for d, _, r in row.dkim) else "fail")
    spf = row.spf_eval or ("pass" if any(r == "pass" and aligned(d, row.header_from)
                                         for d, _, r in row.spf) else "fail")
    return dkim, spf


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def report_xml(rep: Report) -> bytes:
    """The document as the reporter writes it (its schema, its habits)."""
    info = rep.info()
    v2 = rep.schema_used == "rfc9990"
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    out.append('<feedback xmlns="%s">\n' % NS_RFC9990 if v2 else
               '<feedback xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
               if info.get("version") else "<feedback>\n")
    version = "2.0" if v2 else info.get("version")
    if version:
        out.append("  <version>%s</version>\n" % version)
    out.append("  <report_metadata>\n    <org_name>%s</org_name>\n    <email>%s</email>\n"
               % (esc(rep.reporter), esc(info["email"])))
    if info.get("extra"):
        out.append("    <extra_contact_info>%s</extra_contact_info>\n" % esc(info["extra"]))
    out.append("    <report_id>%s</report_id>\n" % esc(rep.report_id))
    out.append("    <date_range>\n      <begin>%d</begin>\n      <end>%d</end>\n"
               "    </date_range>\n" % (rep.begin, rep.end))
    if v2:
        out.append("    <generator>dmarc-doctor gen_reports</generator>\n")
    for e in rep.errors:
        out.append("    <error>%s</error>\n" % esc(e))
    out.append("  </report_metadata>\n  <policy_published>\n    <domain>%s</domain>\n"
               % esc(rep.domain))
    for tag in ("adkim", "aspf", "p", "sp"):
        if getattr(rep, tag) is not None:
            out.append("    <%s>%s</%s>\n" % (tag, getattr(rep, tag), tag))
    if v2:
        for tag in ("np", "testing", "discovery_method"):
            if getattr(rep, tag) is not None:
                out.append("    <%s>%s</%s>\n" % (tag, getattr(rep, tag), tag))
    elif rep.pct is not None:
        out.append("    <pct>%d</pct>\n" % rep.pct)
    if rep.fo is not None:
        out.append("    <fo>%s</fo>\n" % esc(rep.fo))
    out.append("  </policy_published>\n")
    for row in rep.rows:
        dkim, spf = evaluated(row)
        out.append("  <record>\n    <row>\n      <source_ip>%s</source_ip>\n"
                   "      <count>%d</count>\n      <policy_evaluated>\n"
                   "        <disposition>%s</disposition>\n        <dkim>%s</dkim>\n"
                   "        <spf>%s</spf>\n" % (row.source_ip, row.count, row.disposition,
                                                dkim, spf))
        for t, c in row.reasons:
            out.append("        <reason>\n          <type>%s</type>\n" % t)
            if c is not None:
                out.append("          <comment>%s</comment>\n" % esc(c))
            out.append("        </reason>\n")
        out.append("      </policy_evaluated>\n    </row>\n    <identifiers>\n")
        if row.envelope_to:
            out.append("      <envelope_to>%s</envelope_to>\n" % esc(row.envelope_to))
        if row.envelope_from:
            out.append("      <envelope_from>%s</envelope_from>\n" % esc(row.envelope_from))
        out.append("      <header_from>%s</header_from>\n    </identifiers>\n"
                   "    <auth_results>\n" % esc(row.header_from))
        for d, sel, r in row.dkim:
            out.append("      <dkim>\n        <domain>%s</domain>\n" % esc(d))
            if sel is not None:
                out.append("        <selector>%s</selector>\n" % esc(sel))
            out.append("        <result>%s</result>\n      </dkim>\n" % r)
        for d, scope, r in row.spf:
            out.append("      <spf>\n        <domain>%s</domain>\n" % esc(d))
            if scope is not None:
                out.append("        <scope>%s</scope>\n" % scope)
            out.append("        <result>%s</result>\n      </spf>\n" % r)
        out.append("    </auth_results>\n  </record>\n")
    out.append("</feedback>\n")
    return "".join(out).encode()


def file_name(rep: Report) -> str:
    """RFC 7489 §7.2.1.1: receiver!policy-domain!begin!end[!unique-id]."""
    host = rep.info().get("host", rep.reporter.lower())
    return "%s!%s!%d!%d!%s.xml" % (host, rep.domain, rep.begin, rep.end,
                                   "".join(c for c in rep.report_id if c.isalnum())[:16])


def gz(data: bytes, name: str) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def report_email(rep: Report, attachment: bytes, att_name: str, cte: str) -> bytes:
    """A report e-mail (RFC 7489 §7.2.1.1) with the report attached."""
    m = email.message.EmailMessage(policy=email.policy.SMTP)
    m["From"] = rep.info()["email"]
    m["To"] = "dmarc@%s" % rep.domain
    m["Subject"] = "Report Domain: %s Submitter: %s Report-ID: <%s>" % (
        rep.domain, rep.reporter, rep.report_id)
    m["Date"] = email.utils.formatdate(rep.end + 3600, usegmt=True)
    m["Message-ID"] = "<%s@%s>" % ("".join(c for c in rep.report_id if c.isalnum()),
                                   rep.info().get("host", "reporter.test"))
    m.set_content("This is an aggregate report from %s.\n" % rep.reporter)
    if att_name.endswith(".zip"):
        maintype, subtype = "application", "zip"
    elif att_name.endswith(".gz"):
        maintype, subtype = "application", "gzip"
    else:
        maintype, subtype = "text", "xml"
    if maintype == "text":
        m.add_attachment(attachment.decode(), subtype=subtype, filename=att_name, cte=cte)
    else:
        m.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=att_name,
                         cte=cte)
    return m.as_bytes()


CONTAINERS = ("xml", "gz", "gzgz", "zip", "eml-base64", "eml-qp")


def encode(rep: Report, container: str) -> Tuple[str, bytes]:
    """(file name, bytes) of the report in `container`."""
    xml = report_xml(rep)
    name = file_name(rep)
    if container == "xml":
        return name, xml
    if container == "gz":
        return name + ".gz", gz(xml, name)
    if container == "gzgz":
        return name + ".gz.gz", gz(gz(xml, name), name + ".gz")
    if container == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), xml,
                       compress_type=zipfile.ZIP_DEFLATED)
        return name[:-4] + ".zip", buf.getvalue()
    if container == "eml-base64":
        zname, zdata = encode(rep, "zip")
        return name[:-4] + ".eml", report_email(rep, zdata, zname, "base64")
    if container == "eml-qp":
        return name[:-4] + ".eml", report_email(rep, xml, name, "quoted-printable")
    raise ValueError("unknown container " + container)


def canonical_ip(ip: str) -> str:
    return str(ipaddress.ip_address(ip.strip()))


def truth_of(rep: Report, origin: str) -> dict:
    """What a correct reader stores of `rep` (the dd_report model)."""
    def low(v):
        return v.lower() if v is not None else None
    rows = []
    for row in rep.rows:
        dkim, spf = evaluated(row)
        rows.append(dict(
            source_ip=canonical_ip(row.source_ip), count=row.count,
            disposition=low(row.disposition), dkim_eval=low(dkim), spf_eval=low(spf),
            header_from=low(row.header_from), envelope_from=low(row.envelope_from),
            envelope_to=low(row.envelope_to),
            dkim=[dict(domain=low(d), selector=s, result=low(r)) for d, s, r in row.dkim],
            spf=[dict(domain=low(d), scope=low(s), result=low(r)) for d, s, r in row.spf],
            reasons=[dict(type=low(t), comment=c) for t, c in row.reasons]))
    v2 = rep.schema_used == "rfc9990"
    return dict(origin=origin, org_name=rep.reporter, email=rep.info()["email"],
                report_id=rep.report_id, begin=rep.begin, end=rep.end,
                schema=rep.schema_used, domain=rep.domain.lower(), p=rep.p, sp=rep.sp,
                np=rep.np if v2 else None, adkim=rep.adkim, aspf=rep.aspf,
                pct=None if v2 else rep.pct, testing=rep.testing if v2 else None,
                discovery_method=rep.discovery_method if v2 else None,
                errors=list(rep.errors), rows=rows)


def write_set(outdir: str, reports: Sequence[Report], container: Optional[str] = None,
              mbox: bool = False, maildir: bool = False) -> List[dict]:
    """Writes each report as a file (its reporter's container unless one is
    given; e-mails also into DIR/reports.mbox and DIR/Maildir when asked)
    and returns the truth, one entry per report."""
    os.makedirs(outdir, exist_ok=True)
    truth = []
    box = mailbox.mbox(os.path.join(outdir, "reports.mbox")) if mbox else None
    mdir = mailbox.Maildir(os.path.join(outdir, "Maildir"), create=True) if maildir else None
    for i, rep in enumerate(reports):
        kind = container or rep.info()["container"]
        if kind in ("mbox", "maildir"):
            name, data = encode(rep, "eml-base64")
            if kind == "mbox":
                box = box or mailbox.mbox(os.path.join(outdir, "reports.mbox"))
                box.add(mailbox.mboxMessage(data))
                origin = os.path.join(outdir, "reports.mbox")
            else:
                mdir = mdir or mailbox.Maildir(os.path.join(outdir, "Maildir"), create=True)
                mdir.add(mailbox.MaildirMessage(data))
                origin = os.path.join(outdir, "Maildir")
        else:
            name, data = encode(rep, kind)
            sub = os.path.join(outdir, rep.info().get("host", "misc"))
            os.makedirs(sub, exist_ok=True)
            origin = os.path.join(sub, name)
            with open(origin, "wb") as f:
                f.write(data)
        truth.append(truth_of(rep, origin))
    if box is not None:
        box.flush()
        box.close()
    return truth


def write_truth(path: str, truth: List[dict]):
    with open(path, "w") as f:
        json.dump(truth, f, indent=1, sort_keys=True)


def scenario(rows: Sequence[Row], domain: str, start: int = 1767225600, p: str = "none",
             **policy) -> List[Report]:
    """One report per (reporter, day) of `rows`, covering that UTC day."""
    groups = {}
    for row in rows:
        groups.setdefault((row.reporter, row.day), []).append(row)
    reports = []
    for (reporter, day), rs in sorted(groups.items()):
        begin = start + day * DAY
        rid = "%s-%s-%d" % (reporter.lower().replace(" ", "").replace(".", ""), domain, begin)
        reports.append(Report(reporter=reporter, report_id=rid, begin=begin,
                              end=begin + DAY - 1, domain=domain, rows=rs, p=p, **policy))
    return reports


# Senders of a small business, as reports show them.
SENDERS = [
    # (name, networks, dkim domain or None for the header domain, selector, spf domain)
    ("own server", ["192.0.2.0/26"], None, "mail", None),
    ("Google Workspace", ["209.85.128.0/17", "2607:f8b0:4864::/48"], None, "google",
     "_spf.google.com"),
    ("Microsoft 365", ["40.92.0.0/15", "2a01:111:f400::/48"], None, "selector1",
     "protection.outlook.com"),
    ("SendGrid", ["167.89.0.0/17"], "sendgrid.net", "s1", "sendgrid.net"),
    ("Mailchimp", ["198.2.128.0/18"], "mcsv.net", "k1", "mcsv.net"),
    ("spoofer", ["203.0.113.0/24", "198.51.100.0/24"], "evil.test", "x", "evil.test"),
]


def random_ip(rng, net):
    n = ipaddress.ip_network(net)
    return str(n[rng.randrange(1, min(n.num_addresses - 1, 1 << 20))])


def random_reports(seed: int, n: int, domains: Sequence[str], rows_per_report: int = 8,
                   start: int = 1735689600, days: int = 300) -> List[Report]:
    """n reports from the reporters above over `days` days from `start`
    (2025-01-01: in the past, as a report's dates must be), each with about
    rows_per_report records from the senders above."""
    rng = random.Random(seed)
    reporters = sorted(REPORTERS)
    out = []
    for i in range(n):
        reporter = reporters[i % len(reporters)]
        domain = domains[rng.randrange(len(domains))]
        day = (i // len(reporters)) % days
        rows = []
        for _ in range(max(1, int(rng.gauss(rows_per_report, rows_per_report / 4)))):
            name, nets, dkim_d, sel, spf_d = SENDERS[rng.randrange(len(SENDERS))]
            sub = rng.choice(["", "", "", "news.", "mail."])
            hf = sub + domain
            ok = name != "spoofer"
            dkim = [((dkim_d or domain), sel, "pass" if ok and rng.random() < 0.9 else "fail")]
            if dkim_d and ok and rng.random() < 0.5:
                dkim.append((domain, "esp", rng.choice(["pass", "fail"])))
            spf = [((spf_d or domain), "mfrom", "pass" if ok else rng.choice(["fail", "softfail", "none"]))]
            rows.append(Row(reporter=reporter, day=day,
                            source_ip=random_ip(rng, rng.choice(nets)),
                            count=rng.choice([1, 1, 2, 3, 5, 12, 40, 250]), header_from=hf,
                            dkim=dkim, spf=spf, envelope_from=spf[0][0],
                            disposition="none" if ok else rng.choice(["none", "quarantine", "reject"]),
                            reasons=[("forwarded", None)] if rng.random() < 0.03 else ()))
        begin = start + day * DAY
        rep = Report(reporter=reporter, report_id="%d%06d" % (begin, i), begin=begin,
                     end=begin + DAY - 1, domain=domain, rows=rows, p="none", adkim="r",
                     aspf="r", pct=100, sp="none", np="reject", testing="n",
                     discovery_method="treewalk")
        out.append(rep)
    return out


def hostile_cases() -> List[Tuple[str, bytes, str]]:
    """(file name, bytes, what the skip must say) for each bad input of issue 9."""
    good = Report(reporter="Yahoo", report_id="hostile-base", begin=1767225600,
                  end=1767311999, domain="example.com",
                  rows=[Row("Yahoo", 0, "192.0.2.1", 3, "example.com",
                            dkim=[("example.com", "s", "pass")])])
    xml = report_xml(good).decode()

    def variant(**kw):
        r = dataclasses.replace(good, **kw)
        return report_xml(r).decode()

    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
            "".join(' <!ENTITY lol%d "%s">\n' % (i, ("&lol%d;" % (i - 1) if i > 1 else "&lol;") * 10)
                    for i in range(1, 10)) +
            ']>\n<feedback><report_metadata><org_name>&lol9;</org_name></report_metadata></feedback>\n')
    zip_bomb = io.BytesIO()
    with zipfile.ZipFile(zip_bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.xml", b"<feedback>" + b" " * (64 << 20) + b"</feedback>")
    gz_bomb = gz(b"<feedback>" + b" " * (64 << 20), "bomb.xml")
    return [
        ("not-a-report.txt", b"this is a file\n", "not a report"),
        ("html.xml", b"<html><body>hi</body></html>", "the root element is <html>"),
        ("truncated.xml", xml[: len(xml) // 2].encode(), "ends early (truncated?)"),
        ("not-well-formed.xml", xml.replace("<email>", "<email><bad@x>").encode(),
         "not well-formed XML"),
        ("negative-count.xml", xml.replace("<count>3</count>", "<count>-3</count>").encode(),
         "'-3' is negative"),
        ("end-before-begin.xml", variant(begin=1767311999, end=1767225600).encode(),
         "before it begins"),
        ("century.xml", variant(begin=4102444800 + 100 * 365 * DAY,
                                end=4102444800 + 100 * 365 * DAY + 1).encode(),
         "more than a year from now"),
        ("bad-ip.xml", xml.replace("192.0.2.1", "108r.166.27.220").encode(),
         "'108r.166.27.220' is not an IP address"),
        ("no-report-id.xml", xml.replace("<report_id>hostile-base</report_id>", "").encode(),
         "no <report_id>"),
        ("entity-bomb.xml", bomb.encode(), "DOCTYPE declaration"),
        ("deep.xml", (xml.replace("</feedback>", "<extensions>" + "<x>" * 200 + "</x>" * 200 +
                                  "</extensions></feedback>")).encode(),
         "nested deeper than 32"),
        ("zip-bomb.zip", zip_bomb.getvalue(), "cap"),
        ("gzip-bomb.xml.gz", gz_bomb, "cap"),
    ]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--reports", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows-per-report", type=int, default=8)
    ap.add_argument("--domains", default="example.com,example.net,example.co.jp")
    ap.add_argument("--truth", help="where to write the truth (default DIR/truth.json)")
    ap.add_argument("--container", default="auto",
                    choices=("auto",) + CONTAINERS + ("mbox", "maildir"))
    a = ap.parse_args(argv)
    reports = random_reports(a.seed, a.reports, a.domains.split(","), a.rows_per_report)
    truth = write_set(a.out, reports, None if a.container == "auto" else a.container)
    write_truth(a.truth or os.path.join(a.out, "truth.json"), truth)
    xml_bytes = sum(len(report_xml(r)) for r in reports)
    print("%d reports, %d rows, %.1f MB of XML in %s" % (
        len(reports), sum(len(r.rows) for r in reports), xml_bytes / 1e6, a.out),
        file=sys.stderr)


if __name__ == "__main__":
    main()
