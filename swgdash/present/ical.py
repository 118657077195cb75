"""Planned meetings as an iCalendar feed (RFC 5545) that committee members subscribe to.

`calendar` turns the `meetings` extract table into one VCALENDAR with a VEVENT for every
meeting whose `status` is `scheduled`, `cancelled` or `postponed`. Held meetings (status
`held` or empty) are the register of what happened, not a plan, and are left out; so is a
row without a date. The text is written by the `icalendar` package, which escapes TEXT values
(RFC 5545 3.3.11: backslash, comma, semicolon, newline), writes CRLF line ends (3.1) and folds
content lines at 75 octets without splitting a UTF-8 character, so Lao names are safe.

Choices, and why:

* Events are all-day (DTSTART;VALUE=DATE and DTEND the next day, RFC 5545 3.6.1 and
  3.8.2.2: DTEND is exclusive): the extract has a meeting's date but not its hour. As the
  hour is unknown they are TRANSP:TRANSPARENT (3.8.2.7), so the day does not show as busy.
  DATE values are "floating": the same day in every time zone, so no VTIMEZONE is needed.

* The UID (3.8.4.7) is derived only from the group id and the meeting id: the first 32 hex
  digits of SHA-256 of `group_id + "\\0" + meeting_id`, `@` the domain. It does not depend on
  the date, the status, the row's position, the server or the time of publishing, so when the
  register is published again a subscribed calendar updates the event it already has (moved,
  cancelled) instead of adding a second one. The NUL separator keeps ("ab", "c") and
  ("a", "bc") apart. Two rows with the same pair would be one event twice; that is an error.

* Cancellation is sent in the event itself: STATUS:CANCELLED (3.8.1.11) on the same UID with
  a higher SEQUENCE (3.8.7.4), which is how a published (not iTIP-scheduled) calendar marks an
  event as off; deleting the event from the feed would leave copies imported from an earlier
  file untouched. A postponed meeting is not happening on its date either, so it is also
  STATUS:CANCELLED, and its DESCRIPTION starts with "Postponed" (when it gets a new date the
  secretariat schedules it again). A scheduled meeting is STATUS:CONFIRMED.

* SEQUENCE is derived from the status, without keeping any state between publications:
  0 for a scheduled meeting, 1 for a cancelled or postponed one, so the cancellation of a
  meeting always outranks the earlier announcement of it. The limits of a stateless number:
  a scheduled meeting whose date moves keeps SEQUENCE 0 (a subscription replaces its events
  from the feed on every refresh and shows the new date; an application that imported the
  file once and compares SEQUENCE may keep the old date), and a cancelled meeting that is
  scheduled again goes back from 1 to 0. Counting every change would need the previous
  publications (the store's history), which this module does not read.

* DTSTAMP (3.8.7.2) and LAST-MODIFIED (3.8.7.3) are the `stamp` given, in UTC, to the second;
  everything else depends only on the frame, so the same frame and stamp give byte-identical
  output. Events are sorted by date, group id and meeting id, and properties are written in
  the package's fixed order.

* The calendar carries PRODID, VERSION:2.0, CALSCALE:GREGORIAN (3.7), and its title as
  X-WR-CALNAME (the name most applications show) and NAME (RFC 7986 5.1). There is no METHOD:
  the file is a published calendar, not an iTIP message (RFC 5546), which would need an
  ORGANIZER. A frame with no planned meetings gives a calendar with no events; RFC 5545's
  grammar asks for at least one component, but calendar applications accept an empty feed, and
  a subscription must be able to become empty when every planned meeting has been held.

* SUMMARY is the group's name as given (any Unicode, commas, semicolons and newlines kept);
  only line ends are normalised to LF and control characters other than tab and LF, which
  RFC 5545 TEXT does not allow, are dropped. DESCRIPTION says, in short English lines, the
  group id and, when given, the meeting's format and level (in the words of the contract);
  CATEGORIES is the group id, so an application can colour or filter by group.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import numpy as np
import pandas as pd
from icalendar import Calendar, Event, vText

from swgdash.i18n import N_, _
from swgdash.query import metrics
from swgdash.query.db import Cursor
from swgdash.query.metrics import Params

PRODID = "-//Lao Round Table Process//SWG Dashboard//EN"

# status -> (the event's STATUS, its SEQUENCE, the first line of its DESCRIPTION)
_PLANNED = {
    "scheduled": ("CONFIRMED", 0, None),
    "cancelled": ("CANCELLED", 1, N_("Cancelled.")),
    "postponed": ("CANCELLED", 1, N_("Postponed: not held on this date.")),
    "held": ("CONFIRMED", 0, N_("Held.")),  # only with keep_held
}
_HELD = {"held"}
_REQUIRED = ("meeting_id", "group_id", "date")
# RFC 5545 3.3.11: TEXT is any character but CONTROL (US-ASCII 0-31 and 127), except HTAB;
# a newline is written escaped.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def calendar(meetings: pd.DataFrame, *, title: str, stamp: dt.datetime,
             domain: str = "swg-dashboard", keep_held: bool = False) -> bytes:
    """The planned (scheduled, cancelled, postponed) meetings as an RFC 5545 calendar, UTF-8
    with CRLF line ends; the same frame, title, stamp and domain give the same bytes.

    `stamp` (time zone aware) is the DTSTAMP and LAST-MODIFIED of every event; `domain` ends
    every UID. With `keep_held`, held meetings are events too (STATUS:CONFIRMED, "Held."): a
    meeting that was scheduled and is now recorded as held, under the same meeting id, stays in
    the subscribers' calendars instead of vanishing from them. Raises ValueError on an unknown status, a naive stamp, a bad domain, or two
    rows for the same meeting."""
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError("stamp must be time zone aware (e.g. datetime.now(timezone.utc))")
    if not domain or re.search(r"[\s@\x00-\x1f\x7f]", domain):
        raise ValueError(f"domain {domain!r} is not usable in a UID")
    stamp = stamp.astimezone(dt.timezone.utc).replace(microsecond=0)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(_clean(title)))  # an X- property is otherwise written unescaped
    cal.add("name", vText(_clean(title)))
    seen: set[str] = set()
    for row in _planned(meetings, keep_held):
        if row["uid_key"] in seen:
            raise ValueError(f"meeting {row['meeting_id']!r} of group {row['group_id']!r} is given twice")
        seen.add(row["uid_key"])
        cal.add_component(_event(row, stamp, domain))
    return cal.to_ical()


def _uid(group_id: str, meeting_id: str, domain: str = "swg-dashboard") -> str:
    """The event's UID: the same for a meeting in every publication, on every server."""
    digest = hashlib.sha256(f"{group_id}\0{meeting_id}".encode("utf-8")).hexdigest()
    return f"{digest[:32]}@{domain}"


def _planned(meetings: pd.DataFrame, keep_held: bool = False) -> list[dict]:
    """The rows that become events, as plain values, sorted by date, group id, meeting id."""
    if meetings.empty:
        return []
    missing = [c for c in _REQUIRED if c not in meetings.columns]
    if missing:
        raise ValueError(f"meetings has no column {', '.join(missing)}")
    rows = []
    for rec in meetings.to_dict("records"):
        status = _text(rec.get("status"))
        status = status.strip().lower() if status is not None else None
        if status in (None, "") or status in _HELD:
            if not keep_held:
                continue
            status = "held"
        if status not in _PLANNED or status == "held" and not keep_held:
            raise ValueError(f"meeting {rec['meeting_id']!r}: unknown status {status!r} "
                             f"(expected one of {', '.join([*_PLANNED, *_HELD])} or empty)")
        date = _date(rec["date"])
        if date is None:
            continue
        group_id, meeting_id = str(rec["group_id"]), str(rec["meeting_id"])
        rows.append({
            "meeting_id": meeting_id, "group_id": group_id, "date": date, "status": status,
            "name": _text(rec.get("group_name")) or group_id,
            "format": _text(rec.get("format")), "level": _text(rec.get("level")),
            "uid_key": f"{group_id}\0{meeting_id}",
        })
    rows.sort(key=lambda r: (r["date"], r["group_id"], r["meeting_id"]))
    return rows


def _event(row: dict, stamp: dt.datetime, domain: str) -> Event:
    status, sequence, note = _PLANNED[row["status"]]
    ev = Event()
    ev.add("uid", _uid(row["group_id"], row["meeting_id"], domain))
    ev.add("dtstamp", stamp)
    ev.add("last-modified", stamp)
    ev.add("dtstart", row["date"])  # a date, not a datetime: written with VALUE=DATE
    ev.add("dtend", row["date"] + dt.timedelta(days=1))
    ev.add("transp", "TRANSPARENT")
    ev.add("summary", _clean(row["name"]))
    ev.add("status", status)
    ev.add("sequence", sequence)
    ev.add("description", _description(row, note))
    ev.add("categories", [_clean(row["group_id"])])
    return ev


def _description(row: dict, note: str | None) -> str:
    """In the language the calendar is made in (swgdash.i18n): the status, the group, format, level."""
    from swgdash.contract import word  # the words beside each code, written once for the app

    lines = [_(note)] if note else []
    lines.append(_("Group: {group_id}").format(group_id=row["group_id"]))
    for column, label in (("format", N_("Format: {value}")), ("level", N_("Level: {value}"))):
        code = row[column]
        if code:
            lines.append(_(label).format(value=word(column, code)))
    return _clean("\n".join(lines))


def _clean(text: str) -> str:
    """Text as RFC 5545 TEXT can carry it: line ends as LF, no other control characters."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def _text(value) -> str | None:
    """A cell as text, or None when it is empty (None, NaN, NA, '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = str(value)
    return value if value.strip() else None


def _date(value) -> dt.date | None:
    """A cell as a date (date, datetime, Timestamp, datetime64 or ISO text), None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):  # pandas' Timestamp is one too
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()) if value.strip() else None
    raise TypeError(f"not a date: {value!r}")


def calendar_title(group_name: str | None = None) -> str:
    """The calendar's name as a subscriber's application shows it."""
    return (_("SWG meetings: {group}").format(group=group_name) if group_name
            else _("Sector working group meetings"))


def calendar_file(db: Cursor, p: Params, title: str) -> bytes:
    """The iCalendar (RFC 5545) file of `metrics.calendar_meetings`. Its time stamp is the version's
    publication, so one version always gives the same bytes, and each meeting's UID is the same
    in every version (a subscribed calendar updates, never duplicates)."""
    assert db.version is not None  # (a published version's database)
    stamp = dt.datetime.fromisoformat(db.version.manifest["published_at"])
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return calendar(metrics.calendar_meetings(db, p), title=title, stamp=stamp, keep_held=True)
