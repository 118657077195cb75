"""The figures: one function per chart, each with a title, labelled axes and a plain caption's worth
of hover text, built on the theme (swgdash.present.theme) and fitted (swgdash.present.fitting)."""
from __future__ import annotations

import datetime as dt
import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from swgdash import i18n
from swgdash.contract import ACTIVITIES, word
from swgdash.fmt import usd
from swgdash.i18n import _, ngettext
from swgdash.present.fitting import ASSUMED_WIDTH, FONT_SIZE, TEMPLATE_MARGIN, fitted, text_px
from swgdash.present.theme import (
    ACTIVITY_COLORS,
    FORMAT_COLORS,
    OKABE_ITO,
    SEQUENTIAL,
    STATUS_COLORS,
    STATUS_ORDER,
    date_ticks,
    figure,
    fmt_date,
    label,
    period_labels,
    quarter_label,
)
from swgdash.query.metrics import CHART_ROWS, TREND_YEARS, display_names, period_goes_on


def _height(n_rows: int, per_row: int = 26, base: int = 170, minimum: int = 320) -> int:
    return max(minimum, base + per_row * n_rows)


MAX_ROWS = CHART_ROWS  # a chart with a row per group stays readable; the tables beside it list every row


def _capped(keys: list, title: str, what: str, limit: int = MAX_ROWS) -> tuple[list, str]:
    """The first `limit` keys in the chart's order, and the title saying what was left out."""
    if len(keys) <= limit:
        return keys, title
    return keys[:limit], (_("{title}<br><sup>the first {limit} of {keys:,} {what} in this "
                            "order; pick an SWG in the sidebar to see its groups</sup>").format(title=title, limit=limit, keys=len(keys), what=what))


def _unique_names(df: pd.DataFrame, name: str = "group_name", key: str = "group_id") -> dict[str, str]:
    """id -> its name, with the id added where two groups share a name (so each gets its own row)."""
    pairs = df[[key, name]].drop_duplicates(key)
    return display_names(pairs.set_axis(["group_id", "name"], axis=1))


def _empty(title: str, message: str) -> go.Figure:
    fig = figure()
    fig.update_layout(title=html.escape(title), height=260, xaxis=dict(visible=False), yaxis=dict(visible=False))
    fig.add_annotation(text=html.escape(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=16, color="#52606d"))
    return fig


@fitted
def days_since_last(activity: pd.DataFrame, as_of: dt.date, at_risk_days: int, dormant_days: int) -> go.Figure:
    """Horizontal bars: days since each group last met, coloured by activity, longest silence
    on top. Bars stop at twice the dormant window so recent groups stay visible; every bar's
    label gives the real figure."""
    title = _("Days since each group last met")
    if activity.empty:
        return _empty(title, _("No group counts as of this date."))
    df = activity.copy()
    never = df["last_meeting"].isna()
    cap = float(max(2 * dormant_days, at_risk_days + 30))
    days = df["days_since_last"].astype(float)
    df["shown"] = days.where(~never, cap).clip(upper=cap)
    df["sort"] = days.where(~never, float("inf"))
    df["text"] = [(_("never met") if n else _("{value} days").format(value=int(d))) for n, d in zip(never, df["days_since_last"], strict=True)]
    df = df.sort_values(["sort", "name"], ascending=[False, True])
    keep, title = _capped(list(df["group_id"]), title, _("groups"))
    df = df[df["group_id"].isin(keep)]
    names = _unique_names(df, "name")
    df["y"] = [label(names[g], 44) for g in df["group_id"]]
    fig = figure()
    for act in ACTIVITIES:
        sub = df[df["activity"] == act]
        if sub.empty:
            continue
        fig.add_bar(
            y=sub["y"], x=sub["shown"], orientation="h",
            name=word("activity", act), marker_color=ACTIVITY_COLORS[act],
            marker_pattern_shape=["/" if s >= cap else "" for s in sub["shown"]],
            text=sub["text"], textposition="outside", cliponaxis=False,
            customdata=sub[["group_id"]].to_numpy(),
            hovertemplate="%{y}<br>%{text}<extra>" + word("activity", act) + "</extra>",
        )
    # each threshold named at its line's foot, inside the plot (the rows met most recently, down
    # there, have short bars), one above the other so that close lines keep both words readable
    # (on a slide, deck.slide_figure puts them above the plot: its last row may be a long bar)
    for n, days_ in enumerate((at_risk_days, dormant_days)):
        fig.add_vline(x=days_, line_dash="dash", line_color="#52606d")
        fig.add_annotation(x=days_, y=0, yref="paper", yanchor="bottom", xanchor="left", xshift=3,
                           yshift=4 + 20 * (1 - n), showarrow=False, bgcolor="rgba(255,255,255,0.85)",
                           text=_("{days} days").format(days=days_), font=dict(size=12, color="#52606d"))
    fig.update_layout(
        title=title, barmode="overlay", height=_height(len(df), 34),
        xaxis_title=_("Days since the last meeting (hatched: never met, or over {cap} days)").format(cap=int(cap)),
        yaxis=dict(categoryorder="array", categoryarray=list(df["y"]), autorange="reversed", title=_("Group")),
        legend=dict(x=1, xanchor="right"),
    )
    fig.update_xaxes(range=[0, cap * 1.18])
    # the longest bar's words reach past the axis's 18% of headroom (on a plot of some 400 pixels)
    widest = max((text_px(t, FONT_SIZE) for t in df["text"]), default=0.0)
    fig.update_layout(margin_r=max(TEMPLATE_MARGIN.get("r", 20), math.ceil(widest - 0.18 * 400) + 8))
    return fig


@fitted
def heatmap(by_period: pd.DataFrame, names: dict[str, str], unit: str, start: dt.date, end: dt.date) -> go.Figure:
    """Group x month (or quarter) heatmap of meeting counts."""
    what = _("Month") if unit == "month" else _("Quarter")
    title = _("Meetings per group and month") if unit == "month" else _("Meetings per group and quarter")
    if by_period.empty:
        return _empty(title, _("No meetings in this period with these filters."))
    freq = "MS" if unit == "month" else "QS"
    periods = pd.date_range(start, end, freq=freq)
    table = (by_period.assign(period=pd.to_datetime(by_period["period"]))
             .pivot_table(index="group_id", columns="period", values="meetings", aggfunc="sum", fill_value=0)
             .reindex(columns=periods, fill_value=0))
    keep, title = _capped(sorted(names, key=lambda g: names[g]), title, _("groups"))
    table = table.reindex(keep).fillna(0)
    xlab = period_labels(periods, unit, end)
    fig = figure(go.Heatmap(
        z=table.to_numpy(), x=xlab, y=[label(names[g], 44) for g in table.index],
        colorscale=SEQUENTIAL, zmin=0, xgap=2, ygap=2,
        colorbar=dict(title=dict(text=_("Meetings"), side="right"), thickness=14,
                      dtick=1 if table.to_numpy().max() <= 12 else None),
        hovertemplate=_("%{y}<br>%{x}: %{z} meeting(s)") + "<extra></extra>",
    ))
    fig.update_layout(title=title, height=_height(len(table), 34),
                      xaxis_title=what, yaxis_title=_("Group"),
                      yaxis=dict(autorange="reversed"), xaxis=dict(tickangle=-45, side="bottom"))
    return fig


COUNTED_ROWS = 24  # per_quarter writes the count in each cell up to this many rows


@fitted
def per_quarter(by_quarter: pd.DataFrame, names: dict[str, str], key: str,
                start: dt.date, end: dt.date, title: str) -> go.Figure:
    """One row per SWG (or per sub-group), one column per quarter, the count in each cell
    (up to COUNTED_ROWS rows: each written number costs the browser a text layout, and
    hundreds of them took a second to draw): a quarter with no meeting stands out as a
    blank cell. One trace, so it draws at once."""
    if by_quarter.empty:
        return _empty(title, _("No meetings in this period with these filters."))
    periods = pd.date_range(start, end, freq="QS")
    table = (by_quarter.assign(period=pd.to_datetime(by_quarter["period"]))
             .pivot_table(index=key, columns="period", values="meetings", aggfunc="sum", fill_value=0)
             .reindex(columns=periods, fill_value=0))
    keep, title = _capped(sorted(table.index, key=lambda k: names.get(k, k)), html.escape(title), _("rows"))
    table = table.reindex(keep).fillna(0).astype(int)
    xlab = period_labels(periods, "quarter", end)
    z = table.to_numpy()
    counts = dict(text=[[str(v) if v else "" for v in row] for row in z], texttemplate="%{text}",
                  textfont=dict(size=13)) if len(table) <= COUNTED_ROWS else {}
    fig = figure(go.Heatmap(
        z=z, x=xlab, y=[label(names.get(k, k), 44) for k in table.index], **counts,
        colorscale=SEQUENTIAL, zmin=0, xgap=2, ygap=2,
        colorbar=dict(title=dict(text=_("Meetings"), side="right"), thickness=14),
        hovertemplate=_("%{y}<br>%{x}: %{z} meeting(s)") + "<extra></extra>",
    ))
    fig.update_layout(title=title, height=_height(len(table), 38), xaxis_title=_("Quarter"),
                      yaxis_title=_("Sector working group") if key == "root_id" else _("Group"),
                      yaxis=dict(autorange="reversed"), xaxis=dict(tickangle=-45, side="bottom"))
    return fig


@fitted
def planned_vs_actual(pva: pd.DataFrame) -> go.Figure:
    """Dot plot: planned meetings a year (hollow) vs meetings held in 12 months (filled)."""
    title = _("Planned meetings a year vs meetings held in the last 12 months")
    if pva.empty:
        return _empty(title, _("No counting group has a planned number of meetings."))
    df = pva.sort_values(["shortfall", "name"], ascending=[False, True])
    keep, title = _capped(list(range(len(df))), title, _("groups (largest shortfall first)"))
    df = df.iloc[:len(keep)]
    names = _unique_names(df, "name")
    y = [label(names[g], 44) for g in df["group_id"]]
    fig = figure()
    gap_x, gap_y = [], []  # one trace for every group's gap line (a shape each is slow to draw)
    for yy, p, a in zip(y, df["planned"], df["actual"], strict=True):
        gap_x += [p, a, None]
        gap_y += [yy, yy, None]
    fig.add_scatter(x=gap_x, y=gap_y, mode="lines", line=dict(color="#9aa5b1", width=2), showlegend=False,
                    hoverinfo="skip")
    fig.add_scatter(x=df["planned"], y=y, mode="markers", name=_("Planned a year"),
                    marker=dict(symbol="circle-open", size=13, color="#52606d", line_width=2),
                    hovertemplate=_("%{y}<br>planned: %{x} a year") + "<extra></extra>")
    for act in ACTIVITIES:
        sub = df[df["activity"] == act]
        if sub.empty:
            continue
        fig.add_scatter(x=sub["actual"], y=[label(names[g], 44) for g in sub["group_id"]], mode="markers",
                        name=_("Held: {lower} group").format(lower=word('activity', act).lower()),
                        marker=dict(size=12, color=ACTIVITY_COLORS[act],
                                    symbol={"active": "circle", "at_risk": "diamond", "dormant": "x"}[act]),
                        hovertemplate=_("%{y}<br>held: %{x} in 12 months") + "<extra></extra>")
    top = max(df["planned"].max(), df["actual"].max())
    fig.update_layout(title=title, height=_height(len(df), 34), margin=dict(t=125),
                      xaxis_title=_("Meetings (planned: from the terms of reference)"),
                      yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=y, title=_("Group")),
                      xaxis=dict(range=[-0.5, top + 0.7], dtick=1 if top <= 12 else None))
    return fig


@fitted
def meeting_timeline(meetings: pd.DataFrame, names: dict[str, str], start: dt.date, end: dt.date,
                     title: str | None = None) -> go.Figure:
    """One row per group, one mark per meeting, shaped by format."""
    title = _("Meeting timeline") if title is None else title
    if not names:
        return _empty(title, _("No group to show."))
    order, title = _capped(sorted(names, key=lambda g: names[g]), html.escape(title), _("groups"))
    ylab = {g: label(names[g], 44) for g in order}  # order: metrics.chart_rows(names), as the meetings asked for
    meetings = meetings[meetings["group_id"].isin(ylab)
                        & (pd.to_datetime(meetings["date"]) >= pd.Timestamp(start))]
    if meetings.empty:  # an empty category axis would show meaningless numbers
        return _empty(title, _("No meetings in this period."))
    fig = figure()
    for fmt, symbol in (("joint", "circle"), ("donors_only", "triangle-up")):
        sub = meetings[meetings["format"].fillna("joint") == fmt]
        if sub.empty:
            continue
        fig.add_scatter(x=sub["date"], y=[ylab[g] for g in sub["group_id"]], mode="markers",
                        name=word("format", fmt), marker=dict(size=10, symbol=symbol, color=FORMAT_COLORS[fmt],
                                                             line=dict(width=1, color="white")),
                        customdata=[fmt_date(d) for d in sub["date"]],
                        hovertemplate="%{y}<br>%{customdata}<extra>" + word("format", fmt) + "</extra>")
    fig.update_layout(title=title, height=_height(len(order), 34, base=180),
                      xaxis_title=_("Meeting date"), xaxis=dict(range=[start, end], **date_ticks(start, end)),
                      yaxis=dict(categoryorder="array", categoryarray=[ylab[g] for g in order],
                                 autorange="reversed", title=_("Group")))
    return fig


@fitted
def alignment_matrix(matrix: pd.DataFrame, pillars: pd.DataFrame, group_names: dict[str, str]) -> go.Figure:
    """Group x pillar squares coloured by the group's activity; filled for the primary pillar."""
    title = _("Which groups work on which pillar")
    if matrix.empty:
        return _empty(title, _("No counting group is aligned to a pillar of this plan."))
    # columns headed by the pillar's id (its name is in the hover, and beside the id in the
    # coverage chart above): names of 6+ pillars crowded over one another at 1280 pixels
    plab = {r.pillar_id: html.escape(str(r.pillar_id)) for r in pillars.itertuples()}
    pname = {r.pillar_id: label(f"{r.pillar_id}: {r.name}", 40) for r in pillars.itertuples()}
    order, title = _capped(sorted(set(matrix["group_id"]), key=lambda g: group_names.get(g, g)), title, _("groups"))
    matrix = matrix[matrix["group_id"].isin(order)]
    glab = {g: label(group_names.get(g, g), 44) for g in order}
    fig = figure()
    for act in ACTIVITIES:
        sub = matrix[matrix["activity"] == act]
        if sub.empty:
            continue
        fig.add_scatter(
            x=[plab[p] for p in sub["pillar_id"]], y=[glab[g] for g in sub["group_id"]], mode="markers",
            name=_("{activity} group").format(activity=word("activity", act)),
            marker=dict(symbol=["square" if pr else "square-open" for pr in sub["primary"]], size=20,
                        color=ACTIVITY_COLORS[act], line=dict(width=3, color=ACTIVITY_COLORS[act])),
            customdata=[pname[p] for p in sub["pillar_id"]],
            hovertemplate="%{y}<br>%{customdata}<extra>" + word("activity", act) + "</extra>")
    crowded = len(plab) * max(text_px(t, 12) for t in plab.values()) > 0.5 * ASSUMED_WIDTH
    fig.update_layout(
        title=title, height=_height(len(order), 36, base=200),
        xaxis=dict(categoryorder="array", categoryarray=list(plab.values()), side="top",
                   title=dict(text=_("Pillar"), standoff=4), tickangle=-40 if crowded else 0,
                   tickfont=dict(size=12)),
        yaxis=dict(categoryorder="array", categoryarray=[glab[g] for g in order], autorange="reversed",
                   title=_("Group")),
        legend=dict(y=-0.02, yanchor="top"),
    )
    return fig


@fitted
def pillar_coverage(cov: pd.DataFrame, selection: bool = False) -> go.Figure:
    """Stacked bars per pillar: active, at-risk and dormant groups; gaps called out (for a
    `selection` of groups, as not covered by them: other groups may cover the pillar)."""
    title = _("Groups behind each pillar, by activity")
    if cov.empty:
        return _empty(title, _("The plan has no pillars."))
    df = cov.sort_values("pillar_id")
    y = [label(f"{r.pillar_id}: {r.name}", 40) for r in df.itertuples()]
    fig = figure()
    for act, col in (("active", "active_groups"), ("at_risk", "at_risk_groups"), ("dormant", "dormant_groups")):
        fig.add_bar(y=y, x=df[col], orientation="h", name=word("activity", act), marker_color=ACTIVITY_COLORS[act],
                    hovertemplate=_("%{y}<br>%{x} group(s): ") + word("activity", act) + "<extra></extra>")
    top = max(1, int(df["groups"].max()))
    for yy, gap, n in zip(y, df["gap"], df["groups"], strict=True):
        if gap:
            fig.add_annotation(y=yy, x=n, xanchor="left", xshift=8, showarrow=False,
                               text="<b>" + (_("none functioning among these groups") if selection
                                             else _("GAP: no functioning group")) + "</b>", font=dict(color="#D55E00", size=13))
    fig.update_layout(title=title, barmode="stack", height=_height(len(df), 44),
                      xaxis_title=_("Counting groups aligned to the pillar"),
                      yaxis=dict(autorange="reversed", title=_("Pillar")),
                      xaxis=dict(dtick=1 if top <= 12 else None, range=[0, max(top * 1.35, 4)]))
    return fig


@fitted
def carry_over(pillars: pd.DataFrame, to_plan: str) -> go.Figure:
    """Stacked bars per pillar of the new plan: functioning groups aligned to it directly, functioning
    groups the crosswalk carries to it, and dormant ones; its gaps before and after realignment called out."""
    title = _("Groups behind each pillar of {plan}, after carry-over").format(plan=to_plan)
    if pillars.empty:
        return _empty(title, _("The plan has no pillars."))
    df = pillars.sort_values("pillar_id")
    y = [label(f"{r.pillar_id}: {r.name}", 40) for r in df.itertuples()]
    fig = figure()
    for col, name, colour, shape in (
            ("functioning_direct", _("Aligned"), OKABE_ITO[0], ""),
            ("functioning_carried", _("Carried over"), OKABE_ITO[4], "/"),
            ("not_functioning", _("Dormant"), ACTIVITY_COLORS["dormant"], "x")):
        fig.add_bar(y=y, x=df[col], orientation="h", name=name, marker_color=colour, marker_pattern_shape=shape,
                    hovertemplate="%{y}<br>%{x} " + _("group(s)") + ": " + name + "<extra></extra>")
    totals = df["n_direct"] + df["n_carried"]
    for yy, r, n in zip(y, df.itertuples(), totals, strict=True):
        note = (_("GAP: no functioning group") if r.gap else
                _("gap closed by carry-over") if r.gap_before else "")
        if note:
            fig.add_annotation(y=yy, x=n, xanchor="left", xshift=8, showarrow=False, text="<b>" + note + "</b>",
                               font=dict(color="#D55E00" if r.gap else "#000000", size=13))
    top = max(1, int(totals.max()))
    fig.update_layout(title=title, barmode="stack", height=_height(len(df), 44),
                      xaxis_title=_("Counting groups"), yaxis=dict(autorange="reversed", title=_("Pillar")),
                      xaxis=dict(dtick=1 if top <= 12 else None, range=[0, max(top * 1.45, 4)]))
    return fig


@fitted
def recommendation_status(followup: pd.DataFrame) -> go.Figure:
    """Stacked bars per recommendation: actions by status, with the overdue count."""
    title = _("Follow-up actions per recommendation, by status")
    if followup.empty or followup["actions"].sum() == 0:
        return _empty(title, _("No follow-up action has been recorded."))
    df = followup.sort_values("rec_id")
    y = [label(f"{r.rec_id}: {r.title}", 46) for r in df.itertuples()]
    fig = figure()
    for st in STATUS_ORDER:
        fig.add_bar(y=y, x=df[st], orientation="h", name=word("action_status", st), marker_color=STATUS_COLORS[st],
                    marker_pattern_shape="x" if st == "dropped" else "",
                    hovertemplate=_("%{y}<br>%{x} action(s): ") + word("action_status", st) + "<extra></extra>")
    for yy, total, over in zip(y, df["actions"], df["overdue"], strict=True):
        if over:
            fig.add_annotation(y=yy, x=total, xanchor="left", xshift=6, showarrow=False,
                               text="<b>" + _("{n} overdue").format(n=int(over)) + "</b>", font=dict(color="#D55E00", size=13))
    fig.update_layout(title=title, barmode="stack", height=_height(len(df), 48),
                      xaxis_title=_("Actions"), yaxis=dict(autorange="reversed", title=_("Recommendation")),
                      xaxis=dict(range=[0, df["actions"].max() * 1.25 + 1]))
    return fig


@fitted
def activity_by_swg(activity: pd.DataFrame) -> go.Figure:
    """Stacked bars per SWG (sub-groups rolled up): how many of its groups are active, at risk, dormant."""
    title = _("Activity of the groups in each sector working group")
    if activity.empty:
        return _empty(title, _("No group counts as of this date."))
    df = activity.assign(root_name=activity["root_name"].fillna(activity["name"]),
                         root_id=activity["root_id"].fillna(activity["group_id"]))
    roots = _unique_names(df, "root_name", "root_id")
    counts = df.pivot_table(index="root_id", columns="activity", values="group_id", aggfunc="count",
                            fill_value=0).reindex(columns=list(ACTIVITIES), fill_value=0)
    counts = counts.assign(_d=counts["dormant"], _t=counts.sum(axis=1)).sort_values(["_d", "_t"], ascending=False)
    keep, title = _capped(list(counts.index), title, _("SWGs (most dormant groups first)"))
    counts = counts.iloc[:len(keep)]
    y = [label(roots[r], 40) for r in counts.index]
    fig = figure()
    for act in ACTIVITIES:
        fig.add_bar(y=y, x=counts[act], orientation="h", name=word("activity", act),
                    marker_color=ACTIVITY_COLORS[act], text=[v if v else "" for v in counts[act]],
                    textposition="inside", insidetextanchor="middle",
                    hovertemplate=_("%{y}<br>%{x} group(s): ") + word("activity", act) + "<extra></extra>")
    top = int(counts["_t"].max())
    fig.update_layout(title=title, barmode="stack", height=_height(len(counts), 34),
                      xaxis_title=_("Groups (the SWG and its sub-groups)"),
                      yaxis=dict(autorange="reversed", title=_("Sector working group")),
                      xaxis=dict(dtick=1 if top <= 12 else None))
    return fig


def trend_labels(points, every: str) -> list[str]:
    """Each point of a trend by its period ('Q4 2022', 'Nov 2022', '2022'); a point that is no
    period end (the as-of date) by its day."""
    from swgdash.query.metrics import period_end

    out = []
    for d in (pd.Timestamp(p).date() for p in points):
        if period_end(d, every) != d:
            out.append(fmt_date(d))
        else:
            out.append(quarter_label(d) if every == "quarter" else i18n.month_text(d) if every == "month" else str(d.year))
    return out


@fitted
def activity_trend(trend: pd.DataFrame, every: str = "quarter", marks: dict | None = None) -> go.Figure:
    """Stacked bars at each point of the trend (metrics.trend): how many counting groups were
    active, at risk and dormant then; `marks` ({day: words}) draws a dashed line before the first
    point on or after each day (the 2022 review's date)."""
    title = _("Active, at-risk and dormant groups over the years")
    if trend.empty or int(trend["counting"].sum()) == 0:
        return _empty(title, _("No group counted at any of these dates."))
    x = trend_labels(trend["as_of"], every)
    fig = figure()
    for act in ACTIVITIES:
        fig.add_bar(x=x, y=trend[act].to_numpy(), name=word("activity", act), marker_color=ACTIVITY_COLORS[act],
                    customdata=np.stack([trend["counting"].to_numpy(), trend["meetings_12m"].to_numpy()], axis=-1),
                    hovertemplate=_("%{x}: %{y} of %{customdata[0]} counting groups ") + word("activity", act).lower()
                    + _("<br>%{customdata[1]} meetings in the 12 months before") + "<extra></extra>")
    _mark(fig, trend, marks)
    top = int(trend["counting"].max())
    fig.update_yaxes(range=[0, top * 1.2 + 1])
    axis = _trend_axis(every)
    fig.update_layout(title=title, barmode="stack", height=460, xaxis_title=axis, yaxis_title=_("Counting groups"),
                      legend=dict(traceorder="normal"))
    return fig


def review_marks(review: dt.date | None) -> dict:
    """The dates a trend chart marks ({day: words}): the review's (settings.review_date), if any."""
    return {review: _("Review of {day}").format(day=i18n.date_text(review, short=True))} if review else {}


def _trend_axis(every: str) -> str:
    return {"quarter": _("At the end of each quarter"), "month": _("At the end of each month"),
            "year": _("At the end of each year")}[every]


ACTIVITY_DASHES = {"active": "solid", "at_risk": "dash", "dormant": "dot"}  # not told apart by colour alone


@fitted
def activity_lines(trend: pd.DataFrame, every: str = "quarter", marks: dict | None = None) -> go.Figure:
    """The overview's small trend: a line per activity at each point of the trend (metrics.trend)."""
    title = _("Active, at-risk and dormant groups, the last {years} years").format(years=TREND_YEARS)
    if trend.empty or int(trend["counting"].sum()) == 0:
        return _empty(title, _("No group counted at any of these dates."))
    x = trend_labels(trend["as_of"], every)
    fig = figure()
    for act in ACTIVITIES:
        fig.add_scatter(x=x, y=trend[act].to_numpy(), name=word("activity", act), mode="lines+markers",
                        line=dict(color=ACTIVITY_COLORS[act], width=3, dash=ACTIVITY_DASHES[act]),
                        hovertemplate=_("%{x}: %{y} groups ") + word("activity", act).lower() + "<extra></extra>")
    _mark(fig, trend, marks)
    fig.update_yaxes(range=[0, int(trend[list(ACTIVITIES)].to_numpy().max()) * 1.25 + 1])
    axis = _trend_axis(every)
    fig.update_layout(title=title, height=340, xaxis_title=axis, yaxis_title=_("Groups"))
    return fig


@fitted
def meetings_trend(trend: pd.DataFrame, every: str = "quarter", marks: dict | None = None) -> go.Figure:
    """The counting groups' meetings in the 12 months before each point of the trend (metrics.trend)."""
    title = _("Meetings in the 12 months before each date")
    if trend.empty or int(trend["counting"].sum()) == 0:
        return _empty(title, _("No group counted at any of these dates."))
    x = trend_labels(trend["as_of"], every)
    fig = figure(go.Scatter(x=x, y=trend["meetings_12m"].to_numpy(), name=_("Meetings"), mode="lines+markers",
                             line=dict(color=OKABE_ITO[0], width=3),
                             hovertemplate=_("%{x}: %{y} meetings in the 12 months before") + "<extra></extra>"))
    _mark(fig, trend, marks)
    fig.update_yaxes(range=[0, int(trend["meetings_12m"].max()) * 1.25 + 1])
    fig.update_layout(title=title, height=340, xaxis_title=_trend_axis(every), yaxis_title=_("Meetings"),
                      showlegend=False)
    return fig


def _mark(fig: go.Figure, trend: pd.DataFrame, marks: dict | None) -> None:
    """A dashed line before the first point on or after each day of `marks` ({day: words}), its words at
    the top of the plot's headroom (the legend is above the plot)."""
    days = pd.to_datetime(trend["as_of"]).dt.date.tolist()
    for day, words in (marks or {}).items():
        after = [i for i, d in enumerate(days) if d >= day]
        if not after or after[0] == 0:
            continue  # outside the chart
        at = after[0] - 0.5
        fig.add_shape(type="line", x0=at, x1=at, xref="x", y0=0, y1=1, yref="paper",
                      line=dict(color="#111827", width=2, dash="dash"))
        fig.add_annotation(x=at, y=1, xref="x", yref="paper", yanchor="top", xanchor="left", xshift=4, showarrow=False,
                           text=html.escape(words), font=dict(size=13, color="#111827"), bgcolor="rgba(255,255,255,0.85)")


ROLE_COLORS = {"chair": "#000000", "co_chair": "#D55E00", "focal_point": "#E69F00", "vice_focal_point": "#CC79A7",
               "active": "#0072B2", "attending": "#56B4E9", "informed": "#BBBBBB", "secretariat": "#CC79A7"}
ROLE_SYMBOLS = {"chair": "star", "co_chair": "diamond", "focal_point": "square", "vice_focal_point": "square-open",
                "active": "circle", "attending": "circle-open", "informed": "x-thin-open", "secretariat": "cross"}


@fitted
def role_matrix(roles: pd.DataFrame) -> go.Figure:
    """Development partner x group: each partner's highest current role in each group."""
    title = _("Which development partner does what in which group")
    if roles.empty:
        return _empty(title, _("No development partner membership covers this date."))
    names = _unique_names(roles)
    groups, title = _capped(sorted(names, key=lambda g: (names[g], g)), title, _("groups"))
    roles = roles[roles["group_id"].isin(groups)]
    orgs = sorted(set(roles["organisation"]))
    glab = {g: label(names[g], 44) for g in groups}
    fig = figure()
    for role, name in ((r, word("role", r)) for r in ROLE_SYMBOLS):
        sub = roles[roles["role"] == role]
        if sub.empty:
            continue
        fig.add_scatter(x=[label(o, 80) for o in sub["organisation"]], y=[glab[g] for g in sub["group_id"]],
                        mode="markers", name=name,
                        marker=dict(symbol=ROLE_SYMBOLS[role], size=13, color=ROLE_COLORS[role],
                                    line=dict(width=2, color=ROLE_COLORS[role])),
                        hovertemplate=_("%{x} in %{y}: ") + name + "<extra></extra>")
    fig.update_layout(
        title=title, height=_height(len(groups), 30, base=320), margin=dict(t=200),
        # each partner's name on one line: upright, side by side, a line's height apart is all they need
        xaxis=dict(categoryorder="array", categoryarray=[label(o, 80) for o in orgs], side="top", tickangle=-45,
                   title=dict(text=word("org_type", "development_partner"), standoff=6)),
        yaxis=dict(categoryorder="array", categoryarray=[glab[g] for g in groups], autorange="reversed",
                   title=_("Group")),
        legend=dict(y=-0.01, yanchor="top"),
    )
    return fig


def partners_in_order(load: pd.DataFrame) -> pd.DataFrame:
    """The development partners donor_load draws (an active or chair role), in most groups first."""
    return load[(load["active_groups"] > 0) | (load["chair_roles"] > 0)].sort_values(
        ["active_groups", "chair_roles", "organisation"], ascending=[False, False, True])


@fitted
def donor_load(load: pd.DataFrame, cap: int) -> go.Figure:
    """Bars per development partner: groups with an active role, and chair roles; the cap as a line."""
    title = _("Groups each development partner is active in, and chairs")
    df = partners_in_order(load)
    if df.empty:
        return _empty(title, _("No development partner holds an active role on this date."))
    y = [label(o, 30) for o in df["organisation"]]
    fig = figure()
    fig.add_bar(y=y, x=df["active_groups"], orientation="h", name=_("Groups with an active role"),
                marker_color=OKABE_ITO[0], hovertemplate=_("%{y}: active in %{x} group(s)") + "<extra></extra>")
    fig.add_bar(y=y, x=df["chair_roles"], orientation="h", name=_("Co-chair or focal point"),
                marker_color=OKABE_ITO[1], marker_pattern_shape="/",
                hovertemplate=_("%{y}: chairs %{x} group(s)") + "<extra></extra>")
    fig.add_vline(x=cap + 0.5, line_dash="dash", line_color="#D55E00")
    # the line named in the legend, never beside it: any place in the plot lies on some list's bar
    fig.add_scatter(x=[None], y=[None], mode="lines", name=_("cap: {cap} groups").format(cap=cap),
                    line=dict(dash="dash", color="#D55E00"), hoverinfo="skip")
    fig.update_layout(title=title, barmode="group", height=_height(len(df), 40),
                      xaxis=dict(title=_("Groups (counting groups, on the as-of date)"),
                                 dtick=1 if max(df["active_groups"].max(), cap + 1) <= 20 else None),
                      yaxis=dict(autorange="reversed", title=word("org_type", "development_partner")),
                      legend=dict(x=1, xanchor="right"))
    return fig


@fitted
def attendance_rates(load: pd.DataFrame) -> go.Figure:
    """Dot per development partner: share of its recorded attendances where it was present."""
    title = _("How often each development partner was present, last 12 months")
    df = load[load["attendance_rate_12m"].notna()].sort_values("attendance_rate_12m")
    if df.empty:
        return _empty(title, _("No attendance is recorded in the last 12 months."))
    fig = figure(go.Bar(
        y=[label(o, 30) for o in df["organisation"]], x=df["attendance_rate_12m"].astype(float) * 100,
        orientation="h", marker_color=[OKABE_ITO[3] if r < 0.5 else OKABE_ITO[0] for r in df["attendance_rate_12m"]],
        text=[_("{r:.0%} of {n}").format(r=r, n=n) for r, n in zip(df["attendance_rate_12m"], df["attendance_rows_12m"], strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.add_vline(x=50, line_dash="dash", line_color="#52606d")
    fig.update_layout(title=title, height=_height(len(df), 30), showlegend=False,
                      xaxis=dict(title=_("Present at recorded meetings (%)"), range=[0, 118]),
                      yaxis=dict(title=word("org_type", "development_partner")))
    return fig


GANTT_ROWS = 120  # every demo term fits, the government chairs' too (95 rows); more are one SWG's worth


@fitted
def leadership_gantt(terms: pd.DataFrame, as_of: dt.date, start: dt.date, end: dt.date) -> go.Figure:
    """Gantt of chair, co-chair and focal-point terms: one row per group and organisation."""
    title = _("Chair, co-chair and focal-point terms")
    if terms.empty:
        return _empty(title, _("No chair, co-chair or focal-point term is recorded."))
    df = terms.copy()
    s = pd.to_datetime(df["start_on"]).fillna(pd.Timestamp(start))
    e = pd.to_datetime(df["end_on"]).fillna(pd.Timestamp(end))
    df = df[(e >= pd.Timestamp(start)) & (s <= pd.Timestamp(end))]
    # (pandas clips dates to a Timestamp; pandas-stubs types clip's bounds as numbers only)
    s = s.loc[df.index].clip(lower=pd.Timestamp(start))  # type: ignore[call-overload]
    e = e.loc[df.index].clip(upper=pd.Timestamp(end))  # type: ignore[call-overload]
    if df.empty:
        return _empty(title, _("No term falls in this period."))
    pairs = list(dict.fromkeys(zip(df["group_id"].tolist(), df["organisation"].tolist(), strict=True)))
    keep, title = _capped(pairs, title, _("group and organisation rows"), GANTT_ROWS)
    if len(keep) < len(pairs):
        kept = set(keep)
        inside = pd.Series([pair in kept for pair in zip(df["group_id"].tolist(), df["organisation"].tolist(), strict=True)],
                           index=df.index)
        df, s, e = df[inside], s[inside], e[inside]
    names = _unique_names(df)
    rows = [[label(names[g], 34) for g in df["group_id"]], [label(o, 26) for o in df["organisation"]]]
    fig = figure()
    for role in ("chair", "co_chair", "focal_point", "vice_focal_point"):
        mask = (df["role"] == role).to_numpy()
        if not mask.any():
            continue
        fig.add_bar(
            y=[[a for a, m in zip(rows[0], mask, strict=True) if m], [b for b, m in zip(rows[1], mask, strict=True) if m]],
            base=s[mask].dt.strftime("%Y-%m-%d").tolist(),
            x=((e[mask] - s[mask]).dt.total_seconds() * 1000).tolist(),
            orientation="h", name=word("role", role), marker_color=ROLE_COLORS[role],
            marker_pattern_shape=["." if pd.isna(x) else "" for x in df.loc[mask, "end_on"]],
            customdata=df.loc[mask, ["start_on", "end_on"]].astype(str).replace({"NaT": "open", "None": "open"}).to_numpy(),
            hovertemplate=_("%{y}<br>%{customdata[0]} to %{customdata[1]}") + "<extra>" + word("role", role) + "</extra>")
    fig.add_vline(x=pd.Timestamp(as_of).value / 1e6, line_dash="dash", line_color="#52606d")
    n = len(df.drop_duplicates(["group_id", "organisation"]))
    fig.update_layout(title=title, barmode="overlay", height=_height(n, 34, base=220),
                      # the as-of date named in the axis title: a label by the line sat on a year's tick
                      # below the axis, or on the legend above it
                      xaxis=dict(type="date", range=[start, end], **date_ticks(start, end),
                                 title=_("Term (dashed line: as of {as_of:%d %b %Y})").format(as_of=as_of)),
                      yaxis=dict(autorange="reversed", title=_("Group and organisation"), tickfont=dict(size=12)),
                      legend=dict(x=1, xanchor="right"))
    return fig


@fitted
def quarterly_totals(by_quarter: pd.DataFrame, start: dt.date, end: dt.date) -> go.Figure:
    """All groups' meetings per quarter."""
    title = _("Meetings per quarter, all groups")
    if by_quarter.empty:
        return _empty(title, _("No meetings in this period."))
    periods = pd.date_range(start, end, freq="QS")
    totals = (by_quarter.assign(period=pd.to_datetime(by_quarter["period"])).groupby("period")["meetings"].sum()
              .reindex(periods, fill_value=0))
    labels = period_labels(periods, "quarter", end)
    partial = period_goes_on(pd.Timestamp(end).date(), "quarter")  # the last bar hatched: a quarter not over
    fig = figure(go.Bar(x=labels, y=totals.to_numpy(), marker_color=OKABE_ITO[0], text=totals.to_numpy(),
                         marker_pattern_shape=[""] * (len(labels) - 1) + ["/" if partial else ""],
                           textposition="outside", cliponaxis=False,
                           hovertemplate=_("%{x}: %{y} meetings") + "<extra></extra>"))
    fig.update_layout(title=title, height=460, xaxis_title=_("Quarter"), yaxis_title=_("Meetings"), showlegend=False)
    return fig




@fitted
def funding_by_group(rows: pd.DataFrame, years: int, source: str = "") -> go.Figure:
    """Stacked bars per group with sector codes: US dollars its sectors received in the window, each
    activity once, from activities with a funder that sits in the group and from those funded from
    outside it only (rows: group_id, name, member_usd, other_usd; largest first)."""
    title = _("Funding of each group's sectors, by whether a funder sits in the group")
    df = rows[(rows["member_usd"] + rows["other_usd"]) > 0]
    if df.empty:
        return _empty(title, _("No disbursement or expenditure in these groups' sectors was found in the IATI data."))
    df = df.assign(total=df["member_usd"] + df["other_usd"]).sort_values(["total", "name"], ascending=[False, True])
    names = _unique_names(df, "name")
    keys, title = _capped(df["group_id"].tolist(), title, _("groups"))
    df = df[df["group_id"].isin(keys)]
    y = [label(names[g], 34) for g in df["group_id"]]
    fig = figure()
    for col, name, colour, shape in (("member_usd", _("A funder sits in the group"), OKABE_ITO[0], ""),
                                     ("other_usd", _("No funder sits in the group"), OKABE_ITO[1], "/")):
        fig.add_bar(y=y, x=df[col] / 1e6, orientation="h", name=name, marker_color=colour, marker_pattern_shape=shape,
                    text=[usd(v) for v in df[col]], textposition="none",  # (the figures table's words)
                    hovertemplate="%{y}<br>" + name + ": %{text}<extra></extra>")
    axis = ngettext("US$ million spent in the last year", "US$ million spent in the last {years} years",
                    years).format(years=years)
    fig.update_layout(title=title, barmode="stack", height=_height(len(df), 34),
                      xaxis_title=f"{axis} · {source}" if source else axis,
                      yaxis=dict(autorange="reversed", title=_("Group")), legend=dict(x=1, xanchor="right"))
    return fig
