#!/usr/bin/python3
"""Writes the hostile SPF zones of tests/dns/test_spf.py (committed output):

  wide.test.zone  one record with 1000 includes, each target a small record
  deep.test.zone  a chain of includes 50 levels deep (d0 -> d1 -> ... -> d50)

Run from this folder: /usr/bin/python3 make-hostile.py
"""

HEADER = """$ORIGIN {0}.
$TTL 300
@ SOA ns.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns.test.
"""


def strings(text, size=250):
    """A TXT value as zone-file strings of at most `size` characters."""
    return " ".join('"%s"' % text[i:i + size] for i in range(0, len(text), size))


with open("wide.test.zone", "w") as f:
    f.write(HEADER.format("wide.test"))
    f.write("; 1000 includes: every one counts; the engine follows 128 of them\n")
    terms = " ".join(f"include:i{n}.wide.test" for n in range(1000))
    f.write("@ TXT " + strings(f"v=spf1 {terms} -all") + "\n")
    for n in range(1000):
        f.write(f'i{n} TXT "v=spf1 ip4:198.51.100.{n % 256} -all"\n')

with open("deep.test.zone", "w") as f:
    f.write(HEADER.format("deep.test"))
    f.write("; 50 levels of includes; the engine stops at 20\n")
    for n in range(50):
        f.write(f'd{n} TXT "v=spf1 include:d{n + 1}.deep.test -all"\n')
    f.write('d50 TXT "v=spf1 -all"\n')
