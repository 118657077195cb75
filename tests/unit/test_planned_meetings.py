"""Meetings planned and held (issue 28): only held meetings count in any figure; the schedule gives
each group's next meeting, the upcoming meetings, the groups to ask about and the share called off."""
import datetime as dt
import json

import pandas as pd
import pytest

from factories import group, meeting, planned_register, run_cli, write_csv
from swgdash.ingest import quality
from swgdash.ingest.validate import validate_paths
from swgdash.query import metrics
from swgdash.query.metrics import Params

D = dt.date.fromisoformat
T = pd.Timestamp
AS_OF = D("2026-10-31")


def m(mid, gid, date, status=None):
    return meeting(mid, gid, date, **({"status": status} if status is not None else {}))


REGISTER = planned_register()


@pytest.fixture
def cur(tiny):
    return tiny(REGISTER)


def test_only_held_meetings_count(cur):
    act = metrics.group_activity(cur, Params(as_of=AS_OF)).set_index("group_id")
    assert act.loc["G-HELD", "meetings_12m"] == 2 and act.loc["G-HELD", "last_meeting"] == T("2026-09-01")
    assert act.loc["G-PLANNED", "meetings_12m"] == 0 and act.loc["G-PLANNED", "activity"] == "dormant"
    assert act.loc["G-SOON", "activity"] == "dormant"
    totals = metrics.meeting_totals(cur, Params(as_of=AS_OF))
    assert totals["last_12m"] == 2 and totals["not_counted_12m"] == 0  # (planned ones are not 'set aside' either)
    practice = metrics.group_practice(cur, Params(as_of=AS_OF)).set_index("group_id")
    assert practice.loc["G-HELD", "planned_ratio"] == 0.5 and practice.loc["G-PLANNED", "planned_ratio"] == 0


def test_the_next_meeting_is_the_first_scheduled_on_or_after_the_as_of_date(cur):
    act = metrics.group_activity(cur, Params(as_of=AS_OF)).set_index("group_id")
    assert act.loc["G-SOON", "next_meeting"] == T(AS_OF)  # on the as-of day: still to come
    assert act.loc["G-PLANNED", "next_meeting"] == T("2026-11-15")  # not S1, before it; not S2, cancelled
    assert act["next_meeting"].isna()["G-HELD"]
    a_day_later = metrics.group_activity(cur, Params(as_of=D("2026-11-01"))).set_index("group_id")
    assert a_day_later.loc["G-SOON", "next_meeting"] == T("2026-12-01")


def test_upcoming_meetings_are_those_of_the_next_90_days_both_ends_included(cur):
    soon = metrics.upcoming(cur, Params(as_of=AS_OF))
    assert soon["meeting_id"].tolist() == ["N2", "S3", "N3"]  # L2 is 91 days after
    assert metrics.upcoming(cur, Params(as_of=AS_OF), days=91)["meeting_id"].tolist()[-1] == "L2"
    assert set(soon["status"]) == {"scheduled"}


def test_the_groups_to_ask_about_are_at_risk_or_dormant_with_nothing_scheduled(cur):
    act = metrics.group_activity(cur, Params(as_of=AS_OF))
    assert metrics.to_ask_about(act)["group_id"].tolist() == []  # G-LATE has L2 scheduled, G-SOON N2
    later = metrics.group_activity(cur, Params(as_of=D("2027-02-01")))
    assert sorted(metrics.to_ask_about(later)["group_id"]) == ["G-LATE", "G-PLANNED", "G-SOON"]  # G-HELD: active


def test_the_share_called_off_counts_cancelled_and_postponed_against_held(cur):
    practice = metrics.group_practice(cur, Params(as_of=AS_OF)).set_index("group_id")
    assert practice.loc["G-HELD", "called_off_12m"] == 2 and practice.loc["G-HELD", "called_off_share_12m"] == 0.5
    assert practice.loc["G-PLANNED", "called_off_share_12m"] == 1.0  # S2 cancelled, none held
    assert practice["called_off_share_12m"].isna()["G-LATE"]  # nothing held or called off in 12 months
    assert metrics.called_off_share(practice) == pytest.approx(3 / 5)
    sc = metrics.scorecard(metrics.group_practice(cur, Params(as_of=AS_OF))).set_index("group_id")
    assert sc.loc["G-HELD", "called_off"] == "2 of 4 (50%)"


def test_the_calendar_keeps_planned_meetings_and_those_held_in_the_last_12_months(cur):
    cal = metrics.calendar_meetings(cur, Params(as_of=AS_OF))
    assert set(cal["meeting_id"]) == {"H1", "H2", "C1", "P1", "S1", "S2", "S3", "N2", "N3", "L2"}  # not N1, L1
    one = metrics.calendar_meetings(cur, Params(as_of=AS_OF, groups=("G-SOON",)))
    assert one["meeting_id"].tolist() == ["N2", "N3"]


def _tables(tmp_path, meetings):
    write_csv(tmp_path / "x", "groups", [group("G1")])
    write_csv(tmp_path / "x", "meetings", meetings)
    return validate_paths([tmp_path / "x"], today=D("2026-11-05"))


def test_the_suggested_as_of_ignores_meetings_not_held(tmp_path):
    result = _tables(tmp_path, [m("H", "G1", "2026-10-19"), m("S", "G1", "2026-11-03", "scheduled"),
                                m("C", "G1", "2026-10-25", "cancelled"), m("P", "G1", "2026-10-28", "postponed")])
    assert result.ok and result.as_of.date == D("2026-10-19")
    assert not [p for p in result.warnings if p.code == "set_aside"]  # a future plan is not 'set aside'


def test_a_held_meeting_after_the_upload_day_is_still_set_aside(tmp_path):
    result = _tables(tmp_path, [m("H", "G1", "2026-10-19"), m("F", "G1", "2026-11-20", "held")])
    assert [p.row for p in result.warnings if p.code == "set_aside"] == [3]


def test_a_meeting_still_scheduled_before_the_as_of_date_is_warned_about(tmp_path):
    result = _tables(tmp_path, [m("H", "G1", "2026-10-19"), m("S", "G1", "2026-03-03", "scheduled"),
                                m("T", "G1", "2026-10-19", "scheduled")])
    said = quality.as_of_warnings(D("2026-10-19"), result.tables, result.upload_day)
    assert len([w for w in said if "scheduled for 03 March 2026" in w and "not recorded as held or cancelled" in w]) == 1
    assert "19 October" not in said[0].split("(")[1]  # the one on the as-of day is not late
    on_the_day = quality.as_of_warnings(D("2026-03-03"), result.tables, result.upload_day)
    assert not any("still marked scheduled" in w for w in on_the_day)  # scheduled on the as-of day: not late
    rows = [p for p in validate_paths([tmp_path / "x"], today=D("2026-11-05")).warnings if p.column == "status"]
    assert rows == []  # (the extract gives no as-of: the warning waits for the date chosen, above)


def test_summary_json_gives_each_group_its_next_meeting_or_null(home):
    doc = json.loads(run_cli("--home", str(home), "summary", "--json")[1])
    nxt = {g["group_id"]: g["next_meeting"] for g in doc["groups"]}
    assert "next_meeting" in doc["groups"][0] and None in nxt.values()
    assert all(v is None or v >= doc["as_of"] for v in nxt.values())
    assert nxt["SWG-NRE"] == "2026-12-18"  # the demo schedules it (data/demo/meetings.csv)


def test_the_calendar_round_trips_with_the_same_uids_across_two_published_versions(tmp_path):
    import icalendar

    from swgdash.store import FolderStore

    folder = tmp_path / "v1"
    for name, rows in REGISTER.items():
        write_csv(folder, name, rows)
    home = tmp_path / "store"
    FolderStore(home).publish(validate_paths([folder], today=D("2026-11-05")), AS_OF)

    def events(path):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        return {str(e["UID"]): (str(e["STATUS"]), e.decoded("DTSTART"), str(e["SUMMARY"])) for e in cal.walk("VEVENT")}

    assert run_cli("--home", str(home), "calendar", "--out", str(tmp_path / "one.ics"))[0] == 0
    first = events(tmp_path / "one.ics")
    # the next version: N3 moved a week, S3 cancelled, a meeting added
    moved = [dict(r, date="2026-12-08") if r["meeting_id"] == "N3" else
             dict(r, status="cancelled") if r["meeting_id"] == "S3" else r for r in REGISTER["meetings"]]
    write_csv(tmp_path / "v2", "groups", REGISTER["groups"])
    write_csv(tmp_path / "v2", "meetings", moved + [m("X1", "G-HELD", "2026-12-15", "scheduled")])
    FolderStore(home).publish(validate_paths([tmp_path / "v2"], today=D("2026-11-05")), AS_OF)
    assert run_cli("--home", str(home), "calendar", "--out", str(tmp_path / "two.ics"))[0] == 0
    second = events(tmp_path / "two.ics")
    assert len(second) == len(first) + 1 and set(first) < set(second)  # the same UIDs, and one more
    n3 = [u for u, e in first.items() if e[1] == D("2026-12-01")][0]
    assert second[n3][1] == D("2026-12-08")  # moved: the same event
    s3 = [u for u, e in first.items() if e[1] == D("2026-11-15")][0]
    assert first[s3][0] == "CONFIRMED" and second[s3][0] == "CANCELLED"
    code, _ = run_cli("--home", str(home), "calendar", "--out", str(tmp_path / "g.ics"), "--group", "G-SOON")
    assert code == 0 and {e[2] for e in events(tmp_path / "g.ics").values()} == {"Group G-SOON"}
    assert run_cli("--home", str(home), "calendar", "--out", str(tmp_path / "x.ics"), "--group", "NOPE")[0] == 1
