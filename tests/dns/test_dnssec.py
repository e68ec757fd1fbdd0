"""End to end: DNSSEC and DANE against Knot DNS signing real zones on loopback.

The world, all served by one knotd (tests/dns/harness.py, class Knot), keys
made by keymgr in the server's temporary directory:

  .              signed (ECDSAP256SHA256): the test root, its DS records are
                 the --trust-anchor
  jp             signed, DS in .
  co.jp          signed with NSEC3, DS in jp
  example.co.jp  signed, DS in co.jp: SPF, DMARC, three MX hosts with TLSA
                 (mx: 3 1 1, good; mx2: 1 0 0, PKIX usage and full match;
                 mx.unsigned.co.jp: in an unsigned zone)
  unsigned.co.jp not signed, delegated without DS
  sha1.co.jp     signed with RSASHA1 (5), SHA-256 and SHA-1 DS records
  bogus.co.jp    signed by ldns-signzone, then its SPF record changed: the
                 RRSIG no longer matches (served as-is, Knot does not sign it)
  expired.co.jp  signed by ldns-signzone with signatures that expired in 2020
  gost.co.jp     signed, but its only DS record has a GOST (3) digest
  notyet.co.jp   signed by ldns-signzone with signatures valid only from a year on
  dsa.co.jp      signed by ldns-signzone: an ECDSAP256SHA256 KSK, and ECDSAP256SHA256
                 and DSA (3, RFC 8624: MUST NOT) ZSKs, both signing every record set
  dsaonly.co.jp  signed by ldns-signzone with one DSA (3) key only, its DS in co.jp
  cname.co.jp    signed, its _dmarc a CNAME to _dmarc.unsigned.co.jp (not signed);
                 sub.cname.co.jp has no _dmarc of its own
  tlsa.co.jp     signed, MX hosts with TLSA: mx good, mx2 a 31-octet SHA2-256 digest,
                 mx3 selector 2, mx4 8193 octets of data (3 0 0), mx5 no data at all
                 (3 1 1, RFC 3597 form)
  forged.co.jp   signed by ldns-signzone, MX hosts with TLSA (3 1 1): mx good, mx2's
                 data changed after signing
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import DnsTestCase, Knot, Nsd, finding_ids, findings, run, zones_in

knot = None
anchor = None
jp_anchor = None
TLSA_GOOD = "3 1 1 " + "0123456789abcdef" * 4
TLSA_PKIX_FULL = "1 0 0 3082010a0282010100c0ffee"
TLSA_OTHER = "3 1 1 " + "fedcba9876543210" * 4
TLSA_SHORT = "3 1 1 " + "ab" * 31  # a SHA2-256 digest is 32 octets
TLSA_SELECTOR2 = "3 2 1 " + "0123456789abcdef" * 4
TLSA_TOO_LONG = "3 0 0 " + "00" * 8193  # longer than the parser takes (DD_TLSA_DATA_MAX)
TLSA_NO_DATA = r"\# 3 030101"  # 3 1 1 and nothing: ldns writes it as "3 1 1"
# notyet.co.jp's signatures: valid from a year from now, for a year
NOT_YET = [time.strftime("%Y%m%d000000", time.gmtime(time.time() + days * 86400))
           for days in (365, 730)]


def mail(spf="v=spf1 -all", mx=()):
    body = f'@ TXT "{spf}"\n_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@example.co.jp"\n'
    for pref, host in mx:
        body += f"@ MX {pref} {host}\n"
    return body


def presign(k, origin, body, expired=False, tamper=None, validity=None, zsks=(),
            ksk="ECDSAP256SHA256"):
    """A zone signed by ldns-signzone (Knot serves it as it is); returns its DS lines.

    One key of algorithm ksk (an ldns-keygen name) signs it all, or, with zsks,
    only the DNSKEY set, the ZSKs of those algorithms every other set.
    validity: (inception, expiration), YYYYMMDDhhmmss."""
    work = tempfile.mkdtemp(dir=k.dir)

    def keygen(alg, *args):
        size = ["-b", "1024"] if alg.startswith("DSA") else []
        return subprocess.run(["ldns-keygen", "-a", alg, *size, *args, origin], cwd=work,
                              capture_output=True, text=True, check=True).stdout.strip()

    key = keygen(ksk, "-k")
    others = [keygen(alg) for alg in zsks]
    k.add_zone(origin)
    k.write_zone(origin, body)
    args = ["ldns-signzone", "-f", k.zone_file(origin) + ".signed"]
    if expired:
        validity = ("20200101000000", "20200201000000")
    if validity:
        args += ["-i", validity[0], "-e", validity[1]]
    subprocess.run(args + [k.zone_file(origin), key, *others], cwd=work, check=True,
                   capture_output=True)
    with open(k.zone_file(origin) + ".signed") as f:
        text = f.read()
    if tamper:
        assert tamper[0] in text
        text = text.replace(tamper[0], tamper[1])
    with open(k.zone_file(origin), "w") as f:
        f.write(text)
    with open(os.path.join(work, key + ".ds")) as f:
        return [l.strip() for l in f if " DS " in l.replace("\t", " ")]


def setUpModule():
    global knot, anchor, jp_anchor
    k = Knot()
    try:
        k.add_zone(".", signed="ecdsap256sha256")
        k.add_zone("jp", signed="ecdsap256sha256")
        k.add_zone("co.jp", signed="ecdsap256sha256", nsec3=True)
        k.add_zone("example.co.jp", signed="ecdsap256sha256")
        k.add_zone("sha1.co.jp", signed="rsasha1", size=2048)
        k.add_zone("unsigned.co.jp")
        k.add_zone("gost.co.jp", signed="ecdsap256sha256")
        bogus_ds = presign(k, "bogus.co.jp", mail(), tamper=('"v=spf1 -all"', '"v=spf1 +all"'))
        expired_ds = presign(k, "expired.co.jp", mail(), expired=True)
        notyet_ds = presign(k, "notyet.co.jp", mail(), validity=NOT_YET)
        dsa_ds = presign(k, "dsa.co.jp", mail(), zsks=("ECDSAP256SHA256", "DSA"))
        dsaonly_ds = presign(k, "dsaonly.co.jp", mail(), ksk="DSA")
        forged_ds = presign(
            k, "forged.co.jp", mail(mx=[(10, "mx"), (20, "mx2")])
            + f"mx A 192.0.2.1\nmx2 A 192.0.2.2\n_25._tcp.mx TLSA {TLSA_GOOD}\n"
            f"_25._tcp.mx2 TLSA {TLSA_OTHER}\n",
            tamper=(TLSA_OTHER, "3 1 1 " + "00112233445566778899aabbccddeeff" * 2))
        k.add_zone("cname.co.jp", signed="ecdsap256sha256")
        k.add_zone("tlsa.co.jp", signed="ecdsap256sha256")

        k.write_zone("example.co.jp", mail(mx=[(10, "mx"), (20, "mx2"), (30, "mx.unsigned.co.jp.")])
                     + f"mx A 192.0.2.1\nmx2 A 192.0.2.2\n_25._tcp.mx TLSA {TLSA_GOOD}\n"
                     f"_25._tcp.mx2 TLSA {TLSA_PKIX_FULL}\n")
        k.write_zone("unsigned.co.jp", mail(mx=[(10, "mx")])
                     + f"mx A 192.0.2.3\n_25._tcp.mx TLSA {TLSA_GOOD}\n")
        k.write_zone("sha1.co.jp", mail())
        k.write_zone("gost.co.jp", mail())
        k.write_zone("cname.co.jp", '@ TXT "v=spf1 -all"\n_dmarc CNAME _dmarc.unsigned.co.jp.\n'
                     'sub TXT "v=spf1 -all"\n')
        tlsa = {"mx": TLSA_GOOD, "mx2": TLSA_SHORT, "mx3": TLSA_SELECTOR2, "mx4": TLSA_TOO_LONG,
                "mx5": TLSA_NO_DATA}
        k.write_zone("tlsa.co.jp", mail(mx=[(10 * (i + 1), h) for i, h in enumerate(tlsa)])
                     + "".join(f"{h} A 192.0.2.{i + 1}\n_25._tcp.{h} TLSA {t}\n"
                               for i, (h, t) in enumerate(tlsa.items())))
        # only a GOST (3) digest, which the validator does not implement
        gost_ds = k.ds("gost.co.jp")[0].split()
        gost_ds[-2:] = ["3", "ab" * 32]
        # the SHA-1 digest of sha1.co.jp's key beside keymgr's SHA-256 one
        keyfile = os.path.join(k.dir, "sha1.key")
        with open(keyfile, "w") as f:
            f.write("\n".join(l for l in k.dnskeys("sha1.co.jp") if " 257 " in l) + "\n")
        sha1_ds = subprocess.run(["ldns-key2ds", "-n", "-1", keyfile], capture_output=True,
                                 text=True, check=True).stdout.strip()
        delegations = ""
        for child in ("example", "unsigned", "sha1", "bogus", "expired", "gost", "notyet",
                      "dsa", "dsaonly", "cname", "tlsa", "forged"):
            delegations += f"{child} NS ns.test.\n"
        k.write_zone("co.jp", delegations + "\n".join(
            k.ds("example.co.jp") + k.ds("sha1.co.jp") + [sha1_ds] + bogus_ds + expired_ds
            + [" ".join(gost_ds)] + notyet_ds + dsa_ds + dsaonly_ds + k.ds("cname.co.jp")
            + k.ds("tlsa.co.jp") + forged_ds))
        k.write_zone("jp", "co NS ns.test.\n" + "\n".join(k.ds("co.jp")))
        k.write_zone(".", "jp. NS ns.test.\n" + "\n".join(k.ds("jp")))
        anchor = os.path.join(k.dir, "root.anchor")
        with open(anchor, "w") as f:
            f.write("; the test root\n" + "\n".join(k.ds(".")) + "\n")
        jp_anchor = os.path.join(k.dir, "jp.anchor")
        with open(jp_anchor, "w") as f:
            f.write("\n".join(k.dnskeys("jp")) + "\n")
        k.start()
    except BaseException:
        k.stop()
        raise
    knot = k


def tearDownModule():
    knot.stop()


def check(*args, ta=None):
    return run("--resolver", knot.address, "--timeout", "1000", "--trust-anchor",
               ta or anchor, *args)


def doc_of(domain, *args, ta=None):
    r = check("--format", "json", *args, domain, ta=ta)
    return r, r.json()


def dnssec_ids(doc):
    return [i for i in finding_ids(doc) if i.startswith("dnssec.")]


class Chain(DnsTestCase):
    def test_signed_chain_from_the_root(self):
        r, doc = doc_of("example.co.jp")
        d = doc["dnssec"]
        self.assertEqual(d["state"], "signed", d)
        self.assertEqual(d["anchor"], ".")
        self.assertEqual(d["zone"], "example.co.jp")
        self.assertEqual([l["zone"] for l in d["chain"]], [".", "jp", "co.jp", "example.co.jp"])
        self.assertTrue(all(l["state"] == "signed" for l in d["chain"]))
        self.assertEqual([a["name"] for a in d["algorithms"]], ["ECDSAP256SHA256"])
        self.assertEqual({(x["record"], x["state"], x["signer"]) for x in d["records"]},
                         {("spf", "signed", "example.co.jp"), ("dmarc", "signed", "example.co.jp"),
                          ("mx", "signed", "example.co.jp")})
        self.assertEqual(dnssec_ids(doc), [])
        self.assertFalse(doc["undetermined"])

    def test_tld_trust_anchor(self):
        # a DNSKEY anchor for jp: the chain starts there
        r, doc = doc_of("example.co.jp", ta=jp_anchor)
        self.assertEqual(doc["dnssec"]["state"], "signed")
        self.assertEqual([l["zone"] for l in doc["dnssec"]["chain"]],
                         ["jp", "co.jp", "example.co.jp"])

    def test_unsigned_delegation(self):
        # co.jp (NSEC3) proves that unsigned.co.jp has NS and no DS
        r, doc = doc_of("unsigned.co.jp")
        d = doc["dnssec"]
        self.assertEqual(d["state"], "unsigned", d)
        self.assertEqual(d["chain"][-1]["zone"], "unsigned.co.jp")
        self.assertEqual(d["chain"][-1]["state"], "unsigned")
        self.assertEqual({x["state"] for x in d["records"]}, {"unsigned"})
        f = findings(doc, "dnssec.unsigned")
        self.assertEqual(len(f), 1)
        self.assertEqual(f[0]["severity"], "info")
        self.assertIn("SPF, DMARC, MX records are not signed", f[0]["message"])
        # TLSA in an unsigned zone is ignored by senders (RFC 7672 §2.2)
        self.assertEqual(findings(doc, "dane.tlsa-unsigned")[0]["severity"], "warning")
        self.assertFalse(doc["dane"]["hosts"][0]["usable"])

    def test_tampered_signature_is_bogus(self):
        r, doc = doc_of("bogus.co.jp")
        self.assertExit(r, 1)
        self.assertEqual(doc["dnssec"]["state"], "bogus")
        spf = [x for x in doc["dnssec"]["records"] if x["record"] == "spf"][0]
        self.assertEqual(spf["state"], "bogus")
        dmarc = [x for x in doc["dnssec"]["records"] if x["record"] == "dmarc"][0]
        self.assertEqual(dmarc["state"], "signed")  # only the SPF record was changed
        f = findings(doc, "dnssec.record-bogus")
        self.assertEqual(len(f), 1, doc["findings"])
        self.assertEqual(f[0]["severity"], "error")
        self.assertIn("The SPF record at bogus.co.jp does not validate", f[0]["message"])

    def test_expired_signatures(self):
        r, doc = doc_of("expired.co.jp")
        self.assertExit(r, 1)
        self.assertEqual(doc["dnssec"]["state"], "bogus")
        f = findings(doc, "dnssec.signature-expired")
        self.assertEqual(len(f), 1, doc["findings"])  # the chain, not each record again
        self.assertNotIn("dnssec.record-bogus", finding_ids(doc))
        self.assertIn("expired on 2020-02-01", f[0]["message"])

    def test_signatures_not_valid_yet(self):
        # signed by a signer whose clock runs a year ahead
        r, doc = doc_of("notyet.co.jp")
        self.assertExit(r, 1)
        self.assertEqual(doc["dnssec"]["state"], "bogus")
        f = findings(doc, "dnssec.signature-not-yet-valid")
        self.assertEqual(len(f), 1, doc["findings"])  # the chain, not each record again
        self.assertEqual(f[0]["severity"], "error")
        day = time.strftime("%Y-%m-%d", time.strptime(NOT_YET[0], "%Y%m%d%H%M%S"))
        self.assertIn(f"at notyet.co.jp is valid only from {day} 00:00 UTC", f[0]["message"])
        self.assertNotIn("dnssec.signature-expired", finding_ids(doc))
        self.assertNotIn("dnssec.record-bogus", finding_ids(doc))
        # signatures of the past are the other finding
        r, doc = doc_of("expired.co.jp")
        self.assertNotIn("dnssec.signature-not-yet-valid", finding_ids(doc))

    def test_must_not_algorithm(self):
        # a DSA (3) ZSK beside the ECDSAP256SHA256 ones: the chain validates
        # through the DS of the ECDSA KSK, the DSA key is still published and used
        r, doc = doc_of("dsa.co.jp")
        self.assertEqual(doc["dnssec"]["state"], "signed", doc["dnssec"])
        self.assertEqual(sorted(a["number"] for a in doc["dnssec"]["algorithms"]), [3, 13])
        self.assertEqual({x["state"] for x in doc["dnssec"]["records"]}, {"signed"})
        f = findings(doc, "dnssec.algorithm-must-not")
        self.assertEqual([x["severity"] for x in f], ["error"], doc["findings"])
        self.assertIn("dsa.co.jp is signed with DNSSEC algorithm 3 (DSA)", f[0]["message"])
        self.assertNotIn("dnssec.algorithm-not-recommended", finding_ids(doc))
        # ECDSAP256SHA256 alone, and RSASHA1, which is only not recommended
        self.assertNotIn("dnssec.algorithm-must-not", finding_ids(doc_of("example.co.jp")[1]))
        r, doc = doc_of("sha1.co.jp")
        self.assertNotIn("dnssec.algorithm-must-not", finding_ids(doc))
        self.assertEqual(len(findings(doc, "dnssec.algorithm-not-recommended")), 1)

    def test_must_not_algorithm_alone(self):
        # signed with DSA (3) only: the validator does not follow a DS of an
        # algorithm it does not take, so the zone is insecure (RFC 4035 §5.2) -
        # and the DS records still say which algorithm, which RFC 8624 forbids
        r, doc = doc_of("dsaonly.co.jp")
        d = doc["dnssec"]
        self.assertEqual(d["state"], "unsigned", d)
        self.assertEqual((d["chain"][-1]["zone"], d["chain"][-1]["state"]),
                         ("dsaonly.co.jp", "unsigned"))
        self.assertEqual([(a["number"], a["name"]) for a in d["algorithms"]], [(3, "DSA")])
        self.assertEqual([a["number"] for a in d["chain"][-1]["algorithms"]], [3])
        f = findings(doc, "dnssec.algorithm-must-not")
        self.assertEqual([x["severity"] for x in f], ["error"], doc["findings"])
        self.assertIn("dsaonly.co.jp is signed with DNSSEC algorithm 3 (DSA)", f[0]["message"])
        self.assertEqual(len(findings(doc, "dnssec.unsigned")), 1)
        self.assertNotIn("dnssec.bogus", finding_ids(doc))
        # a zone insecure for want of a DS says nothing about algorithms
        r, doc = doc_of("unsigned.co.jp")
        self.assertEqual(doc["dnssec"]["algorithms"], [])
        self.assertNotIn("dnssec.algorithm-must-not", finding_ids(doc))

    def test_record_through_cname_into_unsigned_zone(self):
        # _dmarc.cname.co.jp is a CNAME to _dmarc.unsigned.co.jp: the domain is
        # signed, its DMARC record is not
        r, doc = doc_of("cname.co.jp")
        self.assertEqual(doc["dnssec"]["state"], "signed", doc["dnssec"])
        states = {x["record"]: x["state"] for x in doc["dnssec"]["records"]}
        self.assertEqual(states, {"spf": "signed", "dmarc": "unsigned", "mx": "signed"})
        f = findings(doc, "dnssec.record-unsigned")
        self.assertEqual([x["severity"] for x in f], ["warning"], doc["findings"])
        self.assertIn("The DMARC record at _dmarc.cname.co.jp is not signed", f[0]["message"])
        # the target's chain is asked too: co.jp is signed, but the record is
        # in unsigned.co.jp, which co.jp proves has no DS
        self.assertNotIn("although co.jp is signed", f[0]["message"])
        self.assertIn("unsigned.co.jp is delegated from co.jp without a DS record",
                      f[0]["message"])
        asked = {(q["name"], q["type"]) for q in check("--format", "json", "-v",
                                                        "cname.co.jp").json()["queries"]}
        self.assertIn(("unsigned.co.jp", "DS"), asked)
        self.assertNotIn("dnssec.unsigned", finding_ids(doc))
        # the same record found by the tree walk, at the organizational domain:
        # its target's chain is asked too
        r, doc = doc_of("sub.cname.co.jp")
        self.assertEqual(doc["dmarc"]["found_at"], "_dmarc.cname.co.jp")
        f = findings(doc, "dnssec.record-unsigned")
        self.assertEqual(len(f), 1, doc["findings"])
        self.assertIn("The DMARC record at _dmarc.cname.co.jp is not signed", f[0]["message"])
        self.assertIn("unsigned.co.jp is delegated from co.jp without a DS record",
                      f[0]["message"])
        # all signed, or nothing signed (that is dnssec.unsigned): no record singled out
        self.assertNotIn("dnssec.record-unsigned", finding_ids(doc_of("example.co.jp")[1]))
        r, doc = doc_of("unsigned.co.jp")
        self.assertNotIn("dnssec.record-unsigned", finding_ids(doc))
        self.assertEqual(len(findings(doc, "dnssec.unsigned")), 1)

    def test_deprecated_algorithm_and_digest(self):
        r, doc = doc_of("sha1.co.jp")
        self.assertEqual(doc["dnssec"]["state"], "signed", doc["dnssec"])
        self.assertEqual([a["number"] for a in doc["dnssec"]["algorithms"]], [5])
        alg = findings(doc, "dnssec.algorithm-not-recommended")
        self.assertEqual(len(alg), 1)
        self.assertIn("algorithm 5 (RSASHA1)", alg[0]["message"])
        ds = findings(doc, "dnssec.ds-digest-deprecated")
        self.assertEqual(len(ds), 1)
        self.assertIn("digest type 1 (SHA-1)", ds[0]["message"])
        link = doc["dnssec"]["chain"][-1]
        self.assertEqual(sorted(x["number"] for x in link["ds_digests"]), [1, 2])

    def test_unusable_ds_digest_is_insecure(self):
        # RFC 4035 §5.2: a DS set with no digest the validator implements is
        # as no DS at all - not bogus
        r, doc = doc_of("gost.co.jp")
        self.assertEqual(doc["dnssec"]["state"], "unsigned", doc["dnssec"])
        self.assertEqual(doc["dnssec"]["chain"][-1]["zone"], "gost.co.jp")
        self.assertIn("use only digest types or algorithms the validator does not implement",
                      doc["dnssec"]["reason"])
        self.assertNotIn("dnssec.bogus", finding_ids(doc))
        ds = findings(doc, "dnssec.ds-digest-deprecated")
        self.assertEqual([(f["severity"], "digest type 3" in f["message"]) for f in ds],
                         [("error", True)])
        self.assertEqual(len(findings(doc, "dnssec.unsigned")), 1)

    def test_wrong_trust_anchor(self):
        with tempfile.NamedTemporaryFile("w", suffix=".anchor") as f:
            f.write(". IN DS 12345 13 2 " + "00" * 32 + "\n")
            f.flush()
            r, doc = doc_of("example.co.jp", ta=f.name)
        self.assertExit(r, 1)
        self.assertEqual(doc["dnssec"]["state"], "bogus")
        f = findings(doc, "dnssec.bogus")
        self.assertEqual(len(f), 1)
        self.assertIn("no DNSKEY record of . matches the trust anchor", f[0]["message"])


class Undetermined(DnsTestCase):
    def test_failed_dnskey_lookup(self):
        # NSD serving unsigned zones refuses the root's DNSKEY question
        nsd = Nsd(zones_in("pipeline")).start()
        try:
            r = run("--resolver", nsd.address, "--trust-anchor", anchor, "--format", "json",
                    "healthy.test")
        finally:
            nsd.stop()
        doc = r.json()
        self.assertEqual(doc["dnssec"]["state"], "undetermined", doc["dnssec"])
        self.assertIn("the DNSKEY lookup of . failed (refused)", doc["dnssec"]["reason"])
        f = findings(doc, "dnssec.undetermined")
        self.assertEqual([x["severity"] for x in f], ["info"])
        # the DNSSEC lookups are not the domain's own: nothing else is undetermined
        self.assertNotIn("dns.temporary-failure", finding_ids(doc))
        self.assertFalse(doc["undetermined"])
        self.assertEqual(doc["spf"]["state"], "found")

    def test_anchor_for_a_name_that_does_not_exist(self):
        # a DS anchor for zz., which the signed root proves does not exist
        with tempfile.NamedTemporaryFile("w", suffix=".anchor") as f:
            f.write("zz. IN DS 12345 13 2 " + "00" * 32 + "\n" + "\n".join(knot.ds(".")) + "\n")
            f.flush()
            r, doc = doc_of("a.zz", ta=f.name)
            self.assertEqual(doc["dnssec"]["state"], "bogus")
            self.assertEqual(doc["dnssec"]["anchor"], "zz")
            self.assertIn("zz has the trust anchor but no signed DNSKEY records",
                          findings(doc, "dnssec.bogus")[0]["message"])
            self.assertNotIn("dnssec.record-bogus", finding_ids(doc))
            # the root anchor of the same file still validates the domains below it
            r, doc = doc_of("example.co.jp", ta=f.name)
            self.assertEqual(doc["dnssec"]["state"], "signed")
            self.assertEqual(doc["dnssec"]["anchor"], ".")


class Dane(DnsTestCase):
    def test_tlsa_per_mx_host(self):
        r, doc = doc_of("example.co.jp")
        hosts = {h["host"]: h for h in doc["dane"]["hosts"]}
        self.assertEqual(doc["dane"]["state"], "found")
        self.assertEqual(set(hosts), {"mx.example.co.jp", "mx2.example.co.jp",
                                      "mx.unsigned.co.jp"})
        good = hosts["mx.example.co.jp"]
        self.assertEqual((good["dnssec"], good["usable"]), ("signed", True))
        self.assertEqual(good["tlsa"][0]["record"], TLSA_GOOD)
        self.assertEqual((good["tlsa"][0]["usage"], good["tlsa"][0]["selector"],
                          good["tlsa"][0]["matching_type"]), (3, 1, 1))
        bad = hosts["mx2.example.co.jp"]
        self.assertEqual((bad["dnssec"], bad["usable"]), ("signed", False))
        self.assertEqual([f["message"] for f in findings(doc, "dane.tlsa-pkix-usage")],
                         ["A TLSA record at _25._tcp.mx2.example.co.jp has usage 1 (PKIX-TA or "
                          "PKIX-EE), which SMTP clients treat as unusable."])
        self.assertEqual(len(findings(doc, "dane.tlsa-full-match")), 1)
        self.assertEqual(len(findings(doc, "dane.no-usable-tlsa")), 1)
        self.assertEqual(hosts["mx.unsigned.co.jp"]["dnssec"], "unsigned")
        self.assertIn("_25._tcp.mx.unsigned.co.jp",
                      findings(doc, "dane.tlsa-unsigned")[0]["message"])

    def test_tampered_tlsa_is_bogus(self):
        # mx2's TLSA data changed after signing; mx's is as signed
        r, doc = doc_of("forged.co.jp")
        self.assertExit(r, 1)
        self.assertEqual(doc["dnssec"]["state"], "signed", doc["dnssec"])
        self.assertNotIn("dnssec.record-bogus", finding_ids(doc))
        hosts = {h["host"]: h for h in doc["dane"]["hosts"]}
        self.assertEqual((hosts["mx.forged.co.jp"]["dnssec"],
                          hosts["mx.forged.co.jp"]["usable"]), ("signed", True))
        self.assertEqual((hosts["mx2.forged.co.jp"]["dnssec"],
                          hosts["mx2.forged.co.jp"]["usable"]), ("bogus", False))
        f = findings(doc, "dane.tlsa-bogus")
        self.assertEqual([x["severity"] for x in f], ["error"], doc["findings"])
        self.assertIn("The TLSA records at _25._tcp.mx2.forged.co.jp do not validate (the "
                      "signature does not verify", f[0]["message"])
        # the same records in Knot-signed example.co.jp validate
        self.assertNotIn("dane.tlsa-bogus", finding_ids(doc_of("example.co.jp")[1]))

    def test_malformed_tlsa(self):
        r, doc = doc_of("tlsa.co.jp")
        hosts = {h["host"]: h for h in doc["dane"]["hosts"]}
        self.assertEqual({h["dnssec"] for h in hosts.values()}, {"signed"})
        f = findings(doc, "dane.tlsa-malformed")
        self.assertEqual({x["severity"] for x in f}, {"error"})
        at = "A TLSA record at _25._tcp.mx{}.tlsa.co.jp is malformed: "
        self.assertEqual(sorted(x["message"] for x in f),
                         [at.format(2) + "a SHA2-256 digest is 32 octets.",
                          at.format(3) + "the selector is not 0 or 1.",
                          at.format(4) + "the certificate association data is too long.",
                          at.format(5) + "no certificate association data."])
        self.assertEqual(hosts["mx.tlsa.co.jp"]["usable"], True)  # its neighbour, well formed
        self.assertEqual([h for h in hosts if hosts[h]["usable"]], ["mx.tlsa.co.jp"])
        mx4 = hosts["mx4.tlsa.co.jp"]["tlsa"][0]
        self.assertEqual((mx4["usage"], mx4["selector"], mx4["matching_type"]),
                         (None, None, None))  # not parsed at all
        self.assertEqual(len(findings(doc, "dane.no-usable-tlsa")), 4)
        # PKIX usage and a full match are unusable for SMTP, not malformed
        self.assertNotIn("dane.tlsa-malformed", finding_ids(doc_of("example.co.jp")[1]))

    def test_tlsa_without_data(self):
        # mx5's record is 3 1 1 with no certificate association data (RFC 6698
        # §2.1.4): malformed, and as signed as its neighbours - not taken for
        # an unsigned answer because the validator could not read it back
        r, doc = doc_of("tlsa.co.jp")
        mx5 = {h["host"]: h for h in doc["dane"]["hosts"]}["mx5.tlsa.co.jp"]
        self.assertEqual((mx5["dnssec"], mx5["usable"]), ("signed", False), mx5)
        self.assertEqual(mx5["tlsa"][0]["record"], "3 1 1")
        self.assertNotIn("dane.tlsa-unsigned", finding_ids(doc))
        self.assertNotIn("dnssec.record-unsigned", finding_ids(doc))
        f = [x for x in findings(doc, "dane.tlsa-malformed") if "mx5" in x["message"]]
        self.assertEqual([x["message"] for x in f],
                         ["A TLSA record at _25._tcp.mx5.tlsa.co.jp is malformed: no certificate "
                          "association data."])

    def test_signed_domain_without_tlsa(self):
        # sha1.co.jp has no MX: nothing to say about DANE
        r, doc = doc_of("sha1.co.jp")
        self.assertEqual(doc["dane"]["hosts"], [])
        self.assertNotIn("dane.none", finding_ids(doc))


class Cost(DnsTestCase):
    def test_extra_questions(self):
        # example.co.jp: DNSKEY at ., jp, co.jp, example.co.jp and DS at the three
        # names below the root; per MX host a TLSA and the DNSKEY/DS of the names
        # of its chain not asked yet (mx, mx2, unsigned.co.jp and mx.unsigned.co.jp)
        r, doc = doc_of("example.co.jp", "-v")
        qs = [(q["name"], q["type"]) for q in doc["queries"]]
        own = [q for q in qs if q[1] in ("DS", "DNSKEY", "TLSA")]
        self.assertEqual(len(own), len(set(own)))
        self.assertEqual(len([q for q in own if q[1] == "TLSA"]), 3)
        self.assertEqual(len(own), 7 + 3 + 2 * 4, own)
        r, off = doc_of("example.co.jp", "-v", "--no-dnssec")
        self.assertEqual([q for q in off["queries"] if q["type"] in ("DS", "DNSKEY", "TLSA")],
                         [])
        self.assertEqual(off["dnssec"]["state"], "unknown")
        self.assertEqual(off["dane"]["state"], "unknown")
        self.assertEqual(len(doc["queries"]) - len(off["queries"]), len(own))


class Text(DnsTestCase):
    def test_one_line_per_area(self):
        r = check("example.co.jp")
        lines = r.text.splitlines()
        dnssec = [l for l in lines if l.startswith("  DNSSEC ")]
        self.assertEqual(dnssec, ["  DNSSEC  signed (ECDSAP256SHA256): . > jp > co.jp > "
                                  "example.co.jp; SPF, DMARC, MX signed"])
        dane = [l for l in lines if l.startswith("  DANE ")]
        self.assertEqual(len(dane), 1)
        self.assertIn("mx.example.co.jp: 1 TLSA (3 1 1), signed, usable", dane[0])
        self.assertIn("mx.unsigned.co.jp: 1 TLSA (3 1 1), not signed, not usable", dane[0])

    def test_bogus_record_named(self):
        lines = check("bogus.co.jp").text.splitlines()
        self.assertIn("  DNSSEC  BOGUS (does not validate): . > jp > co.jp > bogus.co.jp; DMARC, MX "
                      "signed; SPF BOGUS", lines)
        self.assertIn("  DANE    no MX hosts", lines)


# Three English words in a row: a reason left in English. What ldns says is
# quoted as its own ("(ldns: ...)"): it speaks no other language.
ENGLISH = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")


def english_in(line):
    return ENGLISH.search(re.sub(r"\(ldns: [^)]*\)", "", line))


class Japanese(DnsTestCase):
    """Under --lang ja the reasons are Japanese, in the DNSSEC line and the findings;
    the JSON keeps them in English (the tests above)."""

    def dnssec_lines(self, *args, ta=None):
        lines = check("--lang", "ja", *args, ta=ta).text.splitlines()
        out = []
        for i, line in enumerate(lines):
            if line.startswith("  DNSSEC") or re.match(r"  \w+ (dnssec|dane)\.", line):
                out.append(line)
                # the finding's fix follows its message and evidence
                out += [l for l in lines[i + 1:i + 4] if l.startswith("      対処")][:1]
        return out

    def assertJapanese(self, lines, *phrases):
        self.assertTrue(lines)
        for line in lines:
            self.assertIsNone(english_in(line), line)
        text = "\n".join(lines)
        for phrase in phrases:
            self.assertIn(phrase, text)

    def test_reasons(self):
        cases = {
            # the SPF record's signature no longer matches: ldns' words quoted
            "bogus.co.jp": ["署名が検証に合格しません (ldns: "],
            "unsigned.co.jp": [],
            "gost.co.jp": ["gost.co.jp には検証に使える DS レコードがありません"],
            "cname.co.jp": ["unsigned.co.jp は DS レコードなしで co.jp から委任されています"],
            "tlsa.co.jp": ["セレクタが 0 でも 1 でもありません"],
            "forged.co.jp": ["署名が検証に合格しません"],
        }
        for domain, phrases in cases.items():
            with self.subTest(domain=domain):
                self.assertJapanese(self.dnssec_lines(domain), *phrases)

    def test_broken_chain_and_anchor(self):
        with tempfile.NamedTemporaryFile("w", suffix=".anchor") as f:
            f.write(". IN DS 12345 13 2 " + "00" * 32 + "\n")
            f.flush()
            self.assertJapanese(self.dnssec_lines("example.co.jp", ta=f.name),
                                ". の DNSKEY レコードはどれも トラストアンカー と一致しません")
        with tempfile.NamedTemporaryFile("w", suffix=".anchor") as f:
            f.write("zz. IN DS 12345 13 2 " + "00" * 32 + "\n")
            f.flush()
            self.assertJapanese(self.dnssec_lines("a.zz", ta=f.name),
                                "zz には トラストアンカー がありますが")

    def test_not_checked(self):
        self.assertJapanese(self.dnssec_lines("--no-dnssec", "example.co.jp"),
                            "DNSSEC の確認はしていません")
        # a server that refuses the root's DNSKEY question
        nsd = Nsd(zones_in("pipeline")).start()
        try:
            lines = run("--resolver", nsd.address, "--trust-anchor", anchor, "--lang", "ja",
                        "healthy.test").text.splitlines()
        finally:
            nsd.stop()
        lines = [l for l in lines if l.startswith("  DNSSEC") or "dnssec." in l]
        self.assertJapanese(lines, ". の DNSKEY の問い合わせに失敗しました (refused)")


class ProposedZone(DnsTestCase):
    def test_zone_file_is_not_judged_as_signed_or_bogus(self):
        # a proposed zone file for a signed domain: its records carry no
        # signatures (it is signed when deployed), and the DS above it does
        # not match anything in the file - neither is a finding
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "example.co.jp.zone")
            with open(path, "w") as f:
                f.write("$ORIGIN example.co.jp.\n$TTL 300\n@ SOA ns.test. h.test. 2 1 1 1 1\n"
                        "@ NS ns.test.\n" + mail(spf="v=spf1 mx -all", mx=[(10, "mx")])
                        + "mx A 192.0.2.1\n")
            r = check("--format", "json", "--zone", path, "example.co.jp")
        doc = r.json()
        self.assertEqual(doc["dnssec"]["state"], "unknown", doc["dnssec"])
        self.assertIn("zone file", doc["dnssec"]["reason"])
        self.assertEqual(doc["dnssec"]["chain"], [])
        self.assertEqual(dnssec_ids(doc), [])
        self.assertEqual(doc["dane"]["state"], "unknown")
        self.assertEqual([i for i in finding_ids(doc) if i.startswith("dane.")], [])


class Options(DnsTestCase):
    def test_bad_trust_anchor_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".anchor") as f:
            f.write(". IN DS 12345 13 2 " + "00" * 32 + "\nexample. IN A 192.0.2.1\n")
            f.flush()
            r = check("example.co.jp", ta=f.name)
            self.assertExit(r, 2)
            self.assertIn(f"{f.name}:2: a trust anchor is a DS or DNSKEY record",
                          r.stderr.decode())
        r = check("example.co.jp", ta="/nonexistent/anchor")
        self.assertExit(r, 2)
        self.assertIn("cannot read the trust anchor /nonexistent/anchor", r.stderr.decode())

    def test_default_trust_anchor_is_the_root_key(self):
        """Without --trust-anchor the root key Debian ships (dns-root-data) is read: the
        test root's keys are not the real root's, so the chain is bogus at ".", not unknown."""
        self.assertTrue(os.path.exists("/usr/share/dns/root.key"))  # scripts/install-deps
        d = run("--resolver", knot.address, "--timeout", "1000", "--format", "json",
                "example.co.jp").json()
        self.assertEqual((d["dnssec"]["state"], d["dnssec"]["anchor"]), ("bogus", "."))
        self.assertIn("no DNSKEY record of . matches the trust anchor", d["dnssec"]["reason"])
        self.assertEqual(doc_of("example.co.jp")[1]["dnssec"]["state"], "signed")  # test root


if __name__ == "__main__":
    unittest.main()
