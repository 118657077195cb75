"""The member's screen, as far as the server needs it: how wide the page's main column is, and
whether it is a touch screen.

Charts are laid out on the server (charts.fit_margins: margins, wrapped labels), for a column at
least WIDE pixels wide; a phone's or a portrait tablet's column is narrower, and its charts are laid
out again for it (charts.for_screen). Tables show the columns that fit side by side and fold the
others (widgets.frame). A small script in the page measures the column (again when the window or
the sidebar changes it by twenty pixels or more) and sends it back when it differs from what the
server last knew: one more run of the page on a session's first screen, none when moving between
pages.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

WIDE = 700  # a main column at least this wide keeps the charts as laid out (charts.ASSUMED_WIDTH)
ASSUMED = 860  # until measured: the main column of a 1280-pixel screen with the sidebar open

_JS = """
export default function ({ data, setStateValue }) {
  const measure = () => {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return;
    const style = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const width = Math.max(280, Math.floor(inner / 20) * 20);
    const touch = matchMedia('(pointer: coarse)').matches;
    const stacked = innerWidth < 640;  // Streamlit stacks st.columns in a window under 640 pixels
    if (width !== data.width || touch !== data.touch || stacked !== data.stacked)
      setStateValue('screen', {width, touch, stacked});
  };
  measure();
  let timer;
  const watched = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(measure, 300); });
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) watched.observe(main);
  return () => { clearTimeout(timer); watched.disconnect(); };
}
"""


@dataclass(frozen=True)
class Screen:
    width: int = ASSUMED  # the main column's width in pixels (rounded down to 20)
    touch: bool = False
    stacked: bool = False  # st.columns drawn one under another (a window under 640 pixels wide)

    @property
    def narrow(self) -> bool:
        return self.width < WIDE


_measure = None


def measure() -> Screen:
    """This session's screen (a laptop's until the page has said otherwise). Called once per run,
    before the page draws; mounts the measuring script (hidden) in the sidebar."""
    global _measure
    if _measure is None:
        _measure = st.components.v2.component("swgdash_screen", js=_JS)
    now = st.session_state.get("_screen") or Screen()
    with st.sidebar.container(key="screen_probe"):
        said = {"width": now.width, "touch": now.touch, "stacked": now.stacked}
        result = _measure(key="screen", data=said, default={"screen": said},
                          on_screen_change=lambda: None)
    told = getattr(result, "screen", None) or {}
    try:
        seen = Screen(int(told.get("width", now.width)), bool(told.get("touch", now.touch)),
                      bool(told.get("stacked", now.stacked)))
    except (TypeError, ValueError):  # not what the script sends: keep what we had
        seen = now
    st.session_state["_screen"] = seen
    return seen


def current() -> Screen:
    return st.session_state.get("_screen") or Screen()
