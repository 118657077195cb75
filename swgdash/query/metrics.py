"""The figures of the extract contract's definitions, as plain functions.

Each function takes a `Cursor` (swgdash.query.db) and `Params` and returns a pandas
DataFrame or a dict; none needs Streamlit, so each is unit-tested directly.
The definitions themselves live in the named SQL (swgdash/sql/); the window
arithmetic (calendar months) lives here, in months_before.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pandas as pd

from swgdash.contract import ACTIVE_ROLES, ACTIVITIES
from swgdash.errors import BadDates, BadThresholds
from swgdash.fmt import is_missing
from swgdash.i18n import _
from swgdash.query.db import Cursor

CHART_ROWS = 60  # a chart with a row per group shows this many at most (swgdash.present.charts.MAX_ROWS)


def whole(text, low: int, high: int) -> int | None:
    """A whole number written with the digits 0-9 (at most six of them) from low to high, else None:
    '²' or '٣' or a number of 100,000 digits is not one (int() would take some, or fail)."""
    text = str(text if text is not None else "").strip()
    if not (1 <= len(text) <= 6 and text.isascii() and text.isdigit()):
        return None
    n = int(text)
    return n if low <= n <= high else None


@dataclass(frozen=True)
class Threshold:
    """A threshold a reader can change: its default, and the whole numbers it may take."""
    default: int
    low: int
    high: int

    def read(self, text) -> int | None:
        """The number written (`whole`), when it is within the bounds; else None."""
        return whole(text, self.low, self.high)

    def takes(self, value) -> bool:
        """Whether a control's value (a number, as the browser sends it) is one of the bounds' whole numbers."""
        return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
                and float(value).is_integer() and self.low <= value <= self.high)


# Every threshold's default and bounds, once: the sidebar and the address (swgdash.app.state), the
# command line (swgdash.cli), the participation page and the figures' defaults all read this table.
THRESHOLDS = {
    "at_risk_months": Threshold(6, 1, 60),  # active: met within this many months
    "dormant_months": Threshold(12, 1, 120),  # dormant: not met within this many months
    "gap_below": Threshold(2, 1, 20),  # a group's active development partners: too few below this
    "duplication_above": Threshold(6, 1, 50),  # too many above this
    "cap": Threshold(3, 1, 20),  # groups a development partner is active in before it is over the cap (Rwanda's rule)
}
PARTNER_CAP = THRESHOLDS["cap"].default
DP_GAP_BELOW, DP_DUPLICATION_ABOVE = THRESHOLDS["gap_below"].default, THRESHOLDS["duplication_above"].default


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, clamped to the month's
    last day (31 March minus one month is 28 or 29 February)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Params:
    """Everything a figure depends on besides the data version."""
    as_of: dt.date
    at_risk_months: int = THRESHOLDS["at_risk_months"].default
    dormant_months: int = THRESHOLDS["dormant_months"].default
    groups: tuple[str, ...] | None = None  # None: every group
    plan: str | None = None  # None: every plan

    def __post_init__(self):
        if not 1 <= self.at_risk_months <= self.dormant_months:
            raise BadThresholds(_("the at-risk window must be at least 1 month and no longer "
                                  "than the dormant window"))

    def sql(self, **extra) -> dict:
        return {
            "as_of": self.as_of,
            "start_active": months_before(self.as_of, self.at_risk_months),
            "start_dormant": months_before(self.as_of, self.dormant_months),
            "start_12": months_before(self.as_of, 12),
            "start_24": months_before(self.as_of, 24),
            "groups": list(self.groups) if self.groups is not None else None,
            "plan": self.plan,
            **extra,
        }


def groups_all(db: Cursor) -> pd.DataFrame:
    return db.query("groups_all")


def display_names(groups: pd.DataFrame) -> dict[str, str]:
    """group_id -> name to show; where two groups share a name, each gets its id added."""
    twice = set(groups["name"][groups["name"].duplicated(keep=False)])
    return {g: f"{n} ({g})" if n in twice else n
            for g, n in zip(groups["group_id"].tolist(), groups["name"].tolist(), strict=True)}


def group_activity(db: Cursor, p: Params) -> pd.DataFrame:
    """Counting groups with activity, last_meeting, meetings_12m, days_since_last."""
    return db.query("group_activity", **p.sql())


UPCOMING_DAYS = 90  # "upcoming meetings": the days after the as-of date they are listed for
CALENDAR_MONTHS = 12  # the calendar file keeps the meetings held in the months before the as-of date


def upcoming(db: Cursor, p: Params, days: int = UPCOMING_DAYS) -> pd.DataFrame:
    """Meetings of the counting groups planned from the as-of date to `days` after it (both days
    included): date, group_id, name, status (scheduled, cancelled, postponed), format, level."""
    return db.query("upcoming_meetings", **p.sql(until=p.as_of + dt.timedelta(days=days)))


def to_ask_about(activity: pd.DataFrame) -> pd.DataFrame:
    """The at-risk and dormant groups with no meeting scheduled on or after the as-of date: the
    ones the committee asks about (a group with its next meeting scheduled has said when)."""
    return activity[activity["activity"].isin(["at_risk", "dormant"]) & activity["next_meeting"].isna()]


def calendar_meetings(db: Cursor, p: Params, months: int = CALENDAR_MONTHS) -> pd.DataFrame:
    """What the calendar file holds (swgdash.present.ical): every meeting planned from `months` before the
    as-of date on, and the meetings held in those months, of the groups asked (every group:
    counting or not)."""
    return db.query("calendar_meetings", **p.sql(start=months_before(p.as_of, months)))


def activity_counts(activity: pd.DataFrame) -> dict[str, int]:
    counts = activity["activity"].value_counts()
    return {a: int(counts.get(a, 0)) for a in ACTIVITIES}


def meeting_totals(db: Cursor, p: Params) -> dict[str, int]:
    """Meetings of the counting groups in the last 12 months and the 12 before (so each total is
    the sum of its groups' rows), and `not_counted_12m`: meetings in the last 12 months that no
    figure counts (groups that do not count, or set aside as data problems; see not_counted)."""
    row = db.records("meeting_totals", **p.sql())[0]  # (plain rows: summary --json loads no pandas)
    apart = db.records("meetings_not_counted", **p.sql(start=months_before(p.as_of, 12)))
    return {"last_12m": int(row["last_12m"]), "previous_12m": int(row["previous_12m"]),
            "not_counted_12m": sum(int(r["meetings"]) for r in apart)}


def not_counted(db: Cursor, p: Params, months: int = 12) -> pd.DataFrame:
    """Meetings in the last `months` that no figure counts, per group and reason (a code of
    contract.CODE_WORDS["not_counted"]): group_id, name, reason, meetings, first_date, last_date."""
    return db.query("meetings_not_counted", **p.sql(start=months_before(p.as_of, months)))


def set_aside(db: Cursor, p: Params) -> pd.DataFrame:
    """Every meeting set aside as a data problem (whatever the date): meeting_id, group_id, name,
    date, reason (before its group was established, after it closed, after the upload day)."""
    return db.query("meetings_set_aside", **p.sql())


def meetings_by_period(db: Cursor, p: Params, unit: str = "month", months: int = 24,
                       formats: tuple[str, ...] | None = None,
                       levels: tuple[str, ...] | None = None) -> pd.DataFrame:
    if unit not in ("month", "quarter"):
        raise ValueError(unit)
    start = period_start(p.as_of, months, unit)  # whole months or quarters, none cut
    return db.query("meetings_by_period", **p.sql(unit=unit, start=start,
                                                   formats=_opt(formats), levels=_opt(levels)))


def meeting_list(db: Cursor, p: Params, months: int = 36, formats: tuple[str, ...] | None = None,
                 levels: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Meetings one by one in the last `months`; an empty level is 'not recorded'."""
    return db.query("meeting_list", **p.sql(start=months_before(p.as_of, months),
                                             formats=_opt(formats), levels=_opt(levels)))


def timeline_groups(act: pd.DataFrame, names: dict[str, str], which: str = "not_active") -> dict[str, str]:
    """The groups of /dormant's meeting timeline, with their names: 'not_active' (dormant and
    at risk) or 'all' counting groups of group_activity `act`."""
    chosen = act if which == "all" else act[act["activity"] != "active"]
    return {g: names.get(g, n) for g, n in zip(chosen["group_id"].tolist(), chosen["name"].tolist(), strict=True)}


def chart_rows(names: dict[str, str], limit: int = CHART_ROWS) -> list[str]:
    """The groups a chart with a row per group shows: the first `limit` by name."""
    return sorted(names, key=lambda g: names[g])[:limit]


def timeline_params(p: Params, names: dict[str, str]) -> Params:
    """What a meeting timeline of these groups asks meeting_list with: when it shows only the
    first CHART_ROWS of them, only their meetings (not every meeting of thousands of groups)."""
    shown = chart_rows(names)
    return p if len(shown) == len(names) else replace(p, groups=tuple(sorted(shown)))


def timeline_meetings(db: Cursor, p: Params, months: int = 60, which: str = "not_active") -> pd.DataFrame:
    """The meetings /dormant's timeline draws as the page opens (the page itself builds the
    same call from the group activity it already has)."""
    names = timeline_groups(group_activity(db, p), display_names(groups_all(db)), which)
    return meeting_list(db, timeline_params(p, names), months=months)


def planned_vs_actual(activity: pd.DataFrame) -> pd.DataFrame:
    """Counting groups with a planned frequency: planned per year vs meetings in 12 months."""
    df = activity[activity["planned_meetings_per_year"].notna()].copy()
    df["planned"] = df["planned_meetings_per_year"].astype(int)
    df["actual"] = df["meetings_12m"].astype(int)
    df["shortfall"] = (df["planned"] - df["actual"]).clip(lower=0)
    return df[["group_id", "name", "activity", "planned", "actual", "shortfall"]]


def plans(db: Cursor) -> list[str]:
    if not db.has("pillars"):
        return []
    return db.query("plans")["plan"].tolist()


Period = tuple[dt.date, dt.date]


def period_from_name(name: str) -> Period | None:
    """A plan's period from the years in its name ('9th NSEDP 2021-2025': 1 January 2021 to
    31 December 2025), or None."""
    m = re.search(r"(\d{4})\s*[-–]\s*(\d{4})", name or "")
    return (dt.date(int(m.group(1)), 1, 1), dt.date(int(m.group(2)), 12, 31)) if m else None


def plan_periods(db: Cursor) -> dict[str, Period]:
    """Each plan's period: its pillars' plan_start and plan_end where the extract gives them,
    else the years in its name; plans with neither are left out."""
    if not db.has("pillars"):
        return {}
    out = {}
    for r in db.records("plan_periods"):
        named = period_from_name(r["plan"])
        start = r["plan_start"] or (named[0] if named else None)
        end = r["plan_end"] or (named[1] if named else None)
        if start and end:
            out[r["plan"]] = (start, end)
    return out


def default_plan(plan_names: list[str], as_of: dt.date, periods: dict[str, Period] | None = None) -> str | None:
    """The plan whose period (`periods`, else the years in its name) covers as_of; else the
    latest plan that started before it; else the first."""
    if not plan_names:
        return None
    if periods is None:
        periods = {n: s for n in plan_names if (s := period_from_name(n))}
    spans = [(*periods[n], n) for n in plan_names if n in periods]
    for start, end, name in spans:
        if start <= as_of <= end:
            return name
    past = [s for s in spans if s[0] <= as_of]
    if past:
        return max(past)[2]
    return plan_names[0]


def pillar_coverage(db: Cursor, p: Params) -> pd.DataFrame:
    df = db.query("pillar_coverage", **p.sql())
    df["gap"] = df["functioning_groups"] == 0
    return df


def alignment_matrix(db: Cursor, p: Params) -> pd.DataFrame:
    return db.query("alignment_matrix", **p.sql())


def unaligned_groups(db: Cursor, p: Params) -> pd.DataFrame:
    return db.query("unaligned_groups", **p.sql())


def _action_filters(owners, statuses, action_groups) -> dict:
    """Optional filters of the follow-up views; '' stands for an empty owner or group."""
    return {"owners": _opt(owners), "statuses": _opt(statuses), "action_groups": _opt(action_groups)}


def actions(db: Cursor, p: Params, owners=None, statuses=None, action_groups=None) -> pd.DataFrame:
    """Follow-up actions with `overdue` (due before as_of, not started or in progress); an action
    of no group is named as cross-cutting."""
    df = db.query("actions", **p.sql(**_action_filters(owners, statuses, action_groups)))
    return df.assign(group_name=df["group_name"].astype(object).where(df["group_name"].notna(), _("(cross-cutting)")))


def recommendation_followup(db: Cursor, p: Params, owners=None, statuses=None,
                            action_groups=None) -> pd.DataFrame:
    """Per recommendation: actions, done, in_progress, not_started, dropped, overdue."""
    return db.query("recommendation_followup", **p.sql(**_action_filters(owners, statuses, action_groups)))


def share_done(followup: pd.DataFrame) -> float | None:
    """Share of actions done, leaving dropped ones out; None when no action counts."""
    total = int(followup["actions"].sum() - followup["dropped"].sum())
    return None if total == 0 else float(followup["done"].sum()) / total


def filter_groups(groups: pd.DataFrame, root_id: str | None, include_subgroups: bool = True
                  ) -> tuple[str, ...] | None:
    """Group ids selected by the sidebar's SWG filter; None means every group."""
    if not root_id:
        return None
    if not include_subgroups:
        return (root_id,)
    children: dict[str, list[str]] = {}
    for gid, parent in zip(groups["group_id"].tolist(), groups["parent_id"].tolist(), strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(gid)
    out, todo = [], [root_id]
    while todo:
        g = todo.pop()
        out.append(g)
        todo.extend(children.get(g, []))
    return tuple(sorted(out))


@dataclass
class Overview:
    counting: int
    activity: dict[str, int]
    meetings_12m: int
    meetings_prev_12m: int
    meetings_not_counted_12m: int  # of the last 12 months, in no figure (see not_counted)
    pillars: int | None
    pillar_gaps: int | None
    actions: int | None
    share_done: float | None
    overdue: int | None
    dormant_groups: pd.DataFrame = field(repr=False)
    gap_pillars: pd.DataFrame | None = field(repr=False)
    overdue_actions: pd.DataFrame | None = field(repr=False)


def overview(db: Cursor, p: Params) -> Overview:
    act = group_activity(db, p)
    totals = meeting_totals(db, p)
    cov = pillar_coverage(db, p) if db.has("pillars") and db.has("alignment") else None
    has_actions = db.has("recommendations") and db.has("actions")
    fu = recommendation_followup(db, p) if has_actions else None
    acts = actions(db, p) if has_actions else None
    return Overview(
        counting=len(act),
        activity=activity_counts(act),
        meetings_12m=totals["last_12m"],
        meetings_prev_12m=totals["previous_12m"],
        meetings_not_counted_12m=totals["not_counted_12m"],
        pillars=None if cov is None else len(cov),
        pillar_gaps=None if cov is None else int(cov["gap"].sum()),
        actions=None if fu is None else int(fu["actions"].sum()),
        share_done=None if fu is None else share_done(fu),
        overdue=None if acts is None else int(acts["overdue"].sum()),
        dormant_groups=act[act["activity"] == "dormant"],
        gap_pillars=None if cov is None else cov[cov["gap"]],
        overdue_actions=None if acts is None else acts[acts["overdue"]],
    )


def _opt(values):
    return None if values is None else list(values)


def _date(v) -> str | None:
    if isinstance(v, dt.date):
        return (v.date() if isinstance(v, dt.datetime) else v).isoformat()
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return pd.Timestamp(v).date().isoformat()


SUMMARY_GROUP_COLUMNS = ("group_id", "name", "kind", "parent_id", "activity", "last_meeting", "meetings_12m",
                         "active_dps", "has_tor", "workplan_current", "annual_report_previous", "minutes_share_12m",
                         "planned_ratio", "next_meeting")  # (of group_practice: what summary reads)


def summary(db: Cursor, p: Params, stream: bool = False) -> dict:
    """The `summary --json` document (keys are a public contract: extend, never rename).
    Built from plain rows (not DataFrames): at 40,000 groups the JSON is the work. With `stream`,
    "groups" is an iterator over the rows as they are read (the cursor kept open until it is
    used up): written out one after another, 40,000 groups are never held at once."""
    members, documents = db.has("members"), db.has("documents")
    groups = ({
        "group_id": g["group_id"], "name": g["name"], "kind": g["kind"], "parent_id": g["parent_id"],
        "activity": g["activity"], "last_meeting": _date(g["last_meeting"]),
        "meetings_12m": int(g["meetings_12m"]),
        "active_dps": _int(g["active_dps"]) if members else None,
        "has_tor": _bool(g["has_tor"]) if documents else None,
        "workplan_current": _bool(g["workplan_current"]) if documents else None,
        "annual_report_previous": _bool(g["annual_report_previous"]) if documents else None,
        "minutes_share_12m": _ratio(g["minutes_share_12m"]),
        "planned_ratio": _ratio(g["planned_ratio"]),
        "next_meeting": _date(g["next_meeting"]),
    } for g in db.each("group_practice", only=SUMMARY_GROUP_COLUMNS, **p.sql()))
    organisations = []
    if members:
        organisations = [{"organisation": r["organisation"], "active_groups": int(r["active_groups"]),
                          "chair_roles": int(r["chair_roles"]),
                          "attendance_rate_12m": _ratio(r["attendance_rate_12m"])}
                         for r in db.each("organisation_load", **p.sql())]
    pillars = []
    if db.has("pillars"):  # (the queries of pillar_coverage and recommendation_followup, as plain rows)
        pillars = [{"pillar_id": r["pillar_id"], "name": r["name"], "groups": int(r["groups"]),
                    "functioning_groups": int(r["functioning_groups"]),
                    "plan": r["plan"] if isinstance(r["plan"], str) else None}
                   for r in db.records("pillar_coverage", **p.sql())]
    recs = []
    if db.has("recommendations"):
        recs = [{"rec_id": r["rec_id"], "title": r["title"], "actions": int(r["actions"]),
                 "done": int(r["done"]), "overdue": int(r["overdue"])}
                for r in db.records("recommendation_followup", **p.sql(**_action_filters(None, None, None)))]
    totals = meeting_totals(db, p)
    assert db.version is not None  # (a Database's cursor: only one writing a query database has none)
    return {
        "as_of": p.as_of.isoformat(),
        "version": db.version.id,
        "at_risk_months": p.at_risk_months,
        "dormant_months": p.dormant_months,
        # meetings_12m is the sum of the groups' meetings_12m; excluded_meetings are those of the
        # last 12 months that no figure counts (groups that do not count, data problems)
        "totals": {"meetings_12m": totals["last_12m"], "meetings_prev_12m": totals["previous_12m"],
                   "excluded_meetings": totals["not_counted_12m"]},
        "groups": _started(groups) if stream else list(groups),
        "pillars": pillars,
        "recommendations": recs,
        "organisations": organisations,
    }


def _started(rows: Iterator[dict]) -> Iterator[dict]:
    """`rows` with the first already read: the query runs (and a failing one fails) before a
    document streamed from it is begun."""
    first = next(rows, None)
    return iter(()) if first is None else itertools.chain((first,), rows)


def _int(v):
    return None if is_missing(v) else int(v)


def _bool(v):
    return None if is_missing(v) else bool(v)


def _ratio(v):
    return None if is_missing(v) else round(float(v), 4)


def recommendation_texts(db: Cursor, p: Params) -> pd.DataFrame:
    return db.query("recommendation_texts")


def group_practice(db: Cursor, p: Params, gap_below: int = DP_GAP_BELOW,
                   duplication_above: int = DP_DUPLICATION_ABOVE) -> pd.DataFrame:
    """Per counting group: active_dps, has_tor, workplan_current, annual_report_previous,
    minutes_share_12m, planned_ratio (and agenda, format and level figures), with
    `dp_gap` (active_dps < gap_below) and `dp_duplication` (active_dps > duplication_above).
    Figures from a table the extract lacks are None (unknown), not False."""
    df = db.query("group_practice", **p.sql())
    if not db.has("members"):
        df["active_dps"] = None
    if not db.has("documents"):
        for col in ("has_tor", "workplan_current", "annual_report_previous"):
            df[col] = None
    df["dp_gap"] = df["active_dps"].map(lambda n: None if n is None else n < gap_below)
    df["dp_duplication"] = df["active_dps"].map(lambda n: None if n is None else n > duplication_above)
    return df


def organisation_load(db: Cursor, p: Params, cap: int = PARTNER_CAP) -> pd.DataFrame:
    """Per development-partner organisation: active_groups, chair_roles,
    attendance_rate_12m; `over_cap` when active_groups exceeds the cap."""
    df = db.query("organisation_load", **p.sql())
    df["over_cap"] = df["active_groups"] > cap
    return df


def declared_vs_actual(db: Cursor, p: Params, rarely_below: float = 0.5) -> pd.DataFrame:
    """Each development partner's highest role in each counting group (memberships
    covering as_of; the role matrix of /participation), against its presence at the
    group's meetings in 12 months; `rarely_present` flags active roles present less
    than `rarely_below` of the time (only where the group met). Without an attendance
    table, meetings_12m and present_12m are 0 and presence_12m is unknown."""
    df = db.query("declared_vs_actual", **p.sql())
    df["rarely_present"] = df["role"].isin(ACTIVE_ROLES) & df["presence_12m"].notna() & (
        df["presence_12m"].astype(float) < rarely_below)
    return df


def leadership_terms(db: Cursor, p: Params) -> pd.DataFrame:
    """Chair, co-chair and focal-point terms; `ends_in_months` for current terms with an end."""
    df = db.query("leadership_terms", **p.sql())
    ends = pd.to_datetime(df["end_on"])
    days = (ends - pd.Timestamp(p.as_of)).dt.days
    df["ends_within_12m"] = df["current"] & ends.notna() & (ends <= pd.Timestamp(months_after(p.as_of, 12)))
    df["ends_within_24m"] = df["current"] & ends.notna() & (ends <= pd.Timestamp(months_after(p.as_of, 24)))
    df["days_left"] = days.where(df["current"])
    return df


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


def group_profile(db: Cursor, p: Params, group_id: str) -> dict:
    """Everything about one group (None when there is no such group)."""
    info = db.query("group_info", group_id=group_id, as_of=p.as_of)
    if info.empty:
        return {}
    q = p.sql(group_id=group_id)
    act = db.query("group_activity", **Params(as_of=p.as_of, at_risk_months=p.at_risk_months,
                                                dormant_months=p.dormant_months, groups=(group_id,)).sql())
    return {
        "info": info.iloc[0].to_dict(),
        "activity": None if act.empty else act.iloc[0].to_dict(),
        "meetings": db.query("group_meetings", **q),
        "members": db.query("group_members", **q),
        "attendance": db.query("group_attendance", **q),
        "documents": db.query("group_documents", **q),
        "pillars": db.query("group_pillars", **q),
        "subgroups": db.query("subgroups", **q),
        "upcoming": upcoming(db, Params(as_of=p.as_of, groups=(group_id,))),
    }


def _rate(value, good: float, partial: float):
    if is_missing(value):
        return "na"
    return "good" if value >= good else "partial" if value >= partial else "poor"


def scorecard(practice: pd.DataFrame) -> pd.DataFrame:
    """One row per counting group, each good practice rated good / partial / poor / na
    (not applicable or unknown), and a score: good counts 1, partial ½, out of the
    criteria that apply."""
    df = practice.copy()
    yes_no = {True: "good", False: "poor", None: "na"}
    rate = pd.DataFrame({
        "tor": df["has_tor"].map(lambda v: yes_no[None if is_missing(v) else bool(v)]),
        "workplan": df["workplan_current"].map(lambda v: yes_no[None if is_missing(v) else bool(v)]),
        "annual_report": df["annual_report_previous"].map(lambda v: yes_no[None if is_missing(v) else bool(v)]),
        "meetings": df["planned_ratio"].map(lambda v: _rate(v, MEETINGS_GOOD, MEETINGS_PARTLY)),
        "minutes": df["minutes_share_12m"].map(lambda v: _rate(v, SHARE_GOOD, SHARE_PARTLY)),
        "agenda": df["agenda_7d_share_12m"].map(lambda v: _rate(v, SHARE_GOOD, SHARE_PARTLY)),
    })
    points = rate.replace({"good": 1.0, "partial": 0.5, "poor": 0.0, "na": None}).astype(float)
    applies = points.notna().sum(axis=1)
    df["score"] = (points.sum(axis=1) / applies.where(applies > 0)).round(2)  # no check applies: NaN
    for col in rate.columns:
        df[f"{col}_rating"] = rate[col]
    off, share = df["called_off_12m"].astype(int), df["called_off_share_12m"]
    df["called_off"] = [_("{n} of {m} ({share:.0%})").format(n=n, m=n + held, share=r) if n else "0"
                        for n, held, r in zip(off, df["meetings_12m"].astype(int), share, strict=True)]
    total = df["joint_12m"] + df["donors_only_12m"]
    df["format_mix"] = [_("{j} joint / {value} donors-only").format(j=j, value=d) if t else _("no meeting")
                        for j, d, t in zip(df["joint_12m"], df["donors_only_12m"], total, strict=True)]
    return df


MANY_CHAIR_ROLES = 2  # a partner co-chairing or focal point of this many groups carries "many" chair roles
MEETINGS_GOOD, MEETINGS_PARTLY = 1.0, 0.5  # share of planned meetings held
SHARE_GOOD, SHARE_PARTLY = 0.8, 0.5  # share of meetings with minutes / agenda 7+ days ahead


def called_off_share(practice: pd.DataFrame) -> float | None:
    """Of the meetings the counting groups held or called off (cancelled or postponed) in the
    last 12 months, the share called off; None when there were none."""
    off = int(practice["called_off_12m"].sum())
    total = off + int(practice["meetings_12m"].sum())
    return off / total if total else None


def window_days(as_of: dt.date, months: int) -> int:
    """Length in days of the window of `months` calendar months ending on as_of."""
    return (as_of - months_before(as_of, months)).days


def period_start(as_of: dt.date, months: int, unit: str) -> dt.date:
    """First day of the month (or quarter) that the window of `months` starts in."""
    start = months_before(as_of, months)
    if unit == "quarter":
        return dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    return start.replace(day=1)


def period_goes_on(as_of: dt.date, unit: str) -> bool:
    """Whether the month or quarter holding `as_of` goes on after it (its count is partial)."""
    nxt = as_of + dt.timedelta(days=1)
    return not (nxt.day == 1 and (unit == "month" or nxt.month in (1, 4, 7, 10)))


def heatmap_rows(by_period: pd.DataFrame, activity: pd.DataFrame, groups: tuple[str, ...] | None) -> list[str]:
    """The rows of a group x period chart: every counting group (of the chosen ones), one that held
    no meeting in the period a blank row; the chart counts only their meetings (counted_meetings)."""
    counting = activity["group_id"].tolist()
    if groups is not None:
        chosen = set(groups)
        return [g for g in counting if g in chosen]
    return counting


def meetings_since(meetings: pd.DataFrame, start: dt.date) -> int:
    """How many of these meetings (a `date` column) fall on or after start."""
    return int((pd.to_datetime(meetings["date"]) >= pd.Timestamp(start)).sum())


def closed_recommendations(followup: pd.DataFrame) -> int:
    """Recommendations with at least one action, all of them done or dropped."""
    return int(((followup["actions"] > 0) & (followup["done"] + followup["dropped"] == followup["actions"])).sum())


# The trend (issue 19): the figures of the current version's records at a series of as-of dates.
PERIODS = ("month", "quarter", "year")
TREND_YEARS = 5  # the trend the pages open with: the period ends of 5 years up to the as-of date
MAX_POINTS = 600  # a trend asked for more points than this is refused (50 years of month ends)
_PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_end(day: dt.date, every: str) -> dt.date:
    """The last day of the month, quarter or year holding `day`."""
    step = _PERIOD_MONTHS[every]
    month = ((day.month - 1) // step + 1) * step
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])


def period_ends(start: dt.date, end: dt.date, every: str = "quarter") -> list[dt.date]:
    """Every period end from `start` to `end` (both included when they are period ends), then
    `end` itself when it is not one: the as-of dates of a trend."""
    if every not in PERIODS:
        raise ValueError(every)
    if start > end:
        raise BadDates(_("the trend's start ({start}) is after its end ({end})").format(
            start=start.isoformat(), end=end.isoformat()))
    out: list[dt.date] = []
    day = period_end(start, every)
    while day <= end and len(out) <= MAX_POINTS:
        out.append(day)
        day = period_end(day + dt.timedelta(days=1), every)
    if not out or out[-1] != end:
        out.append(end)
    if len(out) > MAX_POINTS:
        raise BadDates(_("a trend of more than {n} points was asked for: choose a shorter span or a longer "
                         "period").format(n=MAX_POINTS))
    return out


def trend_start(as_of: dt.date) -> dt.date:
    """Where the trend the pages open with starts: TREND_YEARS before the as-of date."""
    return months_before(as_of, 12 * TREND_YEARS)


def trend(db: Cursor, p: Params, start: dt.date | None = None, every: str = "quarter") -> pd.DataFrame:
    """At every period end from `start` (default: trend_start) to p.as_of, then p.as_of itself:
    as_of, counting, active, at_risk, dormant, meetings_12m, computed from this version's records
    as the pages compute them at that date (the contract's definition of the trend: a group closed
    after the date counts then; p's thresholds and groups apply)."""
    points = period_ends(start or trend_start(p.as_of), p.as_of, every)
    return db.query("trend", points=points,
                    starts_active=[months_before(d, p.at_risk_months) for d in points],
                    starts_dormant=[months_before(d, p.dormant_months) for d in points],
                    starts_12=[months_before(d, 12) for d in points],
                    groups=list(p.groups) if p.groups is not None else None)


def trend_points(df: pd.DataFrame) -> list[dict]:
    """The trend as the `trend --json` document's points (keys are a public contract)."""
    return [{"as_of": _date(r["as_of"]), "counting": int(r["counting"]), "active": int(r["active"]),
             "at_risk": int(r["at_risk"]), "dormant": int(r["dormant"]), "meetings_12m": int(r["meetings_12m"])}
            for r in df.to_dict("records")]


def first_meeting(db: Cursor, p: Params | None = None):
    """The first meeting recorded (of any group), or None."""
    first = db.query("meeting_span")["first_meeting"].iloc[0]
    return None if pd.isna(first) else pd.Timestamp(first).date()


