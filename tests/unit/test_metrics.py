"""Every definition of the extract contract, at its boundaries."""
import datetime as dt

import pytest

from factories import group, meeting
from swgdash.present import sentences
from swgdash.query import metrics
from swgdash.query.metrics import Params, months_before

D = dt.date.fromisoformat
AS_OF = D("2026-10-31")


@pytest.mark.parametrize("day,n,expected", [
    ("2026-10-31", 6, "2026-04-30"),   # April has 30 days: clamped
    ("2026-10-31", 12, "2025-10-31"),
    ("2024-03-31", 1, "2024-02-29"),   # leap year
    ("2023-03-31", 1, "2023-02-28"),
    ("2026-01-15", 1, "2025-12-15"),   # across a year
    ("2026-05-20", 0, "2026-05-20"),
    ("2026-10-31", 24, "2024-10-31"),
])
def test_months_before(day, n, expected):
    assert months_before(D(day), n) == D(expected)


def activity_of(cur, **kw):
    df = metrics.group_activity(cur, Params(as_of=AS_OF, **kw))
    return dict(zip(df["group_id"], df["activity"], strict=True))


BOUNDARY = {
    "groups": [group("G6"), group("G6B"), group("G12"), group("G12B"), group("NEVER"),
               group("MERGED", status="merged"), group("DISC", status="discontinued"),
               group("FUTURE", established_on="2026-11-01"), group("TODAY", established_on="2026-10-31"),
               group("AFTER")],
    "meetings": [
        meeting("m1", "G6", "2026-04-30"),      # exactly 6 months before: active
        meeting("m2", "G6B", "2026-04-29"),     # a day earlier: at risk
        meeting("m3", "G12", "2025-10-31"),     # exactly 12 months before: at risk
        meeting("m4", "G12B", "2025-10-30"),    # a day earlier: dormant
        meeting("m5", "MERGED", "2026-10-01"),
        meeting("m6", "DISC", "2026-10-01"),
        meeting("m7", "FUTURE", "2026-10-01"),
        meeting("m8", "AFTER", "2026-11-15"),   # after as_of: does not count
        meeting("m9", "AFTER", "2025-06-01"),
        meeting("m10", "TODAY", "2026-10-31"),  # on as_of itself: active
    ],
}


def test_activity_boundaries(tiny):
    act = activity_of(tiny(BOUNDARY))
    assert act == {"G6": "active", "G6B": "at_risk", "G12": "at_risk", "G12B": "dormant",
                   "NEVER": "dormant", "TODAY": "active", "AFTER": "dormant"}


def test_merged_discontinued_and_future_groups_do_not_count(tiny):
    act = activity_of(tiny(BOUNDARY))
    assert not {"MERGED", "DISC", "FUTURE"} & set(act)


def test_group_established_on_as_of_counts(tiny):
    assert "TODAY" in activity_of(tiny(BOUNDARY))


def test_last_meeting_ignores_meetings_after_as_of(tiny):
    df = metrics.group_activity(tiny(BOUNDARY), Params(as_of=AS_OF)).set_index("group_id")
    assert df.loc["AFTER", "last_meeting"].date() == D("2025-06-01")
    assert df.loc["AFTER", "meetings_12m"] == 0
    assert df.loc["G12", "meetings_12m"] == 1      # both window ends included
    assert df.loc["G12B", "meetings_12m"] == 0
    assert df.loc["NEVER", "meetings_12m"] == 0
    assert df["last_meeting"].isna()["NEVER"]
    assert df.loc["G6", "days_since_last"] == (AS_OF - D("2026-04-30")).days


def test_as_of_between_meetings_changes_activity(tiny):
    cur = tiny({"groups": [group("G")],
                "meetings": [meeting("a", "G", "2024-01-10"), meeting("b", "G", "2025-03-01")]})
    def at(day):
        return metrics.group_activity(cur, Params(as_of=D(day))).set_index("group_id").loc["G"]
    assert at("2024-06-01")["activity"] == "active"
    assert at("2024-12-01")["activity"] == "at_risk"
    assert at("2025-02-28")["activity"] == "dormant"    # 13+ months after the first, before the second
    assert at("2025-02-28")["last_meeting"].date() == D("2024-01-10")
    assert at("2025-03-01")["activity"] == "active"
    assert at("2023-12-31")["activity"] == "dormant"    # before any meeting: never met yet


def test_user_thresholds(tiny):
    cur = tiny(BOUNDARY)
    act = activity_of(cur, at_risk_months=3, dormant_months=6)
    assert act["G6"] == "at_risk"        # 6 months ago: inside the 6-month dormant window
    assert act["G6B"] == "dormant"
    assert act["G12"] == "dormant"
    with pytest.raises(ValueError):
        Params(as_of=AS_OF, at_risk_months=12, dormant_months=6)
    with pytest.raises(ValueError):
        Params(as_of=AS_OF, at_risk_months=0)


def test_meetings_12m_is_always_twelve_months(tiny):
    cur = tiny(BOUNDARY)
    df = metrics.group_activity(cur, Params(as_of=AS_OF, at_risk_months=2, dormant_months=3))
    assert df.set_index("group_id").loc["G12", "meetings_12m"] == 1


def test_meeting_totals_windows(tiny):
    cur = tiny({"groups": [group("G")], "meetings": [
        meeting("a", "G", "2026-10-31"), meeting("b", "G", "2025-10-31"),   # both in last 12m
        meeting("c", "G", "2025-10-30"), meeting("d", "G", "2024-10-31"),   # previous 12m
        meeting("e", "G", "2024-10-30"), meeting("f", "G", "2026-11-01")]})  # neither
    assert metrics.meeting_totals(cur, Params(as_of=AS_OF)) == {"last_12m": 2, "previous_12m": 2, "not_counted_12m": 0}


PILLARS = {
    "groups": [group("A"), group("B"), group("C"), group("D", status="discontinued")],
    "meetings": [meeting("1", "A", "2026-10-01"), meeting("2", "B", "2026-01-01"),
                 meeting("3", "D", "2026-10-01")],  # C never met: dormant; D does not count
    "pillars": [{"plan": "9th NSEDP 2021-2025", "pillar_id": "P1", "name": "Growth"},
                {"plan": "9th NSEDP 2021-2025", "pillar_id": "P2", "name": "People"},
                {"plan": "9th NSEDP 2021-2025", "pillar_id": "P3", "name": "Nobody"},
                {"plan": "10th NSEDP 2026-2030", "pillar_id": "Q1", "name": "Economy"}],
    "alignment": [{"group_id": "A", "pillar_id": "P1", "primary": "true"},
                  {"group_id": "B", "pillar_id": "P1"},
                  {"group_id": "C", "pillar_id": "P2"},
                  {"group_id": "D", "pillar_id": "P2"},
                  {"group_id": "B", "pillar_id": "Q1"}],
}


def test_pillar_functioning_groups_and_gaps(tiny):
    cov = metrics.pillar_coverage(tiny(PILLARS), Params(as_of=AS_OF)).set_index("pillar_id")
    assert cov.loc["P1", ["groups", "functioning_groups"]].tolist() == [2, 2]
    assert cov.loc["P2", ["groups", "functioning_groups"]].tolist() == [1, 0]  # dormant only; D not counting
    assert cov.loc["P3", ["groups", "functioning_groups"]].tolist() == [0, 0]
    assert cov["gap"].to_dict() == {"P1": False, "P2": True, "P3": True, "Q1": False}


def test_plan_filter_and_unaligned(tiny):
    cur = tiny(PILLARS)
    cov = metrics.pillar_coverage(cur, Params(as_of=AS_OF, plan="10th NSEDP 2026-2030"))
    assert cov["pillar_id"].tolist() == ["Q1"]
    un = metrics.unaligned_groups(cur, Params(as_of=AS_OF, plan="10th NSEDP 2026-2030"))
    assert un["group_id"].tolist() == ["A", "C"]
    assert metrics.unaligned_groups(cur, Params(as_of=AS_OF, plan="9th NSEDP 2021-2025")).empty


@pytest.mark.parametrize("as_of,expected", [
    ("2023-05-01", "9th NSEDP 2021-2025"), ("2026-01-01", "10th NSEDP 2026-2030"),
    ("2035-01-01", "10th NSEDP 2026-2030"), ("2019-01-01", "10th NSEDP 2026-2030"),
])
def test_default_plan(as_of, expected):
    plans = ["10th NSEDP 2026-2030", "9th NSEDP 2021-2025"]
    got = metrics.default_plan(plans, D(as_of))
    assert got == expected if as_of != "2019-01-01" else got == plans[0]
    assert metrics.default_plan([], D(as_of)) is None


ACTIONS = {
    "groups": [group("A"), group("B")],
    "meetings": [],
    "recommendations": [{"rec_id": "R1", "title": "Keep only functioning groups"},
                        {"rec_id": "R2", "title": "Nothing yet"}],
    "actions": [
        {"action_id": "1", "rec_id": "R1", "description": "x", "status": "in_progress", "due_on": "2026-10-30"},
        {"action_id": "2", "rec_id": "R1", "description": "x", "status": "not_started", "due_on": "2026-10-31"},
        {"action_id": "3", "rec_id": "R1", "description": "x", "status": "done", "due_on": "2020-01-01"},
        {"action_id": "4", "rec_id": "R1", "description": "x", "status": "dropped", "due_on": "2020-01-01"},
        {"action_id": "5", "rec_id": "R1", "description": "x", "status": "not_started"},
        {"action_id": "6", "rec_id": "R1", "description": "x", "status": "not_started",
         "due_on": "2026-01-01", "group_id": "B"},
    ],
}


def test_overdue_actions(tiny):
    acts = metrics.actions(tiny(ACTIONS), Params(as_of=AS_OF)).set_index("action_id")
    # due the day before as_of and open: overdue; due on as_of: not yet; done/dropped/no date: never
    assert acts["overdue"].to_dict() == {"1": True, "2": False, "3": False, "4": False, "5": False, "6": True}
    assert acts.loc["1", "days_overdue"] == 1


def test_recommendation_followup_and_share_done(tiny):
    cur = tiny(ACTIONS)
    fu = metrics.recommendation_followup(cur, Params(as_of=AS_OF)).set_index("rec_id")
    assert fu.loc["R1", ["actions", "done", "overdue", "dropped"]].tolist() == [6, 1, 2, 1]
    assert fu.loc["R2", ["actions", "done", "overdue"]].tolist() == [0, 0, 0]
    assert metrics.share_done(fu.reset_index()) == pytest.approx(1 / 5)
    only_b = metrics.recommendation_followup(cur, Params(as_of=AS_OF, groups=("B",))).set_index("rec_id")
    assert only_b.loc["R1", ["actions", "overdue"]].tolist() == [1, 1]


def test_share_done_with_no_actions(tiny):
    fu = metrics.recommendation_followup(tiny({**ACTIONS, "actions": []}), Params(as_of=AS_OF))
    assert metrics.share_done(fu) is None


def test_filter_groups_with_and_without_subgroups(tiny):
    cur = tiny({"groups": [group("S"), group("S1", kind="sub_swg", parent_id="S"),
                           group("S1a", kind="task_force", parent_id="S1"), group("T")],
                "meetings": []})
    g = metrics.groups_all(cur)
    assert metrics.filter_groups(g, "S") == ("S", "S1", "S1a")
    assert metrics.filter_groups(g, "S", include_subgroups=False) == ("S",)
    assert metrics.filter_groups(g, None) is None
    assert dict(zip(g["group_id"], g["root_id"], strict=True)) == {"S": "S", "S1": "S", "S1a": "S", "T": "T"}


def test_planned_vs_actual(tiny):
    cur = tiny({"groups": [group("A", planned_meetings_per_year=4), group("B")],
                "meetings": [meeting("1", "A", "2026-10-01")]})
    pva = metrics.planned_vs_actual(metrics.group_activity(cur, Params(as_of=AS_OF)))
    assert pva.to_dict("records") == [{"group_id": "A", "name": "Group A", "activity": "active",
                                       "planned": 4, "actual": 1, "shortfall": 3}]


def test_overview_without_optional_tables(tiny):
    ov = metrics.overview(tiny(BOUNDARY), Params(as_of=AS_OF))
    assert ov.counting == 7
    assert ov.activity == {"active": 2, "at_risk": 2, "dormant": 3}
    assert ov.pillar_gaps is None and ov.overdue is None and ov.share_done is None
    assert sorted(ov.dormant_groups["group_id"]) == ["AFTER", "G12B", "NEVER"]


def test_meetings_by_period_filters(tiny):
    cur = tiny({"groups": [group("A")], "meetings": [
        meeting("1", "A", "2026-10-01", format="donors_only", level="technical"),
        meeting("2", "A", "2026-10-20"), meeting("3", "A", "2026-07-01", level="minister")]})
    p = Params(as_of=AS_OF)
    by_month = metrics.meetings_by_period(cur, p, "month")
    assert by_month["meetings"].sum() == 3 and len(by_month) == 2
    q = metrics.meetings_by_period(cur, p, "quarter")
    assert dict(zip(q["period"].astype(str), q["meetings"], strict=True)) == {"2026-07-01": 1, "2026-10-01": 2}
    joint = metrics.meetings_by_period(cur, p, "month", formats=("joint",))
    assert joint["meetings"].sum() == 2     # an empty format counts as joint (the default)
    tech = metrics.meetings_by_period(cur, p, "month", levels=("technical",))
    assert tech["meetings"].sum() == 1


def test_action_filters(tiny):
    cur = tiny({**ACTIONS, "actions": [dict(a, owner="DIC/MPI" if int(a["action_id"]) % 2 else None)
                                       for a in ACTIONS["actions"]]})
    p = Params(as_of=AS_OF)
    assert metrics.actions(cur, p, owners=("DIC/MPI",))["action_id"].tolist() == ["1", "3", "5"]
    assert metrics.actions(cur, p, owners=("",))["action_id"].tolist() == ["2", "4", "6"]
    assert metrics.actions(cur, p, statuses=("done", "dropped"))["action_id"].tolist() == ["3", "4"]
    assert metrics.actions(cur, p, action_groups=("B",))["action_id"].tolist() == ["6"]
    fu = metrics.recommendation_followup(cur, p, statuses=("not_started",)).set_index("rec_id")
    assert fu.loc["R1", ["actions", "not_started", "overdue"]].tolist() == [3, 3, 1]


@pytest.mark.parametrize("copies,which", [(1, "not_active"), (1, "all"), (6, "not_active"), (6, "all")])
def test_the_timeline_asks_only_for_the_meetings_it_draws(tmp_path, demo_db, copies, which):
    """/dormant's timeline shows the first CHART_ROWS of its groups by name: its meetings are
    theirs, the same rows as the full list holds for them (at the demo, the full list)."""

    import pandas as pd

    from bench.generate import generate
    from swgdash.ingest.validate import validate_paths
    from swgdash.present import charts
    from swgdash.query.db import Database
    from swgdash.store import FolderStore

    if copies == 1:
        db = demo_db
    else:
        generate(copies, tmp_path / "x")
        db = Database(FolderStore(tmp_path / "s").publish(validate_paths([tmp_path / "x"]), dt.date(2026, 10, 31)))
    cur = db.cursor()
    p = Params(as_of=dt.date(2026, 10, 31))
    names = metrics.timeline_groups(metrics.group_activity(cur, p), metrics.display_names(metrics.groups_all(cur)),
                                    which)
    shown = metrics.chart_rows(names)
    everything = metrics.meeting_list(cur, p, months=60)
    got = metrics.timeline_meetings(cur, p, months=60, which=which)
    if len(names) <= metrics.CHART_ROWS:
        assert copies == 1 and len(shown) == len(names)
        pd.testing.assert_frame_equal(got, everything)
    else:
        assert copies == 6 and len(shown) == metrics.CHART_ROWS == charts.MAX_ROWS
        assert set(got["group_id"]) <= set(shown) and len(got) < len(everything)
        pd.testing.assert_frame_equal(got, everything[everything["group_id"].isin(shown)].reset_index(drop=True))
    fig = charts.meeting_timeline(got, names, months_before(p.as_of, 60), p.as_of)
    rows = fig.layout.yaxis.categoryarray
    assert len(rows) == len(shown)
    assert sum(len(t.x) for t in fig.data) == got["group_id"].isin(shown).sum() > 0  # every mark it asked for
    if copies != 1:
        db.close()


@pytest.mark.parametrize("as_of,expected", [
    ("2026-10-31", []),                                    # the published date, records long enough
    ("2026-11-01", ["after the date the data were published for"]),
    ("2025-01-15", []),                                    # 12-month window starts on the first meeting
    ("2025-01-16", []),
    ("2025-01-14", ["records start on 15 January 2024"]),  # the window starts one day before the records
    ("2023-06-30", ["No meeting is recorded before 15 January 2024"]),  # before the records: no "less than 12 months before"
])
def test_as_of_caveats_at_their_boundaries(tiny, as_of, expected):
    cur = tiny({"groups": [group("G")], "meetings": [meeting("m1", "G", "2024-01-15"), meeting("m2", "G", "2026-09-01")]})
    found = sentences.as_of_caveats(cur, Params(as_of=D(as_of)), published=D("2026-10-31"))
    assert len(found) == len(expected) and all(e in f for e, f in zip(expected, found, strict=True)), found


def test_as_of_caveats_follow_the_dormancy_threshold_and_cope_with_no_meetings(tiny):
    cur = tiny({"groups": [group("G")], "meetings": [meeting("m1", "G", "2024-01-15")]})
    assert sentences.as_of_caveats(cur, Params(as_of=D("2025-01-15"), dormant_months=12), D("2026-10-31")) == []
    assert len(sentences.as_of_caveats(cur, Params(as_of=D("2025-01-15"), at_risk_months=6, dormant_months=13),
                                     D("2026-10-31"))) == 1
    empty = tiny({"groups": [group("G")], "meetings": []})
    assert sentences.as_of_caveats(empty, Params(as_of=D("2026-10-31")), D("2026-10-31")) == []


def test_status_caveat_only_for_another_date():
    assert sentences.status_caveat(D("2026-10-31"), D("2026-10-31")) is None
    assert "not as they stood on 30 June 2024" in sentences.status_caveat(D("2024-06-30"), D("2026-10-31"))


@pytest.mark.parametrize("as_of,unit,partial", [
    ("2026-12-31", "quarter", False), ("2026-09-30", "quarter", False), ("2026-10-31", "quarter", True),
    ("2026-10-31", "month", False), ("2026-10-30", "month", True), ("2026-03-31", "quarter", False),
    ("2026-04-01", "quarter", True), ("2024-02-29", "month", False)])
def test_partial_period_when_the_last_one_is_not_over(as_of, unit, partial):
    text = sentences.partial_period(D(as_of), unit)
    assert bool(text) is partial and (not partial or f"last {unit}" in text)


def test_heatmap_rows_are_the_counting_groups():
    """A row for every counting group, blank when it did not meet; a group that no longer counts has
    no row (its meetings are in no total: issue 21, where 36 rows stood under '... of 34 groups')."""
    import pandas as pd

    by = pd.DataFrame({"group_id": ["B", "B"]})
    act = pd.DataFrame({"group_id": ["A", "B"]})
    assert metrics.heatmap_rows(by, act, None) == ["A", "B"]   # A: no meeting
    assert metrics.heatmap_rows(by, act, ("B", "C")) == ["B"]   # C does not count


def test_why_a_group_does_not_count_and_meetings_since():
    import pandas as pd

    assert sentences.why_not_counting({"status": "merged", "not_counting": "status_merged"}) == "its status is merged"
    assert sentences.why_not_counting({"status": "active", "established_on": pd.Timestamp("2027-01-15"),
                                     "not_counting": "established_later"}
                                    ) == "it was established on 15 January 2027, after that date"
    assert sentences.why_not_counting({"status": "active", "closed_on": pd.Timestamp("2026-06-30"),
                                     "not_counting": "closed"}) == "it closed on 30 June 2026"
    m = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2020-01-02", "2021-05-01"])})
    assert metrics.meetings_since(m, D("2020-01-02")) == 2 and metrics.meetings_since(m.head(0), AS_OF) == 0


@pytest.mark.parametrize("value,missing", [
    (None, True), (float("nan"), True), ("", False), ("x", False), (0, False), (False, False), (0.0, False),
    (dt.date(2026, 1, 1), False), (dt.datetime(2026, 1, 1), False)])
def test_is_missing_answers_plain_values_without_pandas(value, missing):
    from swgdash.fmt import is_missing

    assert is_missing(value) is missing


def test_is_missing_knows_pandas_own_missing_values():
    import numpy as np
    import pandas as pd

    from swgdash.fmt import is_missing

    assert is_missing(pd.NaT) and is_missing(pd.NA) and is_missing(np.float64("nan")) and is_missing(np.datetime64("NaT"))
    assert not is_missing(pd.Timestamp("2026-01-01")) and not is_missing(np.int64(0))
