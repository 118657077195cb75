"""Streamlit glue shared by every page: context, sidebar, cached figures,
charts with captions and downloadable tables. Pages stay short and declarative;
figures come from swgdash.metrics, figures' pictures from swgdash.charts.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import json
import logging
import os
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from . import metrics, settings
from .contract import TABLES
from .db import Cursor, Database
from .metrics import Params
from .store import Store, Version

log = logging.getLogger("swgdash")
ALL = ""  # the SWG filter's "every group" choice


def _no_legacy_pages_dir() -> None:
    """Until the entry point has called st.navigation once, a fresh Streamlit server
    treats pages/ as a legacy multipage folder and runs a deep link's page file
    (e.g. /dormant) on its own, without dashboard.py. Clearing the flag here means
    every later run starts from dashboard.py."""
    try:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except ImportError:  # a Streamlit without the legacy mode
        pass


_no_legacy_pages_dir()


@st.cache_resource(show_spinner=False, max_entries=4)
def _database(root: str, version_id: int) -> Database:
    return Database(Store(root).get(version_id))


# Figures are kept once per data version and parameters, shared by every session
# (st.cache_resource), and each caller gets its own copy: a DataFrame's copy is shallow,
# since pandas copies on write, so no page can change what another session reads.
# (st.cache_data would unpickle a deep copy on every read: a tenth of the server's
# CPU under 20 sessions.)

def _own(value):
    """The caller's own copy of a shared cached value."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    return copy.deepcopy(value)


@st.cache_resource(show_spinner=False, max_entries=1000)
def _shared_figure(root: str, version_id: int, fn: str, params: Params, kwargs: tuple, _cur: Cursor):
    return getattr(metrics, fn)(_cur, params, **dict(kwargs))


def _figure(root: str, version_id: int, fn: str, params: Params, kwargs: tuple, cur: Cursor):
    return _own(_shared_figure(root, version_id, fn, params, kwargs, cur))


@st.cache_resource(show_spinner=False, max_entries=16)
def _shared_groups_and_plans(root: str, version_id: int, _cur: Cursor):
    groups = metrics.groups_all(_cur)
    roots = groups[groups["parent_id"].isna()].sort_values("name")["group_id"].tolist()
    return groups, metrics.display_names(groups), metrics.plans(_cur), roots


def _groups_and_plans(root: str, version_id: int, cur: Cursor):
    """The group list, the names to show, the plans and the SWGs (top-level groups, by name)
    behind the sidebar: fixed for a data version."""
    groups, names, plans, roots = _shared_groups_and_plans(root, version_id, cur)
    return groups.copy(deep=False), dict(names), list(plans), list(roots)  # strings need no copy


@dataclass
class Context:
    store: Store
    version: Version
    cursor: Cursor
    params: Params
    groups: pd.DataFrame
    plans: list[str]
    swg: str = ALL
    names: dict[str, str] = field(default_factory=dict)

    @property
    def as_of(self) -> dt.date:
        return self.params.as_of

    def has(self, *tables: str) -> bool:
        return all(self.cursor.has(t) for t in tables)

    def q(self, fn: str, params: Params | None = None, **kwargs):
        """A metrics function's result, cached per data version and parameters."""
        return _figure(str(self.store.root), self.version.id, fn, params or self.params,
                       tuple(sorted(kwargs.items())), self.cursor)

    @property
    def filtered(self) -> bool:
        """Whether the figures are for some groups (an SWG picked), not all."""
        return self.params.groups is not None

    def filter_label(self) -> str:
        if self.swg == ALL:
            return "all groups"
        name = self.names.get(self.swg, self.swg)
        return name if self.params.groups == (self.swg,) else f"{name} and its sub-groups"


def _cursor(store: Store, version: Version) -> Cursor:
    """One DuckDB cursor per browser session and data version."""
    key = (str(store.root), version.id)
    if st.session_state.get("_cursor_key") != key:
        st.session_state["_cursor"] = _database(*key).cursor()
        st.session_state["_cursor_key"] = key
    return st.session_state["_cursor"]


def setup() -> Context:
    """Run once per rerun by dashboard.py, before the page: store, demo, sidebar."""
    store = Store()
    version = store.ensure_demo()
    cur = _cursor(store, version)
    groups, names, plans, root_ids = _groups_and_plans(str(store.root), version.id, cur)
    params, swg = _sidebar(version, groups, names, plans, root_ids)
    ctx = Context(store, version, cur, params, groups, plans, swg, names)
    st.session_state["_ctx"] = ctx
    return ctx


def _entry_point_ran() -> bool:
    """Whether dashboard.py ran in this script run (its sidebar registered `as_of`)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        keys = get_script_run_ctx().shared.widget_user_keys_this_run
    except Exception:  # another Streamlit: trust the session state
        return True
    return "as_of" in keys


def ctx() -> Context:
    """The context dashboard.py built for this rerun."""
    if "_ctx" not in st.session_state or not _entry_point_ran():
        # This page file was run on its own, by Streamlit's legacy pages/ mode (a deep
        # link as a fresh server's first request, or AppTest): run again, now through
        # the entry point, on the same page.
        _no_legacy_pages_dir()
        st.rerun()
    return st.session_state["_ctx"]


URL_KEYS = ("as_of", "swg", "subgroups", "at_risk_months", "dormant_months", "plan")


def _parse_url(qp, version: Version, root_ids: list[str], plans: list[str]) -> dict:
    """Sidebar state from the URL's query string; invalid values are dropped, never fatal."""
    out: dict = {}
    if "as_of" in qp:
        try:
            out["as_of"] = dt.date.fromisoformat(qp["as_of"])
        except ValueError:
            pass
    if qp.get("swg") in root_ids:
        out["swg"] = qp["swg"]
    if qp.get("subgroups") in ("0", "1"):
        out["subgroups"] = qp["subgroups"] == "1"
    for key, top in (("at_risk_months", 60), ("dormant_months", 120)):
        if str(qp.get(key, "")).isdigit() and 1 <= int(qp[key]) <= top:
            out[key] = int(qp[key])
    if qp.get("plan") in plans:
        out["plan"] = qp["plan"]
    return out


def _defaults(version: Version, plans: list[str]) -> dict:
    return {"as_of": version.as_of, "swg": ALL, "subgroups": True, "at_risk_months": 6,
            "dormant_months": 12, "plan": metrics.default_plan(plans, version.as_of)}


def _sync_from_url(version: Version, root_ids: list[str], plans: list[str]) -> None:
    """Apply a bookmarked or pasted URL to the sidebar: on a session's first run, and
    whenever the URL carries values other than those this session last wrote."""
    state = st.session_state
    qp = {k: st.query_params[k] for k in URL_KEYS if k in st.query_params}
    first = "_url_written" not in state
    if state.get("_seen_version") != version.id:
        state["_seen_version"] = version.id  # a newly published version brings its own as-of date
        state["as_of"] = version.as_of
    if not first and (not qp or qp == state.get("_url_written")):
        return
    wanted = {**_defaults(version, plans), **_parse_url(qp, version, root_ids, plans)} if first \
        else _parse_url(qp, version, root_ids, plans)
    for key, value in wanted.items():
        if value is not None:
            state[key] = value


def _sync_to_url(values: dict, version: Version, plans: list[str]) -> None:
    """Write the sidebar state to the URL (defaults left out) so a view can be bookmarked."""
    defaults = _defaults(version, plans)
    text = {}
    for key in URL_KEYS:
        value = values.get(key)
        if value is None or value == defaults[key]:
            continue
        text[key] = (value.isoformat() if isinstance(value, dt.date)
                     else ("1" if value else "0") if isinstance(value, bool) else str(value))
    for key in URL_KEYS:
        if key in text and st.query_params.get(key) != text[key]:
            st.query_params[key] = text[key]
        elif key not in text and key in st.query_params:
            del st.query_params[key]
    st.session_state["_url_written"] = text


def _sidebar(version: Version, groups: pd.DataFrame, names: dict[str, str], plans: list[str],
             root_ids: list[str]):
    sb = st.sidebar
    _sync_from_url(version, root_ids, plans)
    as_of = sb.date_input("Figures as of", key="as_of",
                          min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31),
                          format="YYYY-MM-DD",
                          help="All figures are computed as of this date. Default: the date given "
                               "when the data was published.")
    if not isinstance(as_of, dt.date):
        as_of = version.as_of
    swg = sb.selectbox("Sector working group", [ALL] + root_ids, key="swg",
                       format_func=lambda g: "All groups" if g == ALL else names.get(g, g))
    include_subs = sb.toggle("Include its sub-groups", key="subgroups", disabled=swg == ALL)
    with sb.expander("Activity thresholds", expanded=False):
        at_risk = st.number_input("Active: met within (months)", 1, 60, key="at_risk_months",
                                  help="A group that met within this many months is active.")
        dormant = st.number_input("Dormant: not met for (months)", 1, 120, key="dormant_months",
                                  help="A group that has not met within this many months is dormant; "
                                       "in between, it is at risk.")
        if at_risk > dormant:
            st.warning("The active window cannot be longer than the dormant one; using "
                       f"{dormant} months for both.")
    plan = None
    if len(plans) > 1:
        plan = sb.selectbox("National plan", plans, key="plan", help="Which plan's pillars to use.")
    elif plans:
        plan = plans[0]
    _sync_to_url({"as_of": as_of, "swg": swg, "subgroups": include_subs, "at_risk_months": at_risk,
                  "dormant_months": dormant, "plan": plan if len(plans) > 1 else None}, version, plans)
    selected = metrics.filter_groups(groups, swg or None, include_subs)
    params = Params(as_of=as_of, at_risk_months=int(min(at_risk, dormant)), dormant_months=int(dormant),
                    groups=selected, plan=plan)
    sb.divider()
    m = version.manifest
    sb.caption(f"Data version {version.id} · as of {m['as_of']} · published "
               f"{m['published_at'][:10]} by {_md(m['published_by'])}")
    return params, swg or ALL


def notices(c: Context) -> None:
    if c.version.is_demo:
        st.warning(
            "**Demo data.** These are the bundled demonstration figures, modelled on the Lao "
            "Round Table Process, not real records. They will disappear as soon as the "
            "secretariat publishes a real extract.", icon=":material/science:")


def header(title: str, intro: str, scope: bool = True) -> Context:
    """Demo notice, title and a caption naming the date and groups the figures are for."""
    c = ctx()
    notices(c)
    st.title(title)
    if scope:
        st.caption(f"{intro} As of **{c.as_of:%d %B %Y}**, for **{_md(c.filter_label())}**.")
        for caveat in c.q("as_of_caveats", published=c.version.as_of):
            st.info(caveat, icon=":material/event_busy:")
    else:
        st.caption(intro)
    return c


def _md(text: str) -> str:
    """Escape extract text for Streamlit markdown (no links, no formatting, no directives)."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()#+-.!|<>~$:=":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


md = _md


def file_stem(name: str, as_of: dt.date) -> str:
    """A download's file name: words of its title, then the as-of date."""
    import re

    words = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower()[:60] or "download"
    return f"{words}_as-of_{as_of.isoformat()}"


def chart(fig, caption: str, key: str | None = None) -> None:
    """A chart and its one-sentence caption; the camera icon saves a sharp PNG named with the as-of date."""
    title = fig.layout.title.text or "chart"
    st.plotly_chart(fig, width="stretch", key=key, theme=None,
                    config={"displaylogo": False,
                            "toImageButtonOptions": {"format": "png", "scale": 2,
                                                     "filename": file_stem(title, ctx().as_of)}})
    st.caption(caption)


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that spreadsheet programs would run as formulas get a leading apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")
                                    else v)
    return out


def xlsx_bytes(df: pd.DataFrame, name: str) -> bytes:
    """A one-sheet workbook; formula-like text is written as text (never run)."""
    from . import excel

    return excel.workbook({name[:31] or "table": df})


def csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    out = neutralise(df)
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel then reads Lao script correctly


def _labelled(shown: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Columns of extract codes (metrics.CODE_LABELS) in words; other values, and values
    already in words, unchanged. By way of categories: one lookup per distinct value."""
    out = {}
    for src, name in columns.items():
        labels = metrics.CODE_LABELS.get(src)
        if labels is None or name not in shown.columns or shown[name].dtype.kind in "biufcmM":
            continue
        cat = shown[name].astype("category")
        words = [labels.get(v, v) for v in cat.cat.categories]
        if len(set(words)) == len(words):  # (a code beside its own label would merge two categories)
            out[name] = cat.cat.rename_categories(words)
    return shown.assign(**out) if out else shown


def url_quote(text: str) -> str:
    from urllib.parse import quote

    return quote(str(text), safe="")


def profile_url(group_id: str) -> str:
    """The address of a group's profile, with this view's sidebar settings (as-of date,
    thresholds, plan, SWG) as the address bar has them, so the profile opens on the same date."""
    from urllib.parse import urlencode

    return "/group?" + urlencode({"id": group_id, **st.session_state.get("_url_written", {})})


def safe_link(url) -> str | None:
    """A document link is shown only when it starts with http:// or https:// (never javascript: etc.)."""
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


TABLE_ROWS = 5000  # more rows than anyone scrolls through, and heavy for the browser: downloads have all


def table(df: pd.DataFrame, name: str, columns: dict[str, str] | None = None,
          column_config: dict | None = None, height: int | str = "auto", key: str | None = None,
          profile_links: bool = True) -> None:
    """A table on the page, with a CSV download named after it and the as-of date.
    A table with a group_id gets a link to each group's profile page. At most TABLE_ROWS
    rows are shown (the first, in the page's order); the downloads hold every row."""
    c = ctx()
    shown = df[list(columns)].rename(columns=columns) if columns else df
    names = columns or {col: col for col in df.columns}  # codes in words: the rows shown now, the rest on download
    if len(df) > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {len(df):,} rows; the downloads below have all of "
                   "them. Pick an SWG in the sidebar to narrow the list.")
        df = df.head(TABLE_ROWS)
    view, config = _labelled(shown.head(TABLE_ROWS), names), dict(column_config or {})
    for col in shown.columns:  # dates as dates, not midnight timestamps
        if pd.api.types.is_datetime64_any_dtype(shown[col]) and col not in config:
            config[col] = st.column_config.DateColumn(col, format="YYYY-MM-DD")
    if profile_links and "group_id" in df.columns:
        view = view.assign(Profile=[profile_url(g) if isinstance(g, str) else None
                                    for g in df["group_id"].tolist()])
        config["Profile"] = st.column_config.LinkColumn("Profile", display_text="open profile", width="small")
    st.dataframe(view, hide_index=True, width="stretch", column_config=config, height=height)
    stem = file_stem(name, c.as_of)
    # side by side, each as wide as its label (wrapping below in a narrow column, never cut short)
    left = right = st.container(horizontal=True, wrap=True)
    # the files are built when clicked (deferred), not on every run of the page
    left.download_button(f"Download {name} (CSV)", lambda: csv_bytes(_labelled(shown, names)), file_name=f"{stem}.csv",
                         mime="text/csv", key=key or f"dl-{name}", icon=":material/download:", on_click="ignore")
    right.download_button("Excel (.xlsx)", lambda: xlsx_bytes(_labelled(shown, names), name), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key or 'dl-' + name}-xlsx", icon=":material/table_view:", on_click="ignore")


def require(*tables: str) -> bool:
    """Say which optional tables a section needs and how to add them."""
    c = ctx()
    missing = [t for t in tables if not c.has(t)]
    if missing:
        cols = "; ".join(f"**{t}** ({', '.join(TABLES[t].column_names)})" for t in missing)
        st.info(f"This needs the {', '.join(missing)} table{'s' if len(missing) > 1 else ''}, which the "
                f"current extract does not have. Add {'them' if len(missing) > 1 else 'it'} to the extract "
                f"and publish again: {cols}.", icon=":material/table_chart:")
        return False
    return True


def run_page(page) -> None:
    """Run a page; an unexpected error is logged and shown as a plain message, never a traceback.
    With SWGDASH_RUN_LOG set to a file, each run's page and seconds are added to it (one JSON
    line each: how long the server spends on a page, e.g. under load; see bench/browser.py)."""
    started = time.perf_counter()
    try:
        page.run()
    except Exception:  # Streamlit's stop/rerun signals are BaseException and pass through
        log.exception("page %s failed", getattr(page, "url_path", page))
        st.error("Sorry, this page could not be drawn. The error has been logged for the "
                 "secretariat; try another date or filter, or reload the page.", icon=":material/error:")
    if path := settings.get("SWGDASH_RUN_LOG"):  # (a run cut short by st.stop or st.rerun is not counted)
        line = json.dumps({"page": "/" + (getattr(page, "url_path", "") or ""),
                           "seconds": round(time.perf_counter() - started, 4), "at": time.time()})
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def name_and_id(names: dict[str, str], gid: str) -> str:
    """"Name (ID)"; a name shared by several groups already carries its id (metrics.display_names)."""
    name = names.get(gid, gid)
    return name if name.endswith(f" ({gid})") else f"{name} ({gid})"


PICK_MAX = 500  # longer lists get a search box first: 40,000 options took the browser seconds to draw


def pick(label: str, options: list, index: int, key: str, format_func, what: str, find_key: str | None = None):
    """st.selectbox over `options`, the one at `index` chosen first. Past PICK_MAX options a
    search box (name or id, any part, any case; its own `find_key`, so the search survives a
    change of `key`) comes first and the list holds the chosen option, then the first
    PICK_MAX that match."""
    if len(options) <= PICK_MAX:
        return st.selectbox(label, options, index=index, key=key, format_func=format_func)
    chosen = options[index]
    needle = st.text_input(f"Find one of the {len(options):,} {what}", key=find_key or f"{key}-find",
                           placeholder="part of a name or id").strip().casefold()
    found = [o for o in options if needle in format_func(o).casefold()] if needle else []
    shown = list(dict.fromkeys([chosen, *found[:PICK_MAX]]))
    if needle:
        st.caption(f"{len(found):,} {what} match" + (f"; the first {PICK_MAX} are listed" if len(found) > PICK_MAX
                                                       else "") + ("." if found else ": try another part of the name."))
    return st.selectbox(label, shown, index=0, key=f"{key}-{needle}", format_func=format_func,
                        help="The one shown now comes first; pick a match below it.")


def months_label(n: int) -> str:
    return f"{n} month{'s' if n != 1 else ''}"


def is_missing(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def date_str(v, missing: str = "never") -> str:
    if is_missing(v):
        return missing
    return (v if isinstance(v, dt.date) else pd.Timestamp(v)).strftime("%d %b %Y")


def date_strs(values, missing: str = "never") -> list[str]:
    """date_str of a whole column, each distinct day formatted once: 40,000 groups share a
    few thousand meeting days (a Timestamp per cell took a second, and pandas walks an
    Arrow-backed column one element at a time)."""
    try:
        days = pa.array(values)
    except (pa.ArrowException, TypeError, ValueError):  # mixed Python values
        days = None
    if days is None or not pa.types.is_date32(days.type):
        done: dict = {}
        return [done[v] if v in done else done.setdefault(v, date_str(v, missing)) for v in values]
    numbers = days.cast(pa.int32()).fill_null(_NO_DAY).to_numpy()  # days since 1970-01-01
    distinct, where = np.unique(numbers, return_inverse=True)
    text = np.array([missing if d == _NO_DAY else (_EPOCH + dt.timedelta(days=int(d))).strftime("%d %b %Y")
                     for d in distinct], dtype=object)
    return text[where].tolist()


_EPOCH, _NO_DAY = dt.date(1970, 1, 1), np.iinfo(np.int32).min
