"""The hand-off on /upload, as the browser and the session see it: the upload being composed and
the one decision the audit log keeps of it (an upload the officer leaves refused: decisions, not
keystrokes); the browser asked before leaving a valid upload unpublished; the secretariat's sign-in
kept across a reload (an HttpOnly cookie, swgdash.app.guard), bound to its credential and client."""
from __future__ import annotations

import dataclasses
import logging

import streamlit as st

from swgdash.store import StoreError

log = logging.getLogger("swgdash")


HELD = "pub_refused"  # the session's upload held refused (this module alone reads and writes it)


def session_id() -> str:
    """This run's session id (the guard's registries are keyed by it)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else ""


def compose(result, who: str, store) -> None:
    """Follow the upload being composed: a refusal is a decision only once the officer leaves the
    upload refused (removes every file, leaves the page, signs out, or the session ends: a reload,
    a closed tab), so it is held until then; files added or removed while composing write nothing,
    and a valid upload forgets it."""
    from swgdash.app import guard

    state = st.session_state
    if result.ok:
        state.pop(HELD, None)
        guard.hold_refusal(session_id(), None, None)
        return
    held = state.get(HELD) or {"sources": [], "by": who}
    held["sources"] = list(dict.fromkeys([*held["sources"], *result.sources]))
    held["result"] = result
    state[HELD] = held
    guard.hold_refusal(session_id(), store, held)  # (recorded by another run if this session ends)


def holding() -> bool:
    return HELD in st.session_state


def record(store, held: dict) -> None:
    result = held["result"]
    try:
        store.log_refused(dataclasses.replace(result, sources=held["sources"]), by=held["by"], stage="left refused")
    except StoreError as exc:  # (nothing was published; the server's log keeps what the audit log could not)
        log.warning("an upload left refused by %s could not be recorded: %s", held["by"], exc)


def settle(store) -> None:
    """Record an upload the officer left refused, once (see compose); called when /upload shows
    no file, when another page opens, and at sign-out."""
    from swgdash.app import guard

    held = st.session_state.pop(HELD, None)
    st.session_state.pop("pub_key", None)
    guard.hold_refusal(session_id(), None, None)
    if held:
        record(store, held)


def settle_ended() -> None:
    """Record the uploads left refused by sessions that have ended (swgdash.app.guard.ended_refusals)."""
    from swgdash.app import guard

    for store, held in guard.ended_refusals():
        record(store, held)


# ---- the browser's side: small scripts (Streamlit components, no iframe) -----------------------

_LEAVE_JS = """
export default function ({ data }) {
  // armed while a valid upload waits unpublished: reloading, closing or leaving the page asks first
  window.__swgLeave = data;
  if (!window.__swgLeaveWatch) {
    window.__swgLeaveWatch = true;
    addEventListener('beforeunload', (e) => {
      if (window.__swgLeave && window.__swgLeave.armed) { e.preventDefault(); e.returnValue = ''; }
    });
    document.addEventListener('click', (e) => {  // the navigation's links change page without unloading
      const g = window.__swgLeave;
      const link = g && g.armed && e.target.closest && e.target.closest('[data-testid="stSidebarNav"] a');
      if (link && !confirm(g.ask)) { e.preventDefault(); e.stopImmediatePropagation(); }
    }, true);
  }
  const mine = data;  // (a copy drawn again runs this anew before the old copy's clean-up: clear only its own)
  return () => { if (window.__swgLeave === mine) window.__swgLeave = null; };
}
"""

_COOKIE_JS = """
export default function ({ data }) {
  // hands the sign-in offer to the server, which answers with the HttpOnly cookie (or removes it)
  if (!data || !data.url || window.__swgCookieDone === data.key) return;
  window.__swgCookieDone = data.key;
  fetch(data.url, {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
                   body: JSON.stringify({nonce: data.nonce || ''})}).catch(() => {});
}
"""

_components: dict = {}


def _component(name: str, js: str):
    if name not in _components:
        _components[name] = st.components.v2.component(name, js=js)
    return _components[name]


def leave_guard(armed: bool, key: str = "leave_guard") -> None:
    """Ask before reloading or leaving /upload while `armed` (a valid upload not yet published)."""
    from swgdash.i18n import _

    with st.container(key=f"{key}_probe"):
        _component("swgdash_leave", _LEAVE_JS)(
            key=key, data={"armed": bool(armed),
                                     "ask": _("The upload you checked is not published. Leave this page and lose it?")})


def cookie_call(url: str, nonce: str = "") -> None:
    """Post once to the guard's cookie route (sign-in offer or sign-out), from the browser."""
    with st.container(key="cookie_probe"):
        _component("swgdash_cookie", _COOKIE_JS)(key="cookie_call", data={"url": url, "nonce": nonce,
                                                                         "key": nonce})
