"""Charts and tables at a phone's and a tablet's width (issue 18): fitting.for_screen, the
figures table behind every chart, the counts a heatmap writes, the last period's label, the
columns a table keeps (widgets.fitting_columns)."""
import copy
import datetime as dt

import pandas as pd
import pytest

from swgdash.present import alt, charts, fitting, theme
from swgdash.present.fitting import text_px
from swgdash.query import metrics

PHONE = 358  # the main column of a 390-pixel phone


@pytest.fixture(scope="module")
def demo(demo_db):
    cur = demo_db.cursor()
    as_of = demo_db.version.as_of
    return cur, metrics.Params(as_of=as_of, plan=metrics.default_plan(metrics.plans(cur), as_of))


def tick_lines(fig):
    """Every line of every y category label the figure draws."""
    labels = list(fig.layout.yaxis.categoryarray or ()) or [y for t in fig.data for y in fitting._array(t.y) or ()]
    return [line for label in labels if isinstance(label, str) for line in fitting._lines(label)]


def test_a_phone_gets_its_labels_narrower_its_legend_below_and_no_drag_zoom(demo):
    cur, p = demo
    fig = charts.days_since_last(metrics.group_activity(cur, p), p.as_of, 183, 365)
    assert max(text_px(line, 12) for line in tick_lines(fig)) > 0.45 * PHONE  # wider than a phone has
    fitting.for_screen(fig, PHONE)
    lay = fig.layout
    assert max(text_px(line, 12) for line in tick_lines(fig)) <= 0.45 * PHONE + 1
    assert lay.legend.yref == "container" and lay.legend.y == 0 and lay.legend.orientation == "h"
    assert lay.dragmode is False and lay.xaxis.fixedrange and lay.yaxis.fixedrange
    assert PHONE - lay.margin.l - lay.margin.r >= 100  # a plot is left
    assert all(b.textposition == "none" for b in fig.data)  # no words after the bars: the table has them


def test_a_laptop_keeps_the_layout_and_a_touch_screen_only_loses_drag_zoom(demo):
    cur, p = demo
    fig = charts.days_since_last(metrics.group_activity(cur, p), p.as_of, 183, 365)
    before = fig.to_json()
    assert fitting.for_screen(fig, fitting.ASSUMED_WIDTH).to_json() == before
    rows = [list(t.y) for t in fig.data]
    fitting.for_screen(fig, 1460, touch=True)
    assert fig.layout.dragmode is False
    assert [list(t.y) for t in fig.data] == rows


def test_notes_on_rows_follow_the_rows_new_labels(demo):
    cur, p = demo
    fig = charts.recommendation_status(metrics.recommendation_followup(cur, p))
    rowed = [a for a in fig.layout.annotations if isinstance(a.y, str)]
    assert rowed  # the "n overdue" notes
    fitting.for_screen(fig, PHONE)
    rows = {y for t in fig.data for y in fitting._array(t.y)}
    assert all(a.y in rows for a in fig.layout.annotations if isinstance(a.y, str))


def counts(quarters: int, value: int, start: str = "2018-01-01") -> pd.DataFrame:
    periods = pd.date_range(start, periods=quarters, freq="QS")
    return pd.DataFrame([{"root_id": g, "period": d.date(), "meetings": value} for g in ("A", "B") for d in periods])


@pytest.mark.parametrize("quarters,value,written", [(4, 3, True), (12, 12, True), (32, 9, True), (32, 12, False)])
def test_a_heatmap_writes_its_counts_only_where_they_fit(quarters, value, written):
    start = dt.date(2018, 1, 1)
    end = (pd.Timestamp(start) + pd.DateOffset(months=3 * quarters) - pd.Timedelta(days=1)).date()
    fig = charts.per_quarter(counts(quarters, value), {"A": "Group A", "B": "Group B"}, "root_id", start, end, "t")
    assert bool(fig.data[0].texttemplate) is written


def test_a_phone_drops_counts_a_laptop_writes():
    start, end = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
    fig = charts.per_quarter(counts(12, 12, "2024-01-01"), {"A": "Group A", "B": "Group B"}, "root_id", start, end, "t")
    assert fig.data[0].texttemplate
    fitting.fit_margins(fitting.for_screen(fig, PHONE), PHONE)
    assert not fig.data[0].texttemplate


@pytest.mark.parametrize("as_of,unit,last", [
    (dt.date(2026, 9, 30), "quarter", "Q3 2026"),  # the quarter's last day: over
    (dt.date(2026, 10, 1), "quarter", "Q4 2026<br>(to 01 Oct)"),  # its first day: not over
    (dt.date(2026, 10, 31), "quarter", "Q4 2026<br>(to 31 Oct)"),
    (dt.date(2026, 10, 31), "month", "Oct 2026"),  # the month's last day
    (dt.date(2026, 10, 30), "month", "Oct 2026<br>(to 30 Oct)"),
])
def test_the_last_period_says_when_it_is_not_over(as_of, unit, last):
    periods = pd.date_range(dt.date(2026, 1, 1), as_of, freq="QS" if unit == "quarter" else "MS")
    labels = theme.period_labels(periods, unit, as_of)
    assert labels[-1] == last and "(to" not in " ".join(labels[:-1])


def test_the_figures_table_holds_what_each_chart_draws(demo):
    cur, p = demo
    fol = metrics.recommendation_followup(cur, p)
    table = alt.figures_table(charts.recommendation_status(fol))
    assert len(table) == len(fol) and table.columns[0] == "Recommendation"
    assert table[["Done", "In progress", "Not started", "Dropped"]].to_numpy().sum() == fol["actions"].sum()
    # a heatmap as it is: a row per row, a column per quarter
    start = metrics.period_start(p.as_of, 36, "quarter")
    by_q = metrics.meetings_by_period(cur, p, "quarter", months=36)
    heat = alt.figures_table(charts.per_quarter(by_q, metrics.display_names(metrics.groups_all(cur)), "root_id",
                                                   start, p.as_of, "t"))
    assert heat.iloc[:, 1:].to_numpy().sum() == by_q["meetings"].sum()
    # terms: a row per group and organisation, each term as its start and end
    terms = metrics.leadership_terms(cur, p)
    terms = terms[terms["role"] != "chair"]
    gantt = alt.figures_table(charts.leadership_gantt(terms, p.as_of, dt.date(2024, 10, 31), dt.date(2029, 10, 31)))
    assert gantt.columns[0] == "Group and organisation" and len(gantt) > 20
    assert all(" · " in row for row in gantt.iloc[:, 0])
    cells = [v for col in gantt.columns[1:] for v in gantt[col].dropna()]
    assert cells and all(" – " in v for v in cells)
    # a chart with no figures has none; a cached copy of a chart (typed arrays) the same figures
    assert alt.figures_table(charts._empty("t", "nothing")).empty
    fig = charts.per_quarter(by_q, metrics.display_names(metrics.groups_all(cur)), "root_id", start, p.as_of, "t")
    pd.testing.assert_frame_equal(alt.figures_table(copy.deepcopy(fig)), alt.figures_table(fig))


def test_the_days_table_gives_the_real_days_not_the_capped_bar():
    activity = pd.DataFrame({"group_id": ["A", "B"], "name": ["Old", "Never"], "days_since_last": [2000, None],
                             "last_meeting": [dt.date(2021, 5, 1), None], "activity": ["dormant", "dormant"]})
    table = alt.figures_table(charts.days_since_last(activity, dt.date(2026, 10, 31), 183, 365))
    assert dict(zip(table["Group"], table["Dormant"], strict=True)) == {"Old": "2000 days", "Never": "never met"}


def test_every_term_is_drawn_with_the_government_chairs_up_to_120_rows():
    def terms(n):
        return pd.DataFrame({"group_id": [f"G{i}" for i in range(n)], "group_name": [f"Group {i}" for i in range(n)],
                             "organisation": ["Org"] * n, "role": ["chair"] * n,
                             "start_on": [dt.date(2024, 1, 1)] * n, "end_on": [dt.date(2027, 1, 1)] * n})
    whole = charts.leadership_gantt(terms(95), dt.date(2026, 10, 31), dt.date(2024, 10, 31), dt.date(2029, 10, 31))
    assert "the first" not in whole.layout.title.text and len(alt.figures_table(whole)) == 95
    capped = charts.leadership_gantt(terms(130), dt.date(2026, 10, 31), dt.date(2024, 10, 31), dt.date(2029, 10, 31))
    assert "the first 120 of 130" in capped.layout.title.text


def test_a_table_keeps_the_columns_that_fit_and_its_profile_link():
    from swgdash.app import widgets

    view = pd.DataFrame({"Group": ["Sub-SWG on Education Management, Administration and Performance Assessment"],
                         "Activity": ["Dormant"], "Last meeting": ["2024-01-01"], "Chair": ["Ministry of Education"],
                         "Parent SWG": ["Education Sector Working Group"], "Profile": ["/group?id=X"]})
    assert widgets.fitting_columns(view, 1460) == list(view.columns)
    narrow = widgets.fitting_columns(view, 330)
    assert narrow[0] == "Group" and narrow[-1] == "Profile" and len(narrow) < len(view.columns)
    assert widgets.fitting_columns(view, 10) == ["Group", "Profile"]  # the key column always


@pytest.mark.parametrize("width", [40, 100, 150, 280])
def test_a_lao_date_axis_lays_out_at_any_width_in_finite_time(width):
    """A date axis with a tick a year (Lao) at a width narrower than one label once looped for ever
    (a crafted screen message could send any width)."""
    from swgdash import i18n

    terms = pd.DataFrame({"group_id": ["G1"], "group_name": ["Group one"], "organisation": ["ADB"], "role": ["chair"],
                          "start_on": [dt.date(2015, 1, 1)], "end_on": [None], "current": [True]})
    with i18n.language("lo"):
        fig = charts.leadership_gantt(terms, dt.date(2026, 10, 31), dt.date(2014, 1, 1), dt.date(2028, 12, 31))
        fitting.for_screen(fig, width)
    assert fig.layout.xaxis.dtick.startswith("M")


def test_a_crafted_screen_width_is_held_to_what_a_screen_can_be(monkeypatch):
    import streamlit as st

    from swgdash.app import screen

    for sent, held in ((1, 280), (100_000, 10_000), (390, 390)):
        monkeypatch.setattr(st, "session_state", {"screen": {"screen": {"width": sent, "touch": False, "stacked": False}}})
        assert screen.current().width == held


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_on_a_phone_the_reviews_mark_stands_above_the_plot_on_one_line(demo, lang):
    """Issue 30: in Lao on a phone, the review's words wrapped to two lines inside the plot and hid
    the bars and the line below them."""
    from swgdash import i18n, settings

    cur, p = demo
    with i18n.language(lang):
        for build in (charts.activity_trend, charts.meetings_trend):
            fig = build(metrics.trend(cur, p), "quarter", charts.review_marks(settings.review_date()))
            fitting.for_screen(fig, PHONE)
            marks = [n for n in fig.layout.annotations if "2022" in (n.text or "")]
            assert marks, build.__name__
            for note in marks:
                assert note.yref == "paper" and note.y == 1 and note.yanchor == "bottom", build.__name__
                assert "<br>" not in note.text and 0 <= note.x <= 1, build.__name__
            assert fig.layout.margin.t >= 22
