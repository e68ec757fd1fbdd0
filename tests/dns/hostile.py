"""A programmable DNS server for the hostile-DNS tests (standard library only).

It answers on one free loopback port, UDP and TCP, from a table of names:
each (name, type) has records and a behaviour - answer, truncate, answer
over TCP only, close TCP, stay silent, send a wrong transaction id, answer
for another name, or send bytes built by hand (compression-pointer loops,
labels over 63 octets). Names not in the table get NXDOMAIN (or NODATA when
a longer name exists below them), with an SOA, as an authoritative server
for "test." would.

    srv = HostileDns().start()
    srv.add("a.hostile.test", TXT, [txt("v=spf1 -all")], udp="tc")
    ... run dmarc-doctor --resolver srv.address ...
    srv.stop()
"""

import socket
import struct
import threading

from harness import free_port

A, NS, CNAME, SOA, MX, TXT, AAAA, OPT = 1, 2, 5, 6, 15, 16, 28, 41
NOERROR, SERVFAIL, NXDOMAIN, REFUSED = 0, 2, 3, 5


def name_wire(name):
    """A name in wire form, no compression. Labels may be any bytes (tests
    make them too long on purpose)."""
    out = b""
    for label in name.rstrip(".").split(".") if name.strip(".") else []:
        raw = label.encode("latin-1") if isinstance(label, str) else label
        out += bytes([len(raw) & 0xFF]) + raw
    return out + b"\0"


def txt(*strings):
    """TXT rdata: each string (str or bytes) as <len><bytes>, cut at 255 octets."""
    out = b""
    for s in strings:
        raw = s.encode("utf-8") if isinstance(s, str) else s
        if not raw:
            out += b"\0"
        for i in range(0, len(raw), 255):
            chunk = raw[i:i + 255]
            out += bytes([len(chunk)]) + chunk
    return out


def mx(pref, host):
    return struct.pack(">H", pref) + name_wire(host)


def a(ip):
    return socket.inet_aton(ip)


def cname(target):
    return name_wire(target)


def rr(owner, rtype, rdata, ttl=300):
    return name_wire(owner) + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def soa_rr(zone="test"):
    rdata = name_wire("ns." + zone) + name_wire("hostmaster." + zone) + \
        struct.pack(">IIIII", 1, 3600, 600, 86400, 300)
    return rr(zone, SOA, rdata)


def parse_question(msg):
    """(id, flags, qname lowercased, qtype, end of question, EDNS UDP size or 512)."""
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", msg[:12])
    pos, labels = 12, []
    while True:
        n = msg[pos]
        pos += 1
        if n == 0:
            break
        labels.append(msg[pos:pos + n].decode("latin-1"))
        pos += n
    qtype, qclass = struct.unpack(">HH", msg[pos:pos + 4])
    pos += 4
    qend = pos
    size = 512
    # the additional section of a question holds at most the OPT record
    if ar and pos < len(msg) and msg[pos] == 0 and len(msg) >= pos + 11:
        otype, oclass = struct.unpack(">HH", msg[pos + 1:pos + 5])
        if otype == OPT:
            size = max(512, oclass)
    return qid, flags, ".".join(labels).lower(), qtype, qend, size


class Rule:
    def __init__(self, records, rcode, udp, tcp, raw, authority):
        self.records = records  # [(owner, type, rdata)]
        # records of the authority section, as built by rr()/soa_rr(); None:
        # the SOA of "test" when there is no answer, nothing otherwise
        self.authority = authority
        self.rcode = rcode
        # answer | tc | oversize (all of it, whatever the EDNS size) | drop | wrong-id |
        # wrong-id-then-right | other-name | raw
        self.udp = udp
        self.tcp = tcp  # answer | close | drop
        self.raw = raw  # f(qid, question bytes) -> message, for udp == "raw"
        self.asked = {"udp": 0, "tcp": 0}


class HostileDns:
    def __init__(self):
        self.rules = {}
        self.lock = threading.Lock()
        self.stopping = False
        self.threads = []

    def add(self, name, qtype, records=(), rcode=NOERROR, udp="answer", tcp="answer", raw=None,
            owner=None, authority=None):
        """records: rdata of `qtype` at `name`, or (owner, type, rdata) tuples
        for answers that are not (CNAME chains)."""
        recs = [r if isinstance(r, tuple) else (owner or name, qtype, r) for r in records]
        self.rules[(name.lower().rstrip("."), qtype)] = Rule(recs, rcode, udp, tcp, raw, authority)
        return self.rules[(name.lower().rstrip("."), qtype)]

    def exists(self, name):
        return any(n == name or n.endswith("." + name) for n, _ in self.rules)

    # ---------------------------------------------------------- answers

    def message(self, qid, flags, question, rcode, answers, authority=()):
        rd = flags & 0x0100
        hdr = struct.pack(">HHHHHH", qid, 0x8400 | rd | rcode, 1, len(answers), len(authority), 0)
        return hdr + question + b"".join(answers) + b"".join(authority)

    def reply(self, msg, transport):
        """The bytes to send back (a list: nothing, one or more messages)."""
        qid, flags, qname, qtype, qend, size = parse_question(msg)
        question = msg[12:qend]
        rule = self.rules.get((qname, qtype))
        if rule is None:
            rcode = NOERROR if self.exists(qname) else NXDOMAIN
            return [self.message(qid, flags, question, rcode, [], [soa_rr()])]
        with self.lock:
            rule.asked[transport] += 1
        mode = rule.udp if transport == "udp" else rule.tcp
        if mode in ("drop", "close"):
            return []
        if mode == "raw":
            return [rule.raw(qid, question)]
        answers = [rr(o, t, d) for o, t, d in rule.records]
        authority = rule.authority
        if authority is None:
            authority = [] if answers else [soa_rr()]
        full = self.message(qid, flags, question, rule.rcode, answers, authority)
        if transport == "udp":
            if mode == "tc" or (len(full) > size and mode != "oversize"):
                hdr = struct.pack(">HHHHHH", qid, 0x8600 | (flags & 0x0100), 1, 0, 0, 0)
                return [hdr + question]
            if mode == "wrong-id":
                return [struct.pack(">H", qid ^ 0x5A5A) + full[2:]]
            if mode == "wrong-id-then-right":
                spoof = self.message(qid ^ 0x5A5A, flags, question, NOERROR,
                                     [rr(qname, TXT, txt("v=spf1 +all"))])
                return [spoof, full]
            if mode == "other-name":
                other = name_wire("evil.hostile.test") + struct.pack(">HH", qtype, 1)
                return [self.message(qid, flags, other, NOERROR,
                                     [rr("evil.hostile.test", TXT, txt("v=spf1 +all"))])]
        return [full]

    # ---------------------------------------------------------- serving

    def start(self):
        self.port = free_port()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # bursts from several clients at once (each up to --concurrency
        # questions): a small buffer would lose them and fake timeouts
        self.udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.udp.bind(("127.0.0.1", self.port))
        self.udp.settimeout(0.2)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", self.port))
        self.tcp.listen(64)
        self.tcp.settimeout(0.2)
        for target in (self.serve_udp, self.serve_tcp):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def serve_udp(self):
        while not self.stopping:
            try:
                msg, peer = self.udp.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                for out in self.reply(msg, "udp"):
                    self.udp.sendto(out, peer)
            except (IndexError, struct.error, OSError):
                continue  # a question we cannot read: no answer

    def serve_tcp(self):
        while not self.stopping:
            try:
                conn, _ = self.tcp.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self.serve_conn, args=(conn,), daemon=True).start()

    def serve_conn(self, conn):
        conn.settimeout(10)
        try:
            while not self.stopping:
                head = b""
                while len(head) < 2:
                    chunk = conn.recv(2 - len(head))
                    if not chunk:
                        return
                    head += chunk
                n = struct.unpack(">H", head)[0]
                msg = b""
                while len(msg) < n:
                    chunk = conn.recv(n - len(msg))
                    if not chunk:
                        return
                    msg += chunk
                qname_rule = self.rules.get(parse_question(msg)[2:4])
                outs = self.reply(msg, "tcp")
                if not outs:
                    if qname_rule is not None and qname_rule.tcp == "drop":
                        continue  # hold the connection, never answer
                    return  # close
                for out in outs:
                    conn.sendall(struct.pack(">H", len(out)) + out)
        except (OSError, IndexError, struct.error):
            return
        finally:
            conn.close()

    def stop(self):
        self.stopping = True
        for t in self.threads:
            t.join(2)
        self.udp.close()
        self.tcp.close()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"
