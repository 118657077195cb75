"""The sentences the pages, the slides and the command line say about the figures: what counts,
what a caveat warns of, what a trend shows (swgdash.query.metrics computes the figures)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from swgdash.contract import word
from swgdash.fmt import is_missing, months_label
from swgdash.i18n import N_, _, ngettext
from swgdash.query.db import Cursor
from swgdash.query.metrics import (
    Params,
    Period,
    months_before,
    period_goes_on,
    plan_periods,
)

# Which groups count, in words (the definition itself is the query database's counts_at).
COUNTING_WORDS = N_("A group counts when it was established by the as-of date and had not closed by then: its "
                    "closing date is later, or it has none and its status is active.")


def not_counted_sentence(apart: pd.DataFrame, months: int = 12) -> str:
    """One sentence naming the meetings of `not_counted` (empty when there are none)."""
    if apart.empty:
        return ""
    n, groups = int(apart["meetings"].sum()), list(dict.fromkeys(apart["name"]))
    named = ", ".join(groups[:3]) + (_(" and {groups} more").format(groups=len(groups) - 3) if len(groups) > 3 else "")
    return ngettext("{n} meeting of the last {months} months is in no figure here, of {named}: groups that do "
                    "not count at this date, or meetings set aside as data problems. The Data quality page "
                    "lists them.",
                    "{n} meetings of the last {months} months are in no figure here, of {named}: groups that do "
                    "not count at this date, or meetings set aside as data problems. The Data quality page "
                    "lists them.", n).format(n=n, months=months, named=named)


def plan_caveat(plan: str | None, periods: dict[str, Period], as_of: dt.date) -> str | None:
    """A sentence when as_of is outside the plan's period (its figures judge groups against a
    plan that had ended, or not begun), else None."""
    if not plan or plan not in periods:
        return None
    start, end = periods[plan]
    if as_of > end:
        return (_("The {plan} ended on {end:%d %B %Y}, before {as_of:%d %B %Y}: the pillars "
                  "shown are those of a plan that is over. Add the next plan's pillars to the "
                  "extract, or pick another plan.").format(plan=plan, end=end, as_of=as_of))
    if as_of < start:
        return _("The {plan} starts on {start:%d %B %Y}, after {as_of:%d %B %Y}: its pillars "
                 "were not yet in force.").format(plan=plan, start=start, as_of=as_of)
    return None


def as_of_caveats(db: Cursor, p: Params, published: dt.date) -> list[str]:
    """Plain warnings when the as-of date asks more than the extract records: a date after
    the one the data were published for (later meetings are not recorded yet), or a dormancy
    window that starts before the first recorded meeting (earlier meetings are not recorded)."""
    out = []
    if caveat := plan_caveat(p.plan, plan_periods(db), p.as_of):
        out.append(caveat)
    if p.as_of > published:
        out.append(_("These figures are for {as_of:%d %B %Y}, after the date the data were "
                     "published for ({published:%d %B %Y}): meetings held since then are not "
                     "recorded, so groups look less active than they may be.").format(as_of=p.as_of, published=published))
    first = db.query("meeting_span")["first_meeting"].iloc[0]
    if not pd.isna(first) and p.as_of < pd.Timestamp(first).date():
        out.append(_("No meeting is recorded before {first:%d %B %Y}, and these figures are "
                     "for {as_of:%d %B %Y}, earlier: every group looks as if it never met.").format(first=pd.Timestamp(first), as_of=p.as_of))
    elif not pd.isna(first) and months_before(p.as_of, p.dormant_months) < pd.Timestamp(first).date():
        out.append(_("The meeting records start on {first:%d %B %Y}, less than "
                     "{dormant_months} months before {as_of:%d %B %Y}: groups that met before "
                     "the records start look dormant or as if they never met.").format(first=pd.Timestamp(first), dormant_months=p.dormant_months, as_of=p.as_of))
    return out


def status_caveat(as_of: dt.date, published: dt.date) -> str | None:
    """Why action statuses may not fit another as-of date (they are recorded once)."""
    if as_of == published:
        return None
    return (_("Action statuses are as recorded when the data were published ({published:%d %B "
              "%Y}), not as they stood on {as_of:%d %B %Y}; whether an action is overdue "
              "follows the date.").format(published=published, as_of=as_of))


def partial_period(as_of: dt.date, unit: str) -> str:
    """A sentence for a chart by month or quarter when its last one is not over on as_of
    (its count covers part of it, and looks like a drop), else an empty string."""
    return "" if not period_goes_on(as_of, unit) else _(" The last {unit} counts meetings up to {as_of:%d %B %Y} only.").format(unit=word("unit", unit), as_of=as_of)


def why_not_counting(info: dict) -> str:
    """Why a group does not count on as_of, in words: its row of group_info, whose `not_counting`
    is the reason the query database gives (the macro not_counting_reason, beside the one
    definition of a counting group, counts_at)."""
    reason = info.get("not_counting")
    if reason == "established_later":
        established = info.get("established_on")
        if established is None or is_missing(established):
            return _("it was established later")
        return _("it was established on {when:%d %B %Y}, after that date").format(when=pd.Timestamp(established))
    if reason == "closed" and (closed := info.get("closed_on")) is not None:
        return _("it closed on {when:%d %B %Y}").format(when=pd.Timestamp(closed))
    return _("its status is {value}").format(value=word("group_status", info.get("status")).lower())


def trend_caveat(df: pd.DataFrame, first_meeting, dormant_months: int) -> str | None:
    """A sentence when the trend's first points look back further than the meeting records reach
    (their groups look more dormant than they were), else None."""
    if df.empty or first_meeting is None or pd.isna(first_meeting):
        return None
    first = pd.Timestamp(first_meeting).date()
    short = [d for d in pd.to_datetime(df["as_of"]).dt.date if months_before(d, dormant_months) < first]
    if not short:
        return None
    return _("The meeting records start on {first:%d %B %Y}: up to {last:%d %B %Y}, the {months} window looks "
             "back before them, so groups there may look more dormant than they were.").format(
        first=first, last=max(short), months=months_label(dormant_months))


def trend_sentence(df: pd.DataFrame) -> str:
    """What the trend shows, first point against last: 'From 31 December 2021 to 31 October 2026,
    dormant groups went from 2 to 8 and active ones from 30 to 19, of 34 and 33 counting groups.'"""
    if df.empty:
        return ""
    first, last = df.iloc[0], df.iloc[-1]
    return _("From {start:%d %B %Y} to {end:%d %B %Y}, dormant groups went from {d0} to {d1} and active ones from "
             "{a0} to {a1} (of {c0} counting groups then, {c1} at the end); meetings in the 12 months before went "
             "from {m0} to {m1}.").format(start=pd.Timestamp(first["as_of"]), end=pd.Timestamp(last["as_of"]),
                             d0=int(first["dormant"]), d1=int(last["dormant"]), a0=int(first["active"]),
                             a1=int(last["active"]), c0=int(first["counting"]), c1=int(last["counting"]),
                             m0=int(first["meetings_12m"]), m1=int(last["meetings_12m"]))
