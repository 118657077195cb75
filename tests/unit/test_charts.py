"""Every chart has a title and labelled axes, escapes extract text, and copes with no data."""
import datetime as dt

import pandas as pd
import pytest

from swgdash.present import charts, fitting, theme
from swgdash.query import metrics
from swgdash.query.metrics import Params

AS_OF = dt.date(2026, 10, 31)


def axis_titles(fig):
    layout = fig.to_plotly_json()["layout"]
    return {k: (v.get("title") or {}).get("text") for k, v in layout.items()
            if k.startswith(("xaxis", "yaxis")) and v.get("visible", True) is not False}


def figures(cur):
    p = Params(as_of=AS_OF, plan="10th NSEDP 2026-2030")
    act = metrics.group_activity(cur, p)
    names = dict(zip(act["group_id"], act["name"], strict=True))
    allnames = dict(zip(*[metrics.groups_all(cur)[c] for c in ("group_id", "name")], strict=True))
    cov = metrics.pillar_coverage(cur, p)
    start = metrics.months_before(AS_OF, 24)
    return {
        "activity_by_swg": charts.activity_by_swg(act),
        "days_since_last": charts.days_since_last(act, AS_OF, 184, 365),
        "heatmap": charts.heatmap(metrics.meetings_by_period(cur, p, "month"), names, "month", start, AS_OF),
        "per_quarter": charts.per_quarter(
            metrics.meetings_by_period(cur, p, "quarter"), allnames, "root_id", start, AS_OF, "Meetings per quarter"),
        "planned_vs_actual": charts.planned_vs_actual(metrics.planned_vs_actual(act)),
        "timeline": charts.meeting_timeline(metrics.meeting_list(cur, p), names, start, AS_OF),
        "alignment_matrix": charts.alignment_matrix(metrics.alignment_matrix(cur, p), cov, names),
        "pillar_coverage": charts.pillar_coverage(cov),
        "recommendation_status": charts.recommendation_status(metrics.recommendation_followup(cur, p)),
        "role_matrix": charts.role_matrix(metrics.declared_vs_actual(cur, p)),
        "donor_load": charts.donor_load(metrics.organisation_load(cur, p), 3),
        "attendance_rates": charts.attendance_rates(metrics.organisation_load(cur, p)),
        "leadership_gantt": charts.leadership_gantt(metrics.leadership_terms(cur, p), AS_OF, start,
                                                    metrics.months_after(AS_OF, 36)),
    }


@pytest.fixture(scope="module")
def demo_figures(demo_db):
    return figures(demo_db.cursor())


@pytest.mark.parametrize("name", ["activity_by_swg", "days_since_last", "heatmap", "per_quarter",
                                  "planned_vs_actual", "timeline", "alignment_matrix", "pillar_coverage",
                                  "recommendation_status", "role_matrix", "donor_load", "attendance_rates",
                                  "leadership_gantt"])
def test_chart_has_title_and_axis_titles(demo_figures, name):
    fig = demo_figures[name]
    assert fig.layout.title.text
    titles = axis_titles(fig)
    assert titles and all(t for t in titles.values())
    assert len(fig.data) >= 1


@pytest.mark.parametrize("name", ["activity_by_swg", "days_since_last", "heatmap", "per_quarter",
                                  "planned_vs_actual", "timeline", "alignment_matrix", "pillar_coverage",
                                  "recommendation_status", "role_matrix", "donor_load", "attendance_rates",
                                  "leadership_gantt"])
def test_margins_hold_the_tick_labels_without_plotly_measuring_them(demo_figures, name):
    """Automargin is off (it costs every browser a fifth of a page switch); the margin on the
    labels' side is at least the widest label line plus the axis title."""
    fig = demo_figures[name]
    layout = fig.to_plotly_json()["layout"]
    assert not any(v.get("automargin") for k, v in layout.items() if k.startswith(("xaxis", "yaxis")))
    assert fig.layout.template.layout.xaxis.automargin is False
    widest = max(fitting.text_px(line, fig.layout.yaxis.tickfont.size or fitting.FONT_SIZE)
                 for level in fitting._tick_labels(fig, fig.layout.yaxis.to_plotly_json(), "y")
                 for tick in level for line in fitting._lines(tick))
    assert fig.layout.margin.l >= widest + 14 + 8  # the labels, the title's line, its standoff
    side = fig.layout.xaxis.side or "bottom"
    assert (fig.layout.margin.t if side == "top" else fig.layout.margin.b) >= 14 * 1.25 + 14 * 1.3


def test_text_width_estimate_is_generous_and_reads_html():
    assert fitting._lines("A &amp; B<br>long<BR/>x<sup>y</sup>") == ["A & B", "long", "xy"]
    assert fitting.text_px("WWW", 14) > fitting.text_px("iii", 14) * 2
    assert fitting.text_px("\u0ea5\u0eb4", 14) == fitting.text_px("\u0ea5", 14)  # a vowel mark over a letter
    assert fitting.text_px("Health", 14) == pytest.approx(14 * (0.8 + 0.63 * 3 + 0.36 + 0.46))


def test_fit_margins_widens_for_labels_and_fonts_and_never_narrows():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[3, 120], y=["short", "a much longer group name"], orientation="h"))
    fig.update_layout(yaxis_title="Group", xaxis_title="Meetings")
    fitting.fit_margins(fig)
    small_l, small_b = fig.layout.margin.l, fig.layout.margin.b
    assert small_l >= fitting.text_px("a much longer group name", 14) + 14
    fig.update_layout(font_size=20)  # a slide's larger font
    fitting.fit_margins(fig)
    assert fig.layout.margin.l > small_l and fig.layout.margin.b > small_b
    fig.update_layout(margin=dict(l=900))
    assert fitting.fit_margins(fig).layout.margin.l == 900
    multi = go.Figure(go.Bar(x=[1, 2], y=[["Group one", "Group one"], ["WHO", "World Bank"]], orientation="h"))
    assert fitting.fit_margins(multi).layout.margin.l >= (fitting.text_px("Group one", 14)
                                                        + fitting.text_px("World Bank", 14))
    slanted = go.Figure(go.Heatmap(z=[[1, 2]], x=["Development partner A", "B"], y=["g"]))
    slanted.update_xaxes(side="top", tickangle=-45)
    fitting.fit_margins(slanted)
    assert slanted.layout.margin.r >= fitting.text_px("Development partner A", 14) * 0.7
    assert slanted.layout.margin.t >= 70 + fitting.text_px("Development partner A", 14) * 0.7


def test_colours_come_from_the_colour_blind_safe_palette(demo_figures):
    used = set()
    for fig in demo_figures.values():
        for trace in fig.data:
            colour = getattr(trace.marker, "color", None) if hasattr(trace, "marker") else None
            if isinstance(colour, str):
                used.add(colour)
    assert used and used <= set(theme.OKABE_ITO) | {"#999999", "#BBBBBB", "#52606d"}  # plus neutral greys


def test_labels_escape_html_and_wrap_without_cutting():
    assert theme.label("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    long = "Sub-SWG on Education Management, Administration and Performance Assessment"
    wrapped = theme.label(long, 30)
    assert "<br>" in wrapped and wrapped.replace("<br>", " ") == long
    assert theme.label(None) == "" and theme.label(float("nan")) == ""


def test_empty_data_gives_a_titled_message_not_an_error():
    empty_act = pd.DataFrame(columns=["group_id", "name", "activity", "last_meeting", "days_since_last", "root_name"])
    for fig in (charts.activity_by_swg(empty_act), charts.days_since_last(empty_act, AS_OF, 184, 365),
                charts.planned_vs_actual(pd.DataFrame(columns=["name", "planned", "actual", "shortfall", "activity"])),
                charts.pillar_coverage(pd.DataFrame()),
                charts.recommendation_status(pd.DataFrame({"actions": []}))):
        assert fig.layout.title.text and fig.layout.annotations


def test_days_since_last_puts_the_longest_silence_first(demo_figures):
    fig = demo_figures["days_since_last"]
    order = list(fig.layout.yaxis.categoryarray)
    dormant = [y for t in fig.data if t.name == "Dormant" for y in t.y]
    active = [y for t in fig.data if t.name == "Active" for y in t.y]
    assert max(order.index(y) for y in dormant) < min(order.index(y) for y in active)


def test_charts_with_a_row_per_group_show_at_most_sixty_and_say_so():
    n = 100
    ids = [f"G{i:03d}" for i in range(n)]
    names = {g: f"Group {g}" for g in ids}
    by = pd.DataFrame({"group_id": ids, "name": [names[g] for g in ids], "root_id": ids,
                       "period": [dt.date(2026, 10, 1)] * n, "meetings": [1] * n})
    fig = charts.heatmap(by, names, "month", dt.date(2026, 1, 1), AS_OF)
    assert len(fig.data[0].y) == charts.MAX_ROWS
    assert "the first 60 of 100 groups" in fig.layout.title.text
    small = charts.heatmap(by.head(5), {g: names[g] for g in ids[:5]}, "month", dt.date(2026, 1, 1), AS_OF)
    assert len(small.data[0].y) == 5 and "first" not in small.layout.title.text


def test_per_quarter_counts_each_swgs_meetings_with_sub_groups_rolled_in(demo_db):
    p = Params(as_of=AS_OF, plan="10th NSEDP 2026-2030")
    cur = demo_db.cursor()
    by_q = metrics.meetings_by_period(cur, p, "quarter", months=24)
    names = dict(zip(*[metrics.groups_all(cur)[c] for c in ("group_id", "name")], strict=True))
    fig = charts.per_quarter(by_q, names, "root_id", metrics.period_start(AS_OF, 24, "quarter"), AS_OF, "t")
    z = fig.data[0].z
    assert int(sum(map(sum, z))) == int(by_q["meetings"].sum())  # every meeting in one cell
    row = [theme.label(names["SWG-HEALTH"], 44) for _ in [0]][0]
    health = by_q[by_q["root_id"] == "SWG-HEALTH"]["meetings"].sum()
    assert sum(z[list(fig.data[0].y).index(row)]) == health
    assert fig.layout.xaxis.title.text == "Quarter" and fig.layout.yaxis.title.text == "Sector working group"


@pytest.mark.parametrize("rows,counted", [(1, True), (charts.COUNTED_ROWS, True), (charts.COUNTED_ROWS + 1, False)])
def test_per_quarter_writes_counts_in_cells_up_to_a_number_of_rows(rows, counted):
    by_q = pd.DataFrame({"root_id": [f"S{i:03}" for i in range(rows)], "period": [dt.date(2026, 7, 1)] * rows,
                         "meetings": [i % 3 for i in range(rows)]})
    fig = charts.per_quarter(by_q, {}, "root_id", dt.date(2026, 1, 1), AS_OF, "t")
    assert len(fig.data[0].y) == rows
    if counted:  # the count written in its cell, blank for none
        assert fig.data[0].texttemplate == "%{text}"
        assert [row[2] for row in fig.data[0].text] == [str(i % 3) if i % 3 else "" for i in range(rows)]
    else:  # colour and hover only
        assert fig.data[0].texttemplate is None and fig.data[0].text is None
        assert "%{z} meeting(s)" in fig.data[0].hovertemplate


def test_groups_sharing_a_name_keep_their_own_rows():
    """Two countries' Health SWGs: one row each, told apart by id, in every per-group chart."""
    act = pd.DataFrame({"group_id": ["H-LA", "H-KH"], "name": ["Health SWG", "Health SWG"], "activity": ["active"] * 2,
                        "last_meeting": [pd.Timestamp("2026-10-01")] * 2, "days_since_last": [30, 40],
                        "root_id": ["H-LA", "H-KH"], "root_name": ["Health SWG"] * 2})
    fig = charts.days_since_last(act, AS_OF, 184, 365)
    assert sorted(fig.data[0].y) == ["Health SWG (H-KH)", "Health SWG (H-LA)"]
    by_swg = charts.activity_by_swg(act)
    assert sorted(by_swg.data[0].y) == ["Health SWG (H-KH)", "Health SWG (H-LA)"]
    assert metrics.display_names(pd.DataFrame({"group_id": ["A", "B", "C"], "name": ["x", "x", "y"]})) == \
        {"A": "x (A)", "B": "x (B)", "C": "y"}


def test_figures_use_our_template_whatever_plotly_defaults_to(monkeypatch, demo_db):
    """Importing streamlit after swgdash.present.charts makes "streamlit" Plotly's default template;
    every chart names ours, so it looks the same in the app, the CLI and the slides."""
    import plotly.io as pio

    monkeypatch.setattr(pio.templates, "default", "plotly")
    act = metrics.group_activity(demo_db.cursor(), Params(as_of=AS_OF))
    fig = charts.planned_vs_actual(metrics.planned_vs_actual(act))
    assert fig.layout.template.layout.xaxis.automargin is False
    assert fig.layout.template.layout.font.family.startswith("'Noto Sans Lao', system-ui")
    assert charts._empty("t", "m").layout.template.layout.colorway == tuple(theme.OKABE_ITO)
