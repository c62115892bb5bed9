#!/usr/bin/env python3
"""gen-engine.py - agreements and ten years of events for the engine benchmark.

    python3 bench/gen-engine.py [-n 10000] [--seed 1] [--mult 1,2,4] OUTDIR

Writes OUTDIR/agreements/agreement-NNNNN.yaml (FORMAT 2, valid for `licet
check`: no errors, no portfolio conflicts) and, for every multiplier M,
OUTDIR/mM/agreement-NNNNN.yaml: the agreement's events (FORMAT 3), a YAML
list with one flow mapping per line, in date order.

The agreements vary like a licensing office's book: effective 2016-2020,
3-7 diligence milestones whose deadlines are fixed dates or run from the
effective date or from earlier milestones, some with extensions, payments
and verification; sometimes a sales milestone; upfront, annual fees,
tiered royalties, late interest; quarterly (or half-yearly, yearly)
royalty reports and yearly progress reports from the effective date;
committee meetings; a licensor know-how obligation; breach classes with
remedy ladders; options, renegotiation, improvements, change of control,
termination rules.

Each events file covers ten years of the deal's life (recent deals, from
2020, run up to the as-of date 2030-12-31): milestones achieved and
accepted (some late, some rejected once, some never, a few waived),
extensions, force majeure, quarterly royalty reports with a few inline
sales lines (after launch; `no_sales: true` before), fx rates for lines in
a second currency, progress reports, payments of every invoice (some late),
royalty payments, committee meetings (now and then one missed), notices of
breach for what was late, waivers, and occasionally an option exercise, an
amendment, a sublicense with income, an improvement and its disclosure, a
change of control, a patent invalidated.  About 40% of the deals have a
ten-year term and have expired by 2030-12-31, 30% are terminated in their
ninth year (sell-off and wind-down follow), the rest are running.

The generator follows the engine's rules (docs/format.md, "Events") so
that no event is rejected on load or on evaluation as of 2030-12-31:
deadlines are computed with the same shifts (licensor lateness, force
majeure, extensions, amendments), notices come after the breach they name,
payments name invoices that exist, options are exercised inside their
window.

Multiplier M: the M-times set has exactly M times as many events per
agreement as the 1x set and the same deal history.  Each report line
becomes M lines (product variants whose amounts add up to the original, so
sales totals do not change); payments are split into same-day transfers,
committee windows get extra meetings, breach notices get reminders and
reference rates are published more often, as many copies as it takes to
reach M x.  So every multiplier gives the same status (but for the
receipt's hash): the table measures the cost of more events, not of a
different history.

Deterministic for a given seed and count.  Python 3 standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
from decimal import Decimal, ROUND_HALF_EVEN

D = dt.date
DAY = dt.timedelta(days=1)
AS_OF = D(2030, 12, 31)

# ---- dates (FORMAT 1: months clamp to the month's end) ----------------------


def dim(y, m):
    return (D(y + (m == 12), m % 12 + 1, 1) - DAY).day


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return D(y, m, min(d.day, dim(y, m)))


def add_years(d, n):
    return add_months(d, 12 * n)


def add_days(d, n):
    return d + dt.timedelta(days=n)


def rand_day(rng, lo, hi):
    """A date in [lo, hi] (inclusive)."""
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


# Periods: (kind, year, n) with kind 'quarter', 'half', 'year', 'month'.
PER_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def period_of(kind, d):
    k = PER_MONTHS[kind]
    return (kind, d.year, (d.month - 1) // k + 1)


def period_first(p):
    kind, y, n = p
    return D(y, (n - 1) * PER_MONTHS[kind] + 1, 1)


def period_last(p):
    kind, y, n = p
    m = n * PER_MONTHS[kind]
    return D(y, m, dim(y, m))


def period_next(p):
    return period_of(p[0], period_last(p) + DAY)


def period_str(p):
    kind, y, n = p
    return {"quarter": "%d-Q%d", "half": "%d-H%d", "month": "%d-%02d"}.get(kind, "%d") % (
        (y, n) if kind != "year" else (y,))


# ---- money ------------------------------------------------------------------

DIGITS = {"USD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "JPY": 0}
# EUR -> agreement currency, roughly; every fx event perturbs it a little.
FX_BASE = {"USD": Decimal("1.10"), "GBP": Decimal("0.86"), "CHF": Decimal("0.97"), "JPY": Decimal("140")}


def money(minor, digits):
    """Minor units as a decimal string: 123456 (2 digits) -> "1234.56"."""
    if digits == 0:
        return '"%d"' % minor
    return '"%d.%0*d"' % (minor // 10 ** digits, digits, minor % 10 ** digits)


def major(rng, lo, hi, cur, step=1000):
    """A round amount in major units, in minor units."""
    v = rng.randrange(lo // step, hi // step + 1) * step
    if cur == "JPY":
        v *= 100
    return v * 10 ** DIGITS[cur]


def convert(net, digits_from, rate, digits_to):
    """lic_amount_convert, half-even: net minor units at rate to minor units."""
    v = Decimal(net) / (10 ** digits_from) * rate
    return int((v * (10 ** digits_to)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


# ---- YAML -------------------------------------------------------------------

PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
RESERVED = re.compile(r"(?i)(y|n|yes|no|on|off|true|false|null)\Z")


def q(s):
    """A free text as a YAML 1.2 double-quoted scalar (JSON is a subset)."""
    return json.dumps(s, ensure_ascii=False)


def sc(v):
    """A scalar for an events file: dates and safe words plain, the rest quoted."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, D):
        return v.isoformat()
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, list):
        return "[" + ", ".join(sc(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join("%s: %s" % (k, sc(x)) for k, x in v.items()) + " }"
    if PLAIN.match(v) and not RESERVED.match(v):
        return v
    return q(v)


class Raw:
    """Text written as is (amounts already quoted)."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def flow(items):
    return "[" + ", ".join(items) + "]"


# ---- portfolio data ---------------------------------------------------------

LICENSOR_STEMS = [
    ("unix", "University of X"), ("nipd", "Northbridge Institute for Protein Design"),
    ("hcri", "Harbour City Research Institute"), ("attt", "Alpine Technical University"),
    ("kmrf", "Kansai Medical Research Foundation"), ("biopharm", "BioPharm AG"),
    ("rgi", "Riverside Genome Institute"), ("eastlake", "Eastlake University"),
    ("meridian", "Meridian Medical Centre"), ("saltmarsh", "Saltmarsh Research Foundation"),
    ("greywater", "Greywater Institute of Technology"),
]
LICENSEE_STEMS = ["Beta", "Cirrus", "Helix", "Nimbus", "Orchid", "Quanta", "Vireo", "Lumen",
                  "Atlas", "Kestrel", "Sable", "Tessera", "Argon", "Boreal", "Corvid", "Delta",
                  "Ember", "Fjord"]
LICENSEE_SUFFIX = ["Therapeutics, Inc.", "Bio Ltd", "Pharma GmbH", "Biosciences Inc.",
                   "Diagnostics SAS", "Genomics K.K."]
TECH = ["Lipid nanoparticle delivery of mRNA", "Computationally designed mini-binder proteins",
        "CRISPR base editors with reduced off-target activity", "Bispecific T-cell engager scaffold",
        "Cell-free DNA methylation assay", "Inhaled antiviral small molecules",
        "AAV capsids with liver de-targeting", "Antibody-drug conjugate linker chemistry"]
FIELD_TREES = [
    {"therapeutics": ["oncology", "rare-disease", "immunology"], "diagnostics": []},
    {"therapeutics": ["infectious-disease", "respiratory"], "vaccines": ["human", "veterinary"]},
    {"therapeutics": ["ophthalmology", "neurology"], "research-tools": []},
    {"diagnostics": ["companion", "screening"], "research-tools": ["reagents"]},
    {"agriculture": ["crop-protection", "animal-health"], "therapeutics": ["oncology"]},
]
COUNTRIES = ("US CA MX BR AR CL CO GB IE DE FR IT ES PT NL BE LU AT CH SE NO DK FI PL CZ "
             "SK HU RO BG GR HR SI EE LV LT IS JP CN HK TW KR SG MY TH VN PH ID IN AU NZ "
             "ZA EG MA NG KE IL TR SA AE QA").split()
EP_STATES = set("GB IE DE FR IT ES PT NL BE LU AT CH SE NO DK FI PL CZ SK HU RO BG GR HR SI EE "
                "LV LT IS TR".split())
EURO = set("IE DE FR IT ES PT NL BE LU AT SK SI EE LV LT FI GR HR".split())
MAJOR_MARKETS = ["US", "DE", "GB", "FR", "JP", "IT", "ES", "CA", "CN", "AU"]
MS_TITLES = {
    "development": ["Development candidate nominated", "First patient dosed in Phase 1",
                    "First patient dosed in Phase 2", "Phase III start", "Prototype assay validated",
                    "GMP batch released"],
    "regulatory": ["First IND filing", "CTA cleared", "First marketing approval in the US",
                   "EMA marketing authorisation", "PMDA approval", "CE mark obtained"],
    "commercial": ["First commercial sale", "Launch in two major EU markets",
                   "First commercial sale in Japan"],
}
CURRENCIES = ["USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY", "CHF"]


class Claims:
    """Field x country claims of one licensor (see gen-portfolio.py): an
    exclusive or sole grant takes pairs nobody holds, any grant avoids
    pairs an exclusive one holds, so `licet check` finds no conflicts."""

    def __init__(self):
        self.strong, self.any = {}, {}

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


# ---- one deal ---------------------------------------------------------------


class Ev:
    """One event: date, type, keys in order; `scale` says how the M-times
    set multiplies it (pay, meet, notice, rate) and `meta` what it needs."""
    __slots__ = ("date", "type", "kv", "scale", "meta", "seq")

    def __init__(self, date, type_, kv, scale=None, meta=None):
        self.date, self.type, self.kv, self.scale, self.meta = date, type_, kv, scale, meta


class Deal:
    """An agreement and the base (1x) history of its events."""

    def __init__(self, rng, idx, licensor, book):
        self.rng, self.idx = rng, idx
        self.licensor, self.book = licensor, book
        self.ev = []
        self.late_notices = []  # (date, invoice, due) of late payments

    # -- helpers --
    def add(self, date, type_, kv, scale=None, meta=None):
        if date > AS_OF:
            return None
        e = Ev(date, type_, kv, scale, meta)
        self.ev.append(e)
        return e

    def pay(self, date, amount, invoice=None):
        """A payment of `amount` minor units, naming `invoice` when given."""
        if amount <= 0:
            return
        kv = [("amount", Raw(money(amount, self.digits))), ("currency", self.cur)]
        if invoice:
            kv.append(("invoice", invoice))
        self.add(date, "payment", kv, scale="pay", meta=amount)

    def pay_invoice(self, inv, amount, due, issued, late_p=0.07, notice_p=0.6):
        """Pays an invoice on time or (late_p) late; a late one may get a notice."""
        rng = self.rng
        if rng.random() < late_p and due + DAY < AS_OF:
            when = add_days(due, rng.randrange(5, 75))
            if rng.random() < notice_p:
                self.late_notices.append((add_days(due, 1 + rng.randrange(3, 20)), inv, due))
        else:
            when = rand_day(rng, max(min(issued, due), add_days(due, -25)), due)
        self.pay(when, amount, inv)

    def notice(self, date, ref, by="licensor"):
        self.add(date, "notice", [("kind", "breach"), ("ref", ref), ("by", by)], scale="notice")

    # -- the agreement --
    def plan(self):
        rng = self.rng
        r = rng.random()
        self.life = "term" if r < 0.4 else "terminated" if r < 0.7 else "running"
        if self.life == "running":
            eff = rand_day(rng, D(2020, 1, 1), D(2020, 12, 31))
        else:
            eff = rand_day(rng, D(2016, 1, 1), D(2020, 12, 31))
        self.eff = eff = eff.replace(day=min(eff.day, 28))
        self.ten = add_years(eff, 10) - DAY  # the last day of the ten years
        self.cur = rng.choice(CURRENCIES)
        self.digits = DIGITS[self.cur]
        self.calendar = {"USD": "US", "GBP": "GB-EAW"}.get(self.cur, "WEEKENDS") \
            if eff.year >= 2020 and rng.random() < 0.5 else "WEEKENDS"
        stem = rng.choice(LICENSEE_STEMS)
        self.lee_name = "%s %s" % (stem, rng.choice(LICENSEE_SUFFIX))
        self.lee_id = "%s-%d" % (stem.lower(), self.idx)
        self.id = "%s-%s-%d-%05d" % (self.licensor[0].upper(), stem.upper(), eff.year, self.idx)
        tree = rng.choice(FIELD_TREES)
        self.tree = tree
        leaves = []
        for top, subs in tree.items():
            leaves += ["%s/%s" % (top, s) for s in subs] or [top]
        self.leaves = leaves
        self.plan_grants()
        self.plan_term()
        self.plan_milestones()
        self.plan_rest()

    def plan_grants(self):
        rng, book = self.rng, self.book
        tops = list(self.tree)
        self.grants = []  # (id, fields, countries, exclusivity, sublicensable)
        for _ in range(rng.randrange(1, 4)):
            excl = rng.choice(["exclusive", "exclusive", "sole", "co_exclusive", "non_exclusive"])
            for attempt in range(40):
                if rng.random() < 0.8:
                    gf = rng.sample(self.leaves, rng.randrange(1, min(3, len(self.leaves)) + 1))
                else:
                    gf = [rng.choice(tops)]
                n = rng.choice([1, 2, 3, 5, 8])
                gc = rng.sample(MAJOR_MARKETS, min(n, 3)) + rng.sample(COUNTRIES, max(0, n - 3))
                gc = sorted(set(gc))
                if book.free(gf, gc, excl in ("exclusive", "sole")):
                    break
                if attempt == 20:
                    excl = rng.choice(["co_exclusive", "non_exclusive"])
            else:
                continue
            book.take(gf, gc, excl in ("exclusive", "sole"))
            self.grants.append(("G%d" % (len(self.grants) + 1), gf, gc, excl, rng.random() < 0.5))
        if not self.grants:
            gf = [rng.choice(self.leaves)]
            gc = [c for c in COUNTRIES if book.free(gf, [c], False)][:2]
            if not gc:
                raise SystemExit("gen-engine: licensor %s is full" % self.licensor[0])
            book.take(gf, gc, False)
            self.grants.append(("G1", gf, gc, "non_exclusive", False))
        self.countries = sorted({c for g in self.grants for c in g[2]})

    def grant_leaves(self, g):
        """The leaves of the field tree under grant g's fields (what a sales line names)."""
        return sorted({x for f in g[1] for x in self.leaves if x == f or x.startswith(f + "/")})

    def plan_term(self):
        rng, eff = self.rng, self.eff
        offices = []
        ep = sorted(set(self.countries) & EP_STATES)
        if ep:
            offices.append(("EP", ep))
        offices += [(c, [c]) for c in sorted(set(self.countries) - EP_STATES)]
        rng.shuffle(offices)
        self.patents = []
        for p, (office, cs) in enumerate(offices[:4]):
            exp = add_days(eff, rng.randrange(365 * 11, 365 * 20))
            self.patents.append(("%s-%d%02d" % (office, 10000000 + self.idx * 7 + p, p), cs, exp))
        self.last_patent = last = max(p[2] for p in self.patents)
        if self.life == "term":
            self.term_end, self.term_kw = self.ten, self.ten.isoformat()
        elif rng.random() < 0.4 and last > add_years(eff, 12):
            self.term_end, self.term_kw = last, "last_patent_expiry"
        else:
            self.term_end = add_years(eff, rng.choice([15, 18, 20])) - DAY
            self.term_kw = self.term_end.isoformat()

    def plan_milestones(self):
        rng, eff = self.rng, self.eff
        self.ms = []
        titles = set()
        ontime = {}  # id -> assumed due (on time), for the after-term lint
        limit = add_days(self.ten, -200)
        for m in range(rng.randrange(3, 8)):
            mid = "M%d" % (m + 1)
            kind = rng.choice(["development", "development", "regulatory", "regulatory", "commercial"])
            title = rng.choice([t for t in MS_TITLES[kind] if t not in titles] or MS_TITLES[kind])
            titles.add(title)
            ms = {"id": mid, "title": title, "kind": kind,
                  "owner": "licensor" if m and kind == "development" and rng.random() < 0.1 else "licensee"}
            for _ in range(10):
                r = rng.random()
                if r < 0.2:
                    ms["due"] = ("date", add_days(eff, rng.randrange(300, 2600)), None)
                    assumed = ms["due"][1]
                elif r < 0.6 and self.ms:
                    prev = rng.choice(self.ms)
                    mo = rng.choice([6, 9, 12, 18, 24])
                    ms["due"] = ("after", prev["id"], mo)
                    assumed = add_months(ontime[prev["id"]], mo)
                else:
                    mo = rng.choice([6, 12, 18, 24, 36, 48, 60])
                    ms["due"] = ("eff", None, mo)
                    assumed = add_months(eff, mo)
                if assumed <= limit:
                    break
            else:
                ms["due"] = ("eff", None, 24)
                assumed = add_months(eff, 24)
            ontime[mid] = assumed
            ms["verification"] = rng.choice(["self_certified", "self_certified", "evidence",
                                             "evidence", "third_party"])
            ms["payment"] = (major(rng, 25000, 3000000, self.cur), rng.choice([30, 45, 60])) \
                if rng.random() < 0.8 else None
            ms["ext"] = (rng.randrange(1, 4), major(rng, 10000, 100000, self.cur)) \
                if ms["owner"] == "licensee" and rng.random() < 0.3 else None
            ms["on_miss"] = rng.random() < 0.05
            self.ms.append(ms)

    def plan_rest(self):
        rng, eff, cur = self.rng, self.eff, self.cur
        self.upfront = major(rng, 10000, 2000000, cur)
        self.annual = None
        if rng.random() < 0.6:
            if rng.random() < 0.5:
                self.annual = {"amount": major(rng, 5000, 50000, cur)}
            else:
                self.annual = {"schedule": (major(rng, 5000, 20000, cur), major(rng, 20000, 60000, cur))}
            self.annual["until_fcs"] = rng.random() < 0.4
            self.annual["creditable"] = rng.random() < 0.5
        self.deduction_cap = rng.choice([5, 8, 10, 12, 15])
        self.royalty_every = rng.choice(["quarter"] * 6 + ["half", "half", "year"])
        self.royalty_due = rng.choice([30, 45, 60])
        self.kh = rng.random() < 0.5
        self.committee = rng.choice([3, 6, 12]) if rng.random() < 0.5 else None
        self.cure_from = rng.choice(["received", "sent", "notice_date"])
        self.fm_max = rng.choice([180, 270, 365])
        self.interest = rng.choice(["annual", "annual", "reference", None])
        self.fx_end = rng.random() < 0.3
        self.sublicensable = any(g[4] for g in self.grants)
        self.subinc = self.sublicensable and rng.random() < 0.6
        self.performance = rng.random() < 0.2
        self.option = rng.random() < 0.3
        self.reneg = rng.random() < 0.25
        self.improvements = rng.random() < 0.5
        self.coc = rng.random() < 0.4
        self.conv_notice = rng.choice([60, 90, 180])
        self.no_sales_rule = rng.random() < 0.3
        self.wind2 = rng.random() < 0.5
        self.repeated = rng.random() < 0.3
        self.ladder_auto = rng.random() < 0.5
        # launch: the first sale, 2-6 years after the effective date, or never
        self.launch = add_days(eff, rng.randrange(730, 2200)) if rng.random() < 0.8 else None
        self.sales_ms = rng.random() < 0.45
        self.s_threshold = None  # set once sales are known
        # amendments: one milestone deadline moved, or the annual fee changed
        self.amend_ms = None
        self.amend_fee = None
        r = rng.random()
        if r < 0.04:
            self.amend_ms = rng.randrange(len(self.ms))
        elif r < 0.06 and self.annual and "amount" in self.annual:
            self.amend_fee = major(rng, 5000, 50000, cur)

    # -- the history --
    def history(self):
        rng, eff = self.rng, self.eff
        # how the deal's recorded life ends
        self.term_notice = self.term_eff = None
        if self.life == "terminated":
            self.term_notice = rand_day(rng, add_years(eff, 8), add_days(add_years(eff, 9), 120))
            self.term_reason = rng.choice(["convenience", "mutual"])
            self.term_eff = add_days(self.term_notice, self.conv_notice) \
                if self.term_reason == "convenience" else self.term_notice
            self.sell_off_until = add_months(self.term_eff, 6) - DAY
            self.deal_end = self.sell_off_until
        elif self.life == "term":
            self.deal_end = self.term_end
        else:
            self.deal_end = AS_OF
        self.stop = min(self.term_notice or AS_OF, AS_OF)  # no new milestone events after
        self.add(rand_day(rng, add_days(eff, 5), add_days(eff, 30)) if rng.random() < 0.95
                 else add_days(eff, rng.randrange(31, 70)), "payment",
                 [("amount", Raw(money(self.upfront, self.digits))), ("currency", self.cur),
                  ("invoice", "inv:upfront")], scale="pay", meta=self.upfront)
        self.h_know_how()
        self.h_milestones()
        self.h_sales()
        self.h_reports()
        self.h_sales_milestone()
        self.h_annual_fees()
        self.h_committee()
        self.h_misc()
        if self.term_notice:
            self.h_termination()
        # Unnamed (royalty) payments leave a credit that pays later invoices
        # on issue: a late invoice is a breach only when it fell due before
        # the first of them, and a notice naming no breach is rejected.
        credit = min((e.date for e in self.ev if e.type == "payment" and len(e.kv) == 2), default=AS_OF)
        for date, inv, due in self.late_notices:
            if due < credit:
                self.notice(date, inv)

    def h_know_how(self):
        rng = self.rng
        self.kh_due = add_days(self.eff, 90)
        self.kh_late = 0
        if not self.kh:
            return
        if rng.random() < 0.12:
            self.kh_late = rng.randrange(5, 40)
            done = add_days(self.kh_due, self.kh_late)
            if rng.random() < 0.5:
                self.notice(add_days(self.kh_due, 1 + rng.randrange(1, self.kh_late)), "licensor:KH1",
                            by="licensee")
        else:
            done = rand_day(rng, add_days(self.eff, 20), self.kh_due)
        self.add(done, "delivered", [("ref", "KH1")])

    def h_milestones(self):
        rng = self.rng
        self.achieved = {}
        self.fm_ms = None
        fm_pick = rng.random() < 0.12
        for i, m in enumerate(self.ms):
            # 1. the due expression, with anchors' achievement dates
            if m["due"][0] == "date":
                base = m["due"][1]
            elif m["due"][0] == "eff":
                base = add_months(self.eff, m["due"][2])
            else:
                a = self.achieved.get(m["due"][1])
                base = add_months(a, m["due"][2]) if a else None
            amended = False
            if self.amend_ms == i and base is not None:
                # amended before the old deadline to a later fixed date
                on = rand_day(rng, add_days(self.eff, 60), add_days(base, -30))
                if add_days(self.eff, 60) <= on <= add_days(base, -30) and on < self.stop:
                    base = add_days(base, rng.randrange(120, 400))
                    self.add(on, "amendment", [("set", Raw("{ milestones.%s.due: %s }" % (m["id"], base)))])
                    amended = True
            if base is None:
                continue
            anchor = self.eff if m["due"][0] != "after" or amended else self.achieved[m["due"][1]]
            due = base
            # 2. licensor lateness
            if m["owner"] == "licensee" and self.kh and self.kh_late and base > self.kh_due:
                due = add_days(due, self.kh_late)
            # 4. force majeure of the owner, affecting this milestone
            if fm_pick and self.fm_ms is None and m["owner"] == "licensee" and \
                    add_days(due, -60) > add_days(anchor, 30) and due < add_days(self.stop, -200):
                start = rand_day(rng, max(add_days(anchor, 30), add_days(due, -300)), add_days(due, -60))
                length = rng.randrange(20, 150)
                end = add_days(start, length - 1)
                self.add(start, "force_majeure", [("party", "licensee"), ("from", start), ("to", end),
                                                  ("affects", [m["id"]])])
                due = add_days(due, min(length, self.fm_max))
                self.fm_ms = m["id"]
            lb = add_days(max(anchor, self.eff), 20)
            # 5. extensions, asked for before the deadline
            if m["ext"] and rng.random() < 0.4:
                for k in range(1, rng.randrange(1, m["ext"][0] + 1) + 1):
                    asked = rand_day(rng, max(lb, add_days(due, -60)), add_days(due, -5))
                    if asked >= self.stop or asked < lb:
                        break
                    self.add(asked, "extension", [("milestone", m["id"])])
                    self.pay(asked, m["ext"][1],
                             "inv:extension:%s:%d" % (m["id"], k))
                    due = add_months(due, 6)
                    lb = add_days(asked, 1)
            self.ms_outcome(m, due, lb)

    def ms_outcome(self, m, due, lb):
        rng = self.rng
        r = rng.random()
        outcome = "ontime" if r < 0.62 else "late" if r < 0.8 else "never" if r < 0.95 else "waived"
        by = "licensee" if m["owner"] == "licensor" else "licensor"
        lapsed = self.term_eff is not None and due >= self.term_eff
        if outcome == "waived":
            w = rand_day(rng, lb, add_days(due, -1))
            if w < self.stop and w >= lb:
                self.add(w, "waiver", [("ref", m["id"])])
                return
            outcome = "never"
        claim = None
        if outcome == "ontime" and lb <= due:
            claim = rand_day(rng, max(lb, add_days(due, -150)), due)
        elif outcome != "never":
            claim = add_days(max(due, lb), rng.randrange(10, 240))
        if claim is not None and claim >= self.stop:
            claim = None
        accepted = None
        if claim is not None:
            if m["verification"] != "self_certified" and rng.random() < 0.1 and \
                    add_days(claim, -130) > lb:
                first = rand_day(rng, max(lb, add_days(claim, -200)), add_days(claim, -60))
                self.add(first, "milestone_achieved", [("milestone", m["id"]),
                                                         ("evidence", "Submission %s" % first)])
                self.add(add_days(first, rng.randrange(5, 40)), "milestone_rejected",
                         [("milestone", m["id"]), ("reason", "Evidence incomplete")])
            self.add(claim, "milestone_achieved", [("milestone", m["id"])])
            if m["verification"] == "self_certified":
                accepted = claim
            else:
                acc = add_days(claim, rng.randrange(5, 45))
                if acc <= AS_OF:
                    self.add(acc, "milestone_accepted", [("milestone", m["id"])])
                    accepted = acc
        if accepted is not None:
            self.achieved[m["id"]] = claim
            if m["payment"]:
                amt, days = m["payment"]
                inv_due = add_days(accepted, days)
                self.pay_invoice("inv:milestone:%s" % m["id"], amt, inv_due, accepted)
            if m["id"] == "M1":
                self.m1 = claim
        # a breach: deadline passed and not met (a pending verification has none)
        pending = claim is not None and accepted is None
        late = accepted is not None and claim > due
        if not pending and not lapsed and due + DAY < AS_OF and (claim is None or late):
            since = add_days(due, 1)
            if rng.random() < 0.8:
                n = add_days(since, rng.randrange(3, 30))
                self.notice(n, m["id"] if rng.random() < 0.5 else "breach:%s" % m["id"], by=by)
                if rng.random() < 0.1:
                    self.add(add_days(n, rng.randrange(10, 60)), "waiver",
                             [("ref", "breach:%s" % m["id"]), ("by", by)])

    def h_sales(self):
        """Sales lines per royalty period (base resolution) and fx events."""
        rng = self.rng
        self.sales = {}  # period -> [line dict]
        self.fx = {}     # period -> Decimal rate (EUR -> agreement currency)
        self.fcs = None
        if not self.launch:
            return
        end = min(self.deal_end, self.term_end, AS_OF)
        p = period_of(self.royalty_every, self.launch)
        # markets: (country, fields) of one grant, so every line is licensed
        markets = [(c, self.grant_leaves(g)) for g in self.grants for c in g[2]]
        rng.shuffle(markets)
        markets = markets[:rng.randrange(1, 5)]
        products = ["%s-%d" % (rng.choice(["BX", "LX", "RX", "TX"]), rng.randrange(100, 999))
                    for _ in range(rng.randrange(1, 3))]
        level = rng.randrange(200, 5000) * 1000 * PER_MONTHS[self.royalty_every] // 3  # USD-ish per period
        k = 0
        while period_last(p) <= end:  # a line's date is its period's last day: inside the deal
            lines = []
            for c, fields in markets[:1 + min(len(markets) - 1, k // 2)]:
                lc = "EUR" if c in EURO and self.cur != "EUR" else self.cur
                v = level * min(1.0, 0.15 + 0.08 * k) * rng.uniform(0.6, 1.4)
                g = int(v * 140) // 100 * 100 if lc == "JPY" else int(v * 100)
                g = max(g, 10000)
                ded = g * rng.randrange(0, 30) // 1000  # under 3%; every cap is 5% or more
                line = {"country": c, "field": rng.choice(fields), "product": rng.choice(products),
                        "units": max(1, int(v) // rng.randrange(50, 2000)), "gross": g, "ded": ded, "cur": lc}
                if rng.random() < 0.1:
                    line["tpr"] = g // 100
                lines.append(line)
                if lc != self.cur:
                    self.fx[p] = (FX_BASE[self.cur] * Decimal(rng.randrange(950, 1050)) / 1000).quantize(
                        Decimal("0.0001") if self.cur != "JPY" else Decimal("0.01"))
            self.sales[p] = lines
            if self.fcs is None:
                self.fcs = period_last(p)
            p = period_next(p)
            k += 1

    def net(self, line):
        n = line["gross"] - line["ded"]
        return n

    def h_reports(self):
        rng = self.rng
        self.reported = {}  # period -> filing date (royalty reports)
        end = min(self.deal_end, AS_OF)
        every, days = self.royalty_every, self.royalty_due
        p = period_of(every, self.eff)
        while period_first(p) <= end:
            due = add_days(period_last(p), days)
            ps = period_str(p)
            lines = self.sales.get(p)
            r = rng.random()
            filed = None
            if lines and period_last(p) == self.fcs:
                r = 0  # the launch quarter's report is always filed on time
            if r < 0.93:
                filed = add_days(period_last(p), rng.randrange(3, days + 1))
            elif r < 0.965:
                filed = add_days(due, rng.randrange(5, 45))
            elif r < 0.98:
                w = add_days(period_last(p), rng.randrange(1, days))
                self.add(w, "waiver", [("ref", "report:royalty:%s" % ps)])
            kv = [("kind", "royalty"), ("period", ps)]
            if filed and filed <= AS_OF:
                if lines:
                    kv.append(("lines", lines))
                    if p in self.fx:
                        kw = [("from", "EUR"), ("to", self.cur), ("rate", Raw('"%s"' % self.fx[p])),
                              ("on", period_last(p)) if self.fx_end else ("period", ps)]
                        self.add(add_days(period_last(p), rng.randrange(1, 3)), "fx", kw)
                else:
                    kv.append(("no_sales", True))
                self.add(filed, "report", kv)
                self.reported[p] = filed
                if lines:
                    self.royalty_payment(filed, lines, p)
            if (filed is None or filed > due) and add_days(due, 1) < AS_OF and \
                    not (filed is None and r >= 0.965 and r < 0.98) and rng.random() < 0.6:
                self.notice(add_days(due, 1 + rng.randrange(2, 25)), "report:royalty:%s" % ps)
            p = period_next(p)
        # progress reports: every year, due 30 days after
        p = period_of("year", self.eff)
        while period_first(p) <= end:
            due = add_days(period_last(p), 30)
            if rng.random() < 0.95:
                filed = add_days(period_last(p), rng.randrange(1, 31))
            else:
                filed = add_days(due, rng.randrange(3, 90))
            self.add(filed, "report", [("kind", "progress"), ("period", period_str(p))])
            p = period_next(p)

    def royalty_payment(self, filed, lines, p):
        total = 0
        for l in lines:
            n = self.net(l)
            if l["cur"] != self.cur:
                n = convert(n, DIGITS[l["cur"]], self.fx[p], self.digits)
            total += n
        amt = total * self.rng.choice([2, 3, 4, 5]) // 100
        if amt > 0:
            self.pay(add_days(filed, self.rng.randrange(0, 5)), amt)

    def h_sales_milestone(self):
        """S1 (cumulative net sales): a threshold reached about halfway, or never."""
        if not self.sales_ms:
            return
        rng = self.rng
        cum, crossed = 0, []
        for p in sorted(self.sales, key=period_first):
            if p not in self.reported:
                continue
            for l in self.sales[p]:
                n = self.net(l)
                if l["cur"] != self.cur:
                    n = convert(n, DIGITS[l["cur"]], self.fx[p], self.digits)
                cum += n
            crossed.append((period_last(p), cum))
        unit = 10 ** self.digits * (100 if self.cur == "JPY" else 1) * 100000
        if crossed and rng.random() < 0.7:
            target = crossed[-1][1] * rng.uniform(0.3, 0.6)
            self.s_threshold = max(unit, int(target) // unit * unit)
            hit = next((pe for pe, c in crossed if c > self.s_threshold), None)
            if hit and self.s_amount:
                self.pay_invoice("inv:milestone:S1", self.s_amount, add_days(hit, 60), hit)
        else:
            self.s_threshold = max(unit, (crossed[-1][1] * 3 if crossed else 0) // unit * unit + unit * 50)

    def h_annual_fees(self):
        a = self.annual
        if not a:
            return
        first = add_years(self.eff, 1)
        until = self.term_end
        if a["until_fcs"] and self.fcs:
            until = self.fcs - DAY
        if self.term_eff and self.term_eff - DAY < until:
            until = self.term_eff - DAY
        for k in range(1, 200):
            due = add_years(first, k - 1)
            if due > until or due > AS_OF:
                break
            if self.amend_fee:
                amt = self.amend_fee
            elif "amount" in a:
                amt = a["amount"]
            else:
                amt = a["schedule"][0] if k == 1 else a["schedule"][1]
            self.pay_invoice("inv:annual_fee:%d" % due.year, amt, due, due)

    def h_committee(self):
        if not self.committee:
            return
        rng = self.rng
        start = self.eff
        end = min(self.deal_end, AS_OF)
        while start <= end:
            nxt = add_months(start, self.committee)
            last = nxt - DAY
            if rng.random() < 0.97:
                span = (last - start).days
                day = add_days(start, rng.randrange(min(5, span), max(min(5, span), span - 5) + 1))
                self.add(day, "committee_meeting", [("minutes", "Minutes %s" % day)], scale="meet", meta=last)
            start = nxt

    def h_misc(self):
        rng = self.rng
        eff, stop = self.eff, self.stop
        if self.interest == "reference":
            d = add_days(eff, 1)
            while d <= min(self.deal_end, AS_OF):
                self.add(d, "rate", [("name", "prime"), ("rate", Raw('"%.2f%%"' % (rng.randrange(300, 900) / 100)))],
                         scale="rate")
                d = add_months(d, 3)
        if self.option and getattr(self, "m1", None) and rng.random() < 0.4:
            on = add_days(self.m1, rng.randrange(5, 175))
            if on < stop:
                self.add(on, "exercise", [("option", "O1"), ("by", "licensee")])
                self.pay_invoice("inv:option:O1", self.option_fee, on, on, late_p=0.02)
        if self.subinc and rng.random() < 0.5:
            signed = rand_day(rng, add_days(eff, 200), add_days(eff, 2500))
            if signed < stop:
                self.add(signed, "sublicense", [("id", "SL1"), ("sublicensee", "Partner %d KK" % self.idx)])
                for k in range(1, rng.randrange(1, 4) + 1):
                    on = add_days(signed, 30 + 400 * (k - 1) + rng.randrange(0, 200))
                    if on >= stop:
                        break
                    amt = major(rng, 100000, 5000000, self.cur, step=10000)
                    self.add(on, "sublicense_income", [("id", "SLI-%d" % k), ("sublicense", "SL1"),
                                                       ("kind", rng.choice(["upfront", "milestone", "other"])),
                                                       ("amount", Raw(money(amt, self.digits))),
                                                       ("currency", self.cur)])
                    share = self.sub_share(signed)
                    self.pay_invoice("inv:sublicense:SLI-%d" % k, amt * share // 100, add_days(on, 60), on)
        if self.improvements:
            for k in range(1, rng.randrange(0, 3) + 1):
                on = rand_day(rng, add_days(eff, 300), add_days(eff, 3000))
                if on >= stop:
                    break
                self.add(on, "improvement", [("id", "IMP-%d" % k), ("owner", "licensee"),
                                             ("title", "Formulation improvement %d" % k)])
                late = rng.random() < 0.1
                self.add(add_days(on, rng.randrange(65, 120) if late else rng.randrange(5, 60)), "delivered",
                         [("ref", "IMP-%d" % k)])
        if self.coc and rng.random() < 0.05:
            on = rand_day(rng, add_days(eff, 700), add_days(eff, 2800))
            if on < stop:
                self.add(on, "change_of_control", [("party", "licensee"), ("acquirer", "Megapharma plc")])
                self.add(add_days(on, rng.randrange(3, 30)), "notice",
                         [("kind", "change_of_control"), ("by", "licensee")])
        if self.reneg and rng.random() < 0.3:
            on = add_days(add_years(eff, rng.randrange(2, 6)), 10)
            if on < stop:
                self.add(on, "notice", [("kind", "renegotiation"), ("by", "licensee")])
        if rng.random() < 0.02:
            p = rng.choice(self.patents)
            on = rand_day(rng, add_days(eff, 400), add_days(eff, 3000))
            if on < stop:
                self.add(on, "patent_status", [("patent", p[0]), ("status", "invalidated")])
        if self.amend_fee:
            on = rand_day(rng, add_days(eff, 30), add_days(eff, 300))
            self.add(on, "amendment", [("set", Raw('{ payments.annual_fee.amount: %s }'
                                                     % money(self.amend_fee, self.digits)))])

    def sub_share(self, signed):
        """The share (percent) of sublicense income at signing (sublicense_share)."""
        for before, share in self.sub_steps:
            if before is None:
                return share
            a = self.achieved.get(before)
            if a is None or a > signed:
                return share
        return 0

    def h_termination(self):
        rng = self.rng
        kv = [("by", "licensee" if self.term_reason == "convenience" else rng.choice(["licensor", "licensee"])),
              ("reason", self.term_reason)]
        self.add(self.term_notice, "termination", kv)
        for w in ["W1", "W2"][:1 + self.wind2]:
            due = add_days(self.term_eff, 30 if w == "W1" else 90)
            self.add(rand_day(rng, self.term_eff, due) if rng.random() < 0.9
                     else add_days(due, rng.randrange(5, 40)), "delivered", [("ref", w)])

    # -- the agreement's text --
    def agreement_yaml(self):
        rng, eff, cur = self.rng, self.eff, self.cur
        o = []
        w = o.append
        w("# Generated by bench/gen-engine.py - agreement %d (%s)" % (self.idx, self.life))
        w("licet: 1")
        w("id: %s" % self.id)
        w("title: %s" % q("Licence agreement %d — %s" % (self.idx, rng.choice(TECH))))
        w("effective: %s" % eff.isoformat())
        w("currency: %s" % cur)
        w("calendar: %s" % self.calendar)
        w("parties:")
        w("  licensor: { id: %s, name: %s }" % (self.licensor[0], q(self.licensor[1])))
        w("  licensee: { id: %s, name: %s }" % (self.lee_id, q(self.lee_name)))
        w("fields:")
        for top, subs in self.tree.items():
            w("  %s: %s" % (top, flow(subs)))
        w("technology:")
        w("  description: %s" % q(rng.choice(TECH)))
        w("  patents:")
        for pid, cs, exp in self.patents:
            w("    - { id: %s, countries: %s, expires: %s }" % (pid, flow(cs), exp.isoformat()))
        w("  know_how: [%s]" % q("Assay SOPs"))
        w("term:")
        w("  ends: %s" % self.term_kw)
        w("grants:")
        for gid, gf, gc, excl, sub in self.grants:
            w("  - { id: %s, fields: %s, territories: %s, exclusivity: %s, sublicensable: %s }"
              % (gid, flow(gf), flow(gc), excl, "true" if sub else "false"))
        w("milestones:")
        for m in self.ms:
            w("  - id: %s" % m["id"])
            w("    title: %s" % q(m["title"]))
            w("    kind: %s" % m["kind"])
            w("    owner: %s" % m["owner"])
            kind, x, mo = m["due"]
            if kind == "date":
                w("    due: %s" % x.isoformat())
            else:
                w("    due: { after: %s, months: %d }" % ("effective" if kind == "eff" else x, mo))
            w("    acceptance: %s" % q("Licensor confirms in writing"))
            w("    verification: %s" % m["verification"])
            if m["payment"]:
                w("    payment: { amount: %s, due: { days: %d } }" % (money(m["payment"][0], self.digits),
                                                                    m["payment"][1]))
            if m["ext"]:
                w("    extensions: { max: %d, each: { months: 6 }, fee: %s }"
                  % (m["ext"][0], money(m["ext"][1], self.digits)))
            if m["on_miss"]:
                w("    on_miss: { action: revert, grant: %s, notice: { days: 60 } }" % self.grants[-1][0])
        if self.sales_ms:
            w("  - id: S1")
            w("    title: %s" % q("Cumulative net sales milestone"))
            w("    kind: sales")
            w("    when: { cumulative_net_sales: { exceeds: %s } }" % money(self.s_threshold, self.digits))
            w("    repeat: once")
            w("    acceptance: %s" % q("Royalty reports show the threshold reached"))
            w("    verification: self_certified")
            w("    payment: { amount: %s, due: { days: 60 } }" % money(self.s_amount, self.digits))
        w("payments:")
        w("  upfront: { amount: %s, due: { after: effective, days: 30 } }" % money(self.upfront, self.digits))
        a = self.annual
        if a:
            w("  annual_fee:")
            if "amount" in a:
                w("    amount: %s" % money(a["amount"], self.digits))
            else:
                w("    schedule: [{ year: 1, amount: %s }, { from_year: 2, amount: %s }]"
                  % (money(a["schedule"][0], self.digits), money(a["schedule"][1], self.digits)))
            w("    first_due: { after: effective, years: 1 }")
            if a["until_fcs"]:
                w("    until: first_commercial_sale")
            w("    creditable: %s" % ("true" if a["creditable"] else "false"))
        w("  royalties:")
        w("    year: %s" % rng.choice(["calendar", "agreement"]))
        w("    base: net_sales")
        w("    deductions: { cap: \"%d%%\" }" % self.deduction_cap)
        w("    schedules:")
        for sname in rng.sample(self.leaves, min(len(self.leaves), rng.randrange(1, 3))):
            w("      - name: %s" % sname.replace("/", "-"))
            w("        scope: { fields: %s }" % flow([sname]))
            w("        tiers:")
            w("          method: marginal")
            w("          over: royalty_year")
            w("          upper: inclusive")
            w("          bands:")
            cap, rate = 0, rng.choice([1, 2, 3])
            unit = 100 if cur == "JPY" else 1
            for _ in range(rng.randrange(0, 3)):
                cap += rng.choice([5, 10, 25]) * 1000000 * unit
                w("            - { up_to: \"%d\", rate: \"%g%%\" }" % (cap, rate))
                rate += 1
            w("            - { rate: \"%g%%\" }" % rate)
        w("      - name: default")
        w("        tiers: { method: marginal, over: royalty_year, upper: inclusive, bands: [{ rate: \"3%\" }] }")
        w("    royalty_term:")
        w("      ends: [last_valid_claim, { years_after_first_sale: 10 }]")
        w("      after_term: fully_paid")
        if rng.random() < 0.5:
            w("    stacking: { offset: \"50%\", floor: { share_of_royalty: \"50%\" }, carry_forward: false }")
        if rng.random() < 0.5:
            w("    minimum_annual: { amount: %s, from: %d, mode: true_up, due: { days: 60 }, credit: earned }"
              % (money(major(rng, 10000, 100000, cur), self.digits), eff.year + 3))
        if self.subinc:
            w("  sublicense_income:")
            w("    kinds: [upfront, milestone, other]")
            w("    shares: %s" % flow(["{ before: %s, share: \"%d%%\" }" % (b, s) if b else
                                        "{ share: \"%d%%\" }" % s for b, s in self.sub_steps]))
            w("    due: { days: 60 }")
        if self.interest == "annual":
            w("  late_interest: { annual_rate: \"%d%%\", basis: actual_365, starts: { days: 0 } }"
              % rng.randrange(4, 12))
        elif self.interest == "reference":
            w("  late_interest: { reference: prime, margin: \"2%\", basis: actual_365 }")
        w("  fx: { method: %s }" % ("period_end" if self.fx_end else "period_average"))
        w("reporting:")
        w("  royalty_report: { every: %s, due: { days: %d } }" % (self.royalty_every, self.royalty_due))
        w("  progress_report: { every: year, due: { days: 30 } }")
        if self.kh:
            w("licensor_obligations:")
            w("  - { id: KH1, title: %s, due: { after: effective, days: 90 }, on_late: extend_milestones }"
              % q("Transfer know-how package"))
        if self.committee:
            w("governance:")
            w("  committee: { every: { months: %d }, from: effective }" % self.committee)
        w("audit: { lookback_years: 3, notice: { days: 30 } }")
        w("breach:")
        w("  classes:")
        w("    payment:    { cure: { days: 30 } }")
        w("    reporting:  { cure: { days: 30 } }")
        w("    diligence:  { cure: { days: %d } }" % rng.choice([60, 90, 120]))
        w("    governance: { cure: { days: 30 }, notice_required: false }")
        w("    material:   { cure: { days: 60, extendable_to: { days: 120 } } }")
        w("  cure_from: %s" % self.cure_from)
        w("  remedies:")
        w("    diligence:")
        if self.ladder_auto:
            w("      - { action: royalty_increase, add: \"1%\", automatic: true }")
        w("      - { action: step_down, grant: %s, to: non_exclusive }" % self.grants[0][0])
        w("      - { action: terminate, notice: { days: 60 } }")
        w("    reporting:")
        w("      - { action: fee, amount: %s }" % money(major(rng, 5000, 20000, cur), self.digits))
        w("      - { action: terminate, notice: { days: 90 } }")
        w("    payment:")
        w("      - { action: terminate, notice: { days: 30 } }")
        if self.repeated:
            w("  repeated:")
            w("    - { class: payment, count: 3, within: { months: 24 }, remedy: { action: terminate } }")
        w("force_majeure: { max: { days: %d } }" % self.fm_max)
        if self.performance:
            w("exclusivity:")
            w("  performance:")
            w("    - { grant: %s, min_net_sales: %s, every: year, from: %d, on_miss: { action: step_down, to: non_exclusive, automatic: true } }"
              % (self.grants[0][0], money(major(rng, 100000, 2000000, cur, 100000), self.digits), eff.year + 5))
        if self.option:
            w("options:")
            w("  - id: O1")
            w("    title: %s" % q("Expand to a new territory"))
            w("    grant: { fields: %s, territories: [NZ], exclusivity: non_exclusive }" % flow([self.leaves[0]]))
            w("    window: { from: { after: M1, days: 0 }, until: { after: M1, days: 180 } }")
            w("    fee: %s" % money(self.option_fee, self.digits))
        if self.reneg:
            w("renegotiation:")
            w("  - { every: { months: 12 }, from: %s, length: { days: 30 } }" % add_years(eff, 1).isoformat())
        if self.improvements:
            w("improvements:")
            w("  licensee: { owner: licensee, disclose: { days: 60 }, grant_back: non_exclusive_royalty_free }")
            w("  licensor: { included: %s }" % rng.choice(["true", "false"]))
        if self.coc:
            w("change_of_control: { notice: { days: 30 }, licensor_may_terminate: { days: 90 } }")
        w("termination:")
        w("  convenience: { by: licensee, notice: { days: %d } }" % self.conv_notice)
        if self.no_sales_rule:
            w("  no_sales: { consecutive: 4, every: quarter }")
        w("  sell_off: { months: 6 }")
        w("  wind_down:")
        w("    - { id: W1, title: %s, due: { days: 30 } }" % q("Return know-how documents"))
        if self.wind2:
            w("    - { id: W2, title: %s, due: { days: 90 } }" % q("Transfer regulatory filings"))
        w("disputes: { negotiation: { days: 30 }, mediation: { days: 60 }, then: arbitration }")
        return "\n".join(o) + "\n"


def make_deal(seed, idx, licensor, book):
    rng = random.Random("%d/%d" % (seed, idx))
    d = Deal(rng, idx, licensor, book)
    d.plan()
    d.option_fee = major(rng, 50000, 500000, d.cur)
    d.s_amount = major(rng, 500000, 5000000, d.cur, 100000)
    steps = [(m["id"], 40 - 15 * i) for i, m in enumerate(d.ms[:2])]
    d.sub_steps = steps + [(None, rng.choice([10, 15]))]
    d.history()
    # the text uses its own stream, after the history has fixed the thresholds
    d.rng = random.Random("%d/%d/text" % (seed, idx))
    text = d.agreement_yaml()
    return d, text


# ---- the M-times set ----------------------------------------------------------


def split(total, parts):
    """total (an int) in `parts` near-equal ints adding up to it."""
    q_, r = divmod(total, parts)
    return [q_ + (1 if i < r else 0) for i in range(parts)]


def expand(deal, mult, seed):
    """The events of `deal` at multiplier `mult`: M x as many, in date order."""
    rng = random.Random("%d/%d/x%d" % (seed, deal.idx, mult))
    base = deal.ev
    n1 = len(base)
    scal = [i for i, e in enumerate(base) if e.scale]
    copies = {i: 1 for i in scal}
    extra = mult * n1 - n1
    if scal and extra:
        order = scal[:]
        rng.shuffle(order)
        per, rest = divmod(extra, len(order))
        for j, i in enumerate(order):
            copies[i] += per + (1 if j < rest else 0)
    out = []
    for i, e in enumerate(base):
        c = copies.get(i, 1)
        kv = e.kv
        if e.type == "report" and mult > 1:
            kv = [(k, [dict(x) for x in v] if k == "lines" else v) for k, v in kv]
        if c == 1 or not e.scale:
            out.append((e.date, e.type, kv, mult))
            continue
        if e.scale == "pay":
            amts = split(e.meta, c)
            if amts[-1] == 0:
                amts, c = [e.meta], 1
            for j, a in enumerate(amts):
                if a <= 0:
                    continue
                # transfers on the same day: the invoices are paid as in the 1x set
                kvj = [(k, Raw(money(a, deal.digits)) if k == "amount" else v) for k, v in kv]
                out.append((e.date, e.type, kvj, mult))
        elif e.scale == "meet":
            span = max(0, (min(e.meta, AS_OF) - e.date).days)
            for j in range(c):
                d = add_days(e.date, (span * j) // c)
                out.append((d, e.type, [("minutes", "Minutes %s (%d)" % (d, j + 1))] if j else kv, mult))
        else:  # notice reminders, rate publications
            step = 7 if e.scale == "notice" else max(1, 90 // c)
            for j in range(c):
                d = add_days(e.date, step * j)
                if d > AS_OF:
                    d = e.date
                out.append((d, e.type, kv, mult))
    out.sort(key=lambda x: x[0])
    return out


def line_text(line, deal, mult, j):
    """The j-th of `mult` parts of a base sales line, as a flow mapping."""
    lc = line["cur"]
    dg = DIGITS[lc]

    def part(v):
        return split(v, mult)[j]
    kv = [("country", line["country"]), ("field", line["field"]),
          ("product", line["product"] if mult == 1 else "%s-%d" % (line["product"], j + 1)),
          ("units", part(line["units"])), ("gross_sales", Raw(money(part(line["gross"]), dg)))]
    if line["ded"]:
        kv.append(("deductions", Raw(money(part(line["ded"]), dg))))
    if lc != deal.cur:
        kv.append(("currency", lc))
    if line.get("tpr"):
        kv.append(("third_party_royalties", Raw(money(part(line["tpr"]), dg))))
    return "{ " + ", ".join("%s: %s" % (k, sc(v)) for k, v in kv) + " }"


def events_yaml(deal, evs):
    o = ["# Generated by bench/gen-engine.py - events of %s (%d)" % (deal.id, len(evs))]
    for date, type_, kv, mult in evs:
        parts = ["date: %s" % date.isoformat(), "type: %s" % type_]
        for k, v in kv:
            if k == "lines":
                parts.append("lines: [" + ", ".join(line_text(l, deal, mult, j)
                                                     for l in v for j in range(mult)) + "]")
            else:
                parts.append("%s: %s" % (k, sc(v)))
        o.append("- { " + ", ".join(parts) + " }")
    return "\n".join(o) + "\n"


def write(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("-n", "--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mult", default="1,2,4", help="multipliers, comma-separated (default 1,2,4)")
    args = ap.parse_args()
    if args.count < 1:
        ap.error("--count must be at least 1")
    mults = sorted({int(x) for x in args.mult.split(",")})
    if any(m < 1 for m in mults):
        ap.error("--mult: multipliers are positive integers")
    adir = os.path.join(args.outdir, "agreements")
    os.makedirs(adir, exist_ok=True)
    for m in mults:
        os.makedirs(os.path.join(args.outdir, "m%d" % m), exist_ok=True)
    # about 25 agreements per licensor, like a technology-transfer office;
    # agreement i belongs to licensor (i * 7919) % nlic.  Licensors' books
    # are independent, so groups of licensors are generated in parallel and
    # the output does not depend on the number of workers.
    nlic = max(1, args.count // 25)
    groups = [[] for _ in range(nlic)]
    for i in range(1, args.count + 1):
        groups[(i * 7919) % nlic].append(i)
    jobs = [(args.seed, nlic, li, groups[li], mults, args.outdir) for li in range(nlic) if groups[li]]
    totals = {m: 0 for m in mults}
    nbytes = 0
    workers = max(1, min(os.cpu_count() or 1, 8))
    if workers > 1 and len(jobs) > 1:
        import multiprocessing
        with multiprocessing.Pool(workers) as pool:
            results = pool.imap_unordered(gen_group, jobs, chunksize=4)
            for b, t in results:
                nbytes += b
                for m in mults:
                    totals[m] += t[m]
    else:
        for job in jobs:
            b, t = gen_group(job)
            nbytes += b
            for m in mults:
                totals[m] += t[m]
    print("gen-engine: %d agreements (%d bytes) in %s; events: %s" % (
        args.count, nbytes, adir, ", ".join("%dx %d" % (m, totals[m]) for m in mults)), file=sys.stderr)


def licensor(li):
    stem, name = LICENSOR_STEMS[li % len(LICENSOR_STEMS)]
    return ("%s-%03d" % (stem, li), "%s (office %d)" % (name, li))


def gen_group(job):
    """Every agreement of one licensor, in order; returns (bytes, events per M)."""
    seed, nlic, li, idxs, mults, outdir = job
    book = Claims()
    lic = licensor(li)
    nbytes, totals = 0, {m: 0 for m in mults}
    for i in idxs:
        deal, text = make_deal(seed, i, lic, book)
        name = "agreement-%05d.yaml" % i
        write(os.path.join(outdir, "agreements", name), text)
        nbytes += len(text.encode("utf-8"))
        for m in mults:
            evs = expand(deal, m, seed)
            totals[m] += len(evs)
            write(os.path.join(outdir, "m%d" % m, name), events_yaml(deal, evs))
    return nbytes, totals


if __name__ == "__main__":
    main()
