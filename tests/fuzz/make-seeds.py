#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into testdata/fuzz/ (run once;
the output is committed). DNS responses come from NSD serving the pipeline
test zones; records from the test zones and fixtures."""

import glob
import os
import random
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "dns"))
from harness import Nsd  # noqa: E402

OUT = os.path.join(ROOT, "testdata", "fuzz")


def query(port, name, qtype):
    q = struct.pack(">HHHHHH", random.randint(0, 65535), 0x0100, 1, 0, 1, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack(">HH", qtype, 1)
    q += b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)  # EDNS0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        s.sendto(q, ("127.0.0.1", port))
        return s.recvfrom(65535)[0]


def main():
    zones = {os.path.basename(p)[:-5]: p
             for p in glob.glob(os.path.join(ROOT, "testdata", "zones", "pipeline", "*.zone"))}
    nsd = Nsd(zones).start()
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
    n = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "zones", "*", "*.zone"))):
        for line in open(path, encoding="utf-8", errors="replace"):
            if " TXT " in line and '"' in line:
                text = "".join(line.split('"')[1::2])
                with open(os.path.join(OUT, "records", f"{n:03d}"), "w") as f:
                    f.write(text)
                n += 1
    fixtures = [
        'example.com TXT "v=spf1 include:_spf.example.com -all"\n'
        '_spf.example.com TXT !TIMEOUT\nexample.com MX 10 mail.example.com.\n',
        '*.wild.example.com TXT "w"\nalias.example.com CNAME example.com.\n'
        'dead.example.com ** !SERVFAIL\n_dmarc.example.com TXT "v=DMARC1; p=none"\n',
        'a.example.com A 192.0.2.1\na.example.com AAAA 2001:db8::1\n'
        'x.example.com TXT "a" "b" "\\000\\255"\n',
    ]
    for i, text in enumerate(fixtures):
        with open(os.path.join(OUT, "fixture", f"{i:02d}"), "w") as f:
            f.write(text)
    print(f"{len(asks)} responses, {n} records, {len(fixtures)} fixtures")


if __name__ == "__main__":
    main()
