"""End to end: report sets written by gen_reports.py are imported with
--import / --reports and the store (read with Python's sqlite3) is compared
with their truth; a re-import changes nothing; the same report in every
container is one report; each hostile input of issue 9 is skipped with its
origin and reason, exit 2, and the other reports of the run are imported.
Standard library only; nothing here touches the network."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_reports as g  # noqa: E402

BIN = os.environ.get("DD_BIN", os.path.join(HERE, "../../build/cmd/dmarc-doctor"))
TESTDATA = os.environ.get("DD_TESTDATA", os.path.join(HERE, "../../testdata"))


def run(*args, stdin=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, env=env, timeout=300)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def import_json(store, *paths, stdin=None):
    code, out, err = run("--import", "--store", store, "--format", "json", *paths, stdin=stdin)
    return code, json.loads(out), err


SEP = "\x1a\x1d\x1e\x1f"
META = ("org_name", "email", "extra_contact_info", "report_id", "generator", "domain", "p",
        "sp", "np", "adkim", "aspf", "fo", "testing", "discovery_method")
ROW = ("seq", "source_ip", "count", "disposition", "dkim_eval", "spf_eval", "header_from",
       "envelope_from", "envelope_to")
ITEM_FIELDS = {"d": 4, "s": 4, "r": 2}


def read_fields(text, at, n):
    """n fields at text[at:], each US text or SUB for absent: (fields, end)."""
    fields = []
    for _ in range(n):
        if text[at] == "\x1a":
            fields.append(None)
            at += 1
            continue
        assert text[at] == "\x1f", repr(text[at:at + 20])
        end = at + 1
        while end < len(text) and text[end] not in SEP:
            end += 1
        fields.append(text[at + 1:end])
        at = end
    return fields, at


def unpack(data):
    """packs.data (schema v5, cmd/reports/store_pack.h): the report's fields
    and its rows, each with its results and reasons (store_auth.h)."""
    meta, at = read_fields(data, 0, len(META))
    rows = []
    while at < len(data):
        assert data[at] == "\x1d", repr(data[at:at + 20])
        fields, at = read_fields(data, at + 1, len(ROW))
        row = dict(zip(ROW, fields))
        items = {"d": [], "s": [], "r": []}
        while at < len(data) and data[at] == "\x1e":
            kind = data[at + 1]
            f, at = read_fields(data, at + 2, ITEM_FIELDS[kind])
            items[kind].append(f)
        row["items"] = items
        rows.append(row)
    return dict(zip(META, meta)), rows


def stored(store):
    """Every report in the store, as the truth writes them, keyed by (org, id)."""
    db = sqlite3.connect(store)
    db.row_factory = sqlite3.Row
    out = {}
    for r in db.execute("SELECT * FROM reports ORDER BY id"):
        rows = []
        for p in db.execute("SELECT * FROM packs WHERE report = ? ORDER BY id", (r["id"],)):
            meta, packed = unpack(p["data"])
            # the pack repeats the report's own fields and numbers
            assert meta == {k: r[k] for k in META}, (meta, dict(r))
            assert (p["begin"], p["report_end"], p["schema"], p["pct"]) == (
                r["begin"], r["end"], r["schema"], r["pct"])
            assert p["nrows"] == len(packed)
            rows += packed
        rows.sort(key=lambda w: int(w["seq"]))
        rows = [dict(
            source_ip=w["source_ip"], count=int(w["count"]), disposition=w["disposition"],
            dkim_eval=w["dkim_eval"], spf_eval=w["spf_eval"], header_from=w["header_from"],
            envelope_from=w["envelope_from"], envelope_to=w["envelope_to"],
            dkim=[dict(domain=d[0], selector=d[1], result=d[2]) for d in w["items"]["d"]],
            spf=[dict(domain=d[0], scope=d[1], result=d[2]) for d in w["items"]["s"]],
            reasons=[dict(type=d[0], comment=d[1]) for d in w["items"]["r"]]) for w in rows]
        errors = [e[0] for e in db.execute(
            "SELECT text FROM report_errors WHERE report = ? ORDER BY seq", (r["id"],))]
        out[(r["org_name"], r["report_id"])] = dict(
            org_name=r["org_name"], email=r["email"], report_id=r["report_id"],
            begin=r["begin"], end=r["end"], domain=r["domain"], p=r["p"], sp=r["sp"],
            np=r["np"], adkim=r["adkim"], aspf=r["aspf"], pct=r["pct"], testing=r["testing"],
            discovery_method=r["discovery_method"],
            schema="rfc9990" if r["schema"] == 1 else "rfc7489", errors=errors, rows=rows)
    db.close()
    return out


def dump(store):
    """Everything but the document digests, for "nothing changed"."""
    db = sqlite3.connect(store)
    tables = ["reports", "report_errors", "packs"]  # v5: rows and results in packs.data
    out = {t: db.execute("SELECT * FROM %s ORDER BY 1, 2" % t).fetchall() for t in tables}
    db.close()
    return out


class ImportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="dd-reports-")
        self.store = os.path.join(self.dir, "store", "reports.sqlite")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def check_truth(self, truth):
        have = stored(self.store)
        self.assertEqual(len(have), len(truth))
        for t in truth:
            got = have[(t["org_name"], t["report_id"])]
            want = {k: v for k, v in t.items() if k != "origin"}
            self.assertEqual(got, want, t["origin"])

    def test_round_trip_and_reimport(self):
        reports = g.random_reports(seed=7, n=48, domains=["example.com", "example.co.jp"],
                                   rows_per_report=6)
        sets = os.path.join(self.dir, "set")
        truth = g.write_set(sets, reports[:40])  # each reporter's own container
        truth += g.write_set(sets, reports[40:44], container="mbox")
        truth += g.write_set(sets, reports[44:], container="maildir")
        containers = {os.path.basename(t["origin"]).split(".", 1)[-1] for t in truth}
        for c in ("xml", "xml.gz", "xml.gz.gz", "zip", "eml", "mbox"):
            self.assertTrue(any(x.endswith(c) for x in containers), c)

        code, j, err = import_json(self.store, sets)
        self.assertEqual(code, 0, err)
        self.assertEqual((j["new"], j["duplicate"], j["skipped"]), (48, 0, 0), err)
        self.assertEqual(err, "")
        self.check_truth(truth)
        before = dump(self.store)

        # a re-import changes nothing and parses nothing
        code, j, err = import_json(self.store, sets)
        self.assertEqual(code, 0, err)
        self.assertEqual((j["new"], j["duplicate"], j["known_documents"]), (0, 48, 48))
        self.assertEqual(dump(self.store), before)

        # the text summary of --import
        code, out, err = run("--import", "--store", self.store, sets)
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^48 inputs: 0 new reports, 48 duplicates, 0 skipped in [0-9.]+ s\n$")
        # and in Japanese, under --lang ja
        code, out, err = run("--import", "--store", self.store, "--lang", "ja", sets)
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^入力 48 件: 新しいレポート 0 件、重複 48 件、読み飛ばし 0 件 "
                              r"\([0-9.]+ 秒\)\n$")

    def test_one_report_every_container(self):
        rep = g.random_reports(seed=2, n=1, domains=["example.org"])[0]
        for c in g.CONTAINERS + ("mbox", "maildir"):
            g.write_set(os.path.join(self.dir, "set", c), [rep], container=c)
        code, j, err = import_json(self.store, os.path.join(self.dir, "set"))
        self.assertEqual(code, 0, err)
        self.assertEqual((j["new"], j["duplicate"], j["skipped"]), (1, 7, 0), err)
        # standard input: the gzip a reporter sent, piped in
        name, data = g.encode(rep, "gz")
        code, j, err = import_json(self.store, "-", stdin=data)
        self.assertEqual((code, j["duplicate"]), (0, 1), err)

    def test_hostile_inputs_are_named_and_skipped(self):
        good = g.random_reports(seed=5, n=2, domains=["example.net"])
        for name, data, says in g.hostile_cases():
            with self.subTest(name):
                d = os.path.join(self.dir, name + ".d")
                truth = g.write_set(d, good)
                bad = os.path.join(d, name)
                with open(bad, "wb") as f:
                    f.write(data)
                store = os.path.join(d + ".sqlite")
                code, out, err = run("--import", "--store", store, "--format", "json", d)
                self.assertEqual(code, 2, err)
                j = json.loads(out)
                self.assertEqual((j["new"], j["skipped"]), (2, 1), err)
                skip = j["skips"][0]
                self.assertTrue(skip["origin"].startswith(bad), skip)
                self.assertIn(says, skip["reason"])
                # on stderr: one line naming the file and the reason
                lines = [x for x in err.splitlines() if x.startswith("dmarc-doctor: skipped ")]
                self.assertEqual(len(lines), 1, err)
                self.assertIn(bad, lines[0])
                self.assertIn(says, lines[0])
                self.assertEqual(len(stored(store)), 2)
                self.assertEqual({k[1] for k in stored(store)}, {t["report_id"] for t in truth})

    def test_hostile_inputs_in_japanese(self):
        says = {"not-a-report.txt": "レポートではありません",
                "html.xml": "ルート要素が <feedback> ではなく <html> です",
                "truncated.xml": "の途中で終わっています",
                "not-well-formed.xml": "整形式の XML ではありません",
                "negative-count.xml": "レコード 1 の <count>: '-3' は負の数です",
                "end-before-begin.xml": "が始まり (1767311999) より前です",
                "century.xml": "は 1 年以上先です",
                "bad-ip.xml": "'108r.166.27.220' は IP アドレスではありません",
                "no-report-id.xml": "<report_metadata> に <report_id> がありません",
                "entity-bomb.xml": "レポートに DOCTYPE 宣言",
                "deep.xml": "要素の入れ子が上限の 32 段を超えています",
                "zip-bomb.zip": "展開後のサイズが上限 32 MiB を超えています",
                "gzip-bomb.xml.gz": "展開後のサイズが上限 32 MiB を超えています"}
        d = os.path.join(self.dir, "hostile-ja")
        os.makedirs(d)
        for name, data, _ in g.hostile_cases():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        self.assertEqual(set(says), set(os.listdir(d)))
        code, out, err = run("--import", "--store", os.path.join(self.dir, "ja.sqlite"),
                             "--lang", "ja", d)
        self.assertEqual(code, 2, err)
        lines = err.splitlines()
        self.assertEqual(len(lines), len(says), err)
        for name, phrase in says.items():
            line = [x for x in lines if os.path.join(d, name) in x]
            self.assertEqual(len(line), 1, (name, err))
            self.assertTrue(line[0].startswith("dmarc-doctor: スキップしました: "), line[0])
            self.assertIn(phrase, line[0])
        # the summary names the kinds in Japanese too
        self.assertIn("読み飛ばし 13 件 (", out)
        self.assertIn("レポートでない 2 件", out)
        self.assertNotIn("not a report", out)
        # and JSON keeps its English names
        code, out, err = run("--import", "--store", os.path.join(self.dir, "ja.sqlite"),
                             "--lang", "ja", "--format", "json", d)
        self.assertIn("not a report", json.loads(out)["skipped_by_reason"])

    def test_reports_then_check(self):
        """--reports imports before the domains are checked; a skip makes it exit 2."""
        zone = os.path.join(TESTDATA, "zones", "gate", "proposed", "clean.test.yaml")
        sets = os.path.join(self.dir, "set")
        truth = g.write_set(sets, g.random_reports(seed=9, n=5, domains=["clean.test"]))
        base = ["--zone", zone, "--offline", "--fail-on", "never", "--store", self.store]
        code, out, err = run(*base, "--format", "json")
        self.assertEqual(code, 0, err)
        code, out, err = run(*base, "--format", "json", "--reports", sets)
        self.assertEqual(code, 0, err)
        self.assertIn("dmarc-doctor: reports: 5 inputs: 5 new reports", err)
        self.assertEqual(json.loads(out)["domain"], "clean.test")
        self.check_truth(truth)
        with open(os.path.join(sets, "junk.xml"), "w") as f:
            f.write("<feedback><report_metadata>")
        code, out, err = run(*base, "--format", "json", "--reports", sets)
        self.assertEqual(code, 2, err)
        self.assertIn("junk.xml", err)
        self.assertEqual(json.loads(out)["domain"], "clean.test")  # still checked

    def test_names_are_escaped_on_the_terminal(self):
        d = os.path.join(self.dir, "set")
        os.makedirs(d)
        with open(os.path.join(d, "evil\x1b[31m.xml"), "wb") as f:
            f.write(b"<html/>")
        code, out, err = run("--import", "--store", self.store, d)
        self.assertEqual(code, 2)
        self.assertNotIn("\x1b", err)
        self.assertIn("evil\\x1B[31m.xml", err)

    def test_store_that_cannot_open(self):
        path = os.path.join(self.dir, "not-a-db")
        with open(path, "w") as f:
            f.write("x" * 200)
        code, out, err = run("--import", "--store", path, self.dir)
        self.assertEqual(code, 2)
        self.assertIn("report store: " + path, err)

    def test_default_store_location(self):
        sets = os.path.join(self.dir, "set")
        g.write_set(sets, g.random_reports(seed=1, n=1, domains=["example.com"]))
        env_home = os.path.join(self.dir, "home")
        p = subprocess.run([BIN, "--import", sets], capture_output=True, timeout=60,
                           env=dict(os.environ, HOME=env_home, XDG_DATA_HOME=""))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(
            env_home, ".local", "share", "dmarc-doctor", "reports.sqlite")))
        xdg = os.path.join(self.dir, "xdg")
        p = subprocess.run([BIN, "--import", sets], capture_output=True, timeout=60,
                           env=dict(os.environ, HOME=env_home, XDG_DATA_HOME=xdg))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(xdg, "dmarc-doctor", "reports.sqlite")))


if __name__ == "__main__":
    unittest.main(verbosity=2)
