"""Institutions that change (issue 32): an organisation with a dated successor counts as its successor
from that day in every figure that counts organisations, as itself before it; chains are followed; a
circle, or a date without a successor, is refused with its row."""
import datetime as dt

import pytest

from factories import group, meeting, write_csv
from swgdash import fmt
from swgdash.ingest.validate import validate_paths
from swgdash.query import metrics

MERGED = "2013-11-01"  # AusAID was folded into DFAT


def member(gid, org, role="co_chair", org_type="development_partner", **kw):
    return {"group_id": gid, "organisation": org, "org_type": org_type, "role": role, **kw}


def register(orgs, members=None):
    return {
        "groups": [group("G1", chair_org="Ministry of Planning and Investment"), group("G2"), group("G3")],
        "meetings": [meeting("M1", "G1", "2013-10-01"), meeting("M2", "G2", "2013-10-15"),
                     meeting("M3", "G3", "2013-10-20")],
        "members": members or [member("G1", "AusAID"), member("G2", "DFAT"), member("G3", "AusAID", role="active"),
                               member("G1", "Ministry of Planning and Investment", role="chair", org_type="government")],
        "attendance": [{"meeting_id": "M1", "organisation": "AusAID"}, {"meeting_id": "M2", "organisation": "DFAT"}],
        "organisations": orgs,
    }


def org(name, successor=None, since=None, partner=None):
    return {"organisation": name, "partner": partner or name, "successor": successor or "", "successor_since": since or ""}


AUSAID = [org("AusAID", "DFAT", MERGED), org("DFAT"),
          org("Ministry of Planning and Investment", "Ministry of Finance", "2025-03-20")]


def load(cur, day):
    df = metrics.organisation_load(cur, metrics.Params(as_of=dt.date.fromisoformat(day)))
    return {r.organisation: (r.active_groups, r.chair_roles) for r in df.itertuples()}


@pytest.mark.parametrize("day,expected", [
    ("2013-10-31", {"AusAID": (2, 1), "DFAT": (1, 1)}),  # the day before: two partners
    (MERGED, {"DFAT": (3, 2)}),  # on the day itself: one, with both's groups and roles
])
def test_a_successor_counts_from_its_day_exactly(tiny, day, expected):
    cur = tiny(register(AUSAID), as_of=day)
    assert load(cur, day) == expected


def test_attendance_counts_as_the_successor_from_its_day(tiny):
    cur = tiny(register(AUSAID), as_of=MERGED)
    rows = metrics.organisation_load(cur, metrics.Params(as_of=dt.date(2013, 11, 1))).set_index("organisation")
    assert rows.loc["DFAT", "attendance_rows_12m"] == 2


def test_a_chain_of_two_successors_is_followed_from_each_ones_day(tiny):
    chain = [org("A", "B", "2020-01-01"), org("B", "C", "2022-01-01"), org("C")]
    members = [member("G1", "A"), member("G2", "B"), member("G3", "C")]
    cur = tiny(register(chain, members), as_of="2022-01-01")
    assert load(cur, "2019-12-31") == {"A": (1, 1), "B": (1, 1), "C": (1, 1)}
    assert load(cur, "2021-06-30") == {"B": (2, 2), "C": (1, 1)}
    assert load(cur, "2022-01-01") == {"C": (3, 3)}


def test_a_chain_whose_later_step_is_older_counts_from_the_first_steps_day(tiny):
    # B became C in 2010; A became B in 2020: from 2020, A counts as C
    chain = [org("A", "B", "2020-01-01"), org("B", "C", "2010-01-01"), org("C")]
    members = [member("G1", "A"), member("G2", "C")]
    cur = tiny(register(chain, members), as_of="2020-01-01")
    assert load(cur, "2019-12-31") == {"A": (1, 1), "C": (1, 1)}
    assert load(cur, "2020-01-01") == {"C": (2, 2)}


def test_the_profile_and_the_rotation_name_the_successor_with_the_name_it_had(tiny):
    cur = tiny(register(AUSAID), as_of="2026-10-31")
    p = metrics.Params(as_of=dt.date(2026, 10, 31))
    prof = metrics.group_profile(cur, p, group_id="G1")
    assert fmt.formerly(prof["info"]["chair_org"], prof["info"]["chair_formerly"],
                        prof["info"]["chair_formerly_until"]) == \
        "Ministry of Finance (formerly Ministry of Planning and Investment, until 20 March 2025)"
    shown = set(fmt.with_former_names(prof["members"])["organisation"])
    assert shown == {"DFAT (formerly AusAID, until 01 November 2013)",
                     "Ministry of Finance (formerly Ministry of Planning and Investment, until 20 March 2025)"}
    terms = metrics.leadership_terms(cur, p)
    assert set(terms["organisation"]) == {"DFAT", "Ministry of Finance"}
    before = metrics.group_profile(cur, metrics.Params(as_of=dt.date(2013, 10, 31)), group_id="G1")
    assert set(fmt.with_former_names(before["members"])["organisation"]) == {"AusAID", "Ministry of Planning and Investment"}
    assert fmt.is_missing(before["info"]["chair_formerly"])


def validate(tmp_path, orgs):
    for name, rows in register(orgs).items():
        write_csv(tmp_path / "x", name, rows)
    return validate_paths([tmp_path / "x"])


@pytest.mark.parametrize("orgs,row,column,words", [
    ([org("AusAID", since=MERGED), org("DFAT")], 2, "successor_since", "no successor"),
    ([org("A", "B", MERGED), org("B", "A", MERGED)], 2, "successor", "A → B → A"),
    ([org("A", "B"), org("B", "C"), org("C", "B")], 3, "successor", "B → C → B"),
    ([org("A", "A")], 2, "successor", "A → A"),
])
def test_a_circle_or_a_date_without_successor_is_refused_with_its_row(tmp_path, orgs, row, column, words):
    r = validate(tmp_path, orgs)
    assert [(p.table, p.row, p.column) for p in r.errors] == [("organisations", row, column)]
    assert words in r.errors[0].message


def test_a_successor_without_a_date_counts_always_and_a_chain_is_valid(tmp_path):
    assert validate(tmp_path, [org("A", "B"), org("B", "C", "2020-01-01"), org("C")]).ok


def test_a_predecessor_and_its_successor_at_one_meeting_are_one_partner_present_once(tiny):
    tables = register([org("DFID", "FCDO", "2025-03-01"), org("FCDO")],
                      [member("G1", "DFID"), member("G1", "FCDO", start_on="2025-04-01")])
    tables["meetings"] = [meeting("M1", "G1", "2025-02-10"), meeting("M2", "G1", "2025-06-10")]
    tables["attendance"] = [{"meeting_id": "M1", "organisation": "DFID"},
                            {"meeting_id": "M1", "organisation": "FCDO", "present": "false"},
                            {"meeting_id": "M2", "organisation": "FCDO"}]
    cur = tiny(tables, as_of="2026-01-31")
    p = metrics.Params(as_of=dt.date(2026, 1, 31))
    load = metrics.organisation_load(cur, p).set_index("organisation")
    assert load.loc["FCDO", "attendance_rows_12m"] == 2 and load.loc["FCDO", "attendance_rate_12m"] == 1.0
    dva = metrics.declared_vs_actual(cur, p).set_index("organisation")
    assert (dva.loc["FCDO", "meetings_12m"], dva.loc["FCDO", "present_12m"]) == (2, 2)
    assert dva.loc["FCDO", "formerly"] == "DFID"
    att = metrics.group_profile(cur, p, group_id="G1")["attendance"].set_index("organisation")
    assert att.loc["FCDO", "meetings_recorded"] == 2


def test_a_chair_written_as_the_register_writes_it_is_renamed_with_its_partner(tiny):
    orgs = [org("Ministry of Planning and Investment", "Ministry of Finance", "2025-03-20", partner="MPI")]
    cur = tiny(register(orgs, [member("G2", "Ministry of Planning and Investment", role="chair",
                                      org_type="government")]), as_of="2026-10-31")
    p = metrics.Params(as_of=dt.date(2026, 10, 31))
    chairs = dict(zip(*metrics.group_activity(cur, p)[["group_id", "chair_org"]].T.values, strict=True))
    assert chairs["G1"] == "Ministry of Finance"
    terms = metrics.leadership_terms(cur, p)
    assert list(terms["organisation"]) == ["Ministry of Finance"] and list(terms["formerly"]) == ["MPI"]


def test_an_undated_successor_and_a_chain_say_when_the_name_written_stopped(tiny):
    chain = [org("A", "B", "2020-01-01"), org("B", "C", "2022-01-01"), org("C"), org("X", "Y"), org("Y")]
    cur = tiny(register(chain, [member("G1", "A"), member("G2", "X")]), as_of="2026-10-31")
    p = metrics.Params(as_of=dt.date(2026, 10, 31))
    shown = {fmt.formerly(r["organisation"], r["formerly"], r["formerly_until"])
             for g in ("G1", "G2") for r in metrics.group_profile(cur, p, group_id=g)["members"].to_dict("records")}
    assert shown == {"C (formerly A, until 01 January 2020)", "Y (formerly X)"}


def test_one_partners_rows_naming_two_successors_are_refused(tmp_path):
    r = validate(tmp_path, [org("Embassy of Japan", "Japan 2", MERGED, partner="Japan"),
                            org("JICA", "New JICA", MERGED, partner="Japan")])
    assert [(p.table, p.row, p.column) for p in r.errors] == [("organisations", 3, "successor")]
    assert "already has the successor 'Japan 2' (row 2)" in r.errors[0].message
