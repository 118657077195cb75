"""The committee's story as slides: one message each, a headline computed from
the data, a large chart or a table, and speaker notes. The /present page, the
PowerPoint deck and the PDF are all drawn from build_slides()."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from . import charts, metrics
from .db import Cursor
from .metrics import Params


@dataclass
class Slide:
    key: str
    headline: str
    notes: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    kpis: list[tuple[str, str]] = field(default_factory=list)
    subtitle: str = ""


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def build_slides(db: Cursor, p: Params, scope: str = "all groups", group_slides: bool = False) -> list[Slide]:
    v = db.version
    act = metrics.group_activity(db, p)
    counts = metrics.activity_counts(act)
    n = len(act)
    totals = metrics.meeting_totals(db, p)
    slides = [Slide(
        "title", "How the sector working groups function",
        subtitle=(f"{p.plan or 'No national plan in the extract'} · figures as of {p.as_of:%d %B %Y} · "
                  f"data version {v.id} · {scope}"),
        notes=("This briefing shows which sector working groups meet, which are dormant, how they cover the "
               "pillars of the national plan, how the 2022 review's recommendations are followed up, and "
               f"who does the work. Every figure is computed as of {p.as_of:%d %B %Y} from data version {v.id}."
               + (" These are demonstration figures, not real records." if v.is_demo else "")))]

    slides.append(Slide(
        "kpis", f"{counts['dormant']} of {n} groups have not met in {p.dormant_months} months",
        kpis=[("Groups counting", str(n)), ("Active", str(counts["active"])), ("At risk", str(counts["at_risk"])),
              ("Dormant", str(counts["dormant"])), ("Meetings, last 12 months", str(totals["last_12m"])),
              ("Meetings, 12 months before", str(totals["previous_12m"]))],
        notes=(f"A group counts when its status is active and it was established by the as-of date. Active: "
               f"met in the last {p.at_risk_months} months; dormant: not met in {p.dormant_months} months; at risk: "
               f"in between. {totals['last_12m']} meetings were held in the last 12 months, against "
               f"{totals['previous_12m']} in the 12 months before.")))

    by_q = metrics.meetings_by_period(db, p, "quarter", months=36)
    change = totals["last_12m"] - totals["previous_12m"]
    trend = "more than" if change > 0 else "fewer than" if change < 0 else "as many as"
    slides.append(Slide(
        "meetings", f"{totals['last_12m']} meetings in the last 12 months, {trend} the year before",
        figure=charts.quarterly_totals(by_q, metrics.period_start(p.as_of, 36, "quarter"), p.as_of),
        notes=("Each bar counts the meetings of all groups in one quarter over three years. Meetings cluster "
               "before the Round Table meetings; a flat stretch means the groups met rarely in between.")))

    silent = act[act["activity"] != "active"]
    slides.append(Slide(
        "dormant", f"{_plural(counts['dormant'], 'group')} dormant and {counts['at_risk']} at risk",
        figure=charts.days_since_last(silent, p.as_of, metrics.window_days(p.as_of, p.at_risk_months),
                                      metrics.window_days(p.as_of, p.dormant_months)),
        notes=("The bars show how long each dormant or at-risk group has gone without meeting. Under "
               "recommendation 8 of the 2022 review these are the candidates to revive, merge or discontinue.")))

    if db.has("pillars") and db.has("alignment"):
        cov = metrics.pillar_coverage(db, p)
        gaps = int(cov["gap"].sum())
        slides.append(Slide(
            "pillars", (f"{gaps} of {len(cov)} pillars of the {p.plan} {'has' if gaps == 1 else 'have'} "
                        "no functioning group" if gaps
                        else f"Every pillar of the {p.plan} has a functioning group"),
            figure=charts.pillar_coverage(cov),
            notes=("Each bar counts the groups aligned to a pillar, by activity. A pillar whose groups are all "
                   "dormant, or that has none, is a gap in the coordination of the national plan.")))

    if db.has("recommendations") and db.has("actions"):
        fu = metrics.recommendation_followup(db, p)
        acts = metrics.actions(db, p)
        share = metrics.share_done(fu)
        overdue = acts[acts["overdue"]].sort_values("due_on")
        slides.append(Slide(
            "recommendations", (f"{share:.0%} of follow-up actions are done; {len(overdue)} "
                                f"{'is' if len(overdue) == 1 else 'are'} overdue")
            if share is not None else "No follow-up action is recorded yet",
            figure=charts.recommendation_status(fu),
            notes=("Each bar shows the actions agreed on one of the nine recommendations of the 2022 SWG "
                   "review, by status; red counts are actions past their due date and not done.")))
        if not overdue.empty:
            table = overdue.head(10).assign(due=[d.strftime("%d %b %Y") for d in pd.to_datetime(overdue.head(10)["due_on"])])
            slides.append(Slide(
                "overdue", f"{_plural(len(overdue), 'action')} overdue: who owns them",
                table=table[["rec_id", "description", "owner", "due"]].rename(columns={
                    "rec_id": "Rec.", "description": "Action", "owner": "Owner", "due": "Due"}),
                notes=("The overdue actions, oldest first" + (" (the first ten)" if len(overdue) > 10 else "")
                       + ": each was due before the as-of date and is not started or still in progress. Ask "
                         "each owner for a new date or to drop the action.")))

    if db.has("members"):
        load = metrics.organisation_load(db, p)
        practice = metrics.group_practice(db, p)
        over = int(load["over_cap"].sum())
        gaps = int(practice["dp_gap"].fillna(False).sum())
        slides.append(Slide(
            "participation", f"{_plural(over, 'partner')} active in more than 3 groups; "
                             f"{_plural(gaps, 'group')} with too few active partners",
            figure=charts.donor_load(load, 3),
            notes=("Good practice: be more active in fewer groups. Rwanda caps each development partner at "
                   "three sectors. The striped bars count the groups a partner co-chairs or is focal point of.")))

    if db.has("documents"):
        sc = metrics.scorecard(metrics.group_practice(db, p))
        tor = int((sc["tor_rating"] == "good").sum())
        wp = int((sc["workplan_rating"] == "good").sum())
        worst = sc.sort_values(["score", "name"], na_position="first").head(10)
        table = pd.DataFrame({
            "Group": worst["name"],
            "ToR": worst["tor_rating"].map(metrics.RATING_WORDS),
            f"Work plan {p.as_of.year}": worst["workplan_rating"].map(metrics.RATING_WORDS),
            "Meetings as planned": worst["meetings_rating"].map(metrics.RATING_WORDS),
            "Minutes": worst["minutes_rating"].map(metrics.RATING_WORDS),
            "Score": [("—" if pd.isna(s) else f"{s:.0%}") for s in worst["score"]],
        })
        slides.append(Slide(
            "scorecard", f"{tor} of {len(sc)} groups have terms of reference; {wp} have a {p.as_of.year} work plan",
            table=table,
            notes="The ten groups furthest from good practice: terms of reference, a current work plan, "
                  "meetings as planned and published minutes."))

    if group_slides:
        slides.extend(_group_slides(db, p, act))
    return slides


def _group_slides(db: Cursor, p: Params, act: pd.DataFrame) -> list[Slide]:
    out = []
    meetings = metrics.meeting_list(db, p, months=72)
    for root_id, sub in act.groupby(act["root_id"].fillna(act["group_id"])):
        root = sub[sub["group_id"] == root_id]
        name = root["name"].iloc[0] if not root.empty else sub["root_name"].iloc[0]
        c = metrics.activity_counts(sub)
        names = dict(zip(sub["group_id"], sub["name"]))
        out.append(Slide(
            f"group:{root_id}", f"{name}: {c['active']} active, {c['at_risk']} at risk, {c['dormant']} dormant",
            figure=charts.meeting_timeline(meetings, names, metrics.months_before(p.as_of, 72), p.as_of,
                                           "Meetings of the group and its sub-groups, last six years"),
            notes=f"The profile of {name} and its sub-groups: each mark is one meeting."))
    return out
