#!/usr/bin/env python3
"""gen-holidays.py - write the holiday data files data/calendars/US.txt and
data/calendars/GB-EAW.txt for the years 2020-2040 inclusive.

The .txt files are the source the build embeds (scripts/embed-calendars.sh);
this script is how they were made, so that a reader can check the rules and
a maintainer can extend the range.  Python 3 standard library only.

    python3 scripts/gen-holidays.py [OUTDIR]     # default: data/calendars

Each line of a data file is "YYYY-MM-DD  # name".  Only observed dates are
listed (the days offices and banks are actually closed), so a business-day
count needs nothing but the list.
"""

import datetime
import os
import sys

FIRST_YEAR = 2020
LAST_YEAR = 2040

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
ONE_DAY = datetime.timedelta(days=1)


def nth_weekday(year, month, weekday, n):
    """The n-th (1-based) given weekday of a month."""
    d = datetime.date(year, month, 1)
    d += datetime.timedelta(days=(weekday - d.weekday()) % 7)
    return d + datetime.timedelta(weeks=n - 1)


def last_weekday(year, month, weekday):
    """The last given weekday of a month."""
    if month == 12:
        d = datetime.date(year, 12, 31)
    else:
        d = datetime.date(year, month + 1, 1) - ONE_DAY
    return d - datetime.timedelta(days=(d.weekday() - weekday) % 7)


def easter_sunday(year):
    """Gregorian Easter Sunday by the anonymous Gregorian algorithm
    (Meeus/Jones/Butcher), integer arithmetic only."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


# ---- United States federal holidays (5 U.S.C. 6103) -----------------------

def us_observed(d):
    """5 U.S.C. 6103(b) / Executive Order 11582: a holiday on a Saturday is
    observed the Friday before, one on a Sunday the Monday after."""
    if d.weekday() == SAT:
        return d - ONE_DAY, True
    if d.weekday() == SUN:
        return d + ONE_DAY, True
    return d, False


def us_holidays_of(year):
    """(actual date, name) of each federal holiday of `year`."""
    h = [
        (datetime.date(year, 1, 1), "New Year's Day"),
        (nth_weekday(year, 1, MON, 3), "Birthday of Martin Luther King, Jr."),
        (nth_weekday(year, 2, MON, 3), "Washington's Birthday"),
        (last_weekday(year, 5, MON), "Memorial Day"),
    ]
    if year >= 2021:  # Juneteenth National Independence Day Act, June 2021
        h.append((datetime.date(year, 6, 19),
                  "Juneteenth National Independence Day"))
    h += [
        (datetime.date(year, 7, 4), "Independence Day"),
        (nth_weekday(year, 9, MON, 1), "Labor Day"),
        (nth_weekday(year, 10, MON, 2), "Columbus Day"),
        (datetime.date(year, 11, 11), "Veterans Day"),
        (nth_weekday(year, 11, THU, 4), "Thanksgiving Day"),
        (datetime.date(year, 12, 25), "Christmas Day"),
    ]
    return h


def us_calendar():
    """Observed dates falling in FIRST_YEAR..LAST_YEAR.  New Year's Day of
    the year after the range is included when it is observed inside it
    (a Saturday 1 January is observed on 31 December before), and New
    Year's Day of FIRST_YEAR is dropped when observed before the range."""
    out = []
    for year in range(FIRST_YEAR, LAST_YEAR + 2):
        for actual, name in us_holidays_of(year):
            day, moved = us_observed(actual)
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                continue
            if moved:
                name += " (observed, for %s)" % actual.isoformat()
            out.append((day, name))
    return out


# ---- England and Wales bank holidays -------------------------------------

# Days moved or added by Royal Proclamation.  Each entry replaces the
# regular day it names (or None: a one-off extra day).
GB_EAW_SPECIAL = {
    2020: [("early", datetime.date(2020, 5, 8),
            "Early May bank holiday (VE Day)")],
    2022: [("spring", datetime.date(2022, 6, 2), "Spring bank holiday"),
           (None, datetime.date(2022, 6, 3), "Platinum Jubilee bank holiday"),
           (None, datetime.date(2022, 9, 19),
            "Bank holiday for the State Funeral of Queen Elizabeth II")],
    2023: [(None, datetime.date(2023, 5, 8),
            "Bank holiday for the coronation of King Charles III")],
}


def next_free_weekday(d, taken):
    """The first weekday after d that is not already a holiday."""
    d += ONE_DAY
    while d.weekday() >= SAT or d in taken:
        d += ONE_DAY
    return d


def with_substitutes(fixed, taken):
    """Fixed-date holidays with substitute days: one falling on a weekend
    is kept on the next weekday not already a holiday, in order, so
    Christmas on a Saturday gives Monday 27 and Boxing Day (Sunday)
    Tuesday 28."""
    out = []
    for d, name in fixed:
        if d.weekday() < SAT:
            taken.add(d)
            out.append((d, name))
    for d, name in fixed:
        if d.weekday() >= SAT:
            sub = next_free_weekday(d, taken)
            taken.add(sub)
            out.append((sub, name + " (substitute day)"))
    return out


def gb_eaw_holidays_of(year):
    easter = easter_sunday(year)
    regular = {
        "good_friday": (easter - 2 * ONE_DAY, "Good Friday"),
        "easter_monday": (easter + ONE_DAY, "Easter Monday"),
        "early": (nth_weekday(year, 5, MON, 1), "Early May bank holiday"),
        "spring": (last_weekday(year, 5, MON), "Spring bank holiday"),
        "summer": (last_weekday(year, 8, MON), "Summer bank holiday"),
    }
    extra = []
    for replaces, d, name in GB_EAW_SPECIAL.get(year, []):
        if replaces is None:
            extra.append((d, name))
        else:
            regular[replaces] = (d, name)
    movable = list(regular.values()) + extra
    taken = {d for d, _ in movable}
    out = movable
    out += with_substitutes([(datetime.date(year, 1, 1), "New Year's Day")],
                            taken)
    out += with_substitutes([(datetime.date(year, 12, 25), "Christmas Day"),
                             (datetime.date(year, 12, 26), "Boxing Day")],
                            taken)
    return out


def gb_eaw_calendar():
    out = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        out += gb_eaw_holidays_of(year)
    return out


# ---- output ---------------------------------------------------------------

CALENDARS = [
    ("US", us_calendar,
     "United States federal holidays (5 U.S.C. 6103), observed dates:\n"
     "a Saturday holiday is observed the Friday before, a Sunday one the\n"
     "Monday after.  One-off closures by executive order (e.g. national\n"
     "days of mourning) and Inauguration Day (DC area only) are not\n"
     "listed."),
    ("GB-EAW", gb_eaw_calendar,
     "England and Wales bank holidays (Banking and Financial Dealings\n"
     "Act 1971 and Royal Proclamations), with substitute days: a fixed\n"
     "holiday on a weekend moves to the next weekday not already a\n"
     "holiday.  Includes the 2020, 2022 and 2023 proclamations."),
]


def write_calendar(outdir, name, make, about):
    days = sorted(make())
    seen = set()
    for d, _ in days:
        if d in seen:
            sys.exit("gen-holidays: %s: %s listed twice" % (name, d))
        seen.add(d)
    path = os.path.join(outdir, name + ".txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("# %s.txt - generated by scripts/gen-holidays.py, %d-%d.\n"
                % (name, FIRST_YEAR, LAST_YEAR))
        for line in about.split("\n"):
            f.write("# %s\n" % line)
        year = None
        for d, label in days:
            if d.year != year:
                year = d.year
                f.write("\n# %d\n" % year)
            f.write("%s  # %s\n" % (d.isoformat(), label))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "data/calendars"
    os.makedirs(outdir, exist_ok=True)
    for name, make, about in CALENDARS:
        write_calendar(outdir, name, make, about)


if __name__ == "__main__":
    main()
