"""The sidebar's state and the address: as-of date, SWG, sub-groups, thresholds and plan are
kept in the session and written into the address (defaults left out), so a link reproduces
the view; a bookmarked or pasted address sets the sidebar."""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from swgdash import fmt, i18n
from swgdash.errors import BadDate, parse_date
from swgdash.i18n import N_, _
from swgdash.query import metrics
from swgdash.query.metrics import Params
from swgdash.store import Version

ALL = ""  # the SWG filter's "every group" choice
URL_KEYS = ("as_of", "swg", "subgroups", "at_risk_months", "dormant_months", "plan", "lang")


FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2100, 12, 31)  # the date pickers' range
WHY_UNREAD = {"as_of": N_("is not a date written YYYY-MM-DD"), "swg": N_("is not the id of a sector working group"),
              "subgroups": N_("is neither 0 nor 1"),
              "at_risk_months": N_("is not a whole number of months from {low} to {high}"),
              "dormant_months": N_("is not a whole number of months from {low} to {high}"),
              "plan": N_("is not a plan of the extract"),
              "lang": N_("is not a language of the dashboard (en or lo)")}
NOT_A_REAL_DATE = N_("is not a real calendar date")
OUT_OF_RANGE = N_("is not a date from 1990 to 2100")


whole = metrics.whole  # (a whole number written in the address: the slide's number too)
THRESHOLD_KEYS = ("at_risk_months", "dormant_months")  # the sidebar's, in metrics.THRESHOLDS


def parse_url(qp, root_ids: list[str], plans: list[str], unread: list | None = None) -> dict:
    """Sidebar state from the URL's query string; a value that cannot be read is left out (and
    added to `unread` as (key, value, why)), never fatal."""
    out: dict = {}
    if "as_of" in qp and len(str(qp["as_of"])) <= 40:
        try:
            day = parse_date(qp["as_of"])
        except BadDate as exc:
            if unread is not None and exc.real is False:
                unread.append(("as_of", qp["as_of"], NOT_A_REAL_DATE))
        else:
            if FIRST_DAY <= day <= LAST_DAY:
                out["as_of"] = day
            elif unread is not None:
                unread.append(("as_of", qp["as_of"], OUT_OF_RANGE))
    if qp.get("swg") in root_ids:
        out["swg"] = qp["swg"]
    if qp.get("subgroups") in ("0", "1"):
        out["subgroups"] = qp["subgroups"] == "1"
    for key in THRESHOLD_KEYS:
        if (n := metrics.THRESHOLDS[key].read(qp.get(key))) is not None:
            out[key] = n
    if qp.get("plan") in plans:
        out["plan"] = qp["plan"]
    if i18n.normalise(qp.get("lang")):
        out["lang"] = i18n.normalise(qp["lang"])
    if unread is not None:
        said = {u[0] for u in unread}
        unread.extend((k, qp[k], WHY_UNREAD[k]) for k in URL_KEYS if k in qp and k not in out and k not in said)
    return out


def _unread_notice(unread: list, used: dict, names: dict[str, str]) -> str:
    """One sentence per address value that could not be read, naming it and what is shown instead."""
    def shown(key):
        value: Any = used.get(key)  # (the session's values: what each key's widget holds)
        if key == "as_of":
            return i18n.date_text(value)
        if key == "swg":
            return _("all groups") if value == ALL else names.get(value, value)
        if key == "subgroups":
            return _("with its sub-groups") if value else _("without its sub-groups")
        if key.endswith("_months"):
            return fmt.months_label(value)
        if key == "lang":
            return i18n.LANGUAGE_NAMES.get(value, str(value))
        return str(value)

    def why_not(key, why):
        bounds = metrics.THRESHOLDS.get(key)
        return _(why).format(low=bounds.low, high=bounds.high) if bounds else _(why)
    return " ".join(_("The address asks for {setting}, which {why}; showing {shown} instead.").format(
        setting=f"{key}={fmt.excerpt(value)}", why=why_not(key, why), shown=shown(key)) for key, value, why in unread)


def defaults(version: Version, plans: list[str], periods: dict | None = None, as_of: dt.date | None = None) -> dict:
    """The sidebar's values when nothing asks otherwise; the plan is the one in force at `as_of` (default:
    the version's as-of date), so moving the date moves the plan unless one was picked."""
    return {"as_of": version.as_of, "swg": ALL, "subgroups": True,
            **{key: metrics.THRESHOLDS[key].default for key in THRESHOLD_KEYS},
            "plan": metrics.default_plan(plans, as_of or version.as_of, periods), "lang": i18n.default_language()}


# Streamlit's sectioned navigation puts each section's links (<li>) in a <div> inside the <ul>:
# screen readers (and axe-core) find no list. Each section becomes the list, the <ul> a plain
# container; again whenever Streamlit draws the navigation anew. And the sidebar: folded at first
# on a tablet held upright, focused when unfolded with the keyboard. A fixed script, no user data.
NAVIGATION_LISTS = """
(() => {
  const mend = () => document.querySelectorAll('[data-testid="stSidebarNavItems"]').forEach(ul => {
    const sections = [...ul.children].filter(e => e.tagName !== 'LI' && e.getAttribute('role') !== 'list');
    if (!sections.length) return;
    ul.setAttribute('role', 'none');
    sections.forEach(section => {
      section.setAttribute('role', 'list');
      const head = section.querySelector(':scope > header');
      if (head) { head.setAttribute('role', 'none'); }
    });
  });
  mend();
  const side = document.querySelector('[data-testid="stSidebar"]');
  if (side && !window.__swgNavMended) {  // (the sidebar only: the page's charts change much more)
    window.__swgNavMended = new MutationObserver(mend);
    window.__swgNavMended.observe(side, {childList: true, subtree: true});
  }
  if (side && !window.__swgSideWatched) {
    window.__swgSideWatched = true;
    // a window narrower than a laptop's (a tablet held upright) opens with the page, the sidebar
    // folded (Streamlit folds it only on a phone); once per window, the member may unfold it
    if (innerWidth < 1024 && side.dataset.collapsed === 'false') {
      const fold = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (fold) fold.click();
    }
    // unfolded with the keyboard, the focus goes into it (Streamlit leaves it on the page)
    new MutationObserver(() => {
      if (side.dataset.collapsed !== 'false') return;
      const at = document.activeElement;
      if (at && at !== document.body && !at.closest('[data-testid="stExpandSidebarButton"]')) return;
      const first = side.querySelector('a[href], button, input, [tabindex="0"]');
      if (first) setTimeout(() => first.focus(), 50);
    }).observe(side, {attributes: true, attributeFilter: ['data-collapsed']});
  }
})();
"""


def language() -> str:
    """This run's language, set before anything is drawn (the navigation's titles too): the
    address's `lang` on a session's first run or when the address was changed by hand, else the
    sidebar's switch, else the deployment's default (SWGDASH_LANGUAGE), else English."""
    state = st.session_state
    asked = i18n.normalise(st.query_params.get("lang"))
    written = state.get("_url_written")
    if asked and (written is None or st.query_params.get("lang") != written.get("lang")):
        state["lang"] = asked
    elif "lang" not in state or i18n.normalise(state["lang"]) is None:
        state["lang"] = i18n.default_language()
    if state.get("_lang_shown") not in (None, state["lang"]):
        _keep_choices(state)
    state["_lang_shown"] = state["lang"]
    i18n.set_language(state["lang"])
    return state["lang"]


def _keep_choices(state) -> None:
    """After a switch of language, every choice stays the one made. A select box sends back its
    choice in the words it showed; read now (with the words of the last run) each is still the
    code, and set again it wins over those words, which the new language would not recognise
    (it read 'All groups' in Lao as a group named so)."""
    for key in list(state.keys()):
        if key.startswith("_") or key == "lang":
            continue
        try:
            value = state[key]
        except Exception:
            continue
        # choices only: not a button's, a box's or a toggle's flag, nor an upload (none has words)
        if value is None or isinstance(value, bool) or hasattr(value, "getvalue"):
            continue
        if isinstance(value, (list, tuple)) and any(hasattr(v, "getvalue") for v in value):
            continue
        state[key] = value


def _sync_from_url(version: Version, root_ids: list[str], plans: list[str], periods: dict) -> list:
    """Apply a bookmarked or pasted URL to the sidebar: on a session's first run, and
    whenever the URL carries values other than those this session last wrote. Returns the
    address values that could not be read, as (key, value, why)."""
    state = st.session_state
    qp = {k: st.query_params[k] for k in URL_KEYS if k in st.query_params}
    first = "_url_written" not in state
    if state.get("_seen_version") != version.fingerprint:
        state["_seen_version"] = version.fingerprint  # a newly published version brings its own as-of date
        state["as_of"] = version.as_of
    if not first:  # a widget's value the browser dropped (a run stopped before drawing it): as last written
        lost = [k for k in URL_KEYS if k not in state]
        if lost:
            kept = {**defaults(version, plans, periods), **parse_url(state["_url_written"], root_ids, plans)}
            for key in lost:
                if kept.get(key) is not None:
                    state[key] = kept[key]
    if not first and (not qp or qp == state.get("_url_written")):
        return []
    unread: list = []
    asked = parse_url(qp, root_ids, plans, unread)
    wanted = {**defaults(version, plans, periods, asked.get("as_of")), **asked} if first else asked
    if "plan" in asked or first:  # a plan the address names was picked; none named: it follows the date
        state[PLAN_PICKED] = "plan" in asked
    for key, value in wanted.items():
        if value is not None:
            state[key] = value
    return unread


def _sync_to_url(values: dict, version: Version, plans: list[str], periods: dict) -> None:
    """Write the sidebar state to the URL (defaults left out) so a view can be bookmarked."""
    default = defaults(version, plans, periods, values.get("as_of"))
    text = {}
    for key in URL_KEYS:
        value = values.get(key)
        if value is None or value == default[key]:
            continue
        text[key] = (value.isoformat() if isinstance(value, dt.date)
                     else ("1" if value else "0") if isinstance(value, bool) else str(value))
    for key in URL_KEYS:
        if key in text and st.query_params.get(key) != text[key]:
            st.query_params[key] = text[key]
        elif key not in text and key in st.query_params:
            del st.query_params[key]
    st.session_state["_url_written"] = text


def profile_url(group_id: str) -> str:
    """The address of a group's profile, with this view's sidebar settings (as-of date,
    thresholds, plan, SWG) as the address bar has them, so the profile opens on the same date."""
    return "/group?" + urlencode({"id": group_id, **st.session_state.get("_url_written", {})})


def with_view(**extra: str) -> dict[str, str]:
    """Query parameters for a link to another page: `extra`, with this view's sidebar settings."""
    return {**extra, **st.session_state.get("_url_written", {})}


WIDGET_SENT = N_("is not a value this control can take")


def _sane(key: str, value, version: Version, root_ids: list[str], plans: list[str]) -> bool:
    """Whether a sidebar value (as the browser sent it, or the address set it) is one its control
    can take: a crafted message can send NaN, a date in year 9999, a plan there is not."""
    if key == "as_of":
        return isinstance(value, dt.date) and FIRST_DAY <= value <= LAST_DAY
    if key in THRESHOLD_KEYS:
        return metrics.THRESHOLDS[key].takes(value)
    if key == "swg":
        return value == ALL or value in root_ids
    if key == "subgroups":
        return isinstance(value, bool)
    if key == "plan":
        return value in plans
    if key == "lang":
        return isinstance(value, str) and i18n.normalise(value) == value
    return True


def _sanitise(version: Version, root_ids: list[str], plans: list[str], periods: dict) -> list:
    """Put back the default of every sidebar value its control cannot take (before the controls are
    drawn, as Streamlit allows); returns them as (key, value, why) for the page's notice."""
    state, default, bad = st.session_state, defaults(version, plans, periods), []
    for key in URL_KEYS:
        if key in state:
            try:
                value = state[key]
            except Exception:
                continue
            if value is not None and not _sane(key, value, version, root_ids, plans):
                bad.append((key, value, WIDGET_SENT))
                state[key] = default[key]
    return bad


PLAN_PICKED = "_plan_picked"  # the session's plan was picked (by hand or by the address), not the date's


def _picked() -> None:
    st.session_state[PLAN_PICKED] = True


def sidebar(version: Version, groups: pd.DataFrame, names: dict[str, str], plans: list[str],
            root_ids: list[str], periods: dict) -> tuple[Params, str]:
    """The sidebar's controls, kept in the address; returns the figures' parameters and the SWG picked."""
    sb = st.sidebar
    unread = _sync_from_url(version, root_ids, plans, periods)
    unread += [u for u in _sanitise(version, root_ids, plans, periods) if u[0] not in {k for k, *_ in unread}]
    lang = sb.segmented_control(i18n.SWITCH_LABEL, list(i18n.LANGUAGES)[::-1], key="lang", required=True,
                                format_func=i18n.LANGUAGE_NAMES.__getitem__, help=i18n.SWITCH_HELP)
    i18n.set_language(lang or i18n.current())
    as_of = sb.date_input(_("Figures as of"), key="as_of",
                          min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31),
                          format="YYYY-MM-DD",
                          help=_("All figures are computed as of this date. Default: the date given "
                                 "when the data was published."))
    if not isinstance(as_of, dt.date):
        as_of = version.as_of
    swg = sb.selectbox(_("Sector working group"), [ALL] + root_ids, key="swg",
                       format_func=lambda g: _("All groups") if g == ALL else names.get(g, g))
    include_subs = sb.toggle(_("Include its sub-groups"), key="subgroups", disabled=swg == ALL)
    with sb.expander(_("Activity thresholds"), expanded=False):
        limits = {key: (metrics.THRESHOLDS[key].low, metrics.THRESHOLDS[key].high) for key in THRESHOLD_KEYS}
        at_risk = st.number_input(_("Active: met within (months)"), *limits["at_risk_months"], key="at_risk_months",
                                  help=_("A group that met within this many months is active."))
        dormant = st.number_input(_("Dormant: not met for (months)"), *limits["dormant_months"], key="dormant_months",
                                  help=_("A group that has not met within this many months is dormant; "
                                         "in between, it is at risk."))
        if at_risk > dormant:
            st.warning(_("The active window cannot be longer than the dormant one; using {months} for "
                         "both.").format(months=fmt.months_label(dormant)))
    plan = None
    if len(plans) > 1:
        if not st.session_state.get(PLAN_PICKED):  # the plan in force at the date shown
            st.session_state["plan"] = metrics.default_plan(plans, as_of, periods)
        plan = sb.selectbox(_("National plan"), plans, key="plan", on_change=_picked,
                            help=_("Which plan's pillars to use. Default: the plan in force at the date the "
                                   "figures are as of."))
    elif plans:
        plan = plans[0]
    _sync_to_url({"as_of": as_of, "swg": swg, "subgroups": include_subs, "at_risk_months": at_risk,
                  "dormant_months": dormant, "plan": plan if len(plans) > 1 else None, "lang": lang},
                 version, plans, periods)
    selected = metrics.filter_groups(groups, swg or None, include_subs)
    params = Params(as_of=as_of, at_risk_months=int(min(at_risk, dormant)), dormant_months=int(dormant),
                    groups=selected, plan=plan)
    if unread:  # shown on the page by widgets.header (this run only: the address is rewritten below)
        st.session_state["_url_unread"] = _unread_notice(unread, {**st.session_state, "as_of": as_of}, names)
    sb.divider()
    m = version.manifest
    sb.caption(_("Data version {version} · as of {as_of} · published {published} by {who}").format(
        version=i18n.digits(str(version.id)), as_of=i18n.date_text(version.as_of, short=True),
        published=i18n.date_text(version.published_on, short=True), who=fmt.md(fmt.publisher(m["published_by"]))))
    # <html lang> follows the language (screen readers, hyphenation, the browser's font choice);
    # a fixed script with one of two fixed codes, no user data.
    sb.html(f'<script>document.documentElement.lang = "{i18n.current()}";{NAVIGATION_LISTS}</script>',
            unsafe_allow_javascript=True, width="content")
    return params, swg or ALL
