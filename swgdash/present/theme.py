"""The charts' look: one template, one colour-blind-safe palette (Okabe-Ito), and the labels every
chart writes (`label()` HTML-escapes a name from an extract and wraps it instead of cutting it)."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from swgdash import i18n
from swgdash.i18n import _
from swgdash.query.metrics import period_goes_on

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
ACTIVITY_COLORS = {"active": "#0072B2", "at_risk": "#E69F00", "dormant": "#D55E00"}
STATUS_COLORS = {"done": "#009E73", "in_progress": "#56B4E9", "not_started": "#CC79A7",
                 "dropped": "#999999"}
FORMAT_COLORS = {"joint": "#0072B2", "donors_only": "#E69F00"}
STATUS_ORDER = ("done", "in_progress", "not_started", "dropped")  # the bars' order, left to right
SEQUENTIAL = [[0.0, "#f4f8fb"], [0.01, "#deebf7"], [0.35, "#6baed6"], [0.7, "#2171b5"], [1.0, "#08306b"]]

pio.templates["swg"] = go.layout.Template(
    layout=go.Layout(
        # Lao first in the bundled Noto Sans Lao (its face covers the Lao block only: Latin falls through
        # to the system's font), so Lao labels are drawn as the fitting measured them on every computer
        font=dict(family="'Noto Sans Lao', system-ui, -apple-system, 'Segoe UI', 'Noto Sans', sans-serif",
                  size=14, color="#1f2933"),
        # at the figure's top edge: clear of a legend or an axis above the plot
        title=dict(font=dict(size=18), x=0, xanchor="left", yref="container", y=1, yanchor="top", pad=dict(t=20)),
        colorway=OKABE_ITO,
        paper_bgcolor="white", plot_bgcolor="white",
        # margins come from fit_margins(): Plotly's automargin measures every tick label in
        # the browser on each draw (a fifth of a page switch on /meetings)
        xaxis=dict(gridcolor="#e5e7eb", zeroline=False, automargin=False, title_standoff=8),
        yaxis=dict(gridcolor="#e5e7eb", zeroline=False, automargin=False, title_standoff=8, ticklabelstandoff=6),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title_text="",
                    traceorder="normal"),
        margin=dict(l=10, r=20, t=90, b=50),
        hoverlabel=dict(font_size=14),
    )
)
# merged once here: a "plotly_white+swg" default would be merged again for every figure
pio.templates["swg_white"] = pio.templates.merge_templates("plotly_white", "swg")
pio.templates.default = "swg_white"
TEMPLATE = pio.templates["swg_white"]


def figure(*data, **kwargs) -> go.Figure:
    """A new figure on our template, named rather than taken from Plotly's default: importing
    streamlit after this module makes "streamlit" the default (as a CLI or a test may)."""
    return go.Figure(data=list(data), layout={"template": TEMPLATE}, **kwargs)


def label(text, width: int = 38) -> str:
    """Extract text made safe for Plotly: escaped, and wrapped rather than cut."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    text = str(text)
    if i18n.has_lao(text):  # a Lao letter is about a third wider than a Latin one: lines as wide in pixels
        width = max(10, round(width * 0.75))
    lines = i18n.wrap(text, width) or [""]  # at spaces, and between Lao words (never in a syllable)
    return "<br>".join(html.escape(line) for line in lines)


def fmt_date(day) -> str:
    """A day in the language ('05 Nov 2026', '5 ພະຈິກ 2026'); empty when there is none."""
    return "" if day is None or pd.isna(day) else i18n.date_text(pd.Timestamp(day).date(), short=True)


def date_ticks(start, end) -> dict:
    """A date axis's tick format: Plotly writes month names in English only, so a chart in another
    language shows years (or month/year over less than two years)."""
    if i18n.current() == "en":
        return {}
    long = (pd.Timestamp(end) - pd.Timestamp(start)).days >= 730
    return {"tickformat": "%Y", "dtick": "M12"} if long else {"tickformat": "%m/%Y"}


def quarter_label(day) -> str:
    """'Q3 2026' (ໄຕມາດ 3 2026 in Lao)."""
    return _("Q{quarter} {year}").format(quarter=(day.month - 1) // 3 + 1, year=day.year)


def period_labels(periods, unit: str, as_of) -> list[str]:
    """Each month's or quarter's label; the last one, when it is not over on `as_of`, says up to
    which day it counts ('Q4 2026 (to 31 Oct)'): a short bar there is no drop."""
    labels = [i18n.month_text(p) if unit == "month" else quarter_label(p) for p in periods]
    if labels and period_goes_on(pd.Timestamp(as_of).date(), unit):
        labels[-1] = _("{period}<br>(to {day})").format(period=labels[-1], day=i18n.date_text(as_of, short=True).rsplit(" ", 1)[0])
    return labels


