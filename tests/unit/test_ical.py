"""The meetings calendar: planned meetings only, all-day dates, status and sequence, stable UIDs,
text that survives the round trip, and RFC 5545's lines (CRLF, at most 75 octets)."""
import datetime as dt
import hashlib

import pandas as pd
import pytest
from icalendar import Calendar

from swgdash.present.ical import calendar

STAMP = dt.datetime(2026, 10, 31, 8, 30, 15, 123456, tzinfo=dt.timezone.utc)
LAO = "ຄະນະປະຕິບັດງານຂະແໜງການ ກະສິກຳ ແລະ ປ່າໄມ້ — ກອງປະຊຸມປະຈຳປີ ຮອບທີ 2 ສຳລັບການພັດທະນາຊົນນະບົດ"
PUNCT = 'Health, nutrition; "sub-SWG"\nsecond line: a\\b, c;d'


def meeting(meeting_id, group_id, date, status, name=None, **more):
    return dict(meeting_id=meeting_id, group_id=group_id, group_name=name or f"Group {group_id}",
                date=date, status=status, **more)


ROWS = [
    meeting("m1", "ag", dt.date(2026, 11, 3), "scheduled", LAO, format="joint", level="vice_minister"),
    meeting("m2", "hn", dt.date(2026, 11, 4), "cancelled", PUNCT, format="donors_only", level=None),
    meeting("m3", "ed", dt.date(2026, 12, 31), "postponed", "Education"),
    meeting("m4", "ed", dt.date(2026, 9, 1), "held", "Education"),
    meeting("m5", "ag", dt.date(2026, 8, 1), None, LAO),
    meeting("m6", "ag", dt.date(2026, 7, 1), "", LAO),
    meeting("m7", "hn", None, "scheduled", PUNCT),
    meeting("m8", "hn", dt.date(2026, 6, 1), float("nan"), PUNCT),
]


def frame(rows):
    return pd.DataFrame(rows, columns=["meeting_id", "group_id", "group_name", "date", "status",
                                       "format", "level"])


def build(rows, **kw):
    kw = {"title": "SWG meetings", "stamp": STAMP, **kw}
    return calendar(frame(rows), **kw)


def events(ical: bytes) -> dict[str, object]:
    """The events read back, by UID."""
    cal = Calendar.from_ical(ical)
    return {str(ev["uid"]): ev for ev in cal.walk("VEVENT")}


def by_meeting(ical: bytes, group_id: str, meeting_id: str):
    return events(ical)[expected_uid(group_id, meeting_id)]


def expected_uid(group_id, meeting_id, domain="swg-dashboard"):
    return hashlib.sha256(f"{group_id}\0{meeting_id}".encode()).hexdigest()[:32] + "@" + domain


def test_only_planned_meetings_become_events():
    evs = events(build(ROWS))
    assert sorted(evs) == sorted(expected_uid(g, m) for g, m in [("ag", "m1"), ("hn", "m2"), ("ed", "m3")])
    # held (explicitly, None, '', NaN) and the row without a date are left out
    assert len(Calendar.from_ical(build(ROWS)).walk("VEVENT")) == 3


def test_all_day_dates_with_the_next_day_as_end():
    ical = build(ROWS)
    for (g, m), start, end in [(("ag", "m1"), dt.date(2026, 11, 3), dt.date(2026, 11, 4)),
                               (("ed", "m3"), dt.date(2026, 12, 31), dt.date(2027, 1, 1))]:
        ev = by_meeting(ical, g, m)
        assert type(ev.decoded("dtstart")) is dt.date and ev.decoded("dtstart") == start
        assert type(ev.decoded("dtend")) is dt.date and ev.decoded("dtend") == end
        assert ev["dtstart"].params["VALUE"] == "DATE"
    assert b"\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n" in ical


def test_status_and_description():
    ical = build(ROWS)
    assert str(by_meeting(ical, "ag", "m1")["status"]) == "CONFIRMED"
    assert str(by_meeting(ical, "hn", "m2")["status"]) == "CANCELLED"
    postponed = by_meeting(ical, "ed", "m3")
    assert str(postponed["status"]) == "CANCELLED"
    assert str(postponed["description"]).startswith("Postponed")
    scheduled = str(by_meeting(ical, "ag", "m1")["description"])
    assert scheduled == "Group: ag\nFormat: Joint (government and partners)\nLevel: Vice minister"
    cancelled = str(by_meeting(ical, "hn", "m2")["description"])
    assert cancelled == "Cancelled.\nGroup: hn\nFormat: Donors only"
    assert "Postponed" not in cancelled and "Postponed" not in scheduled
    assert by_meeting(ical, "hn", "m2")["categories"].cats == ["hn"]


def test_names_round_trip_exactly():
    ical = build(ROWS)
    assert str(by_meeting(ical, "ag", "m1")["summary"]) == LAO
    assert str(by_meeting(ical, "hn", "m2")["summary"]) == PUNCT
    # escaped as RFC 5545 TEXT in the file itself
    assert rb"Health\, nutrition\; " in ical and rb"\nsecond line" in ical and b"a\\\\b" in ical


def test_uid_is_stable_across_publications_and_distinct_between_meetings():
    first = build(ROWS)
    moved = [dict(r) for r in ROWS if r["meeting_id"] != "m3"]
    moved[0]["date"] = dt.date(2027, 2, 14)  # m1 moves
    moved.insert(0, meeting("m9", "ag", dt.date(2026, 11, 20), "scheduled", "New"))
    second = build(moved, stamp=STAMP + dt.timedelta(days=3))
    a, b = events(first), events(second)
    uid_m1 = expected_uid("ag", "m1")
    assert uid_m1 in a and uid_m1 in b
    assert a[uid_m1].decoded("dtstart") == dt.date(2026, 11, 3)
    assert b[uid_m1].decoded("dtstart") == dt.date(2027, 2, 14)
    assert set(a) & set(b) == {uid_m1, expected_uid("hn", "m2")}
    assert len(set(b)) == len(b) == 3
    # distinct meetings, and the separator keeps ('ab', 'c') apart from ('a', 'bc')
    day = dt.date(2026, 11, 1)
    pair = events(build([meeting("c", "ab", day, "scheduled"), meeting("bc", "a", day, "scheduled")]))
    assert len(pair) == 2
    # the domain ends the UID
    assert expected_uid("ag", "m1", "example.org") in events(build(ROWS, domain="example.org"))


def test_cancelling_raises_the_sequence():
    day = dt.date(2026, 11, 3)
    scheduled = by_meeting(build([meeting("m1", "ag", day, "scheduled")]), "ag", "m1")
    cancelled = by_meeting(build([meeting("m1", "ag", day, "cancelled")]), "ag", "m1")
    postponed = by_meeting(build([meeting("m1", "ag", day, "postponed")]), "ag", "m1")
    assert scheduled.decoded("sequence") == 0
    assert cancelled.decoded("sequence") > scheduled.decoded("sequence")
    assert postponed.decoded("sequence") > scheduled.decoded("sequence")
    assert str(scheduled["uid"]) == str(cancelled["uid"]) == str(postponed["uid"])


def test_stamp_is_utc_to_the_second():
    vientiane = dt.timezone(dt.timedelta(hours=7))
    ev = by_meeting(build(ROWS, stamp=dt.datetime(2026, 10, 31, 15, 30, 15, tzinfo=vientiane)), "ag", "m1")
    assert ev.decoded("dtstamp") == dt.datetime(2026, 10, 31, 8, 30, 15, tzinfo=dt.timezone.utc)
    assert ev.decoded("last-modified") == ev.decoded("dtstamp")
    assert b"DTSTAMP:20261031T083015Z\r\n" in build(ROWS)
    with pytest.raises(ValueError):
        build(ROWS, stamp=dt.datetime(2026, 10, 31, 8, 30))


def test_output_is_deterministic():
    once, again = build(ROWS), build([dict(r) for r in ROWS])
    assert once == again
    assert build(list(reversed(ROWS))) == once  # the row order of the frame does not matter
    # events come by date, then group id, then meeting id
    day = dt.date(2026, 11, 5)
    rows = [meeting("b", "z", day, "scheduled"), meeting("a", "z", day, "scheduled"),
            meeting("x", "y", day, "scheduled"), meeting("q", "a", dt.date(2026, 11, 6), "scheduled")]
    uids = [str(e["uid"]) for e in Calendar.from_ical(build(rows)).walk("VEVENT")]
    assert uids == [expected_uid(*p) for p in [("y", "x"), ("z", "a"), ("z", "b"), ("a", "q")]]


def test_lines_end_in_crlf_and_fold_at_75_octets():
    long_rows = ROWS + [meeting("m10", "ag", dt.date(2026, 11, 10), "scheduled", LAO * 3)]
    ical = build(long_rows, title="ຕາຕະລາງກອງປະຊຸມ " * 6)
    assert ical.endswith(b"\r\n")
    lines = ical.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) >= 5  # long lines were folded
    for line in lines:
        line.decode("utf-8")  # no UTF-8 character split by a fold
    assert str(events(ical)[expected_uid("ag", "m10")]["summary"]) == LAO * 3


def test_calendar_properties():
    ical = build(ROWS, title="ກອງປະຊຸມ SWG")
    cal = Calendar.from_ical(ical)
    assert str(cal["version"]) == "2.0"
    assert str(cal["calscale"]) == "GREGORIAN"
    assert str(cal["prodid"]).startswith("-//")
    assert str(cal["x-wr-calname"]) == "ກອງປະຊຸມ SWG"
    assert ical.startswith(b"BEGIN:VCALENDAR\r\n") and ical.endswith(b"END:VCALENDAR\r\n")


@pytest.mark.parametrize("df", [frame([]), pd.DataFrame(),
                                frame([meeting("m4", "ed", dt.date(2026, 9, 1), "held")])])
def test_no_planned_meetings_gives_an_empty_calendar(df):
    ical = calendar(df, title="SWG meetings", stamp=STAMP)
    cal = Calendar.from_ical(ical)
    assert cal.name == "VCALENDAR"
    assert cal.walk("VEVENT") == []
    assert str(cal["version"]) == "2.0" and str(cal["x-wr-calname"]) == "SWG meetings"


def test_optional_columns_may_be_absent():
    df = pd.DataFrame([{"meeting_id": "m1", "group_id": "ag", "group_name": "Agriculture",
                        "date": pd.Timestamp("2026-11-03"), "status": "scheduled"}])
    ev = Calendar.from_ical(calendar(df, title="t", stamp=STAMP)).walk("VEVENT")[0]
    assert str(ev["description"]) == "Group: ag"
    assert ev.decoded("dtstart") == dt.date(2026, 11, 3)


def test_unknown_status_and_duplicate_meetings_are_errors():
    day = dt.date(2026, 11, 3)
    with pytest.raises(ValueError, match="tentative"):
        build([meeting("m1", "ag", day, "tentative")])
    with pytest.raises(ValueError, match="twice"):
        build([meeting("m1", "ag", day, "scheduled"), meeting("m1", "ag", day, "cancelled")])
