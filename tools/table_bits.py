#!/usr/bin/env python3
"""Where the bytes of a format-3 pin table go (docs/performance.md).

Usage: table_bits.py TABLE.pinb DUMP.json
(DUMP.json from `pinbake dump TABLE.pinb`.) Prints each section's size
and splits the name stream into lcp, head-name, other-name, end-of-name and
kind bits, using the table's own code lengths (docs/format.md)."""
import json
import struct
import sys

table = open(sys.argv[1], "rb").read()
dump = json.load(open(sys.argv[2]))
(ver, hsize, lver, ts, age, n, npin, nkey, nref, ncls, nkind, nblk) = struct.unpack_from(
    "<IIQqIIIIIIII", table, 8)
bsize, maxlab, obits, _ = struct.unpack_from("<BBBB", table, 64)
(wild, pool, idoff, idlen, _, sbits, total) = struct.unpack_from("<IIIIIQQ", table, 68)
kind_syms = 0 if nkind == 0 else max(nkind, 2)
nib = 41 * 41 + 256 + kind_syms
sec = [("header", hsize), ("keys", nkey * 32), ("key refs", nref * 2),
       ("pinsets", npin * 24), ("classes", ncls * 4), ("kinds", nkind * 2),
       ("code lengths", (nib + 1) // 2),
       ("block offsets", (nblk * obits + 7) // 8 + 8),
       ("head prefixes", (nblk * 30 + 7) // 8 + 8),
       ("name stream", (sbits + 7) // 8 + 8), ("string pool", pool),
       ("checksum", 32)]
assert sum(s for _, s in sec) == total == len(table), (sum(s for _, s in sec), total)
off = 8 + 4 + 4 + 88 + 0
p = hsize + nkey * 32 + nref * 2 + npin * 24 + ncls * 4 + nkind * 2
lengths = [(table[p + i // 2] >> (4 * (i % 2))) & 15 for i in range(nib)]
name_len = lengths[:41 * 41]
lcp_len = lengths[41 * 41:41 * 41 + 256]

def sym(c):
    if c == ".": return 1
    if c == "*": return 2
    if c == "-": return 3
    if c.isdigit(): return 4 + ord(c) - 48
    if c == "_": return 14
    return 15 + ord(c) - 97

keys = sorted(bytes([1]).join(bytes(sym(c) for c in label) for label in reversed(e["name"].split(".")))
              for e in dump["entries"])
lcp_bits = head_bits = name_bits = end_bits = 0
prev = b""
for i, k in enumerate(keys):
    head = i % bsize == 0
    l = 0
    if not head:
        while l < len(k) and l < len(prev) and k[l] == prev[l]:
            l += 1
        lcp_bits += lcp_len[l]
    ctx = 0 if l == 0 else k[l - 1]
    for s in k[l:]:
        if head: head_bits += name_len[ctx * 41 + s]
        else: name_bits += name_len[ctx * 41 + s]
        ctx = s
    end_bits += name_len[ctx * 41 + 0]
    prev = k
kind_bits = sbits - lcp_bits - head_bits - name_bits - end_bits
print("%s: %d bytes, %d entries, %.2f bits/entry, block size %d, %d blocks"
      % (sys.argv[1], total, n, total * 8 / n, bsize, nblk))
for name, size in sec:
    print("  %-14s %8d bytes  %6.2f bits/entry" % (name, size, size * 8 / n))
for name, bits in [("lcp", lcp_bits), ("head names", head_bits),
                   ("other names", name_bits), ("end of name", end_bits),
                   ("kinds", kind_bits)]:
    print("    stream %-12s %8d bytes  %6.2f bits/entry" % (name, bits // 8, bits / n))
