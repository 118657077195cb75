"""The member's screen, as far as the server needs it: how wide the page's main column is, and
whether it is a touch screen. The same script keeps the browser's history to one entry a page
(not one more for each setting a page writes to its address) and folds a phone's menu once a page
is chosen.

Charts are laid out on the server (fitting.fit_margins: margins, wrapped labels), for a column at
least WIDE pixels wide; a phone's or a portrait tablet's column is narrower, and its charts are laid
out again for it (fitting.for_screen). Tables show the columns that fit side by side and fold the
others (widgets.frame). A small script in the page measures the column (again when the window or
the sidebar changes it) and sends it back when it is narrower than what the server knows by STEP
pixels or more (or touch, or stacked, differs): one more run of the page on a phone's or tablet's
first screen, none on a laptop's or a projector's, none when moving between pages. A wider column
is not sent: its tables keep to a 1280-pixel screen's columns, folding the others.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st

from swgdash.app.state import URL_KEYS
from swgdash.present.fitting import ASSUMED_WIDTH

WIDE = ASSUMED_WIDTH - 20  # a main column at least about as wide keeps the charts as laid out
ASSUMED = ASSUMED_WIDTH  # until measured: the main column of a 1280-pixel screen with the sidebar open
STEP = 40  # pixels: a smaller change of width is not sent (a scroll bar coming and going is 15)

_JS = """
export default function ({ data, setStateValue }) {
  // one watcher per window, however often the component is drawn again; it compares with what the
  // server last said it knows (data) and sends only a change that matters, once
  window.__swgScreenSend = setStateValue;
  window.__swgScreenKnown = data;
  window.__swgScreenSettled = false;
  const measure = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const style = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const now = {width: Math.max(280, Math.floor(inner / 10) * 10),
                 touch: matchMedia('(pointer: coarse)').matches,
                 stacked: innerWidth < 640};  // Streamlit stacks st.columns in a window under 640 pixels
    // a column wider than the server assumes changes nothing that matters (the charts are laid out
    // for it, the tables fit): only a narrower one is sent, so a laptop's first page runs once
    const same = (a, b) => (a.width > b.width || b.width - a.width < %(step)d) && a.touch === b.touch
                           && a.stacked === b.stacked;
    // (__swgScreenSettled: the page is laid out for this screen; the browser tests wait for it)
    window.__swgScreenSettled = same(now, window.__swgScreenKnown);
    if (window.__swgScreenSettled) return;
    const sent = window.__swgScreenSent;
    if (sent && same(now, sent.screen) && Date.now() - sent.at < 3000) return;  // on its way already
    window.__swgScreenSent = {screen: now, at: Date.now()};
    window.__swgScreenSend('screen', now);
  };
  // after the page is drawn, not while: measuring forces the browser to lay the page out
  clearTimeout(window.__swgScreenLater);
  window.__swgScreenLater = setTimeout(measure, 400);
  if (!window.__swgHistory) {
    window.__swgHistory = true;
    // One click in the menu is one entry in the history: Streamlit adds one for the page, and one
    // more each time the page then writes its settings to the address. An address that differs
    // only in the sidebar's settings (state.URL_KEYS) replaces the entry instead, so Back returns to
    // the page before, with its settings; another slide or another group's profile keeps its own.
    const settings = %(settings)s;
    const rest = (u) => { const q = new URLSearchParams(u.search); settings.forEach(k => q.delete(k));
                          q.sort(); return u.pathname + "?" + q.toString(); };
    const push = history.pushState.bind(history);
    history.pushState = (state, title, url) => {
      try {
        if (rest(new URL(url, location.href)) === rest(location))
          return history.replaceState(state, title, url);
      } catch (e) { /* an address it cannot read: as Streamlit asked */ }
      return push(state, title, url);
    };
    // on a phone (Streamlit's sidebar covers the page under 768 pixels) the menu folds once a page
    // is chosen
    document.addEventListener('click', (e) => {
      const link = e.target.closest && e.target.closest('[data-testid="stSidebarNav"] a');
      if (!link || innerWidth >= 768) return;
      setTimeout(() => {
        const side = document.querySelector('[data-testid="stSidebar"]');
        const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
        if (side && side.dataset.collapsed !== 'true' && fold) fold.click();
      }, 0);
    }, true);
  }
  if (!window.__swgScreenWatch) {
    let timer;
    window.__swgScreenWatch = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(measure, 300); });
    const main = document.querySelector('[data-testid="stMain"]');
    if (main) window.__swgScreenWatch.observe(main);
  }
}
""" % {"step": STEP, "settings": json.dumps(list(URL_KEYS))}


@dataclass(frozen=True)
class Screen:
    width: int = ASSUMED  # the main column's width in pixels (rounded down to 10)
    touch: bool = False
    stacked: bool = False  # st.columns drawn one under another (a window under 640 pixels wide)

    @property
    def narrow(self) -> bool:
        return self.width < WIDE


_measure = None


def current() -> Screen:
    """This session's screen: what the measuring script last sent (a laptop's until it has)."""
    told = st.session_state.get("screen")
    told = told.get("screen") if isinstance(told, dict) else getattr(told, "screen", None)
    try:
        # (the script sends 280 or more; a crafted message is held to what a screen can be)
        width = min(max(int(told["width"]), 280), 10_000) if told else ASSUMED
        return Screen(width, told["touch"] is True, told["stacked"] is True) if told else Screen()
    except (TypeError, ValueError, KeyError):  # not what the script sends: a laptop's
        return Screen()


def mount() -> None:
    """The measuring script (hidden, in the sidebar), told what the server knows. Called at the end
    of a run, once the page's widgets are drawn: a measurement sent while a run is still drawing
    would stop it, and widgets the browser had not received yet would lose their values."""
    global _measure
    if _measure is None:
        _measure = st.components.v2.component("swgdash_screen", js=_JS)
    now = current()
    known = {"width": now.width, "touch": now.touch, "stacked": now.stacked}
    with st.sidebar.container(key="screen_probe"):
        _measure(key="screen", data=known, default={"screen": known}, on_screen_change=lambda: None)
