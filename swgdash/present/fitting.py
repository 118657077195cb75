"""Fitting a chart to where it is drawn: text measured in pixels, margins that fit the tick labels
(Plotly's automargin measures them in the browser on every draw), labels wrapped to the width a
screen or slide gives (`for_screen`)."""
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

from swgdash import i18n
from swgdash.present.theme import TEMPLATE

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


TEMPLATE_MARGIN = TEMPLATE.layout.margin.to_plotly_json()
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
    need = {k: given.get(k, TEMPLATE_MARGIN.get(k, 0)) for k in ("l", "r", "t", "b")}
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
                      size * (1.6 if any(i18n.has_lao(line) for tick in levels[0] for line in tick) else 1.35)
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
                widest = max((text_px(line, size) for ticks in levels for tick in ticks for line in tick), default=0.0)
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
    row_px = _two_level_row_px(fig, line_px) if line_px else 0.0
    if row_px and lay.get("height") and not lay.get("yaxis", {}).get("range"):
        # two levels side by side (group, then organisation): a group's name spans its rows only
        pairs = len({pair for t in fig.data for pair in _pairs(t)})
        tall_enough = need["t"] + need["b"] + pairs * row_px
        if lay["height"] < tall_enough:
            fig.layout.height = math.ceil(tall_enough)
    elif n and lines > 1 and lay.get("height") and not lay.get("yaxis", {}).get("range"):
        tall_enough = need["t"] + need["b"] + n * (lines * line_px + 8)
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


def _pairs(trace) -> list[tuple[str, str]]:
    """The (outer, inner) rows of a trace on a two-level category axis; none on any other."""
    ys = _array(getattr(trace, "y", None))
    if not ys or len(ys) != 2 or not all(isinstance(v, (list, tuple)) for v in ys):
        return []
    return list(zip((str(v) for v in ys[0]), (str(v) for v in ys[1]), strict=False))


def _two_level_row_px(fig: go.Figure, line_px: float) -> float:
    """How tall each row of a two-level y axis must be so that every label fits the rows it spans:
    an inner label its own row, an outer one (a group's name) the rows of its group. 0 when the
    axis has one level."""
    pairs = list(dict.fromkeys(pair for t in fig.data for pair in _pairs(t)))
    if not pairs:
        return 0.0
    rows_of: dict[str, int] = {}
    for outer, _inner in pairs:
        rows_of[outer] = rows_of.get(outer, 0) + 1
    inner_px = max(len(_lines(b)) * line_px + 6 for _a, b in pairs)
    outer_px = max((len(_lines(a)) * line_px + 6) / rows for a, rows in rows_of.items())
    return float(max(inner_px, outer_px))


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
    fig.update_layout(margin={"l": TEMPLATE_MARGIN["l"], "t": 32 + 26 * title_lines, "r": TEMPLATE_MARGIN["r"],
                              "b": TEMPLATE_MARGIN["b"]})  # (each worked out again for the narrow column)
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
            elif (lay.xaxis.ticktext or lay.xaxis.categoryarray is not None and len(lay.xaxis.categoryarray)) \
                    and spacing >= 8 * 1.4 * label_lines:
                # named columns (a matrix's): every one, upright, in smaller letters
                lay.xaxis.update(tickangle=-90, tickfont_size=max(8, int(spacing / (1.4 * label_lines))))
            elif lay.xaxis.categoryarray is not None and len(lay.xaxis.categoryarray) and not lay.xaxis.ticktext:
                # too many named columns for the width even in small letters: every k-th one named
                # (the hover and the chart's table name them all)
                every = math.ceil(8 * 1.4 * label_lines / spacing)
                lay.xaxis.update(tickangle=-90, tickfont_size=8, tickmode="array",
                                 tickvals=list(lay.xaxis.categoryarray)[::every])
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
    elif isinstance(lay.xaxis.dtick, str) and lay.xaxis.dtick.startswith("M") and lay.xaxis.range:
        # a date axis with a tick every N months (a year, in Lao): every 2N, 3N... when they would touch
        months = int(lay.xaxis.dtick[1:])
        start, end = (pd.Timestamp(v) for v in lay.xaxis.range[:2])
        span = max(1, (end.year - start.year) * 12 + end.month - start.month)
        label_px = text_px("2026", lay.xaxis.tickfont.size or lay.font.size or FONT_SIZE) + 12
        step = months
        while plot_px / max(1, span / step) < label_px and step < span:  # (at most one tick: the first)
            step += months
        if step != months:
            lay.xaxis.dtick = f"M{step}"
    marks = [note for note in lay.annotations
             if note.yref == "paper" and note.y == 1 and note.yanchor == "top" and note.xref in (None, "x")]
    for note in marks:  # a date's mark (the review's): its words above the plot, on one line, never over it
        note.update(yanchor="bottom", yshift=2)
        size = note.font.size or 13
        words = text_px(_TAG.sub("", unwrapped(note.text or "")), size)
        cats = x_categories or []
        if isinstance(note.x, (int, float)) and cats:  # from the line, or as far right as it fits the chart
            at = (note.x + 0.5) / len(cats) + 4 / plot_px
            note.update(xref="paper", xanchor="left", xshift=0,
                        x=max(min(at, 1 - (words + 8) / plot_px), -(lay.margin.l or 0) / plot_px))
    above = [note for note in lay.annotations if note.yref == "paper" and note.y == 1 and note.yanchor == "bottom"
             and note not in marks]
    if above:  # words above the plot (a slide's threshold names): the top margin holds them
        lay.margin.t = max(lay.margin.t or 0, max((n.yshift or 0) + (n.font.size or 13) * 1.4 + 6 for n in above))
    if marks:
        lay.margin.t = (lay.margin.t or 0) + 22
        if lay.height:
            lay.height = lay.height + 22
    for note in lay.annotations:  # a note longer than the plot (or, across it, the chart) is wide wraps
        if note in marks:
            continue
        room = 0.6 * plot_px if note.xref in (None, "x") else width - 30
        size = note.font.size or 13
        if note.text and text_px(_TAG.sub("", unwrapped(note.text)), size) > room:
            bold = note.text.startswith("<b>")
            text = _rewrapped(_TAG.sub("", unwrapped(note.text)), room, size)
            note.text = f"<b>{text}</b>" if bold else text
    room_for_notes(fig, width)
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


def room_for_notes(fig: go.Figure, width: float) -> None:
    """A note beside a bar's end (a gap's, an overdue count's) gets the room it needs on the right
    of a chart `width` wide, up to 30% of it."""
    lay = fig.layout
    x_range = lay.xaxis.range
    for note in lay.annotations:
        if (note.xref in (None, "x") and note.xanchor == "left" and x_range and isinstance(note.x, (int, float, np.number))
                and all(isinstance(v, (int, float, np.number)) for v in x_range) and x_range[1] > x_range[0]):
            # its end, at share f of a plot W - l - r wide plus its own width w, stays inside W:
            # f (W - l - r) + w <= W - l - 8, so r >= (w - (1 - f) (W - l) + 8) / f
            f = (note.x - x_range[0]) / (x_range[1] - x_range[0])
            bold = 1.1 if "<b>" in (note.text or "") else 1.0  # (bold letters are about a tenth wider)
            w = (note.xshift or 0) + bold * text_px(_TAG.sub("", note.text or ""), (note.font.size or FONT_SIZE))
            if f > 0:
                need = math.ceil((w - (1 - f) * (width - (lay.margin.l or 0)) + 8) / f)
                lay.margin.r = max(lay.margin.r or 0, min(need, int(0.3 * width)))


def fitted(build):
    """A chart builder whose figures get fit_margins()."""
    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        return fit_margins(build(*args, **kwargs))
    return wrapper


