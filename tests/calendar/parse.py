#!/usr/bin/env python3
"""parse.py - check a `licet calendar` file with a second, independent
iCalendar parser (python3-icalendar), so the output is not only readable
by the libical that wrote it.

usage: parse.py FILE.ics

Checks: the file parses as one VCALENDAR with VERSION 2.0 and a PRODID;
every VTODO and VEVENT has a UID (unique in the file) and a DTSTAMP; every
VTODO has a DUE that is a date (not a date-time), a SUMMARY and exactly one
VALARM with ACTION DISPLAY, a DESCRIPTION and TRIGGER -14 days related to
the end (DUE); every VEVENT has a date DTSTART and, when it has a DTEND, one
after DTSTART.  Prints the counts, and each problem on its own line; exits
1 on any problem, 2 on usage.
"""
import datetime
import sys

import icalendar

ALARM_BEFORE = datetime.timedelta(days=-14)


def is_date(value):
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def check_common(comp, uids, problems):
    uid = str(comp.get("UID", ""))
    if not uid:
        problems.append("%s without UID" % comp.name)
    elif uid in uids:
        problems.append("UID %s appears twice" % uid)
    uids.add(uid)
    if comp.get("DTSTAMP") is None:
        problems.append("%s %s: no DTSTAMP" % (comp.name, uid))
    return uid


def check_alarm(uid, todo, problems):
    alarms = [c for c in todo.subcomponents if c.name == "VALARM"]
    if len(alarms) != 1:
        problems.append("VTODO %s: %d VALARMs, wanted 1" % (uid, len(alarms)))
        return
    alarm = alarms[0]
    if str(alarm.get("ACTION", "")) != "DISPLAY":
        problems.append("VTODO %s: alarm ACTION is not DISPLAY" % uid)
    if not str(alarm.get("DESCRIPTION", "")):
        problems.append("VTODO %s: alarm has no DESCRIPTION" % uid)
    trigger = alarm.get("TRIGGER")
    if trigger is None or trigger.dt != ALARM_BEFORE:
        problems.append("VTODO %s: alarm TRIGGER is %s, wanted -14 days"
                        % (uid, None if trigger is None else trigger.dt))
    elif trigger.params.get("RELATED") != "END":
        problems.append("VTODO %s: alarm TRIGGER is not RELATED=END (to DUE)" % uid)


def check_todo(todo, uids, problems):
    uid = check_common(todo, uids, problems)
    due = todo.get("DUE")
    if due is None or not is_date(due.dt):
        problems.append("VTODO %s: DUE missing or not a DATE" % uid)
    if not str(todo.get("SUMMARY", "")):
        problems.append("VTODO %s: no SUMMARY" % uid)
    check_alarm(uid, todo, problems)


def check_event(event, uids, problems):
    uid = check_common(event, uids, problems)
    start, end = event.get("DTSTART"), event.get("DTEND")
    if start is None or not is_date(start.dt):
        problems.append("VEVENT %s: DTSTART missing or not a DATE" % uid)
    elif end is not None and (not is_date(end.dt) or end.dt <= start.dt):
        problems.append("VEVENT %s: DTEND is not a DATE after DTSTART" % uid)


def check(data):
    problems = []
    try:
        cal = icalendar.Calendar.from_ical(data)
    except ValueError as e:
        return None, ["does not parse: %s" % str(e)[:200]]
    if cal.name != "VCALENDAR":
        problems.append("top component is %s, not VCALENDAR" % cal.name)
    if str(cal.get("VERSION", "")) != "2.0":
        problems.append("VERSION is not 2.0")
    if not str(cal.get("PRODID", "")):
        problems.append("no PRODID")
    counts = {"VTODO": 0, "VEVENT": 0, "VALARM": 0}
    uids = set()
    for comp in cal.subcomponents:
        if comp.name in counts:
            counts[comp.name] += 1
        if comp.name == "VTODO":
            counts["VALARM"] += sum(1 for c in comp.subcomponents if c.name == "VALARM")
            check_todo(comp, uids, problems)
        elif comp.name == "VEVENT":
            check_event(comp, uids, problems)
        else:
            problems.append("unexpected component %s" % comp.name)
    return counts, problems


def main(argv):
    if len(argv) != 2:
        print("usage: parse.py FILE.ics", file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        data = f.read()
    counts, problems = check(data)
    if counts is not None:
        print("parse.py: %s: %d VTODO, %d VEVENT, %d VALARM"
              % (argv[1], counts["VTODO"], counts["VEVENT"], counts["VALARM"]))
    for p in problems:
        print("parse.py: %s: %s" % (argv[1], p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
