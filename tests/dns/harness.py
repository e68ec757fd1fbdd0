"""Real DNS servers on loopback for the end-to-end tests.

Every test module starts what it needs and stops it when done:
  Nsd        an authoritative server (NSD) serving zone files from testdata/
  Testns     ldns-testns, for hostile or broken answers (SERVFAIL, garbage)
  Blackhole  a UDP and TCP port that accepts questions and never answers
and runs the built binary (DD_BIN) against them. Standard library only.
No test here touches the internet.
"""

import glob
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("DD_BIN", os.path.join(os.path.dirname(__file__), "../../build/cmd/dmarc-doctor"))
TESTDATA = os.environ.get("DD_TESTDATA", os.path.join(os.path.dirname(__file__), "../../testdata"))
NSD = shutil.which("nsd") or "/usr/sbin/nsd"
TESTNS = shutil.which("ldns-testns") or "/usr/bin/ldns-testns"


def free_port():
    """A port free for both UDP and TCP on 127.0.0.1."""
    for _ in range(50):
        port = random.randint(20000, 60000)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, \
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
                u.bind(("127.0.0.1", port))
                t.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def dns_query(port, name, qtype=6, timeout=0.5):
    """One UDP question; returns the rcode, or None when nothing came back."""
    qid = random.randint(0, 65535)
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        if label:  # the root has none
            q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(q, ("127.0.0.1", port))
        try:
            data, _ = s.recvfrom(65535)
        except socket.timeout:
            return None
    return data[3] & 0x0F


def tcp_listening(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Nsd:
    """NSD serving {origin: zone file path} on a free loopback port."""

    def __init__(self, zones, ipv6=False):
        self.zones = zones
        self.ipv6 = ipv6  # also listen on [::1]
        self.port = None
        self.proc = None
        self.dir = None

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="dd-nsd-")
        self.port = free_port()
        conf = os.path.join(self.dir, "nsd.conf")
        with open(conf, "w") as f:
            v6 = f"    ip-address: ::1@{self.port}\n" if self.ipv6 else ""
            f.write(f"""server:
    ip-address: 127.0.0.1@{self.port}
{v6}    port: {self.port}
    do-ip6: {"yes" if self.ipv6 else "no"}
    server-count: 1
    username: ""
    chroot: ""
    database: ""
    zonelistfile: "{self.dir}/zone.list"
    xfrdfile: "{self.dir}/xfrd.state"
    xfrdir: "{self.dir}"
    pidfile: "{self.dir}/nsd.pid"
    logfile: "{self.dir}/nsd.log"
    verbosity: 1
    zonefiles-check: no
    zonefiles-write: 0
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
""")
            for origin, path in self.zones.items():
                f.write(f'zone:\n    name: "{origin}"\n    zonefile: "{os.path.abspath(path)}"\n')
        self.proc = subprocess.Popen([NSD, "-d", "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        first = next(iter(self.zones))
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nsd exited: " + self.proc.stderr.read().decode() + self.log())
            if dns_query(self.port, first) == 0:
                return self
            time.sleep(0.05)
        raise RuntimeError("nsd did not start: " + self.log())

    def log(self):
        try:
            with open(os.path.join(self.dir, "nsd.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stderr.close()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"


def write_testns(path, entries):
    """An ldns-testns data file answering each (name, type) with an rcode.

    Debian 12's ldns-testns leaves QDCOUNT at 0 when it copies the question
    (ADJUST copy_query), and resolvers drop such replies; so every entry
    spells its question out."""
    with open(path, "w") as f:
        for name, qtype, rcode in entries:
            f.write(f"ENTRY_BEGIN\nMATCH opcode qtype qname\nADJUST copy_id\n"
                    f"REPLY QR RD RA {rcode}\nSECTION QUESTION\n{name.rstrip('.')}. IN {qtype}\n"
                    "ENTRY_END\n\n")


class Testns:
    """ldns-testns answering from a data file (see ldns-testns(1))."""

    def __init__(self, datafile):
        self.datafile = datafile
        self.proc = None
        self.port = None

    def start(self):
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen([TESTNS, "-p", str(self.port), self.datafile],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.time() + 5
            while time.time() < deadline and self.proc.poll() is None:
                if tcp_listening(self.port):  # its data may answer no probe
                    return self
                time.sleep(0.05)
            self.stop()
        raise RuntimeError("ldns-testns did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc.stderr.close()
            self.proc = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"


class Blackhole:
    """A loopback UDP port (and TCP listener) that takes questions and never answers."""

    def start(self):
        self.port = free_port()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", self.port))
        self.tcp.listen(16)
        return self

    def stop(self):
        self.udp.close()
        self.tcp.close()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"


def zone_path(*parts):
    return os.path.join(TESTDATA, "zones", *parts)


def zones_in(*parts):
    """{origin: path} of every ORIGIN.zone in testdata/zones/<parts>, for Nsd."""
    return {os.path.basename(path)[:-len(".zone")]: path
            for path in sorted(glob.glob(zone_path(*parts, "*.zone")))}


class Result:
    def __init__(self, proc, elapsed):
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.elapsed = elapsed

    @property
    def text(self):
        return self.stdout.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.stdout)

    def jsonl(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def __repr__(self):
        return f"<exit {self.code}\nstdout:\n{self.text}\nstderr:\n{self.stderr.decode(errors='replace')}>"


def run(*args, env=None, stdin=None, timeout=60, cwd=None):
    """Run dmarc-doctor; C locale and no colour unless env says otherwise."""
    e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C"}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            e[k] = os.environ[k]
    if env:
        e.update(env)
    t0 = time.time()
    proc = subprocess.run([os.path.abspath(BIN)] + [str(a) for a in args], env=e, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          cwd=cwd)
    if b"Sanitizer" in proc.stderr or b"runtime error:" in proc.stderr:
        raise AssertionError("sanitizer report:\n" + proc.stderr.decode(errors="replace"))
    return Result(proc, time.time() - t0)


def finding_ids(doc):
    return [f["id"] for f in doc["findings"]]


def findings(doc, fid):
    """The findings of a JSON result with this id."""
    return [f for f in doc["findings"] if f["id"] == fid]


class DnsTestCase(unittest.TestCase):
    """Base class: self.assertExit(result, code) shows the output on failure."""

    def assertExit(self, result, code):
        self.assertEqual(result.code, code, repr(result))

    def assertNoMissingClaims(self, doc):
        """A failed lookup must never be reported as a missing record."""
        ids = finding_ids(doc)
        for bad in ("spf.missing", "dmarc.missing", "dkim.none-found", "spf.include-missing"):
            self.assertNotIn(bad, ids, doc)


KNOTD = shutil.which("knotd") or "/usr/sbin/knotd"
KEYMGR = shutil.which("keymgr") or "/usr/sbin/keymgr"


class Knot:
    """Knot DNS serving zones on a free loopback port, signing those asked to.

    Everything - configuration, zone files, the KASP database with the keys,
    the journal - lives in one temporary directory, removed by stop().
    Keys are made with keymgr before the server starts (policy `manual`), so
    a test can put the DS records of a child into its parent's zone file
    (ds()) and pass the root's as --trust-anchor. Usage:

        k = Knot()
        k.add_zone("example.test", signed="ecdsap256sha256")
        k.add_zone("example.test" ...)      # once per zone
        ds = k.ds("example.test")           # DS records, zone-file lines
        k.write_zone("example.test", text)  # then, for every zone
        k.start()
    """

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="dd-knot-")
        for sub in ("zones", "db", "keys"):
            os.makedirs(os.path.join(self.dir, sub))
        self.zones = {}  # origin -> signing algorithm or None
        self.nsec3 = set()  # origins denied with NSEC3 (RFC 5155) rather than NSEC
        self.port = free_port()
        self.proc = None

    def conf_path(self):
        return os.path.join(self.dir, "knot.conf")

    def _write_conf(self):
        zones = ""
        for origin, alg in self.zones.items():
            apex = "." if origin == "." else origin + "."
            zones += f"  - domain: \"{apex}\"\n    file: \"{self.zone_file(origin)}\"\n"
            if alg:
                policy = "manual3" if origin in self.nsec3 else "manual"
                zones += f"    dnssec-signing: on\n    dnssec-policy: {policy}\n"
        with open(self.conf_path(), "w") as f:
            f.write(f"""server:
    listen: 127.0.0.1@{self.port}
    rundir: "{self.dir}"
    pidfile: "{self.dir}/knot.pid"
log:
  - target: "{self.dir}/knot.log"
    any: info
database:
    storage: "{self.dir}/db"
keystore:
  - id: pem
    backend: pem
    config: "{self.dir}/keys"
policy:
  - id: manual
    manual: on
    keystore: pem
  - id: manual3
    manual: on
    keystore: pem
    nsec3: on
template:
  - id: default
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
{zones}""")

    def zone_file(self, origin):
        name = "root" if origin == "." else origin
        return os.path.join(self.dir, "zones", name + ".zone")

    def add_zone(self, origin, signed=None, size=None, nsec3=False):
        """Serve origin ("." for the root); signed: a keymgr algorithm name."""
        self.zones[origin] = signed
        if nsec3:
            self.nsec3.add(origin)
        self._write_conf()
        if signed:
            args = [f"algorithm={signed}", "ksk=yes", "zsk=yes"]
            if size:
                args.append(f"size={size}")
            self.keymgr(origin, "generate", *args)

    def keymgr(self, origin, *args):
        zone = "." if origin == "." else origin + "."
        r = subprocess.run([KEYMGR, "-c", self.conf_path(), zone, *args],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"keymgr {zone} {' '.join(args)}: {r.stderr}{r.stdout}")
        return r.stdout

    def ds(self, origin):
        """The DS records of origin's key-signing keys (SHA-256), as zone-file lines."""
        return [l for l in self.keymgr(origin, "ds").splitlines() if " DS " in l
                and l.split()[-2] == "2"]

    def dnskeys(self, origin):
        return [l for l in self.keymgr(origin, "dnskey").splitlines() if "DNSKEY" in l]

    def write_zone(self, origin, body, ttl=300):
        """A zone file: SOA and NS made here, body as given (relative names allowed)."""
        apex = "." if origin == "." else origin + "."
        with open(self.zone_file(origin), "w") as f:
            f.write(f"$ORIGIN {apex}\n$TTL {ttl}\n"
                    f"@ SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n"
                    f"@ NS ns.test.\n{body}\n")

    def start(self):
        self._write_conf()
        self.proc = subprocess.Popen([KNOTD, "-c", self.conf_path()], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        # ready when every zone answers its SOA (signed zones: once signed)
        deadline = time.time() + 30
        pending = list(self.zones)
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("knotd exited: " + self.proc.stderr.read().decode()
                                   + self.log())
            pending = [z for z in pending if dns_query(self.port, z) != 0]
            if not pending and self._signed_ready():
                return self
            time.sleep(0.1)
        raise RuntimeError(f"knotd did not serve {pending}: " + self.log())

    def _signed_ready(self):
        log = self.log()
        return all(f"[{'.' if z == '.' else z + '.'}] DNSSEC, successfully signed" in log
                   or f"[{'.' if z == '.' else z + '.'}] DNSSEC, zone is up-to-date" in log
                   for z, alg in self.zones.items() if alg)

    def log(self):
        try:
            with open(os.path.join(self.dir, "knot.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stderr.close()
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"
