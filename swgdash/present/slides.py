"""The committee's story as slides: one message each, a headline computed from
the data, a large chart or a table, and speaker notes. The /present page, the
PowerPoint deck and the PDF are all drawn from build_slides()."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from swgdash import fmt, i18n, settings
from swgdash.contract import ACTIVITIES, word
from swgdash.fmt import number_word
from swgdash.i18n import _, ngettext
from swgdash.present import charts, sentences
from swgdash.query import crosswalk, funding, history, metrics
from swgdash.query.db import Cursor
from swgdash.query.metrics import Params

if TYPE_CHECKING:
    from swgdash.store import Version


@dataclass
class Slide:
    key: str
    headline: str
    notes: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    kpis: list[tuple[str, str]] = field(default_factory=list)
    subtitle: str = ""
    second_headline: str = ""  # the bilingual deck: the English headline under the Lao one
    widths: tuple[float, ...] | None = None  # the table's columns, inches of a TABLE_WIDTH_IN table
    full: "Full | None" = None  # every row of what the slide shows the first of: the appendix's
    shown: int | None = None  # how many of its list the slide shows (the same in both languages of a deck)
    span: tuple[str, int, int, int] | None = None  # an appendix slide's: the slide's key, first, last, of


@dataclass
class Full:
    """A list in full, for the pack's appendix (the handout): what it is, its rows, its columns' widths."""
    what: str
    table: pd.DataFrame
    widths: tuple[float, ...]


@dataclass
class Facts:
    """What several slides say, computed once per deck."""
    db: Cursor
    p: Params
    scope: str
    act: pd.DataFrame
    counts: dict[str, int]
    totals: dict[str, int]
    changes: "history.Changes | None" = None  # since the version before (None: the first version)
    fit: dict[str, int] = field(default_factory=dict)  # rows a list slide shows, decided already (bilingual deck)
    iati: "Version | None" = None  # the current IATI set (the funding slide's; None: no slide)

    @functools.cached_property
    def overdue(self) -> pd.DataFrame:
        """The overdue actions, oldest first (two slides tell of them)."""
        acts = metrics.actions(self.db, self.p)
        return acts[acts["overdue"]].sort_values("due_on")


def _title(f: Facts) -> Slide:
    v = f.db.version
    assert v is not None  # (a Database's cursor: only one writing a query database has none)
    return Slide(
        "title", _("How the sector working groups function"),
        subtitle=(_("{value} · figures as of {as_of:%d %B %Y} · data version {id} · {scope}").format(value=f.p.plan or _("No national plan in the extract"), as_of=f.p.as_of, id=v.id, scope=f.scope)),
        notes=(_("This briefing shows which sector working groups meet, which are dormant, how "
                 "they cover the pillars of the national plan, how the 2022 review's "
                 "recommendations are followed up, and who does the work. Every figure is "
                 "computed as of {as_of:%d %B %Y} from data version {id}.").format(as_of=f.p.as_of, id=v.id)
               + (_(" These are demonstration figures, not real records.") if v.is_demo else "")))


def _kpis(f: Facts) -> Slide:
    p, counts, totals, n = f.p, f.counts, f.totals, len(f.act)
    return Slide(
        "kpis", _("{dormant} of {n} groups have not met in {dormant_months} months").format(dormant=counts['dormant'], n=n, dormant_months=p.dormant_months),
        kpis=[(_("Groups counting"), i18n.digits(str(n)))] + [(word("activity", a), i18n.digits(str(counts[a])))
                                                            for a in ACTIVITIES]
        + [(_("Meetings, last 12 months"), i18n.digits(str(totals["last_12m"]))),
           (_("Meetings, 12 months before"), i18n.digits(str(totals["previous_12m"])))],
        notes=(_(sentences.COUNTING_WORDS) + " "
               + _("Active: met in the last {at_risk_months} months; dormant: not met in "
                   "{dormant_months} months; at risk: in between. {last_12m} meetings were held "
                   "in the last 12 months, against {previous_12m} in the 12 months before.").format(at_risk_months=p.at_risk_months, dormant_months=p.dormant_months, last_12m=totals['last_12m'], previous_12m=totals['previous_12m'])
               + (" " + sentences.not_counted_sentence(metrics.not_counted(f.db, p)) if totals["not_counted_12m"] else "")))


NAMES_SHOWN = 4  # names in a cell of the table of changes (the appendix lists every one)


def _names(df: pd.DataFrame, col: str, most: int = NAMES_SHOWN) -> str:
    """The first `most` of a list's names, and how many more."""
    names = [str(n) for n in df[col].tolist()]
    shown = _(", ").join(names[:most])
    return shown + (_(" and {n} more").format(n=len(names) - most) if len(names) > most else "")


SINCE_WIDTHS = (3.6, 1.4, 7.3)  # change, how many, which: inches of a 12.3-inch table


def _since(f: Facts) -> Slide | None:
    """What changed since the version before (the last retreat's, when one was published between)."""
    ch = f.changes
    if ch is None:
        return None
    kinds = [(title, df, col) for title, df, col in (
        (_("Groups revived"), ch.revived, "name"), (_("Groups fallen dormant"), ch.became_dormant, "name"),
        (_("Groups added to the register"), ch.groups_added, "name"),
        (_("Groups removed from the register"), ch.groups_removed, "name"),
        (_("Groups renamed"), ch.groups_renamed, "after"),
        (_("Actions done since"), ch.done_since, "description"),
        (_("Actions newly overdue"), ch.newly_overdue, "description"),
        (_("Pillars left with no functioning group"), ch.gaps_opened, "name"),
        (_("Pillars with a functioning group again"), ch.gaps_closed, "name")) if len(df)]
    rows = [(title, i18n.digits(str(len(df))), _names(df, col)) for title, df, col in kinds]
    head = ch.headlines()
    fit = f.fit.get("since") or (max(rows_that_fit(rows, SINCE_WIDTHS), 1) if rows else 0)
    shown = rows[:fit]
    table = pd.DataFrame(shown, columns=[_("Change"), _("How many"), _("Which")]) if shown else None
    every = pd.DataFrame([(title, str(name)) for title, df, col in kinds for name in df[col]],
                         columns=[_("Change"), _("Which")])
    cut = fit < len(rows) or any(len(df) > NAMES_SHOWN for _t, df, _c in kinds)
    return Slide(
        "since", head[0].rstrip(".") + (_(": the first {shown} of {n} kinds of change").format(shown=fit, n=len(rows))
                                        if fit < len(rows) else ""),
        widths=SINCE_WIDTHS, shown=fit,
        full=Full(_("every change since the version before"), every, (3.6, 8.7)) if cut else None,
        subtitle=_("Version {a} (as of {a_as_of:%d %B %Y}) against version {b} (as of {b_as_of:%d %B %Y}), "
                   "all groups").format(a=ch.source.id, a_as_of=ch.source.as_of, b=ch.target.id, b_as_of=ch.target.as_of),
        table=table,
        notes=" ".join(head + ch.notes) + " " + (_("Each version is read at its own as-of date, with the same thresholds; "
                                        "the page What changed lists every group and action.")
                                      if rows else _("Nothing that these figures count changed.")))


def _over_the_years(f: Facts) -> Slide:
    trend = metrics.trend(f.db, f.p)
    began = metrics.first_meeting(f.db)
    # the headline's first point: the first whose look-back the meeting records cover (before it, the
    # groups only look dormant: their meetings were not recorded)
    covered = [i for i, d in enumerate(pd.to_datetime(trend["as_of"]).dt.date)
               if began is None or pd.isna(began) or metrics.months_before(d, f.p.dormant_months) >= pd.Timestamp(began).date()]
    first, last = trend.iloc[covered[0] if covered else 0], trend.iloc[-1]
    marks = charts.review_marks(settings.review_date())
    caveat = sentences.trend_caveat(trend, began, f.p.dormant_months)
    return Slide(
        "trend", _("Dormant groups: {then} on {start:%d %B %Y}, {now} on {end:%d %B %Y}").format(
            then=int(first["dormant"]), now=int(last["dormant"]), start=pd.Timestamp(first["as_of"]),
            end=pd.Timestamp(last["as_of"])),
        figure=charts.activity_trend(trend, "quarter", marks),
        notes=sentences.trend_sentence(trend) + (" " + caveat if caveat else "")
        + _(" Each bar counts the groups counting at a quarter's end, by their activity then, from the current "
            "version's records."))


def _meetings(f: Facts) -> Slide:
    p, totals = f.p, f.totals
    by_q = metrics.meetings_by_period(f.db, p, "quarter", months=36)
    change = totals["last_12m"] - totals["previous_12m"]
    trend = _("more than") if change > 0 else _("fewer than") if change < 0 else _("as many as")
    return Slide(
        "meetings", _("{last_12m} meetings in the last 12 months, {trend} the year before").format(last_12m=totals['last_12m'], trend=trend),
        figure=charts.quarterly_totals(by_q, metrics.period_start(p.as_of, 36, "quarter"), p.as_of),
        notes=(_("Each bar counts the meetings of the counting groups in one quarter over "
                 "three years")
               + (_("; the last quarter counts meetings up to {as_of:%d %B %Y} only").format(as_of=p.as_of)
                  if sentences.partial_period(p.as_of, "quarter") else "")
               + _(". Meetings cluster before the Round Table meetings; a flat "
                                "stretch means the groups met rarely in between.")))


def _dormant(f: Facts) -> Slide:
    p, counts = f.p, f.counts
    silent = f.act[f.act["activity"] != "active"]
    order = silent.assign(_never=silent["last_meeting"].isna()).sort_values(
        ["_never", "days_since_last", "name"], ascending=[False, False, True])
    shown = f.fit.get("dormant") or chart_rows_that_fit(order["name"].astype(str).tolist())
    head = ngettext("{n} group dormant and {at_risk} at risk", "{n} groups dormant and {at_risk} at risk",
                    counts["dormant"]).format(n=counts["dormant"], at_risk=counts["at_risk"])
    if shown < len(order):
        head = _("{headline}: the {shown} silent longest").format(headline=head, shown=shown)
    full = Full(_("the dormant and at-risk groups, silent longest first"), pd.DataFrame({
        _("Group"): order["name"], _("Activity"): [word("activity", a) for a in order["activity"]],
        _("Last meeting"): [i18n.date_text(d, short=True) if not pd.isna(d) else _("never met")
                            for d in pd.to_datetime(order["last_meeting"])],
        _("Days since"): ["" if pd.isna(d) else i18n.digits(str(int(d))) for d in order["days_since_last"]]}),
        (7.3, 1.8, 1.8, 1.4)) if len(order) else None
    return Slide(
        "dormant", head, shown=shown,
        figure=charts.days_since_last(order.head(shown), p.as_of, metrics.window_days(p.as_of, p.at_risk_months),
                                      metrics.window_days(p.as_of, p.dormant_months)),
        full=full if shown < len(order) else None,
        notes=(_("The bars show how long each dormant or at-risk group has gone without "
                 "meeting. Under recommendation 8 of the 2022 review these are the candidates "
                 "to revive, merge or discontinue.")
               + (" " + _("The briefing pack's appendix lists all {n}.").format(n=len(order)) if shown < len(order) else "")))


def _pillars(f: Facts) -> Slide | None:
    if not (f.db.has("pillars") and f.db.has("alignment")):
        return None
    p = f.p
    cov = metrics.pillar_coverage(f.db, p)
    gaps = int(cov["gap"].sum())
    return Slide(
        "pillars", (ngettext("{gaps} of {cov} pillars of the {plan} has no functioning group",
                              "{gaps} of {cov} pillars of the {plan} have no functioning group", gaps).format(
                        gaps=gaps, cov=len(cov), plan=p.plan) if gaps
                    else _("Every pillar of the {plan} has a functioning group").format(plan=p.plan)),
        figure=charts.pillar_coverage(cov),
        subtitle=sentences.plan_caveat(p.plan, metrics.plan_periods(f.db), p.as_of) or "",
        notes=(_("Each bar counts the groups aligned to a pillar, by activity. A pillar whose "
                 "groups are all dormant, or that has none, is a gap in the coordination of "
                 "the national plan.")))


def _ready(f: Facts) -> Slide | None:
    """Ready for the new plan: how the groups carry over to the plan in force (all groups only: the
    crosswalk is the register's, not a selection's)."""
    if not (f.db.has("pillars") and f.db.has("alignment")) or f.p.groups is not None:
        return None
    co = crosswalk.default_carry_over(f.db, f.p)
    if co is None:
        return None
    gaps, before, realign = int(co.pillars["gap"].sum()), int(co.pillars["gap_before"].sum()), len(co.to_realign)
    headline = (ngettext("Ready for {plan}? {gaps} pillar still has no functioning group",
                         "Ready for {plan}? {gaps} pillars still have no functioning group", gaps)
                if gaps else _("Ready for {plan}: every pillar has a functioning group")).format(plan=co.to_plan,
                                                                                                 gaps=gaps)
    return Slide(
        "ready", headline, figure=charts.carry_over(co.pillars, co.to_plan),
        # (no subtitle: under a two-line headline the chart fills a projector's 720 pixels)
        notes=(" · ".join([
            _("From {old}").format(old=co.from_plan),
            ngettext("{n} gap before realignment", "{n} gaps before realignment", before).format(n=before),
            ngettext("{n} after", "{n} after", gaps).format(n=gaps),
            ngettext("{n} group to realign", "{n} groups to realign", realign).format(n=realign)]) + ". "
               + _("Each bar counts the counting groups behind a pillar of {new}: functioning groups aligned to it, "
                 "functioning groups the crosswalk carries over from {old}, and dormant ones. Groups aligned "
                 "to the old plan only: {realign}; /alignment lists them, with a worksheet to realign them.")
               .format(new=co.to_plan, old=co.from_plan, realign=realign)
               + ("" if f.db.has("pillar_map") else " " + _("The extract has no crosswalk (a pillar_map table), so "
                                                             "no group is carried over."))))


def _has_actions(f: Facts) -> bool:
    return f.db.has("recommendations") and f.db.has("actions")


def _recommendations(f: Facts) -> Slide | None:
    if not _has_actions(f):
        return None
    fu = metrics.recommendation_followup(f.db, f.p)
    share, overdue = metrics.share_done(fu), f.overdue
    return Slide(
        "recommendations", (ngettext("{share:.0%} of follow-up actions are done; {overdue} is overdue",
                                     "{share:.0%} of follow-up actions are done; {overdue} are overdue",
                                     len(overdue)).format(share=share, overdue=len(overdue)))
        if share is not None else _("No follow-up action is recorded yet"),
        figure=charts.recommendation_status(fu),
        notes=(_("Each bar shows the actions agreed on one of the {fu} recommendations "
                 "followed up, by status; red counts are actions past their due date and not "
                 "done.").format(fu=number_word(len(fu)))))


def text_lines(text: str, size: float, width_in: float) -> int:
    """About how many lines `text` takes at `size` points in a box `width_in` inches wide (a
    generous average advance: 0.66 em a Lao character, its marks taking none; 0.48 em a Latin one (Noto Sans sets English at about 0.42))."""
    width_pt = (width_in * 72 - 14) * 0.92  # the box's insets; lines break at words, not letters
    em = 0.66 if i18n.has_lao(text) else 0.48
    return max(1, math.ceil(i18n.visual_len(text) * em * size / width_pt))


TABLE_ROOM_IN = 4.9  # a table's height on a slide under a two-line (or bilingual) headline, inches (deck.chart_top)
TABLE_SIZE = 13  # points


def rows_that_fit(rows: list[tuple], widths_in: tuple[float, ...], room_in: float = TABLE_ROOM_IN) -> int:
    """How many of the rows a slide's table holds, each as tall as its longest cell wraps (Lao
    lines stand taller), under a header row."""
    leading = 1.6 if any(i18n.has_lao(str(v)) for row in rows for v in row) else 1.3
    used = 0.5
    for n, row in enumerate(rows):
        lines = max(text_lines(str(v), TABLE_SIZE, w) for v, w in zip(row, widths_in, strict=True))
        used += lines * TABLE_SIZE * leading / 72 + 0.14
        if used > room_in:
            return n
    return len(rows)


# A chart with a row per item, on a slide (the pack's 12.3 x 5.2 inches, a 1280 x 720 screen): its
# names beside the bars in lines of LABEL_PT points at TICK_PT, as many rows as ROWS_PT holds.
TICK_PT, LABEL_PT, ROWS_PT = 13, 520, 290


def chart_rows_that_fit(names: list[str]) -> int:
    """How many of the rows (by their names, in order) a slide's chart draws legibly: at least one."""
    from swgdash.present.fitting import text_px

    tallest = 0.0  # (the rows share the plot equally: each as tall as the tallest label needs)
    for n, name in enumerate(names):
        lines = i18n.wrap(name, LABEL_PT, measure=lambda line: text_px(line, TICK_PT)) or [name]
        tallest = max(tallest, len(lines) * TICK_PT * (1.6 if i18n.has_lao(name) else 1.3) + 8)
        if (n + 1) * tallest > ROWS_PT:
            return max(n, 1)
    return len(names)


TABLE_WIDTH_IN = 12.3
OVERDUE_WIDTHS = (1.3, 6.2, 3.0, 1.8)  # rec, action, owner, due: inches of a 12.3-inch table


def _overdue_actions(f: Facts) -> Slide | None:
    if not _has_actions(f):
        return None
    overdue = f.overdue
    if overdue.empty:
        return None
    table = overdue.assign(due=[i18n.date_text(d, short=True) for d in pd.to_datetime(overdue["due_on"])])
    table = table[["rec_id", "description", "owner", "due"]].rename(columns={
        "rec_id": _("Rec."), "description": _("Action"), "owner": _("Owner"), "due": _("Due")})
    shown = f.fit.get("overdue") or max(rows_that_fit(list(table.astype(str).itertuples(index=False)), OVERDUE_WIDTHS), 1)
    head = ngettext("{n} action overdue: who owns it", "{n} actions overdue: who owns them",
                    len(overdue)).format(n=len(overdue))
    if shown < len(table):
        head = _("The {shown} oldest of {n} overdue actions: who owns them").format(shown=shown, n=len(overdue))
    return Slide(
        "overdue", head, table=table.head(shown), widths=OVERDUE_WIDTHS, shown=shown,
        full=Full(_("the overdue actions, oldest first"), table, OVERDUE_WIDTHS) if shown < len(table) else None,
        notes=(_("The overdue actions, oldest first") + (_(" (the first {overdue_shown}; the briefing pack's appendix lists all {n})").format(
            overdue_shown=number_word(shown), n=len(table)) if shown < len(table) else "")
               + _(": each was due before the as-of date and is not started or still in "
                   "progress. Ask each owner for a new date or to drop the action.")))


def _participation(f: Facts) -> Slide | None:
    if not f.db.has("members"):
        return None
    cap = metrics.PARTNER_CAP
    load = metrics.organisation_load(f.db, f.p, cap)
    practice = metrics.group_practice(f.db, f.p)
    over = int(load["over_cap"].sum())
    gaps = int(practice["dp_gap"].fillna(False).sum())
    partners = charts.partners_in_order(load)
    shown = f.fit.get("participation") or chart_rows_that_fit(partners["organisation"].astype(str).tolist())
    head = (ngettext("{n} partner active in more than {cap} groups", "{n} partners active in more "
                     "than {cap} groups", over).format(n=over, cap=cap)
            + ngettext("; {n} group with too few active partners", "; {n} groups with too few active partners",
                       gaps).format(n=gaps))
    if shown < len(partners):
        head = ngettext("The {shown} partners in most groups, of {n}; {over} is in more than {cap}",
                        "The {shown} partners in most groups, of {n}; {over} are in more than {cap}", over).format(
            shown=shown, n=len(partners), over=over, cap=cap)
    full = Full(_("every development partner, in most groups first"), pd.DataFrame({
        word("org_type", "development_partner"): partners["organisation"],
        _("Groups with an active role"): [i18n.digits(str(int(v))) for v in partners["active_groups"]],
        _("Co-chair or focal point"): [i18n.digits(str(int(v))) for v in partners["chair_roles"]]}),
        (7.3, 2.5, 2.5))
    return Slide(
        "participation", head, shown=shown,
        figure=charts.donor_load(partners.head(shown), cap),
        full=full if shown < len(partners) else None,
        notes=(_("Good practice: be more active in fewer groups. Rwanda caps each development "
                 "partner at three sectors. The striped bars count the groups a partner "
                 "co-chairs or is focal point of.")
               + (" " + ngettext("{n} group has too few active partners.", "{n} groups have too few active partners.",
                                 gaps).format(n=gaps) + " " + _("The briefing pack's appendix lists all {n} partners.").format(
                   n=len(partners)) if shown < len(partners) else "")))


def _funding(f: Facts) -> Slide | None:
    """Who funds the groups' sectors, from the partners' IATI files: the groups by what their
    sectors received, from funders in the group and from funders outside it."""
    if f.iati is None or not f.db.has("group_sectors"):
        return None
    fund = funding.funding(f.db, f.iati, f.p.as_of).restricted(f.p.groups)
    by = fund.by_group()
    by = by[(by["member_usd"] + by["other_usd"]) > 0]
    if by.empty or fund.iati is None:
        return None
    by = by.assign(total=by["member_usd"] + by["other_usd"]).sort_values(["total", "name"], ascending=[False, True])
    shown = f.fit.get("funding") or chart_rows_that_fit(by["name"].astype(str).tolist())
    share = fund.outside_share() or 0.0
    head = _("{share:.0%} of the groups' sector funding has no funder sitting in the group").format(share=share)
    if shown < len(by):
        head = _("The {shown} best-funded of {n} funded groups: {share:.0%} has no funder in the group").format(
            shown=shown, n=len(by), share=share)
    pairs = int(fund.by_group()["without_evidence"].sum())
    full = Full(_("every group's sector funding, the best funded first"), pd.DataFrame({
        _("Group"): by["name"], _("A funder sits in the group"): by["member_usd"].map(fmt.usd),
        _("No funder sits in the group"): by["other_usd"].map(fmt.usd)}), (6.3, 3.0, 3.0))
    return Slide(
        "funding", head, shown=shown,
        figure=charts.funding_by_group(by.head(shown), fund.years, fmt.iati_source(fund.iati)),
        full=full if shown < len(by) else None,
        notes=fmt.iati_note(fund.iati, fund.since, fund.as_of) + " "
        + _("Each group's activities count once, by whether one of their funders sits in the group.") + " "
        + ngettext("{n} time a partner holds an active role in a group with no IATI evidence in its sectors.",
                   "{n} times a partner holds an active role in a group with no IATI evidence in its sectors.",
                   pairs).format(n=pairs) + " " + fmt.no_iati_evidence(fund.iati)
        + (" " + fmt.unconverted_note(unconverted) if (unconverted := fund.unconverted()) else ""))


SCORECARD_WIDTHS = (5.3, 1.2, 1.5, 1.7, 1.4, 1.2)  # group, ToR, work plan, meetings, minutes, score


def _scorecard(f: Facts) -> Slide | None:
    if not f.db.has("documents"):
        return None
    p = f.p
    sc = metrics.scorecard(metrics.group_practice(f.db, p))
    tor = int((sc["tor_rating"] == "good").sum())
    wp = int((sc["workplan_rating"] == "good").sum())
    worst = sc.sort_values(["score", "group_id"], na_position="first")  # (ties in the same order in every language)
    rated = {_("ToR"): "tor_rating", _("Work plan {year}").format(year=p.as_of.year): "workplan_rating",
             _("Meetings as planned"): "meetings_rating", _("Minutes"): "minutes_rating"}
    table = pd.DataFrame({_("Group"): worst["name"],
                          **{head: [word(col, r) for r in worst[col]] for head, col in rated.items()},
                          _("Score"): [("—" if pd.isna(s) else f"{s:.0%}") for s in worst["score"]]})
    shown = f.fit.get("scorecard") or max(min(rows_that_fit(list(table.astype(str).itertuples(index=False)),
                                                            SCORECARD_WIDTHS), SCORECARD_SHOWN), 1)
    head = _("{tor} of {sc} groups have terms of reference; {wp} have a {year} work plan").format(
        tor=tor, sc=len(sc), wp=wp, year=p.as_of.year)
    if shown < len(table):
        head = _("The {shown} groups furthest from good practice, of {n}; {tor} have terms of reference").format(
            shown=shown, n=len(sc), tor=tor)
    return Slide(
        "scorecard", head, table=table.head(shown), widths=SCORECARD_WIDTHS, shown=shown,
        full=Full(_("the scorecard of every group, furthest from good practice first"), table, SCORECARD_WIDTHS)
        if shown < len(table) else None,
        notes=_("The {scorecard_shown} groups furthest from good practice: terms of reference, "
                "a current work plan, meetings as planned and published minutes.").format(scorecard_shown=number_word(shown))
        + (" " + _("The briefing pack's appendix lists all {n}.").format(n=len(table)) if shown < len(table) else ""))


# The deck, in order: each builder makes its slide, or None when the extract lacks its tables.
BUILDERS = (_title, _kpis, _since, _over_the_years, _meetings, _dormant, _pillars, _ready, _recommendations, _overdue_actions,
            _participation, _funding,
            _scorecard)
SCORECARD_SHOWN = 10  # rows of the scorecard's slide, at most


def build_slides(db: Cursor, p: Params, scope: str | None = None, group_slides: bool = False,
                 changes: "history.Changes | None" = None, fit: dict[str, int] | None = None,
                 iati: "Version | None" = None) -> list[Slide]:
    """The deck; `changes` (history.changes, from the version before to this one) adds the slide
    of what changed since; `fit` ({slide key: rows}) says how many rows a list slide shows, where
    another language's deck decided it; `iati` (the current IATI set) adds the funding slide."""
    scope = _("all groups") if scope is None else scope
    act = metrics.group_activity(db, p)
    facts = Facts(db, p, scope, act, metrics.activity_counts(act), metrics.meeting_totals(db, p), changes,
                  dict(fit or {}), iati)
    slides = [s for s in (build(facts) for build in BUILDERS) if s is not None]
    if group_slides:
        slides.extend(_group_slides(db, p, act))
    return slides


def deck_slides(db: Cursor, p: Params, scope: str | None = None, group_slides: bool = False,
                lang: str = "en", bilingual: bool = False, changes: "history.Changes | None" = None,
                iati: "Version | None" = None) -> list[Slide]:
    """The briefing pack's slides in `lang`; `bilingual`: in Lao, each with its English headline
    under the Lao one (the English slides are built from the same figures)."""
    with i18n.language(lang):
        out = build_slides(db, p, scope, group_slides, changes, iati=iati)
        out += appendix(out)
    if bilingual and i18n.normalise(lang) != "en":
        with i18n.language("en"):  # the same figures, the same rows shown
            built = build_slides(db, p, None, group_slides, changes, {s.key: s.shown for s in out if s.shown}, iati)
            english = {s.key: s.headline for s in built}
            for s in out:
                if s.span is not None:  # an appendix slide: the English list's name, the same rows
                    key, first, last, n = s.span
                    whole = next((b.full for b in built if b.key == key and b.full is not None), None)
                    english[s.key] = appendix_headline(whole.what, first, last, n) if whole else ""
        for s in out:
            s.second_headline = english.get(s.key, "")
    return out


def appendix(slides: list[Slide]) -> list[Slide]:
    """The handout: every list a slide shows the first of, in full, on as many slides as it takes."""
    out = []
    for s in slides:
        if s.full is None or s.full.table.empty:
            continue
        rows = [tuple(r) for r in s.full.table.astype(str).itertuples(index=False)]
        start = 0
        while start < len(rows):
            n = max(rows_that_fit(rows[start:], s.full.widths, APPENDIX_ROOM_IN), 1)
            out.append(Slide(
                f"appendix:{s.key}:{start + 1}", appendix_headline(s.full.what, start + 1, start + n, len(rows)),
                table=s.full.table.iloc[start:start + n], widths=s.full.widths,
                span=(s.key, start + 1, start + n, len(rows)),
                notes=_("The list in full, for the handout: the slide “{headline}” shows its first rows.").format(
                    headline=s.headline)))
            start += n
    return out


APPENDIX_ROOM_IN = TABLE_ROOM_IN


def appendix_headline(what: str, first: int, last: int, n: int) -> str:
    if first == last:
        return _("Appendix: {what} ({first} of {n})").format(what=what, first=first, n=n)
    return _("Appendix: {what} ({first}–{last} of {n})").format(what=what, first=first, last=last, n=n)


def _group_slides(db: Cursor, p: Params, act: pd.DataFrame) -> list[Slide]:
    out = []
    meetings = metrics.meeting_list(db, p, months=72)
    for root_id, sub in act.groupby(act["root_id"].fillna(act["group_id"])):
        root = sub[sub["group_id"] == root_id]
        name = root["name"].iloc[0] if not root.empty else sub["root_name"].iloc[0]
        c = metrics.activity_counts(sub)
        names = dict(zip(sub["group_id"], sub["name"], strict=True))
        out.append(Slide(
            f"group:{root_id}", _("{name}: {active} active, {at_risk} at risk, {dormant} dormant").format(name=name, active=c['active'], at_risk=c['at_risk'], dormant=c['dormant']),
            figure=charts.meeting_timeline(meetings, names, metrics.months_before(p.as_of, 72), p.as_of,
                                           _("Meetings of the group and its sub-groups, last "
                                             "six years")),
            notes=_("The profile of {name} and its sub-groups: each mark is one meeting.").format(name=name)))
    return out
