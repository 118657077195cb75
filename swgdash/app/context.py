"""The context of one page run: the store, its current version, this session's cursor, the
sidebar's parameters; the caches behind it; and running a page.

Caches are keyed on what a version holds (Version.fingerprint: its files' checksums), never
on its number alone: a store emptied while the server runs and published again has another
version 1, and must not be shown the old one's figures.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
import streamlit as st

from swgdash import i18n, publishing, settings
from swgdash.app import state
from swgdash.i18n import _
from swgdash.query import funding, metrics
from swgdash.query.db import Cursor, Database
from swgdash.query.metrics import Params
from swgdash.store import Version, VersionStore, open_store

log = logging.getLogger("swgdash")


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
def database(root: str, fingerprint: str, _version: Version) -> Database:
    """The version's query database, opened once per server (`root`: its store's local folder)."""
    return publishing.open_database(_version)


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
def _shared_figure(root: str, fingerprint: str, name: str, params: Params, kwargs: tuple, lang: str,
                   _fn: Callable, _cur: Cursor):
    """(`lang`: a figure may hold sentences or names in the session's language.)"""
    return _fn(_cur, params, **dict(kwargs))


@st.cache_resource(show_spinner=False, max_entries=16)
def _shared_groups_and_plans(root: str, fingerprint: str, lang: str, _cur: Cursor):
    """(`lang`: the names are the extract's Lao ones in Lao.)"""
    groups = metrics.groups_all(_cur)
    roots = groups[groups["parent_id"].isna()].sort_values("name")["group_id"].tolist()
    return groups, metrics.display_names(groups), metrics.plans(_cur), roots, metrics.plan_periods(_cur)


def _groups_and_plans(store: VersionStore, version: Version, cur: Cursor):
    """The group list, the names to show, the plans, the SWGs (top-level groups, by name) and the
    plans' periods behind the sidebar: fixed for a data version."""
    groups, names, plans, roots, periods = _shared_groups_and_plans(str(store.root), version.fingerprint, i18n.current(),
                                                                      cur)
    return groups.copy(deep=False), dict(names), list(plans), list(roots), dict(periods)  # strings need no copy


@dataclass
class Context:
    store: VersionStore
    version: Version
    cursor: Cursor
    params: Params
    groups: pd.DataFrame
    plans: list[str]
    swg: str = state.ALL  # the SWG picked in the sidebar, or ALL ("")
    names: dict[str, str] = field(default_factory=dict)
    damage: list[str] = field(default_factory=list)  # what is wrong with the store (shown on every page)
    damaged: list[int] = field(default_factory=list)  # the versions found damaged
    outage: str | None = None  # the store cannot be reached: since when, and what is shown meanwhile

    @property
    def as_of(self) -> dt.date:
        return self.params.as_of

    def has(self, *tables: str) -> bool:
        return all(self.cursor.has(t) for t in tables)

    @functools.cached_property  # (once per run: the pages ask several times)
    def iati_in_use(self) -> publishing.IatiInUse:
        """The IATI set the funding figures read beside this version (swgdash.publishing.iati_for)."""
        series = publishing.iati_store(self.store)
        return _iati_current(str(series.root), series.head_stamp(), self.version.fingerprint, self.store, self.version)

    @property
    def iati(self) -> Version | None:
        """The IATI set the funding figures read, or None (none imported, or one withheld)."""
        return self.iati_in_use.version

    def funding(self, years: int = funding.DEFAULT_YEARS, scoped: bool = True) -> funding.Funding:
        """Who funds the groups' sectors (swgdash.query.funding) at the as-of date over `years`
        years, for the groups the sidebar picks (every group: not `scoped`); cached per data
        version, IATI set and parameters."""
        iati = self.iati
        found = _shared_funding(str(self.store.root), self.version.fingerprint, iati.fingerprint if iati else None,
                                self.as_of, years, i18n.current(), iati, self.cursor)
        # (shared, not copied: a Funding's methods hand out new frames, and its caches are its own)
        return found.restricted(self.params.groups if scoped else None)

    def q(self, fn: Callable, params: Params | None = None, **kwargs):
        """fn(cursor, params, **kwargs), a swgdash.query.metrics figure, cached per data version and parameters."""
        name = f"{fn.__module__}.{fn.__qualname__}"
        return _own(_shared_figure(str(self.store.root), self.version.fingerprint, name, params or self.params,
                                   tuple(sorted(kwargs.items())), i18n.current(), fn, self.cursor))

    @property
    def filtered(self) -> bool:
        """Whether the figures are for some groups (an SWG picked), not all."""
        return self.params.groups is not None

    def filter_label(self) -> str:
        if self.swg == state.ALL:
            return _("all groups")
        name = self.names.get(self.swg, self.swg)
        return name if self.params.groups == (self.swg,) else _("{name} and its sub-groups").format(name=name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _iati_current(root: str, head_stamp: tuple, register: str, _store: VersionStore,
                  _version: Version) -> publishing.IatiInUse:
    """The IATI set in use, worked out (its files checked) once per state of the series' HEAD and
    register version."""
    found = publishing.iati_for(_store, _version)
    if found.withheld:
        log.warning("no IATI set is read: %s", found.withheld)
    return found


@st.cache_resource(show_spinner=False, max_entries=64)
def _shared_funding(root: str, fingerprint: str, iati: str | None, as_of: dt.date, years: int, lang: str,
                    _iati: Version | None, _cur: Cursor) -> funding.Funding:
    """(`lang`: the names are the extract's Lao ones in Lao.)"""
    return funding.funding(_cur, _iati, as_of, years)


def _cursor(store: VersionStore, version: Version) -> Cursor:
    """One DuckDB cursor per browser session and data version."""
    key = (str(store.root), version.fingerprint)
    if st.session_state.get("_cursor_key") != key:
        st.session_state["_cursor"] = database(*key, version).cursor()
        st.session_state["_cursor_key"] = key
    return st.session_state["_cursor"]


@st.cache_resource(show_spinner=False, max_entries=8, ttl=60)
def _serving(root: str, head_stamp: tuple, lang: str, _store: VersionStore) -> publishing.Serving:
    """The version to show (publishing.serving), worked out once per state of HEAD.json: a damaged
    current version is checked once a minute, not on every page run."""
    return publishing.serving(_store)


def _head_stamp(store: VersionStore) -> tuple:
    return store.head_stamp()


def start_early() -> threading.Thread:
    """At the server's start (server.py): on a new store (no version, none on disk), publish the
    bundled demo on a thread of its own, while the first visitor's browser is still loading the
    page, so the first page does not wait for it (issue 31). The first page's own ensure_demo is
    the same call: whichever comes second finds the demo published (the store's lock)."""
    def first_start() -> None:
        try:
            store = open_store()
            if store.is_empty() and not store.versions_on_disk():
                publishing.ensure_demo(store)
        except Exception:  # (the first page then says what is wrong, as it would have)
            log.exception("publishing the demo at the server's start failed")

    thread = threading.Thread(target=first_start, name="swgdash-first-start", daemon=True)
    thread.start()
    return thread


class NothingToShow(Exception):
    """No version of the store can be read; the text says what is wrong."""


def setup() -> Context:
    """Run once per rerun by dashboard.py, before the page: store, demo, sidebar. A damaged current
    version is not shown: the newest intact one is, with the damage named (Context.damage)."""
    store = open_store()
    shown = _serving(str(store.root), _head_stamp(store), i18n.current(), store)
    if shown.version is None and not shown.damage:
        shown = publishing.Serving(publishing.ensure_demo(store))  # first start: the demo
    if shown.version is None:
        raise NothingToShow(" ".join(shown.damage))
    version = shown.version
    cur = _cursor(store, version)
    groups, names, plans, root_ids, periods = _groups_and_plans(store, version, cur)
    params, swg = state.sidebar(version, groups, names, plans, root_ids, periods)
    c = Context(store, version, cur, params, groups, plans, swg, names, list(shown.damage), list(shown.damaged),
                shown.outage)
    st.session_state["_ctx"] = c
    return c


def _entry_point_ran() -> bool:
    """Whether dashboard.py ran in this script run (its sidebar registered `as_of`)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None:  # not in a script run: trust the session state
            return True
        keys = ctx.shared.widget_user_keys_this_run
    except Exception:  # another Streamlit: trust the session state
        return True
    return "as_of" in keys


def context() -> Context:
    """The context dashboard.py built for this run: a page asks for it once, at its top (through
    widgets.header), and hands it to everything it draws."""
    if "_ctx" not in st.session_state or not _entry_point_ran():
        # This page file was run on its own, by Streamlit's legacy pages/ mode (a deep
        # link as a fresh server's first request, or AppTest): run again, now through
        # the entry point, on the same page.
        _no_legacy_pages_dir()
        st.rerun()
    return st.session_state["_ctx"]


def run_page(page) -> None:
    """Run a page; an unexpected error is logged and shown as a plain message, never a traceback.
    With the SWGDASH_RUN_LOG setting, each run's page and seconds are added to that file (one JSON
    line each: how long the server spends on a page, e.g. under load; see bench/browser.py)."""
    started = time.perf_counter()
    from swgdash.app import (
        handoff,  # an upload left refused is recorded as the officer leaves it, or as the session ends
    )

    if (getattr(page, "url_path", "") or "") != "upload" and handoff.holding():
        handoff.settle(context().store)
    handoff.settle_ended()
    try:
        page.run()
    except Exception:  # Streamlit's stop/rerun signals are BaseException and pass through
        log.exception("page %s failed", getattr(page, "url_path", page))
        st.error(_("Sorry, this page could not be drawn. The error has been logged for the "
                   "secretariat; try another date or filter, or reload the page."), icon=":material/error:")
    if path := settings.get("SWGDASH_RUN_LOG"):  # (a run cut short by st.stop or st.rerun is not counted)
        line = json.dumps({"page": "/" + (getattr(page, "url_path", "") or ""),
                           "seconds": round(time.perf_counter() - started, 4), "at": time.time()})
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
