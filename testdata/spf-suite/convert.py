#!/usr/bin/python3
"""Convert the openspf.org RFC 7208 test suite into dmarc-doctor fixtures.

Run once by hand (CI does not run it; its output is committed):

    apt-get install -y python3-yaml
    /usr/bin/python3 testdata/spf-suite/convert.py \
        /work/shared/corpus/spf-suite/rfc7208-tests.yml testdata/spf-suite

Writes, for scenario N of the suite, rfc7208-NN.fixture (its zone data in
the format of testdata/dns/README.md) and one rfc7208.cases file that
tests/unit/test_spf_suite.c reads: one case a line, fields separated by
tabs:

    fixture  test-id  host  helo  mailfrom  results  explanation

`results` lists the acceptable results separated by commas (the first is
the preferred one); `explanation` is empty when the suite gives none.

How the suite's zone data maps (its README and header comments):
  - "SPF: text" is served as type SPF (99) and, unless the name has an
    explicit TXT entry, also as TXT ("auto-magic duplication");
  - "TXT: NONE" is no record, and turns the duplication off;
  - a list of strings is one record of several character-strings; an empty
    list is a record with no strings ("\\# 0");
  - a bare TIMEOUT makes every type that no earlier entry of the name
    answered time out (one "NAME TYPE !TIMEOUT" rule per type a check may
    ask; "NAME * !TIMEOUT" when nothing came before);
  - strings are UTF-8 on the wire; bytes outside printable ASCII, '"' and
    '\\' are written as \\DDD.
"""

import sys
import os

import yaml

# Types the SPF check and the engine may ask for a name.
TYPES = ["TXT", "SPF", "A", "AAAA", "MX", "PTR", "CNAME"]


def quote(text):
    """One zone-file character-string (split at 255 octets)."""
    data = text.encode("utf-8")
    chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
    out = []
    for chunk in chunks:
        s = '"'
        for b in chunk:
            if b in (0x22, 0x5C) or b < 0x20 or b > 0x7E:
                s += "\\%03d" % b
            else:
                s += chr(b)
        out.append(s + '"')
    return " ".join(out)


def txt_rdata(value):
    if isinstance(value, list):
        if not value:
            return "\\# 0"
        return " ".join(quote(v) for v in value)
    return quote(str(value))


def owner(name):
    """A zone-file owner name: lowercase, odd bytes escaped."""
    out = ""
    for b in name.lower().rstrip(".").encode("utf-8"):
        if b <= 0x20 or b > 0x7E or b in (0x22, 0x5C, 0x28, 0x29, 0x3B, 0x40, 0x24):
            out += "\\%03d" % b
        else:
            out += chr(b)
    return out


def target(name):
    name = str(name)
    return "." if name in ("", ".") else owner(name) + "."


def convert_zone(zonedata):
    lines = []
    for name, entries in zonedata.items():
        own = owner(str(name))
        has_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
        answered = set()
        for e in entries:
            if e == "TIMEOUT":
                if not answered:
                    lines.append(f"{own} * !TIMEOUT")
                else:
                    for t in TYPES:
                        if t not in answered:
                            lines.append(f"{own} {t} !TIMEOUT")
                break
            (rtype, value), = e.items()
            if rtype == "SPF":
                lines.append(f"{own} SPF {txt_rdata(value)}")
                answered.add("SPF")
                if not has_txt:
                    lines.append(f"{own} TXT {txt_rdata(value)}")
                    answered.add("TXT")
            elif rtype == "TXT":
                if value == "NONE":
                    continue
                lines.append(f"{own} TXT {txt_rdata(value)}")
                answered.add("TXT")
            elif rtype in ("A", "AAAA"):
                lines.append(f"{own} {rtype} {value}")
                answered.add(rtype)
            elif rtype == "MX":
                pref, host = value
                lines.append(f"{own} MX {pref} {target(host)}")
                answered.add("MX")
            elif rtype in ("PTR", "CNAME"):
                lines.append(f"{own} {rtype} {target(value)}")
                answered.add(rtype)
            else:
                raise SystemExit(f"{name}: unknown record type {rtype}")
    return lines


def field(value):
    value = "" if value is None else str(value)
    if "\t" in value or "\n" in value:
        raise SystemExit(f"cannot write {value!r} in a tab-separated field")
    return value


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: convert.py rfc7208-tests.yml OUTDIR")
    src, outdir = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        scenarios = [s for s in yaml.safe_load_all(f) if s]
    cases = ["# RFC 7208 test suite (openspf.org), converted by convert.py; see README.md.",
             "# fixture\ttest-id\thost\thelo\tmailfrom\tresults\texplanation"]
    for n, sc in enumerate(scenarios, 1):
        fixture = f"rfc7208-{n:02d}.fixture"
        head = [f"# RFC 7208 test suite, scenario {n}: {sc['description']}",
                "# Converted from rfc7208-tests.yml by convert.py (BSD-3-Clause,",
                "# see rfc7208-tests.LICENSE). Do not edit: regenerate."]
        with open(os.path.join(outdir, fixture), "w", encoding="utf-8") as f:
            f.write("\n".join(head + convert_zone(sc.get("zonedata") or {})) + "\n")
        for tid, t in sc["tests"].items():
            results = t["result"] if isinstance(t["result"], list) else [t["result"]]
            cases.append("\t".join([fixture, field(tid), field(t["host"]), field(t["helo"]),
                                    field(t["mailfrom"]), ",".join(results),
                                    field(t.get("explanation"))]))
    with open(os.path.join(outdir, "rfc7208.cases"), "w", encoding="utf-8") as f:
        f.write("\n".join(cases) + "\n")
    print(f"{len(scenarios)} scenarios, {len(cases) - 2} cases")


if __name__ == "__main__":
    main()
