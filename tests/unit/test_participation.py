"""Issue 4's definitions: memberships, active development partners, documents,
minutes, planned ratio, donor load and attendance, at their boundaries."""
import datetime as dt

import pytest

from factories import group, meeting
from swgdash.query import metrics
from swgdash.query.metrics import Params

D = dt.date.fromisoformat
AS_OF = D("2026-10-31")


def member(gid, org, role, org_type="development_partner", start=None, end=None):
    return {"group_id": gid, "organisation": org, "org_type": org_type, "role": role,
            "start_on": start, "end_on": end}


MEMBERS = {
    "groups": [group("A", planned_meetings_per_year=4), group("B", planned_meetings_per_year=0),
               group("C"), group("OLD", status="discontinued")],
    "meetings": [
        meeting("m1", "A", "2026-10-01", minutes_published="true", agenda_sent_on="2026-09-24"),   # 7 days
        meeting("m2", "A", "2026-06-01", minutes_published="false", agenda_sent_on="2026-05-26"),  # 6 days
        meeting("m3", "A", "2026-01-01", format="donors_only", level="minister"),                  # minutes unknown
        meeting("m4", "A", "2025-10-30", minutes_published="true"),                                # outside 12 months
        meeting("m5", "B", "2026-05-01", level="technical"),
        meeting("m6", "OLD", "2026-05-01"),
    ],
    "members": [
        member("A", "Japan", "co_chair", start="2026-10-31"),           # starts on as_of: covers
        member("A", "WHO", "focal_point", end="2026-10-31"),            # ends on as_of: covers
        member("A", "UNICEF", "active", end="2026-10-30"),              # ended the day before: no
        member("A", "KOICA", "active", start="2026-11-01"),             # starts the day after: no
        member("A", "EU", "attending"),                                 # not an active role
        member("A", "Ministry of Health", "chair", org_type="government"),  # not a DP
        member("A", "Japan", "active"),                                 # same DP twice: counted once
        member("B", "Japan", "focal_point"),
        member("OLD", "Japan", "co_chair"),                             # group does not count
        member("C", "ADB", "informed"),
    ],
    "attendance": [
        {"meeting_id": "m1", "organisation": "Japan", "present": "yes"},
        {"meeting_id": "m2", "organisation": "Japan", "present": "no"},
        {"meeting_id": "m3", "organisation": "Japan"},                  # present defaults to true
        {"meeting_id": "m4", "organisation": "Japan", "present": "no"},  # outside the window
        {"meeting_id": "m1", "organisation": "WHO", "present": "no"},
    ],
    "documents": [
        {"group_id": "A", "doc_type": "tor", "year": 2012},
        {"group_id": "A", "doc_type": "workplan", "year": 2026},
        {"group_id": "A", "doc_type": "annual_report", "year": 2025},
        {"group_id": "B", "doc_type": "workplan", "year": 2025},          # not the as_of year
        {"group_id": "B", "doc_type": "annual_report", "year": 2026},     # not the year before
    ],
}


@pytest.fixture
def cur(tiny):
    return tiny(MEMBERS)


def practice(cur, **kw):
    return metrics.group_practice(cur, Params(as_of=AS_OF), **kw).set_index("group_id")


def test_active_dps_counts_distinct_dps_in_active_roles_covering_as_of(cur):
    g = practice(cur)
    assert g.loc["A", "active_dps"] == 2          # Japan and WHO
    assert g.loc["B", "active_dps"] == 1
    assert g.loc["C", "active_dps"] == 0          # informed is not an active role
    assert "OLD" not in g.index


def test_gap_and_duplication_thresholds(cur):
    g = practice(cur)
    assert g["dp_gap"].to_dict() == {"A": False, "B": True, "C": True}
    assert not g["dp_duplication"].any()
    g = practice(cur, gap_below=1, duplication_above=1)
    assert g["dp_gap"].to_dict() == {"A": False, "B": False, "C": True}
    assert g["dp_duplication"].to_dict() == {"A": True, "B": False, "C": False}


def test_documents(cur):
    g = practice(cur)
    assert g.loc["A", ["has_tor", "workplan_current", "annual_report_previous"]].tolist() == [True, True, True]
    assert g.loc["B", ["has_tor", "workplan_current", "annual_report_previous"]].tolist() == [False, False, False]


def test_minutes_share_and_planned_ratio(cur):
    g = practice(cur)
    assert g.loc["A", "minutes_share_12m"] == 0.5     # 1 of the 2 where it is known
    assert g.loc["A", "planned_ratio"] == 0.75        # 3 meetings / 4 planned
    assert g.loc["A", "agenda_7d_share_12m"] == 0.5   # exactly 7 days counts, 6 does not
    assert (g.loc["A", "joint_12m"], g.loc["A", "donors_only_12m"]) == (2, 1)
    assert g.loc["A", "highest_level_12m"] == "minister"
    assert g["minutes_share_12m"].isna()["B"]         # none known: null
    assert g["planned_ratio"].isna()["B"]             # planned 0: null
    assert g["planned_ratio"].isna()["C"]             # not planned: null
    assert g.loc["B", "highest_level_12m"] == "technical"


def test_organisation_load(cur):
    o = metrics.organisation_load(cur, Params(as_of=AS_OF)).set_index("organisation")
    assert sorted(o.index) == ["ADB", "EU", "Japan", "KOICA", "UNICEF", "WHO"]   # DPs only
    assert o.loc["Japan", ["active_groups", "chair_roles"]].tolist() == [2, 2]   # A and B; OLD not counting
    assert o.loc["WHO", ["active_groups", "chair_roles"]].tolist() == [1, 1]
    assert o.loc["UNICEF", ["active_groups", "chair_roles"]].tolist() == [0, 0]
    assert o.loc["Japan", "attendance_rate_12m"] == pytest.approx(2 / 3)      # m1 yes, m2 no, m3 default yes
    assert o.loc["WHO", "attendance_rate_12m"] == 0
    assert o["attendance_rate_12m"].isna()["ADB"]
    assert not o["over_cap"].any()
    assert metrics.organisation_load(cur, Params(as_of=AS_OF), cap=1).set_index("organisation")["over_cap"]["Japan"]


def test_unknown_when_tables_are_missing(tiny):
    cur = tiny({"groups": [group("A")], "meetings": []})
    g = practice(cur)
    assert g.loc["A", "active_dps"] is None and g.loc["A", "has_tor"] is None and g.loc["A", "dp_gap"] is None
    doc = metrics.summary(cur, Params(as_of=AS_OF))
    assert doc["organisations"] == []
    assert doc["groups"][0]["active_dps"] is None and doc["groups"][0]["has_tor"] is None


def test_summary_carries_the_new_keys_rounded(cur):
    doc = metrics.summary(cur, Params(as_of=AS_OF))
    a = {g["group_id"]: g for g in doc["groups"]}["A"]
    assert {k: a[k] for k in ("active_dps", "has_tor", "workplan_current", "annual_report_previous",
                              "minutes_share_12m", "planned_ratio")} == {
        "active_dps": 2, "has_tor": True, "workplan_current": True, "annual_report_previous": True,
        "minutes_share_12m": 0.5, "planned_ratio": 0.75}
    japan = {o["organisation"]: o for o in doc["organisations"]}["Japan"]
    assert japan == {"organisation": "Japan", "active_groups": 2, "chair_roles": 2, "attendance_rate_12m": 0.6667}


def test_roles_are_each_partners_highest_role_covering_as_of_in_counting_groups(cur):
    d = metrics.declared_vs_actual(cur, Params(as_of=AS_OF))
    assert list(zip(d["group_id"], d["organisation"], d["role"], strict=True)) == [   # in group name, partner order
        ("A", "EU", "attending"), ("A", "Japan", "co_chair"),   # co_chair outranks Japan's active role
        ("A", "WHO", "focal_point"), ("B", "Japan", "focal_point"), ("C", "ADB", "informed")]
    a = d[d["group_id"] == "A"].set_index("organisation")
    assert a.loc["Japan", ["meetings_12m", "present_12m"]].tolist() == [3, 2]   # m1, m3 present; m2 absent
    assert a.loc["WHO", "presence_12m"] == 0 and a.loc["WHO", "rarely_present"]
    assert not a.loc["EU", "rarely_present"]   # attending is not an active role
    only_b = metrics.declared_vs_actual(cur, Params(as_of=AS_OF, groups=("B",)))
    assert only_b["organisation"].tolist() == ["Japan"] and only_b["presence_12m"].isna().all()  # B: no attendance


def test_roles_without_an_attendance_table(tiny):
    d = metrics.declared_vs_actual(tiny({"groups": [group("A")], "meetings": [],
                                         "members": [member("A", "Japan", "active")]}), Params(as_of=AS_OF))
    assert d[["organisation", "role", "meetings_12m", "present_12m"]].values.tolist() == [["Japan", "active", 0, 0]]
    assert d["presence_12m"].isna().all() and not d["rarely_present"].any()


def test_meetings_without_attendance_rows_are_not_absences(tiny):
    cur = tiny({"groups": [group("A")],
                "meetings": [meeting("m1", "A", "2026-10-01"), meeting("m2", "A", "2026-09-01")],
                "members": [member("A", "Japan", "active")],
                "attendance": [{"meeting_id": "m1", "organisation": "Japan", "present": "yes"}]})
    d = metrics.declared_vs_actual(cur, Params(as_of=AS_OF)).set_index("organisation")
    assert (d.loc["Japan", "meetings_12m"], d.loc["Japan", "present_12m"]) == (1, 1)   # m2 has no attendance
    assert d.loc["Japan", "presence_12m"] == 1.0 and not d.loc["Japan", "rarely_present"]


def test_successor_is_any_later_term_in_the_same_role(tiny):
    cur = tiny({"groups": [group("A"), group("B")], "meetings": [],
                "members": [member("A", "Japan", "co_chair", start="2024-01-01", end="2027-06-30"),
                            member("A", "EU", "co_chair", start="2027-07-01"),
                            member("B", "ADB", "co_chair", start="2024-01-01", end="2027-06-30"),
                            member("B", "ADB", "focal_point", start="2027-07-01"),   # another role
                            member("B", "WHO", "co_chair", start="2025-01-01")]})  # started before as_of
    t = metrics.leadership_terms(cur, Params(as_of=AS_OF))
    cur_terms = t[t["current"]].set_index(["group_id", "organisation"])
    assert cur_terms.loc[("A", "Japan"), "successor_recorded"]
    assert not cur_terms.loc[("B", "ADB"), "successor_recorded"]
    assert cur_terms.loc[("A", "Japan"), "ends_within_12m"] and cur_terms.loc[("A", "Japan"), "ends_within_24m"] is not False
