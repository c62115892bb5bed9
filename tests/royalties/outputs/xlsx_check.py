#!/usr/bin/env python3
"""xlsx_check.py FILE - checks the workbook `licet royalties --xlsx` wrote
for the marginal-quarter-crosses-band case: the cells that carry the
arithmetic hold the right numbers and texts (read straight from the
OOXML parts with the standard library)."""
import re
import sys
import zipfile

z = zipfile.ZipFile(sys.argv[1])
strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
cells = {}
for ref, attrs, v in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*)><v>([^<]*)</v>', z.read("xl/worksheets/sheet1.xml").decode()):
    cells[ref] = strings[int(v)] if 't="s"' in attrs else float(v)
want = {"A1": "ROY-MARGINAL", "B1": "2026-Q2", "C1": "USD", "A3": "kind", "O3": "due",
        "A4": "line", "J4": "3%", "K4": 250000.0, "L4": 7500.0, "M4": 16700.0,
        "J5": "4%", "K5": 230000.0, "L5": 9200.0,
        "A6": "total_due", "M6": 16700.0, "O6": "2026-08-29"}
bad = [f"{k}: {cells.get(k)!r} != {v!r}" for k, v in want.items() if cells.get(k) != v]
if bad:
    print("xlsx: " + "; ".join(bad))
    sys.exit(1)
