#!/usr/bin/env python3
"""Screenshots of the HTML report for people to look at (README shows them):
`ninja -C build screenshots` writes docs/screenshots/*.png. Not compared
pixel by pixel by any test; the pages come from the zones of the HTML tests,
checked offline, so they are the same on every machine but for the fonts.

    screenshots.py BIN OUTDIR
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from browser import Browser  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
ZONES = os.path.join("testdata", "zones")  # relative: the pages show these paths


def render(bin_, out, args, env=None):
    e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C"}
    e.update(env or {})
    subprocess.run([os.path.abspath(bin_), "--format", "html", "-o", out, *args], env=e,
                   check=False, cwd=ROOT)


def main():
    bin_, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    golden = os.path.join(ZONES, "golden", "example.co.jp.zone")
    html = os.path.join(ZONES, "html")
    pages = {
        "domain": ["--zone", golden, "--offline", "example.co.jp"],
        "domain-ja": ["--zone", golden, "--offline", "--lang", "ja", "example.co.jp"],
        "portfolio": ["--zone", golden, "--zone", os.path.join(html, "clean.test.zone"),
                      "--zone", os.path.join(html, "hostile.test.zone"), "--offline",
                      "--selector", "sel1", "example.co.jp", "clean.test", "hostile.test"],
    }
    with tempfile.TemporaryDirectory() as tmp, Browser(width=1000, height=1300) as b:
        # a domain with four weeks of aggregate reports: readiness, charts, senders
        sys.path.insert(0, os.path.join(ROOT, "tests", "dns"))
        import test_evidence as ev  # noqa: E402 (the evidence tests' report writer)
        reports = os.path.join(tmp, "reports")
        os.makedirs(reports)
        ev.write_reports(reports, "esp.test", [ev.GOOGLE, ev.SENDGRID, ev.SPOOF])
        pages["domain-reports"] = [
            "--zone", os.path.join(ZONES, "evidence", "esp.test.zone"), "--offline",
            "--reports", reports, "--store", os.path.join(tmp, "reports.sqlite"), "esp.test"]
        for name, args in pages.items():
            page = os.path.join(tmp, name + ".html")
            render(bin_, page, args)
            b.load(page)
            b.screenshot(os.path.join(outdir, name + ".png"))
            print("wrote", os.path.join(outdir, name + ".png"))


if __name__ == "__main__":
    main()
