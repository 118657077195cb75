"""Each chart's text alternative: the figures it draws, as a table (behind every chart's expander)."""
from __future__ import annotations

import datetime as dt
import html
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from swgdash.i18n import _
from swgdash.present.fitting import _TAG, _array, unwrapped


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
        if xs is None or ys is None or (t.showlegend is False and getattr(t, "mode", None) == "lines") or all(
                x is None for x in xs):
            continue  # (a line drawn between markers repeats their figures; a legend's entry has none)
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
