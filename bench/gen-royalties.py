#!/usr/bin/env python3
"""gen-royalties.py - agreements and one big sales file for bench/royalties.sh.

    python3 bench/gen-royalties.py -n 1000 --lines 10000000 --seed 1 DIR

Writes DIR/agreements/A0000.yaml ... (each: USD, one field, a worldwide
exclusive grant, deductions capped at 10%, three marginal bands over the
calendar royalty year with bounds that differ per agreement), DIR/sales.csv
(one header row, then the lines sorted by agreement and period: 40 quarters
from 2020-Q1, lines spread evenly, each in one of 20 countries, with an
x_agreement column naming its agreement) and DIR/bands.csv (the bands as
integers for the SQLite comparison: agreement, lower and upper bound in
cents, rate in percent)."""
import argparse
import os
import random

COUNTRIES = ["AT", "AU", "BE", "BR", "CA", "CH", "CN", "DE", "DK", "ES",
             "FR", "GB", "IE", "IN", "IT", "JP", "KR", "NL", "SE", "US"]


def agreement(i, lo, hi):
    return f"""licet: 1
id: A{i:04d}
title: Bench agreement {i}
effective: 2020-01-01
currency: USD
parties:
  licensor: {{ id: uni, name: University }}
  licensee: {{ id: lic{i}, name: Licensee {i} }}
fields:
  therapeutics: [oncology]
term:
  ends: 2039-12-31
grants:
  - {{ id: G1, fields: [therapeutics/oncology], territories: [WORLD], exclusivity: exclusive }}
payments:
  royalties:
    year: calendar
    deductions: {{ cap: "10%" }}
    schedules:
      - name: all
        tiers:
          method: marginal
          bands:
            - {{ up_to: "{lo}", rate: "3%" }}
            - {{ up_to: "{hi}", rate: "4%" }}
            - {{ rate: "5%" }}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("dir")
    o = ap.parse_args()
    rnd = random.Random(o.seed)
    os.makedirs(os.path.join(o.dir, "agreements"), exist_ok=True)
    periods = [f"{2020 + q // 4}-Q{q % 4 + 1}" for q in range(40)]
    per_ag = o.lines // o.n
    with open(os.path.join(o.dir, "bands.csv"), "w") as bands, \
         open(os.path.join(o.dir, "sales.csv"), "w") as out:
        bands.write("a,lo,hi,rate\n")
        out.write("x_agreement,period,country,field,gross_sales,deductions,currency\n")
        for i in range(o.n):
            lo = rnd.choice([2_000_000, 5_000_000, 10_000_000])
            hi = lo * rnd.choice([2, 4])
            with open(os.path.join(o.dir, "agreements", f"A{i:04d}.yaml"), "w") as f:
                f.write(agreement(i, lo, hi))
            bands.write(f"A{i:04d},0,{lo * 100},3\nA{i:04d},{lo * 100},{hi * 100},4\n"
                        f"A{i:04d},{hi * 100},{2 ** 62},5\n")
            n = per_ag + (1 if i < o.lines % o.n else 0)
            rows = []
            for k in range(n):
                p = periods[k * len(periods) // n]
                gross = rnd.randrange(1_000_00, 5_000_000_00)
                ded = rnd.randrange(0, gross // 5)
                rows.append(f"A{i:04d},{p},{rnd.choice(COUNTRIES)},therapeutics/oncology,"
                            f"{gross // 100}.{gross % 100:02d},{ded // 100}.{ded % 100:02d},USD\n")
            out.write("".join(rows))


if __name__ == "__main__":
    main()
