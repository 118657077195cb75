"""Plotly figures: one template, one colour-blind-safe palette (Okabe-Ito).

Every figure has a title and labelled axes; every label that comes from an
extract goes through `label()`, which HTML-escapes it (Plotly renders a subset
of HTML in text) and wraps long names instead of cutting them.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import math
import re
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from swgdash import i18n
from swgdash.contract import ACTIVITIES, word
from swgdash.i18n import _
from swgdash.query.metrics import CHART_ROWS, TREND_YEARS, display_names, period_goes_on

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
        font=dict(family="system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans Lao', sans-serif",
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


def _figure(*data, **kwargs) -> go.Figure:
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


FONT_SIZE = 14  # the template's
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")


@functools.lru_cache(maxsize=8192)
def text_px(text: str, size: float) -> float:
    """A generous estimate of one line's width in pixels, in the sans-serif fonts the
    template names (DejaVu Sans, among the widest, sets the widths; Lao and other scripts
    count wider than Latin letters)."""
    em = 0.0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue  # marks drawn over the letter before, and zero-width characters
        if ch in " .,;:!|'`ijl":
            em += 0.36
        elif ch in "ftr()[]{}-/\\\"*":
            em += 0.46
        elif ch in "mwMW@%&":
            em += 1.0
        elif ch.isupper():
            em += 0.8
        elif ch.isdigit():
            em += 0.66
        elif ch.isascii():
            em += 0.63
        else:
            em += 0.8
    return em * size


def _lines(tick) -> list[str]:
    """A tick label's lines as drawn: Plotly's <br> breaks, tags dropped, entities read."""
    return [html.unescape(_TAG.sub("", part)) for part in _BR.split(str(tick))]


def _tick_labels(fig: go.Figure, axis: dict, letter: str) -> list[list[str]]:
    """The tick labels the axis can show, per level (a multi-category axis has two, drawn
    side by side): its categories, or numbers and dates as Plotly writes them."""
    if axis.get("ticktext") is not None:
        return [[str(t) for t in axis["ticktext"]]]
    values = [list(v) for v in (getattr(trace, letter, None) for trace in fig.data) if v is not None]
    if any(v and isinstance(v[0], (list, tuple, np.ndarray)) for v in values):  # multi-category
        return [list(dict.fromkeys(str(t) for v in values for t in v[level])) for level in (0, 1)]
    if axis.get("categoryarray") is not None and len(axis["categoryarray"]):
        return [[str(t) for t in axis["categoryarray"]]]
    flat = [x for v in values for x in v]
    bounds = list(axis.get("range") or ())
    if axis.get("type") == "date" or any(isinstance(v, (dt.date, pd.Timestamp, np.datetime64))
                                         for v in flat[:50] + bounds):
        return [[i18n.month_text(dt.date(2026, 9, 1))]]  # a date axis: its widest tick, about
    text = [v for v in flat if isinstance(v, str)]
    if text:
        return [list(dict.fromkeys(text))]
    numbers = [abs(float(v)) for v in flat + bounds if isinstance(v, (int, float)) and not pd.isna(v)]
    return [["-" + f"{max(numbers, default=0):,.0f}" + ".5"]]  # a sign, digits with separators, a decimal


_TEMPLATE_MARGIN = pio.templates["swg_white"].layout.margin.to_plotly_json()
# The width a chart is drawn at on a 1280-pixel screen with the sidebar open: an axis title longer
# than the plot it is centred on is wrapped (at spaces, and between Lao words).
ASSUMED_WIDTH = 820


def wrap_px(text: str, size: float, max_px: float) -> str:
    """Text (no <br> in it) in lines of at most `max_px` pixels, joined by <br>."""
    if "<br" in text.lower() or text_px(text, size) <= max_px:
        return text
    return "<br>".join(i18n.wrap(text, max_px, measure=lambda line: text_px(line, size)))


def fit_margins(fig: go.Figure, width: int | None = None) -> go.Figure:
    """Margins wide enough for the axes' tick labels and titles, worked out here instead of
    by Plotly's automargin in every browser on every draw, for a chart `width` pixels wide (its
    layout's own width, else ASSUMED_WIDTH). Never narrows a margin the figure already has. Call
    it after any change to fonts or labels (slides do)."""
    lay = fig.layout.to_plotly_json()  # plain dicts: Plotly's property access is slow
    base = lay.get("font", {}).get("size") or FONT_SIZE
    given = lay.get("margin", {})
    need = {k: given.get(k, _TEMPLATE_MARGIN.get(k, 0)) for k in ("l", "r", "t", "b")}
    y_rows = (0, 1, 0.0)  # the y axis's categories, most lines of one, pixels a line
    for letter, side_default in (("y", "left"), ("x", "bottom")):  # (y first: the x title fits what is left)
        axis = lay.get(f"{letter}axis", {})
        if axis.get("visible") is False:
            continue
        size = axis.get("tickfont", {}).get("size") or base
        levels = [[_lines(tick) for tick in ticks] for ticks in _tick_labels(fig, axis, letter)]
        widths = [max((text_px(line, size) for tick in ticks for line in tick), default=0.0) for ticks in levels]
        widest = sum(widths) + 12 * (len(widths) - 1)
        rows = max((len(tick) for ticks in levels for tick in ticks), default=1)
        title = axis.get("title", {})
        title_px = 0.0
        if title.get("text") and letter == "x":  # centred on the plot: wrapped to fit it
            # centred on the plot, it may reach into the narrower of the two side margins
            room = (lay.get("width") or width or ASSUMED_WIDTH) - need["l"] - need["r"] + 2 * min(need["l"], need["r"]) - 8
            wrapped = wrap_px(title["text"], (title.get("font", {}).get("size") or base * 1.2) * 1.05, max(100, room))
            if wrapped != title["text"]:
                title = {**title, "text": wrapped}
                fig.layout.xaxis.title.text = wrapped
        if title.get("text"):
            # (an axis title's font is a fifth larger than the chart's unless set; a margin too
            # small for it has Plotly push it up over the tick labels)
            title_px = (title.get("font", {}).get("size") or base * 1.2) * 1.3 * len(_lines(title["text"])) + (
                title["standoff"] if title.get("standoff") is not None else 8)
        if letter == "y":
            need["l"] = max(need["l"], math.ceil(widest + 12 + title_px + 4))
            y_rows = (len(levels[0]) if levels and all(isinstance(t, list) for t in levels[0]) else 0, rows,
                      size * (1.6 if any(i18n.has_lao(line) for tick in levels[0] for line in tick) else 1.3)
                      if levels else 0)
            continue
        if axis.get("tickangle") in (None, "auto") and len(levels) == 1 and len(levels[0]) > 1 and \
                axis.get("type") != "date" and axis.get("dtick") is None:  # categories side by side
            plot = (lay.get("width") or width or ASSUMED_WIDTH) - need["l"] - need["r"]
            if widest > plot / len(levels[0]) - 10:  # too wide to stand upright side by side: slanted
                axis = {**axis, "tickangle": -45}
                fig.layout.xaxis.tickangle = -45
        angle = math.radians(abs(axis.get("tickangle") or 0)) if axis.get("tickangle") != "auto" else 0.0
        if 0 < angle < math.radians(80) and len(levels) == 1 and len(levels[0]) > 1 and axis.get("type") != "date":
            # slanted labels stand side by side a line's height apart at least; else upright
            reach = widest * math.cos(angle) + 10  # slanted, they reach past the plot: up-right above, down-left below
            top = axis.get("side", side_default) == "top"
            spacing = ((lay.get("width") or width or ASSUMED_WIDTH) - max(need["l"], 0 if top else reach)
                       - max(need["r"], reach if top else 0)) / len(levels[0])
            if spacing * math.sin(angle) < size * 1.35 * rows:
                upright = {"tickangle": -90} if spacing >= size * 1.4 * rows else {
                    "tickangle": -90, "tickfont": {**axis.get("tickfont", {}), "size": max(8, int(spacing / (1.4 * rows)))}}
                axis = {**axis, **upright}
                fig.layout.xaxis.update(upright)
                angle = math.radians(90)
                size = axis.get("tickfont", {}).get("size") or size
        if not angle and levels and levels[0] and isinstance(levels[0][-1], list):  # the last label, centred
            need["r"] = max(need["r"], math.ceil(max(text_px(line, size) for line in levels[0][-1]) / 2 - 20))
        tall = rows * size * 1.25
        side = "t" if axis.get("side", side_default) == "top" else "b"
        room = math.ceil(widest * math.sin(angle) + tall * math.cos(angle) + 10 + title_px + 4)
        need[side] = max(need[side], room + (70 if side == "t" else 0))  # the chart title sits above a top axis
        if angle:  # slanted labels reach past the plot's edge: up-right above it, down-left below
            edge = "r" if side == "t" else "l"
            need[edge] = max(need[edge], math.ceil(widest * math.cos(angle) + 10))
    # rows of category labels over two lines or more (Lao ones stand taller) get the height they need
    n, lines, line_px = y_rows
    if n and lines > 1 and lay.get("height") and not lay.get("yaxis", {}).get("range"):
        tall_enough = need["t"] + need["b"] + n * (lines * line_px + 6)
        if lay["height"] < tall_enough:
            fig.layout.height = math.ceil(tall_enough)
    extra = len(_BR.findall(str(lay.get("title", {}).get("text") or "")))
    if extra:  # a title over several lines: all of them above the plot
        need["t"] = max(need["t"], 32 + 26 * (extra + 1))
    changed = {k: v for k, v in need.items() if v != given.get(k)}
    if changed:
        fig.layout.margin.update(changed)
    _counts_that_fit(fig, (lay.get("width") or width or ASSUMED_WIDTH) - need["l"] - need["r"])
    return fig


def _counts_that_fit(fig: go.Figure, plot_px: float) -> None:
    """A heatmap writes its counts in its cells only when each fits its cell (over eight years of
    quarters, or on a phone, two digits would run into the next cell's): else the colours, the
    hover and the chart's table tell them."""
    for trace in fig.data:
        if trace.type != "heatmap" or not trace.texttemplate or trace.text is None or trace.x is None:
            continue
        colorbar = 70 if trace.showscale is not False else 0
        cell = (plot_px - colorbar) / max(1, len(trace.x)) - (trace.xgap or 0)
        size = trace.textfont.size or FONT_SIZE
        widest = max((text_px(str(t), size) for row in trace.text for t in row), default=0.0)
        if widest + 4 > cell:
            trace.update(texttemplate=None, text=None)


def unwrapped(text: str) -> str:
    """A label's or title's <br> breaks undone: a space between words, nothing between two Lao
    words (Lao writes none)."""
    return re.sub(r"(.?)<br\s*/?>(.?)", lambda m: m[1] + ("" if i18n.has_lao(m[1]) and i18n.has_lao(m[2]) else " ")
                  + m[2], str(text))


def _array(values):
    """A trace's values as a list: Plotly keeps arrays as typed-array dicts ({'dtype', 'bdata'})
    once a figure has been copied or unpickled (a cached slide's)."""
    if isinstance(values, dict) and "bdata" in values:
        data = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        shape = values.get("shape")
        if shape:
            data = data.reshape([int(n) for n in str(shape).split(",")] if isinstance(shape, str) else shape)
        return data.tolist()
    if values is None:
        return None
    return list(values) if not isinstance(values, str) else values


def _rewrapped(text: str, max_px: float, size: float) -> str:
    """A label (escaped, maybe wrapped) wrapped again in lines of at most `max_px` pixels."""
    if not isinstance(text, str) or not text:
        return text
    plain = html.unescape(unwrapped(text))
    lines = i18n.wrap(plain, max_px, measure=lambda line: text_px(line, size)) or [plain]
    return "<br>".join(html.escape(line) for line in lines)


def _legend_rows(fig: go.Figure, width: float) -> int:
    """How many rows a horizontal legend of the figure takes in `width` pixels."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    rows, used = (1 if names else 0), 0.0
    for name in names:
        item = text_px(unwrapped(name), FONT_SIZE) + 50
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def rewrap_rows(fig: go.Figure, labels_px: float, size: float) -> dict:
    """The y axis's category labels wrapped again in lines of at most `labels_px` pixels, in every
    trace, category list and note placed on a row; returns each label as it was -> as it is now."""
    lay = fig.layout
    seen: dict = {}
    if lay.yaxis.ticktext:
        lay.yaxis.ticktext = [_rewrapped(t, labels_px, size) for t in lay.yaxis.ticktext]
        return seen

    def new(v, px=labels_px):
        return seen.setdefault(v, _rewrapped(v, px, size)) if isinstance(v, str) else v

    for trace in fig.data:
        ys = _array(getattr(trace, "y", None))
        if ys is None or not len(ys):
            continue
        if all(isinstance(v, (list, tuple, np.ndarray)) for v in ys):  # two levels, side by side
            trace.y = [[new(v, labels_px / 2) for v in level] for level in ys]
        elif any(isinstance(v, str) for v in ys) and all(isinstance(v, str) or v is None for v in ys):
            trace.y = [new(v) for v in ys]  # categories (None: a gap in a line)
    if lay.yaxis.categoryarray is not None and len(lay.yaxis.categoryarray):
        lay.yaxis.categoryarray = [new(v) for v in lay.yaxis.categoryarray]
    for note in lay.annotations:  # a note on a row follows the row's new label
        if isinstance(note.y, str) and note.y in seen:
            note.y = seen[note.y]
    return seen


def for_screen(fig: go.Figure, width: int, touch: bool = False) -> go.Figure:
    """The figure laid out again for a main column `width` pixels wide, narrower than the one
    the charts are laid out for (a phone, a portrait tablet; app.screen): the left axis's labels,
    the title and the x axis's title wrapped to the width, the legend below the plot, the
    margins worked out again. On a touch screen, or a narrow one, no zooming by dragging (a
    finger scrolls the page). Changes the figure it is given, and returns it."""
    if touch or width < ASSUMED_WIDTH:
        fig.update_layout(dragmode=False, xaxis_fixedrange=True, yaxis_fixedrange=True)
    if width >= ASSUMED_WIDTH:
        return fig
    lay = fig.layout
    size = min(12, lay.yaxis.tickfont.size or lay.font.size or FONT_SIZE)  # smaller labels, fewer lines
    lay.yaxis.tickfont.size = size
    labels_px = max(110.0, 0.45 * width)
    rewrap_rows(fig, labels_px, size)
    title = lay.title.text or ""
    if title:
        main, _sep, sub = title.partition("<br><sup>")
        lines = [_rewrapped(main, width - 20, (lay.title.font.size or 18) * 1.05)]
        if sub:
            lines.append("<sup>" + _rewrapped(sub.removesuffix("</sup>"), width - 20, 12) + "</sup>")
        title = "<br>".join(lines)
        lay.title.text = title
    if lay.xaxis.title.text:
        lay.xaxis.title.text = unwrapped(lay.xaxis.title.text)
    if lay.yaxis.title.text:  # the chart's title says what the rows are: the room goes to the plot
        lay.yaxis.title.text = None
    scales = [t for t in fig.data if t.type == "heatmap" and t.showscale is not False]
    for trace in scales:  # a colour scale across the foot of the chart, not beside a narrow plot
        trace.colorbar.update(orientation="h", x=0.5, xanchor="center", xref="container", yref="container",
                              y=0, yanchor="bottom", thickness=12, len=0.8, title_side="top")
    title_lines = len(_BR.findall(title)) + 1 if title else 0
    fig.update_layout(margin={"l": _TEMPLATE_MARGIN["l"], "t": 32 + 26 * title_lines, "r": _TEMPLATE_MARGIN["r"]})
    fit_margins(fig, width)
    x_categories = [str(v) for v in lay.xaxis.categoryarray] if lay.xaxis.categoryarray is not None and len(
        lay.xaxis.categoryarray) else list(dict.fromkeys(v for xs in (_array(t.x) for t in fig.data)
                                                      if xs and all(isinstance(v, str) for v in xs) for v in xs))
    plot_px = max(1, width - lay.margin.l - lay.margin.r)
    x_labels = [str(t) for t in lay.xaxis.ticktext] if lay.xaxis.ticktext else x_categories
    if x_labels:  # side by side, slanted or upright: whatever fits the narrow plot, no label over another
        x_size = lay.xaxis.tickfont.size or lay.font.size or FONT_SIZE
        spacing = plot_px / len(x_labels)
        widest = max((text_px(line, x_size) for x in x_labels for line in _lines(x)), default=0.0)
        label_lines = max((len(_lines(x)) for x in x_labels), default=1)  # a label over two lines stands twice as thick
        angle = abs(lay.xaxis.tickangle) if isinstance(lay.xaxis.tickangle, (int, float)) else 0
        fits = spacing >= widest + 8 if not angle else spacing * math.sin(math.radians(angle)) >= x_size * 1.35 * label_lines
        if not fits:
            if spacing >= x_size * 1.4 * label_lines:
                lay.xaxis.update(tickangle=-90)
            elif lay.xaxis.ticktext or lay.xaxis.categoryarray is not None and len(lay.xaxis.categoryarray):
                # named columns (a matrix's): every one, upright, in smaller letters
                lay.xaxis.update(tickangle=-90, tickfont_size=max(8, int(spacing / (1.4 * label_lines))))
            else:  # as many as have room (the chart's table has them all)
                lay.xaxis.update(tickangle=-90, tickmode="linear", dtick=math.ceil(x_size * 1.5 * label_lines / spacing))
            fit_margins(fig, width)
    if not x_categories and isinstance(lay.xaxis.dtick, (int, float)):
        numbers = [abs(float(v)) for t in fig.data for v in (_array(t.x) or ())
                   if isinstance(v, (int, float, np.number)) and not pd.isna(float(v))]
        numbers += [abs(float(v)) for v in (lay.xaxis.range or ()) if isinstance(v, (int, float, np.number))]
        if numbers and plot_px / max(1.0, max(numbers) / lay.xaxis.dtick) < 30:  # a tick every unit: too close
            lay.xaxis.update(dtick=None, nticks=max(3, int(plot_px // 45)))
    elif not x_categories and lay.xaxis.dtick is None:  # dates and numbers: as many ticks as have room
        lay.xaxis.nticks = max(3, int(plot_px // 50))
    for note in lay.annotations:  # a note longer than the plot (or, across it, the chart) is wide wraps
        room = 0.6 * plot_px if note.xref in (None, "x") else width - 30
        size = note.font.size or 13
        if note.text and text_px(_TAG.sub("", unwrapped(note.text)), size) > room:
            bold = note.text.startswith("<b>")
            text = _rewrapped(_TAG.sub("", unwrapped(note.text)), room, size)
            note.text = f"<b>{text}</b>" if bold else text
    x_range = lay.xaxis.range
    for note in lay.annotations:  # a note beside a bar's end gets the room it needs on the right
        if (note.xref in (None, "x") and note.xanchor == "left" and x_range and isinstance(note.x, (int, float, np.number))
                and all(isinstance(v, (int, float, np.number)) for v in x_range) and x_range[1] > x_range[0]):
            # its end, at share f of a plot W - l - r wide plus its own width w, stays inside W:
            # f (W - l - r) + w <= W - l - 8, so r >= (w - (1 - f) (W - l) + 8) / f
            f = (note.x - x_range[0]) / (x_range[1] - x_range[0])
            w = (note.xshift or 0) + text_px(_TAG.sub("", note.text or ""), (note.font.size or FONT_SIZE))
            if f > 0:
                need = math.ceil((w - (1 - f) * (width - lay.margin.l) + 8) / f)
                lay.margin.r = max(lay.margin.r or 0, min(need, int(0.3 * width)))
    for t in fig.data:  # words after a bar's end leave the plot no room on a phone: the chart's table has them
        if t.type == "bar" and t.orientation == "h" and t.textposition == "outside" and t.text is not None:
            t.textposition = "none"  # (the hover still says them)
    if scales:
        lay.margin.b = (lay.margin.b or 0) + 64
        if lay.height:
            lay.height = lay.height + 64
    # below the plot, from the figure's left edge; Streamlit's Plotly wraps it at the plot's width
    rows = _legend_rows(fig, width - lay.margin.l - lay.margin.r) if lay.showlegend is not False else 0
    if rows:
        lay.legend.update(orientation="h", xref="container", yref="container", y=0, yanchor="bottom",
                          x=0.02, xanchor="left")
        lay.margin.b = (lay.margin.b or 0) + 24 * rows + 10
        if lay.height:
            lay.height = lay.height + 24 * rows
    return fig


def _fitted(build):
    """A chart builder whose figures get fit_margins()."""
    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        return fit_margins(build(*args, **kwargs))
    return wrapper


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
    fig = _figure()
    fig.update_layout(title=html.escape(title), height=260, xaxis=dict(visible=False), yaxis=dict(visible=False))
    fig.add_annotation(text=html.escape(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=16, color="#52606d"))
    return fig


@_fitted
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
    fig = _figure()
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
    fig.update_layout(margin_r=max(_TEMPLATE_MARGIN.get("r", 20), math.ceil(widest - 0.18 * 400) + 8))
    return fig


@_fitted
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
    fig = _figure(go.Heatmap(
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


@_fitted
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
    fig = _figure(go.Heatmap(
        z=z, x=xlab, y=[label(names.get(k, k), 44) for k in table.index], **counts,
        colorscale=SEQUENTIAL, zmin=0, xgap=2, ygap=2,
        colorbar=dict(title=dict(text=_("Meetings"), side="right"), thickness=14),
        hovertemplate=_("%{y}<br>%{x}: %{z} meeting(s)") + "<extra></extra>",
    ))
    fig.update_layout(title=title, height=_height(len(table), 38), xaxis_title=_("Quarter"),
                      yaxis_title=_("Sector working group") if key == "root_id" else _("Group"),
                      yaxis=dict(autorange="reversed"), xaxis=dict(tickangle=-45, side="bottom"))
    return fig


@_fitted
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
    fig = _figure()
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


@_fitted
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
    fig = _figure()
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


@_fitted
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
    fig = _figure()
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


@_fitted
def pillar_coverage(cov: pd.DataFrame, selection: bool = False) -> go.Figure:
    """Stacked bars per pillar: active, at-risk and dormant groups; gaps called out (for a
    `selection` of groups, as not covered by them: other groups may cover the pillar)."""
    title = _("Groups behind each pillar, by activity")
    if cov.empty:
        return _empty(title, _("The plan has no pillars."))
    df = cov.sort_values("pillar_id")
    y = [label(f"{r.pillar_id}: {r.name}", 40) for r in df.itertuples()]
    fig = _figure()
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


@_fitted
def recommendation_status(followup: pd.DataFrame) -> go.Figure:
    """Stacked bars per recommendation: actions by status, with the overdue count."""
    title = _("Follow-up actions per recommendation, by status")
    if followup.empty or followup["actions"].sum() == 0:
        return _empty(title, _("No follow-up action has been recorded."))
    df = followup.sort_values("rec_id")
    y = [label(f"{r.rec_id}: {r.title}", 46) for r in df.itertuples()]
    fig = _figure()
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


@_fitted
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
    fig = _figure()
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


@_fitted
def activity_trend(trend: pd.DataFrame, every: str = "quarter", marks: dict | None = None) -> go.Figure:
    """Stacked bars at each point of the trend (metrics.trend): how many counting groups were
    active, at risk and dormant then; `marks` ({day: words}) draws a dashed line before the first
    point on or after each day (the 2022 review's date)."""
    title = _("Active, at-risk and dormant groups over the years")
    if trend.empty or int(trend["counting"].sum()) == 0:
        return _empty(title, _("No group counted at any of these dates."))
    x = trend_labels(trend["as_of"], every)
    fig = _figure()
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


@_fitted
def activity_lines(trend: pd.DataFrame, every: str = "quarter", marks: dict | None = None) -> go.Figure:
    """The overview's small trend: a line per activity at each point of the trend (metrics.trend)."""
    title = _("Active, at-risk and dormant groups, the last {years} years").format(years=TREND_YEARS)
    if trend.empty or int(trend["counting"].sum()) == 0:
        return _empty(title, _("No group counted at any of these dates."))
    x = trend_labels(trend["as_of"], every)
    fig = _figure()
    for act in ACTIVITIES:
        fig.add_scatter(x=x, y=trend[act].to_numpy(), name=word("activity", act), mode="lines+markers",
                        line=dict(color=ACTIVITY_COLORS[act], width=3, dash=ACTIVITY_DASHES[act]),
                        hovertemplate=_("%{x}: %{y} groups ") + word("activity", act).lower() + "<extra></extra>")
    _mark(fig, trend, marks)
    fig.update_yaxes(range=[0, int(trend[list(ACTIVITIES)].to_numpy().max()) * 1.25 + 1])
    axis = _trend_axis(every)
    fig.update_layout(title=title, height=340, xaxis_title=axis, yaxis_title=_("Groups"))
    return fig


@_fitted
def meetings_trend(trend: pd.DataFrame, every: str = "quarter", marks: dict | None = None) -> go.Figure:
    """The counting groups' meetings in the 12 months before each point of the trend (metrics.trend)."""
    title = _("Meetings in the 12 months before each date")
    if trend.empty or int(trend["counting"].sum()) == 0:
        return _empty(title, _("No group counted at any of these dates."))
    x = trend_labels(trend["as_of"], every)
    fig = _figure(go.Scatter(x=x, y=trend["meetings_12m"].to_numpy(), name=_("Meetings"), mode="lines+markers",
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


@_fitted
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
    fig = _figure()
    for role, name in ((r, word("role", r)) for r in ROLE_SYMBOLS):
        sub = roles[roles["role"] == role]
        if sub.empty:
            continue
        fig.add_scatter(x=[label(o, 18) for o in sub["organisation"]], y=[glab[g] for g in sub["group_id"]],
                        mode="markers", name=name,
                        marker=dict(symbol=ROLE_SYMBOLS[role], size=13, color=ROLE_COLORS[role],
                                    line=dict(width=2, color=ROLE_COLORS[role])),
                        hovertemplate=_("%{x} in %{y}: ") + name + "<extra></extra>")
    fig.update_layout(
        title=title, height=_height(len(groups), 30, base=320), margin=dict(t=200),
        xaxis=dict(categoryorder="array", categoryarray=[label(o, 18) for o in orgs], side="top", tickangle=-45,
                   title=dict(text=word("org_type", "development_partner"), standoff=6)),
        yaxis=dict(categoryorder="array", categoryarray=[glab[g] for g in groups], autorange="reversed",
                   title=_("Group")),
        legend=dict(y=-0.01, yanchor="top"),
    )
    return fig


@_fitted
def donor_load(load: pd.DataFrame, cap: int) -> go.Figure:
    """Bars per development partner: groups with an active role, and chair roles; the cap as a line."""
    title = _("Groups each development partner is active in, and chairs")
    df = load[(load["active_groups"] > 0) | (load["chair_roles"] > 0)].sort_values(
        ["active_groups", "chair_roles", "organisation"], ascending=[False, False, True])
    if df.empty:
        return _empty(title, _("No development partner holds an active role on this date."))
    y = [label(o, 30) for o in df["organisation"]]
    fig = _figure()
    fig.add_bar(y=y, x=df["active_groups"], orientation="h", name=_("Groups with an active role"),
                marker_color=OKABE_ITO[0], hovertemplate=_("%{y}: active in %{x} group(s)") + "<extra></extra>")
    fig.add_bar(y=y, x=df["chair_roles"], orientation="h", name=_("Co-chair or focal point"),
                marker_color=OKABE_ITO[1], marker_pattern_shape="/",
                hovertemplate=_("%{y}: chairs %{x} group(s)") + "<extra></extra>")
    fig.add_vline(x=cap + 0.5, line_dash="dash", line_color="#D55E00")
    # named at the line's foot, inside the plot (the partners in fewest groups, down there, have
    # short bars): above it, a legend would run into it
    fig.add_annotation(x=cap + 0.5, y=0, yref="paper", yanchor="bottom", xanchor="left", xshift=3, yshift=4,
                       showarrow=False, bgcolor="rgba(255,255,255,0.85)",
                       text=_("cap: {cap} groups").format(cap=cap), font=dict(color="#D55E00", size=12))
    fig.update_layout(title=title, barmode="group", height=_height(len(df), 40),
                      xaxis=dict(title=_("Groups (counting groups, on the as-of date)"),
                                 dtick=1 if max(df["active_groups"].max(), cap + 1) <= 20 else None),
                      yaxis=dict(autorange="reversed", title=word("org_type", "development_partner")),
                      legend=dict(x=1, xanchor="right"))
    return fig


@_fitted
def attendance_rates(load: pd.DataFrame) -> go.Figure:
    """Dot per development partner: share of its recorded attendances where it was present."""
    title = _("How often each development partner was present, last 12 months")
    df = load[load["attendance_rate_12m"].notna()].sort_values("attendance_rate_12m")
    if df.empty:
        return _empty(title, _("No attendance is recorded in the last 12 months."))
    fig = _figure(go.Bar(
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


@_fitted
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
    fig = _figure()
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


@_fitted
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
    fig = _figure(go.Bar(x=labels, y=totals.to_numpy(), marker_color=OKABE_ITO[0], text=totals.to_numpy(),
                         marker_pattern_shape=[""] * (len(labels) - 1) + ["/" if partial else ""],
                           textposition="outside", cliponaxis=False,
                           hovertemplate=_("%{x}: %{y} meetings") + "<extra></extra>"))
    fig.update_layout(title=title, height=460, xaxis_title=_("Quarter"), yaxis_title=_("Meetings"), showlegend=False)
    return fig


def _plain(value) -> str:
    """A label as words: its lines joined, tags dropped, entities read."""
    return html.unescape(_TAG.sub("", unwrapped(value))) if isinstance(value, str) else value


def _category(value) -> str:
    return " · ".join(_plain(v) for v in value) if isinstance(value, (list, tuple, np.ndarray)) else _plain(value)


def figures_table(fig: go.Figure) -> pd.DataFrame:
    """The chart's figures as a table, its text alternative: a heatmap's rows and columns as they
    are; bars and markers one row per category (the y axis's when they run across), a column per
    series; a bar that starts elsewhere (a term) as its start and end. Empty for a chart without
    data (an empty-state message). Call it before for_screen (which drops the rows' axis title)."""
    lay = fig.layout
    heat = [t for t in fig.data if t.type == "heatmap" and t.z is not None and t.x is not None and t.y is not None]
    if heat:
        t = heat[0]
        columns = [_plain(x) for x in _array(t.x)]
        table = pd.DataFrame([list(row) for row in _array(t.z)], columns=columns)
        table.insert(0, _plain(lay.yaxis.title.text) or _("Row"), [_category(y) for y in _array(t.y)])
        return table
    rows: dict = {}
    series: list[str] = []
    head = None
    for t in fig.data:
        xs, ys = _array(t.x), _array(t.y)
        if xs is None or ys is None or (t.showlegend is False and getattr(t, "mode", None) == "lines"):
            continue  # (a line drawn between markers repeats their figures)
        across = t.type == "bar" and t.orientation == "h" or t.type == "scatter" and _is_categories(ys)
        cats, values = (ys, xs) if across else (xs, ys)
        if cats and all(isinstance(c, (list, tuple, np.ndarray)) for c in cats) and len(cats) == 2:
            cats = list(zip(*cats, strict=False))  # two levels of labels: each row's pair
        axis = lay.yaxis if across else lay.xaxis
        head = head or _plain(axis.title.text)
        name = _plain(t.name) or _plain((lay.xaxis if across else lay.yaxis).title.text) or _("Value")
        if name not in series:
            series.append(name)
        bases = _array(t.base) if t.type == "bar" and not isinstance(t.base, (int, float, str, type(None))) else None
        texts = _array(t.text) if t.type == "bar" and not isinstance(t.text, (str, type(None))) else None
        texts = texts if texts and all(isinstance(x, str) for x in texts) else None  # a bar's words: its real figure
        for i, (cat, value) in enumerate(zip(cats, values, strict=False)):
            if cat is None or value is None:
                continue
            if texts is not None:
                value = _plain(texts[i])
            elif bases is not None:  # a term: from its start for so many milliseconds
                start = pd.Timestamp(bases[i])
                value = f"{start.date().isoformat()} – {(start + pd.Timedelta(milliseconds=float(value))).date().isoformat()}"
            elif isinstance(value, (dt.date, pd.Timestamp, np.datetime64)) or (
                    isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\d", value)):
                value = pd.Timestamp(value).date().isoformat()
            cell = rows.setdefault(_category(cat), {})
            cell[name] = value if name not in cell else f"{cell[name]}, {value}"
    if not rows:
        return pd.DataFrame()
    head = head or _("Item")
    return pd.DataFrame([{head: k, **{s: v.get(s) for s in series}} for k, v in rows.items()])


def _is_categories(values) -> bool:
    return values is not None and len(values) > 0 and all(isinstance(v, str) or v is None for v in values)
