"""The trend over time and the changes between versions (issue 19), at their boundaries: a group
established or closed exactly on a point's date, a meeting exactly at a window's start, an action
removed and re-added, the version current on a date."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factories import group, meeting, write_csv
from swgdash.errors import BadDates
from swgdash.ingest.validate import validate_paths
from swgdash.present import sentences
from swgdash.query import history, metrics
from swgdash.query.db import Database
from swgdash.query.metrics import Params, months_before, period_end, period_ends
from swgdash.store import FolderStore, Version

D = dt.date


# -- period ends --------------------------------------------------------------------------------
@pytest.mark.parametrize("day, every, end", [
    (D(2026, 1, 1), "month", D(2026, 1, 31)), (D(2024, 2, 10), "month", D(2024, 2, 29)),
    (D(2026, 3, 31), "quarter", D(2026, 3, 31)), (D(2026, 4, 1), "quarter", D(2026, 6, 30)),
    (D(2026, 12, 31), "quarter", D(2026, 12, 31)), (D(2026, 7, 15), "year", D(2026, 12, 31)),
])
def test_a_period_ends_on_its_last_day(day, every, end):
    assert period_end(day, every) == end


def test_the_points_are_the_period_ends_between_both_dates_then_the_end_itself():
    assert period_ends(D(2025, 12, 31), D(2026, 6, 30)) == [D(2025, 12, 31), D(2026, 3, 31), D(2026, 6, 30)]
    assert period_ends(D(2026, 1, 1), D(2026, 5, 15)) == [D(2026, 3, 31), D(2026, 5, 15)]
    assert period_ends(D(2026, 1, 2), D(2026, 1, 30)) == [D(2026, 1, 30)]  # no period end between
    assert period_ends(D(2026, 5, 15), D(2026, 5, 15), "month") == [D(2026, 5, 15)]
    assert period_ends(D(2020, 6, 1), D(2022, 12, 31), "year") == [D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31)]
    assert len(period_ends(D(2021, 10, 31), D(2026, 10, 31))) == 21  # 20 quarter ends, then the as-of


def test_a_trend_that_ends_before_it_starts_or_asks_too_many_points_is_refused():
    with pytest.raises(BadDates, match="after its end"):
        period_ends(D(2026, 2, 1), D(2026, 1, 1))
    with pytest.raises(BadDates, match="more than"):
        period_ends(D(1900, 1, 1), D(2026, 1, 1), "month")
    assert len(period_ends(D(1976, 2, 1), D(2026, 1, 31), "month")) == metrics.MAX_POINTS  # 600 month ends
    with pytest.raises(BadDates, match="more than 600"):  # 600 month ends and the end date itself
        period_ends(D(1976, 2, 1), D(2026, 2, 15), "month")


# -- the trend ----------------------------------------------------------------------------------
POINT = D(2026, 6, 30)


def _trend_at(tiny, groups, meetings, point=POINT, **kw):
    cur = tiny({"groups": groups, "meetings": meetings})
    df = metrics.trend(cur, Params(as_of=point, **kw), start=point)
    assert df["as_of"].dt.date.tolist() == [point]
    return df.iloc[0].to_dict()


def test_a_group_established_exactly_on_the_date_counts_and_one_established_the_day_after_does_not(tiny):
    r = _trend_at(tiny, [group("A", established_on="2026-06-30"), group("B", established_on="2026-07-01"),
                         group("C")], [])
    assert r["counting"] == 2 and r["dormant"] == 2


def test_a_group_closed_exactly_on_the_date_does_not_count_and_one_closed_the_day_after_does(tiny):
    r = _trend_at(tiny, [group("A", status="merged", closed_on="2026-06-30", established_on="2010-01-01"),
                         group("B", status="merged", closed_on="2026-07-01", established_on="2010-01-01"),
                         group("C", status="discontinued", established_on="2010-01-01")],
                  [meeting("M1", "B", "2026-05-01")])
    assert (r["counting"], r["active"], r["meetings_12m"]) == (1, 1, 1)


def test_a_meeting_exactly_at_a_windows_start_is_in_it_and_one_the_day_before_is_not(tiny):
    start_active, start_dormant = months_before(POINT, 6), months_before(POINT, 12)
    day = dt.timedelta(days=1)
    r = _trend_at(tiny, [group(g) for g in "ABCD"], [
        meeting("M1", "A", start_active.isoformat()),  # active
        meeting("M2", "B", (start_active - day).isoformat()),  # at risk
        meeting("M3", "C", start_dormant.isoformat()),  # at risk, and in the 12 months
        meeting("M4", "D", (start_dormant - day).isoformat()),  # dormant, outside the 12 months
    ])
    assert (r["active"], r["at_risk"], r["dormant"], r["meetings_12m"]) == (1, 2, 1, 3)


def test_meetings_after_the_date_are_not_counted_at_it(tiny):
    r = _trend_at(tiny, [group("A")], [meeting("M1", "A", "2026-07-01"), meeting("M2", "A", "2026-06-30")])
    assert (r["active"], r["meetings_12m"]) == (1, 1)


def test_the_thresholds_and_the_group_filter_apply_at_every_point(tiny):
    cur = tiny({"groups": [group("A"), group("B")], "meetings": [meeting("M1", "A", "2026-02-01")]})
    df = metrics.trend(cur, Params(as_of=POINT, at_risk_months=3, dormant_months=6), start=POINT)
    assert (df["active"].iloc[0], df["at_risk"].iloc[0], df["dormant"].iloc[0]) == (0, 1, 1)
    df = metrics.trend(cur, Params(as_of=POINT, groups=("B",)), start=POINT)
    assert (df["counting"].iloc[0], df["dormant"].iloc[0]) == (1, 1)


def test_the_trend_ends_with_the_figures_every_page_shows_at_the_as_of_date(demo_db):
    cur = demo_db.cursor()
    p = Params(as_of=demo_db.version.as_of)
    df = metrics.trend(cur, p)
    last, o = df.iloc[-1], metrics.overview(cur, p)
    assert last["as_of"].date() == p.as_of and len(df) == 21
    assert (last["counting"], last["active"], last["at_risk"], last["dormant"], last["meetings_12m"]) == (
        o.counting, o.activity["active"], o.activity["at_risk"], o.activity["dormant"], o.meetings_12m)
    assert (df["counting"] == df["active"] + df["at_risk"] + df["dormant"]).all()
    assert df["as_of"].is_monotonic_increasing


def test_the_trend_says_when_its_first_points_look_back_before_the_records(tiny):
    df = metrics.trend(tiny({"groups": [group("A")], "meetings": [meeting("M1", "A", "2025-01-10")]}),
                       Params(as_of=POINT), start=D(2025, 1, 1))
    said = sentences.trend_caveat(df, "2025-01-10", 12)
    assert "10 January 2025" in said and "31 December 2025" in said
    assert sentences.trend_caveat(df, "2020-01-10", 12) is None


# -- changes between versions ----------------------------------------------------------------
def _publish(store: FolderStore, folder: Path, tables: dict, as_of: str) -> Version:
    for name, rows in tables.items():
        write_csv(folder, name, rows)
    result = validate_paths([folder])
    assert result.ok, [str(p) for p in result.errors]
    return store.publish(result, D.fromisoformat(as_of))


def _recs():
    return [{"rec_id": "R1", "title": "Keep only functioning groups"}]


def _action(aid, status, due="2027-01-01", gid=None):
    return {"action_id": aid, "rec_id": "R1", "description": f"Action {aid}", "status": status, "due_on": due,
            "group_id": gid}


def _pillars():
    return [{"pillar_id": p, "plan": "10th NSEDP 2026-2030", "name": f"Pillar {p}"} for p in ("P1", "P2", "P3")]


@pytest.fixture
def two_versions(tmp_path):
    """Version 1 as of 2026-03-31 and version 2 as of 2026-09-30 of one store, with cursors."""
    store = FolderStore(tmp_path / "store")
    before = {
        "groups": [group("A", name="Health"), group("B", name="Education"), group("C", name="Trade"),
                   group("D", name="Mine action"), group("OLD", name="Old task force")],
        "meetings": [meeting("M1", "A", "2026-03-01"), meeting("M2", "B", "2025-08-01"),
                     meeting("M3", "C", "2026-02-01")],
        "recommendations": _recs(),
        "actions": [_action("X1", "in_progress"), _action("X2", "not_started", due="2026-06-01"),
                    _action("X3", "not_started"), _action("X4", "done"), _action("X5", "in_progress")],
        "pillars": _pillars(),
        "alignment": [{"group_id": "A", "pillar_id": "P1"}, {"group_id": "B", "pillar_id": "P2"},
                      {"group_id": "C", "pillar_id": "P3"}],
    }
    after = {
        "groups": [group("A", name="Health and nutrition"), group("B", name="Education"), group("C", name="Trade"),
                   group("D", name="Mine action"), group("NEW", name="Climate task force", kind="task_force")],
        "meetings": before["meetings"] + [meeting("M4", "B", "2026-09-01"), meeting("M5", "D", "2026-08-15"),
                                          meeting("M6", "A", "2026-05-01")],
        "recommendations": _recs(),
        "actions": [_action("X1", "done"), _action("X2", "not_started", due="2026-06-01"),
                    _action("X4", "done"), _action("X5", "in_progress"), _action("X6", "done")],
        "pillars": _pillars(),
        "alignment": before["alignment"],
    }
    v1 = _publish(store, tmp_path / "e1", before, "2026-03-31")
    v2 = _publish(store, tmp_path / "e2", after, "2026-09-30")
    dbs = [Database(v1), Database(v2)]
    yield store, v1, v2, dbs[0].cursor(), dbs[1].cursor()
    for db in dbs:
        db.close()


def test_changes_name_every_group_action_and_pillar_that_changed(two_versions):
    store, v1, v2, c1, c2 = two_versions
    ch = history.changes(c1, v1, c2, v2)
    doc = ch.doc()
    assert doc["from"] == {"version": 1, "as_of": "2026-03-31"} and doc["to"] == {"version": 2, "as_of": "2026-09-30"}
    g = doc["groups"]
    assert (g["added"], g["removed"], g["renamed"]) == (["NEW"], ["OLD"], ["A"])
    # at 2026-03-31: A active, B at risk (Aug 2025), C active, D dormant (never met)
    # at 2026-09-30: A active (May), B active (Sep), C at risk (Feb), D active (Aug); NEW never met
    assert g["revived"] == ["D"] and g["became_dormant"] == []
    assert g["activity_changed"] == [{"group_id": "B", "from": "at_risk", "to": "active"},
                                     {"group_id": "C", "from": "active", "to": "at_risk"},
                                     {"group_id": "D", "from": "dormant", "to": "active"}]
    a = doc["actions"]
    assert (a["added"], a["removed"]) == (["X6"], ["X3"])
    assert a["done_since"] == ["X1", "X6"]  # done now, not done before (or not there)
    assert a["newly_overdue"] == ["X2"]  # due 2026-06-01: not yet overdue at 2026-03-31
    assert a["status_changed"] == [{"action_id": "X1", "from": "in_progress", "to": "done"}]
    # P1 (A), P2 (B) and P3 (C) all keep a functioning group: no gap opens or closes
    assert doc["pillars"] == {"gaps_opened": [], "gaps_closed": []}
    assert not ch.nothing
    said = " ".join(ch.headlines())
    assert "1 group revived, 0 fell dormant, 2 actions done since 31 March 2026." in said


def test_a_pillar_gap_opens_when_its_last_functioning_group_falls_dormant_and_closes_when_one_revives(two_versions):
    store, v1, v2, c1, c2 = two_versions
    ch = history.changes(c1, v1, c2, v2, at_risk_months=1, dormant_months=3)
    # dormant after 3 months: at 2026-03-31 B (P2) is dormant; at 2026-09-30 A (P1, last met in May)
    # and C (P3, February) are, and B met in September
    assert ch.doc()["pillars"] == {"gaps_opened": ["P1", "P3"], "gaps_closed": ["P2"]}
    assert ch.doc()["groups"]["became_dormant"] == ["A", "C"]
    backwards = history.changes(c2, v2, c1, v1, at_risk_months=1, dormant_months=3).doc()
    assert backwards["pillars"] == {"gaps_opened": ["P2"], "gaps_closed": ["P1", "P3"]}
    assert backwards["groups"]["added"] == ["OLD"] and backwards["groups"]["removed"] == ["NEW"]


def test_a_version_compared_with_itself_changes_nothing(two_versions):
    store, v1, v2, c1, c2 = two_versions
    ch = history.changes(c2, v2, c2, v2)
    assert ch.nothing
    assert all(not v for part in ("groups", "actions", "pillars") for v in ch.doc()[part].values())


def test_an_action_removed_and_re_added_shows_both_steps_in_its_history(tmp_path):
    store = FolderStore(tmp_path / "store")
    base = {"groups": [group("A")], "meetings": [meeting("M1", "A", "2026-01-05")], "recommendations": _recs()}
    for i, actions in enumerate([[_action("X1", "not_started"), _action("X2", "in_progress")],
                                 [_action("X1", "in_progress"), _action("X2", "in_progress")],
                                 [_action("X2", "done")],
                                 [_action("X1", "in_progress"), _action("X2", "done")],
                                 [_action("X1", "done"), _action("X2", "done")]], start=1):
        _publish(store, tmp_path / f"e{i}", {**base, "actions": actions}, f"2026-0{i}-28")
    steps = history.status_steps(store.versions())
    x1 = steps[steps["action_id"] == "X1"]
    assert x1["version"].tolist() == [1, 2, 3, 4, 5]
    assert x1["status"].tolist() == ["not_started", "in_progress", None, "in_progress", "done"]
    x2 = steps[steps["action_id"] == "X2"]
    assert x2[["version", "status"]].values.tolist() == [[1, "in_progress"], [3, "done"]]
    said = history.status_histories(store.versions())
    day = store.get(3).published_on.isoformat()
    assert said["X1"].startswith("not started since version 1 (published ")
    assert f"removed in version 3 (published {day}), back in version 4" in said["X1"]
    assert said["X1"].endswith(f"done in version 5 (published {day})")
    assert said["X2"] == f"in progress since version 1 (published {day}), done in version 3 (published {day})"


def test_a_version_without_a_table_leaves_its_lists_unknown_not_empty(two_versions, tmp_path):
    store, v1, v2, c1, c2 = two_versions
    bare = _publish(store, tmp_path / "bare", {"groups": [group("A", name="Health and nutrition")],
                                               "meetings": [meeting("M1", "A", "2026-09-01")]}, "2026-10-31")
    db = Database(bare)
    try:
        ch = history.changes(c2, v2, db.cursor(), bare)
    finally:
        db.close()
    doc = ch.doc()
    assert doc["actions"] == {"added": [], "removed": [], "done_since": [], "newly_overdue": [], "status_changed": [],
                                 "replaced": []}
    assert doc["pillars"] == {"gaps_opened": [], "gaps_closed": []}
    assert doc["groups"]["removed"] == ["B", "C", "D", "NEW"]  # groups are always compared
    assert ch.notes == ["Version 3 has no recommendations or actions table: actions are not compared.",
                        "Version 3 has no pillars or alignment table: pillars are not compared."]
    said = " ".join(ch.headlines())
    assert "actions done" not in said and "No pillar" not in said
    db = Database(bare)
    try:  # the other way round, with the plan named: the earlier version lacks it
        notes = history.changes(db.cursor(), bare, c2, v2, plan="10th NSEDP 2026-2030").notes
    finally:
        db.close()
    assert notes[1] == "Version 3 has no pillars of the 10th NSEDP 2026-2030 (or no alignment table): pillars are not compared."


def test_status_histories_name_each_versions_own_publication_day(tmp_path):
    store = FolderStore(tmp_path / "store")
    base = {"groups": [group("A")], "meetings": [meeting("M1", "A", "2026-01-05")], "recommendations": _recs()}
    for i, status in enumerate(["not_started", "in_progress", "done"], start=1):
        _publish(store, tmp_path / f"e{i}", {**base, "actions": [_action("X1", status)]}, f"2026-0{i}-28")
    days = {1: "2025-11-19T03:00:00+00:00", 2: "2026-03-02T03:00:00+00:00", 3: "2026-06-30T03:00:00+00:00"}
    versions = [Version(v.id, v.path, {**v.manifest, "published_at": days[v.id]}) for v in store.versions()]
    assert history.status_histories(versions)["X1"] == (
        "not started since version 1 (published 2025-11-19), in progress in version 2 (published 2026-03-02), "
        "done in version 3 (published 2026-06-30)")
    # the version compared with on a date: only those up to the later version, never the later one itself
    assert history.compared_with(versions, versions[2], D(2026, 3, 2)).id == 2
    with pytest.raises(history.NoSuchVersion, match="is version 2 itself"):
        history.compared_with(versions, versions[1], D(2026, 12, 1))
    assert history.compared_with(versions, versions[2]).id == 2  # no date: the one before


def _version(n: int, published_at: str) -> Version:
    return Version(n, Path(f"/nowhere/{n:06d}"), {"published_at": published_at, "as_of": "2026-01-01", "tables": {}})


def test_the_version_current_on_a_date_is_the_newest_published_by_the_end_of_that_day(monkeypatch):
    monkeypatch.setenv("SWGDASH_TIMEZONE", "Asia/Vientiane")
    vs = [_version(1, "2025-11-19T02:00:00+00:00"), _version(2, "2026-03-01T16:59:00+00:00"),
          _version(3, "2026-03-01T17:01:00+00:00")]  # 23:59 and 00:01 in Vientiane (UTC+7)
    assert history.version_on(vs, D(2025, 11, 19)).id == 1
    assert history.version_on(vs, D(2026, 3, 1)).id == 2
    assert history.version_on(vs, D(2026, 3, 2)).id == 3
    with pytest.raises(history.NoSuchVersion, match="2025-11-19"):
        history.version_on(vs, D(2025, 11, 18))
    assert history.previous(vs, vs[2]).id == 2 and history.previous(vs, vs[0]) is None
