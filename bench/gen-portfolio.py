#!/usr/bin/env python3
"""gen-portfolio.py - write N realistic, valid agreement files for benchmarks.

    python3 bench/gen-portfolio.py [-n 1000] [--seed 1] OUTDIR

Each file is one licence agreement in the format of FORMAT.md section 2:
distinct ids, a handful of licensors (universities, institutes, companies),
a field-of-use tree, patents, grants over fields and territories,
milestones whose due dates are expressions over `effective` and earlier
milestones, payments with tiered royalty schedules, reporting, breach
classes with remedy ladders, and now and then options, renegotiation,
exclusivity rules, redacted terms.  Only keys that FORMAT.md defines.

The output is deterministic for a given seed and count.  YAML is written
by hand: ids, dates, numbers and enum words are plain scalars (all safe
under YAML 1.2's core schema), every free text is a JSON double-quoted
string (valid YAML 1.2), amounts and rates are quoted strings as the
format recommends.  Python 3 standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys

LICENSORS = [
    ("unix", "University of X"),
    ("nipd", "Northbridge Institute for Protein Design"),
    ("hcri", "Harbour City Research Institute"),
    ("ethz-tt", "Alpine Technical University Technology Transfer"),
    ("kyoto-med", "Kansai Medical Research Foundation"),
    ("biopharm-ag", "BioPharm AG"),
    ("crick-ip", "Riverside Genome Institute"),
]

# A few more licensors, so the portfolio resembles several offices' books.
LICENSORS += [("%s-%s" % (a.lower(), b.lower()), "%s %s" % (a, n))
              for a in ("Eastlake", "Meridian", "Saltmarsh", "Greywater")
              for b, n in (("U", "University"), ("MC", "Medical Centre"), ("RF", "Research Foundation"))]

# Countries grants are written in (explicit lists keep the allocator below
# simple); patent offices are derived from them.
COUNTRIES = ("US CA MX BR AR CL CO GB IE DE FR IT ES PT NL BE LU AT CH SE NO DK FI PL CZ "
             "SK HU RO BG GR HR SI EE LV LT IS JP CN HK TW KR SG MY TH VN PH ID IN AU NZ "
             "ZA EG MA NG KE IL TR SA AE QA").split()
EP_STATES = set("GB IE DE FR IT ES PT NL BE LU AT CH SE NO DK FI PL CZ SK HU RO BG GR HR SI EE LV LT IS TR".split())


class Claims:
    """Field x country claims of one licensor across the portfolio.

    `licet check` reports an exclusive or sole grant that overlaps another
    grant of the same licensor (fields by path prefix, countries, dates) as
    a conflict.  A realistic book has none, so a strong grant takes pairs
    nobody holds and any grant avoids pairs a strong grant holds."""

    def __init__(self):
        self.strong = {}  # country -> [field path]
        self.any = {}

    @staticmethod
    def _hit(paths, f):
        return any(p == f or p.startswith(f + "/") or f.startswith(p + "/") for p in paths)

    def free(self, fields, countries, strong):
        for c in countries:
            for f in fields:
                if self._hit(self.strong.get(c, ()), f):
                    return False
                if strong and self._hit(self.any.get(c, ()), f):
                    return False
        return True

    def take(self, fields, countries, strong):
        for c in countries:
            for f in fields:
                self.any.setdefault(c, []).append(f)
                if strong:
                    self.strong.setdefault(c, []).append(f)


LICENSEE_STEMS = ["Beta", "Cirrus", "Helix", "Nimbus", "Orchid", "Quanta",
                  "Vireo", "Lumen", "Atlas", "Kestrel", "Sable", "Tessera",
                  "Argon", "Boreal", "Corvid", "Delta", "Ember", "Fjord"]
LICENSEE_SUFFIX = ["Therapeutics, Inc.", "Bio Ltd", "Pharma GmbH",
                   "Biosciences Inc.", "Diagnostics SAS", "Genomics K.K."]

TECH = [
    "Lipid nanoparticle delivery of mRNA",
    "Computationally designed mini-binder proteins",
    "CRISPR base editors with reduced off-target activity",
    "Bispecific T-cell engager scaffold",
    "Cell-free DNA methylation assay",
    "Inhaled antiviral small molecules",
    "AAV capsids with liver de-targeting",
    "Antibody-drug conjugate linker chemistry",
]

FIELD_TREES = [
    {"therapeutics": ["oncology", "rare-disease", "immunology"], "diagnostics": []},
    {"therapeutics": ["infectious-disease", "respiratory"], "vaccines": ["human", "veterinary"]},
    {"therapeutics": ["ophthalmology", "neurology"], "research-tools": []},
    {"diagnostics": ["companion", "screening"], "research-tools": ["reagents"]},
    {"agriculture": ["crop-protection", "animal-health"], "therapeutics": ["oncology"]},
]

# (currency, calendar) pairs a licensing office would plausibly use.
CURRENCIES = [("USD", "US"), ("USD", "US"), ("USD", "WEEKENDS"), ("EUR", "WEEKENDS"),
              ("GBP", "GB-EAW"), ("JPY", "WEEKENDS"), ("CHF", "WEEKENDS")]

TERRITORY_SETS = [
    ["WORLD"], ["US"], ["US", "CA"], ["NORTH_AMERICA"], ["EU", "GB"],
    ["EUROPE"], ["EEA", "CH"], ["JP"], ["APAC"], ["CN", "HK", "TW"],
    ["LATAM"], ["US", "EU", "GB", "JP"], ["MENA", "AFRICA"], ["DACH"],
]
MS_TITLES = {
    "development": ["Development candidate nominated", "First patient dosed in Phase 1",
                    "First patient dosed in Phase 2", "Phase III start",
                    "Prototype assay validated", "GMP batch released"],
    "regulatory": ["First IND filing", "CTA cleared", "First marketing approval in the US",
                   "EMA marketing authorisation", "PMDA approval", "CE mark obtained"],
    "commercial": ["First commercial sale", "Launch in two major EU markets",
                   "First commercial sale in Japan"],
}


def q(s):
    """A free text as a YAML 1.2 double-quoted scalar (JSON is a subset)."""
    return json.dumps(s)


def amount(rng, lo, hi, cur, step=1000):
    v = rng.randrange(lo // step, hi // step + 1) * step
    if cur != "JPY" and rng.random() < 0.1:
        return '"%d.%02d"' % (v, rng.randrange(100))
    if cur == "JPY":
        v *= 100  # yen amounts are larger
    return '"%d"' % v


def pct(rng, lo, hi, step=0.5):
    n = int(round((hi - lo) / step))
    v = lo + step * rng.randrange(n + 1)
    return '"%s%%"' % (("%g" % v))


def dur(rng, choices=("days", "months")):
    unit = rng.choice(choices)
    if unit == "days":
        return "{ days: %d }" % rng.choice([15, 30, 45, 60, 90])
    if unit == "business_days":
        return "{ business_days: %d }" % rng.choice([5, 10, 20])
    if unit == "years":
        return "{ years: %d }" % rng.randrange(1, 4)
    return "{ months: %d }" % rng.choice([3, 6, 9, 12, 18, 24])


def flow(items):
    return "[" + ", ".join(items) + "]"


def gen_one(rng, idx, claims):
    cur, cal = rng.choice(CURRENCIES)
    lic_id, lic_name = rng.choice(LICENSORS)
    stem = rng.choice(LICENSEE_STEMS)
    lee_name = "%s %s" % (stem, rng.choice(LICENSEE_SUFFIX))
    lee_id = "%s-%d" % (stem.lower(), idx)
    eff = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 8))
    agr_id = "%s-%s-%d-%04d" % (lic_id.upper(), stem.upper(), eff.year, idx)
    tree = rng.choice(FIELD_TREES)
    leaves = []
    for top, subs in tree.items():
        leaves += ["%s/%s" % (top, s) for s in subs] or [top]
    tops = list(tree)
    custom_dach = rng.random() < 0.3
    book = claims.setdefault(lic_id, Claims())

    # Grants first: the patents and most other sections follow from them.
    grants, gtexts, gcountries = [], [], set()
    for g in range(rng.randrange(1, 4)):
        excl = rng.choice(["exclusive", "exclusive", "sole", "co_exclusive", "non_exclusive"])
        for attempt in range(40):
            if rng.random() < 0.8:
                gfields = rng.sample(leaves, rng.randrange(1, min(3, len(leaves)) + 1))
            else:
                gfields = [rng.choice(tops)]  # a whole branch
            gc = rng.sample(COUNTRIES, rng.choice([1, 1, 2, 3, 5, 8]))
            strong = excl in ("exclusive", "sole")
            if book.free(gfields, gc, strong):
                break
            if attempt == 20:
                excl = rng.choice(["co_exclusive", "non_exclusive"])
        else:
            continue  # this licensor's book is full here; fewer grants
        book.take(gfields, gc, excl in ("exclusive", "sole"))
        gid = "G%d" % (len(grants) + 1)
        grants.append(gid)
        gcountries.update(gc)
        t = ["  - id: %s" % gid, "    fields: %s" % flow(gfields),
             "    territories: %s" % flow(gc), "    exclusivity: %s" % excl,
             "    sublicensable: %s" % rng.choice(["true", "false"])]
        if rng.random() < 0.25:
            t.append("    from: %s" % (eff + dt.timedelta(days=rng.randrange(30, 400))).isoformat())
        gtexts.append(t)
    if not grants:  # no room left anywhere: a non-exclusive research licence in a fresh country
        gfields = [rng.choice(leaves)]
        gc = [c for c in COUNTRIES if book.free(gfields, [c], False)][:1]
        if not gc:
            raise SystemExit("gen-portfolio: licensor %s has no room for agreement %d" % (lic_id, idx))
        book.take(gfields, gc, False)
        grants.append("G1")
        gcountries.update(gc)
        gtexts.append(["  - id: G1", "    fields: %s" % flow(gfields), "    territories: %s" % flow(gc),
                       "    exclusivity: non_exclusive", "    sublicensable: false"])
    sublicensable = any("sublicensable: true" in line for t in gtexts for line in t)
    redacted = rng.random() < 0.2  # a filed, redacted copy

    o = []
    w = o.append
    w("# Generated by bench/gen-portfolio.py - agreement %d" % idx)
    w("licet: 1")
    w("id: %s" % agr_id)
    w("title: %s" % q("Licence agreement %d — %s" % (idx, rng.choice(TECH))))
    w("effective: %s" % eff.isoformat())
    w("currency: %s" % cur)
    if rng.random() < 0.2:
        w("rounding: half_up")
    w("calendar: %s" % cal)
    w("parties:")
    w("  licensor: { id: %s, name: %s }" % (lic_id, q(lic_name)))
    w("  licensee: { id: %s, name: %s }" % (lee_id, q(lee_name)))
    if custom_dach:
        w("territories:")
        w("  DACH: [DE, AT, CH]")
    w("fields:")
    for top, subs in tree.items():
        w("  %s: %s" % (top, flow(subs)))

    # Technology and term.
    w("technology:")
    w("  description: %s" % q(rng.choice(TECH)))
    w("  patents:")
    offices = []
    ep = sorted(gcountries & EP_STATES)
    if ep:
        offices.append(("EP", ep))
    offices += [(c, [c]) for c in sorted(gcountries - EP_STATES)]
    rng.shuffle(offices)
    last_exp = eff
    for p, (office, countries) in enumerate(offices[:4]):
        exp = eff + dt.timedelta(days=rng.randrange(365 * 8, 365 * 18))
        last_exp = max(last_exp, exp)
        w("    - { id: %s-%d%02d, countries: %s, expires: %s }"
          % (office, 10000000 + idx * 7 + p, p, flow(countries), exp.isoformat()))
    has_rx = rng.random() < 0.5
    if has_rx:
        w("  exclusivities:")
        w("    - { country: %s, expires: %s }" % (rng.choice(sorted(gcountries)), "%s")
          % (eff + dt.timedelta(days=rng.randrange(365 * 6, 365 * 14))).isoformat())
    w("  know_how: %s" % flow([q("Protocols v%d" % rng.randrange(1, 5)), q("Assay SOPs")]))
    w("term:")
    if rng.random() < 0.5:
        w("  ends: last_patent_expiry")
        term_end = last_exp
    else:
        term_end = eff + dt.timedelta(days=365 * rng.randrange(10, 21) - 1)
        w("  ends: %s" % term_end.isoformat())

    w("grants:")
    for t in gtexts:
        for line in t:
            w(line)
        if rng.random() < 0.2 and term_end > eff + dt.timedelta(days=3000):
            w("    until: %s" % (eff + dt.timedelta(days=rng.randrange(2000, 3000))).isoformat())

    # Milestones: diligence chain, then sales milestones.
    w("milestones:")
    ms, titles = [], set()
    nms = rng.randrange(2, 9)
    for m in range(nms):
        mid = "M%d" % (m + 1)
        kind = rng.choice(["development", "development", "regulatory", "regulatory", "commercial"])
        unused = [t for t in MS_TITLES[kind] if t not in titles] or MS_TITLES[kind]
        title = rng.choice(unused)
        titles.add(title)
        w("  - id: %s" % mid)
        w("    title: %s" % q(title))
        w("    kind: %s" % kind)
        w("    owner: %s" % ("licensor" if kind == "development" and rng.random() < 0.15 else "licensee"))
        r = rng.random()
        if redacted and r < 0.15:
            w("    due: redacted")
        elif r < 0.25:
            w("    due: %s" % (eff + dt.timedelta(days=rng.randrange(300, 3000))).isoformat())
        elif ms and r < 0.6:
            w("    due: { after: %s, %s }" % (rng.choice(ms), dur(rng, ("months", "days"))[2:-2]))
        else:
            w("    due: { after: effective, months: %d }" % rng.choice([6, 12, 18, 24, 36, 48]))
        if rng.random() < 0.5:
            w("    deliverables: %s" % flow([q("Evidence: %s" % title)]))
        w("    acceptance: %s" % q(rng.choice(["Licensor confirms in writing",
                                             "Regulator's acknowledgement received",
                                             "Independent auditor certifies completion"])))
        w("    verification: %s" % rng.choice(["self_certified", "evidence", "third_party"]))
        if rng.random() < 0.75:
            amt = "redacted" if redacted and rng.random() < 0.3 else amount(rng, 25000, 5000000, cur)
            w("    payment: { amount: %s, due: %s }" % (amt, dur(rng, ("days",))))
        if rng.random() < 0.25:
            w("    extensions: { max: %d, each: { months: 6 }, fee: %s }"
              % (rng.randrange(1, 4), amount(rng, 10000, 100000, cur)))
        if ms and rng.random() < 0.15:
            w("    catch_up: %s" % flow([ms[-1]]))
        if rng.random() < 0.1:
            w("    on_miss: { action: revert, grant: %s, notice: { days: 60 } }" % rng.choice(grants))
        ms.append(mid)
    for s in range(rng.randrange(0, 3)):
        cond = rng.choice(["net_sales_in_year", "cumulative_net_sales"])
        w("  - id: S%d" % (s + 1))
        w("    title: %s" % q("Net sales milestone %d" % (s + 1)))
        w("    kind: sales")
        w("    when: { %s: { %s: %s } }" % (cond, rng.choice(["exceeds", "reaches"]),
                                           amount(rng, 10000000, 500000000, cur, 10000000)))
        w("    repeat: %s" % ("once" if cond == "cumulative_net_sales" else rng.choice(["once", "every_year"])))
        w("    acceptance: %s" % q("Royalty reports show the threshold reached"))
        w("    verification: self_certified")
        w("    payment: { amount: %s, due: { days: 60 } }" % amount(rng, 500000, 10000000, cur, 100000))

    # Payments.
    w("payments:")
    w("  upfront: { amount: %s, due: { after: effective, days: %d } }"
      % (amount(rng, 10000, 2000000, cur), rng.choice([15, 30, 45, 60])))
    if rng.random() < 0.6:
        w("  annual_fee:")
        if rng.random() < 0.5:
            w("    amount: %s" % amount(rng, 5000, 50000, cur))
        else:
            w("    schedule: [{ year: 1, amount: %s }, { from_year: 2, amount: %s }]"
              % (amount(rng, 5000, 20000, cur), amount(rng, 20000, 60000, cur)))
        w("    first_due: { after: effective, years: 1 }")
        if rng.random() < 0.5:
            w("    until: first_commercial_sale")
        w("    creditable: %s" % rng.choice(["true", "false"]))
    w("  royalties:")
    w("    year: %s" % rng.choice(["calendar", "agreement"]))
    w("    base: net_sales")
    w("    deductions: { cap: %s }" % pct(rng, 5, 15, 1))
    w("    schedules:")
    scheds = rng.sample(leaves, min(len(leaves), rng.randrange(1, 3)))
    for sname in scheds:
        w("      - name: %s" % sname.replace("/", "-"))
        w("        scope: { fields: %s }" % flow([sname]))
        method = rng.choice(["marginal", "marginal", "whole"])
        w("        tiers:")
        w("          method: %s" % method)
        w("          over: %s" % rng.choice(["royalty_year", "royalty_year", "lifetime"]))
        w("          upper: %s" % rng.choice(["inclusive", "exclusive"]))
        w("          bands:")
        nb = rng.randrange(1, 5)
        cap = 0
        unit = 100 if cur == "JPY" else 1
        rate = rng.choice([1, 1.5, 2, 2.5, 3, 4])
        for b in range(nb - 1):
            cap += rng.choice([5, 10, 25, 50]) * 1000000 * unit
            if method == "whole" and b == 0 and rng.random() < 0.2:
                w("            - { up_to: \"%d\", amount: %s }" % (cap, amount(rng, 50000, 200000, cur)))
            else:
                w("            - { up_to: \"%d\", rate: \"%g%%\" }" % (cap, rate))
            rate += rng.choice([0.5, 1])
        w("            - { rate: \"%g%%\" }" % rate)
    w("      - name: default")
    w("        tiers: { method: marginal, over: royalty_year, upper: inclusive, bands: [{ rate: %s }] }"
      % pct(rng, 1, 5))
    w("    royalty_term:")
    ends_from = ["last_valid_claim", "{ years_after_first_sale: %d }" % rng.choice([10, 12, 15])]
    if has_rx:
        ends_from.insert(1, "regulatory_exclusivity")
    ends = rng.sample(ends_from, rng.randrange(1, len(ends_from) + 1))
    w("      ends: %s" % flow(ends))
    if rng.random() < 0.4:
        w("      step_down: { after: [last_valid_claim], rate_factor: \"50%\" }")
    w("      after_term: %s" % rng.choice(["fully_paid", "ends"]))
    if rng.random() < 0.5:
        w("    stacking: { offset: \"50%%\", floor: %s, carry_forward: %s }"
          % (rng.choice(['{ share_of_royalty: "50%" }', '{ rate: "1%" }']), rng.choice(["true", "false"])))
    if ms and rng.random() < 0.3:
        w("    adjustments: [{ after: %s, add: \"1%%\" }]" % rng.choice(ms))
    if rng.random() < 0.6:
        w("    minimum_annual:")
        w("      amount: %s" % amount(rng, 10000, 200000, cur))
        if rng.random() < 0.5:
            w("      from: %d" % (eff.year + rng.randrange(2, 6)))
        else:
            w("      from: { first_sale_year: %d }" % rng.randrange(1, 4))
        w("      mode: %s" % rng.choice(["true_up", "advance"]))
        w("      due: %s" % dur(rng, ("days",)))
        w("      credit: %s" % rng.choice(["earned", "paid"]))
        w("      prorate: %s" % rng.choice(["none", "days", "months"]))
    if sublicensable and rng.random() < 0.6:
        w("  sublicense_income:")
        w("    kinds: [upfront, milestone, other]")
        steps = ["{ before: %s, share: \"%d%%\" }" % (m, 50 - 15 * i) for i, m in enumerate(ms[:2])]
        steps.append("{ share: \"%d%%\" }" % rng.choice([10, 15, 20]))
        w("    shares: %s" % flow(steps))
        w("    due: { days: 60 }")
    if rng.random() < 0.7:
        if rng.random() < 0.7:
            w("  late_interest: { annual_rate: %s, basis: %s, starts: { days: 0 }, compounding: %s }"
              % (pct(rng, 4, 12, 1), rng.choice(["actual_365", "actual_360", "actual_actual"]),
                 rng.choice(["none", "yearly", "monthly"])))
        else:
            w("  late_interest: { reference: prime, margin: %s, basis: actual_365 }" % pct(rng, 1, 4))
    if rng.random() < 0.3:
        w("  fees:")
        w("    liquidity_event: { share: \"1%\", due: { days: 30 } }")
        w("    assignment: { share: \"1%\", due: { days: 60 } }")
    w("  fx: { method: %s }" % rng.choice(["period_average", "period_end"]))

    # Reporting, obligations, governance, audit.
    w("reporting:")
    w("  royalty_report: { every: %s, due: { days: %d } }"
      % (rng.choice(["quarter", "quarter", "half", "year"]), rng.choice([30, 45, 60])))
    w("  progress_report: { every: year, due: { days: 30 } }")
    if rng.random() < 0.4:
        w("licensor_obligations:")
        w("  - { id: KH1, title: %s, due: { after: effective, days: 90 }, on_late: extend_milestones }"
          % q("Transfer know-how package"))
    if rng.random() < 0.5:
        w("governance:")
        w("  committee: { every: { months: %d }, from: effective }" % rng.choice([3, 6, 12]))
    w("audit:")
    w("  lookback_years: %d" % rng.randrange(2, 6))
    w("  notice: { days: 30 }")
    w("  cost_shift: { threshold: \"5%%\", inclusive: %s, base: due, window: %s }"
      % (rng.choice(["true", "false"]), rng.choice(["period", "year", "any_12_months"])))

    # Breach.
    w("breach:")
    w("  classes:")
    w("    payment:    { cure: { days: 30 } }")
    w("    reporting:  { cure: { days: 30 } }")
    w("    diligence:  { cure: { days: %d } }" % rng.choice([60, 90, 120]))
    w("    governance: { cure: { days: 30 }, notice_required: false }")
    w("    material:   { cure: { days: 60, extendable_to: { days: 120 } } }")
    w("  cure_from: %s" % rng.choice(["received", "sent", "notice_date"]))
    w("  remedies:")
    w("    diligence:")
    if rng.random() < 0.5:
        w("      - { action: royalty_increase, add: \"1%\", automatic: true }")
    w("      - { action: step_down, grant: %s, to: non_exclusive }" % grants[0])
    w("      - { action: terminate, notice: { days: 60 } }")
    w("    payment:")
    w("      - { action: terminate, notice: { days: 30 } }")
    if rng.random() < 0.3:
        w("  repeated:")
        w("    - { class: payment, count: 3, within: { months: 24 }, remedy: { action: terminate } }")
    w("force_majeure: { max: { days: %d } }" % rng.choice([180, 270, 365]))

    # Sometimes: exclusivity performance, options, renegotiation.
    if rng.random() < 0.25:
        w("exclusivity:")
        w("  performance:")
        w("    - { grant: %s, min_net_sales: %s, every: year, from: %d, on_miss: { action: step_down, to: non_exclusive, automatic: true } }"
          % (grants[0], amount(rng, 1000000, 10000000, cur, 1000000), eff.year + 5))
    if ms and rng.random() < 0.3:
        w("options:")
        w("  - id: O1")
        w("    title: %s" % q("Expand to Japan"))
        w("    grant: { fields: %s, territories: [JP], exclusivity: exclusive }" % flow([leaves[0]]))
        w("    window: { from: { after: %s, days: 0 }, until: { after: %s, days: 180 } }" % (ms[0], ms[0]))
        w("    fee: %s" % amount(rng, 100000, 1000000, cur))
    if rng.random() < 0.2:
        w("renegotiation:")
        w("  - { every: { months: 12 }, from: %s, length: { days: 30 } }"
          % (eff + dt.timedelta(days=365)).isoformat())
    if rng.random() < 0.5:
        w("improvements:")
        w("  licensee: { owner: licensee, disclose: { days: 60 }, grant_back: non_exclusive_royalty_free }")
        w("  licensor: { included: %s }" % rng.choice(["true", "false"]))
    if rng.random() < 0.4:
        w("change_of_control: { notice: { days: 30 }, licensor_may_terminate: { days: 90 } }")
    w("termination:")
    w("  convenience: { by: licensee, notice: { days: %d } }" % rng.choice([60, 90, 180]))
    if rng.random() < 0.4:
        w("  no_sales: { consecutive: 4, every: quarter }")
    w("  sell_off: { months: 6 }")
    w("  wind_down:")
    w("    - { id: W1, title: %s, due: { days: 30 } }" % q("Return know-how documents"))
    w("disputes: { negotiation: { days: 30 }, mediation: { days: 60 }, then: arbitration }")
    return agr_id, "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("-n", "--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.count < 1:
        ap.error("--count must be at least 1")
    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    ids = set()
    claims = {}
    total = 0
    for i in range(1, args.count + 1):
        agr_id, text = gen_one(rng, i, claims)
        assert agr_id not in ids, agr_id
        ids.add(agr_id)
        path = os.path.join(args.outdir, "agreement-%05d.yaml" % i)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
        total += len(text.encode("utf-8"))
    print("gen-portfolio: %d agreements, %d bytes in %s" % (args.count, total, args.outdir),
          file=sys.stderr)


if __name__ == "__main__":
    main()
