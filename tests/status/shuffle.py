#!/usr/bin/env python3
"""shuffle.py EVENTS.yaml OUTDIR - write the events in reverse and in a
seeded shuffled order, when every event has a distinct date (the engine
keeps file order only for ties, so only then must the order not matter).
Exits 1 (nothing written) when dates repeat or the file is not a plain
list of one-line `- {...}` items."""
import os, random, re, sys

src, out = sys.argv[1], sys.argv[2]
lines = [l for l in open(src, encoding="utf-8").read().splitlines() if l.strip() and not l.lstrip().startswith("#")]
if not lines or not all(l.startswith("- {") for l in lines):
    sys.exit(1)
dates = [re.search(r"date: *([0-9-]{10})", l) for l in lines]
if not all(dates) or len({d.group(1) for d in dates}) != len(lines):
    sys.exit(1)
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "reverse.yaml"), "w").write("\n".join(reversed(lines)) + "\n")
shuffled = lines[:]
random.Random(20261123).shuffle(shuffled)
open(os.path.join(out, "shuffled.yaml"), "w").write("\n".join(shuffled) + "\n")
