"""Streamlit glue of /changes (and the status histories of /recommendations): choosing the two
versions, the changes between them, and their lists."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from swgdash import fmt, i18n
from swgdash.app.context import Context, database
from swgdash.app.widgets import shown, table
from swgdash.contract import word
from swgdash.fmt import md
from swgdash.i18n import _
from swgdash.present import sentences
from swgdash.query import history, metrics
from swgdash.store import DamagedVersion, Version

BY_VERSION, BY_DATE = "version", "date"


def label(v: Version) -> str:
    return _("Version {id}: as of {as_of}, published {published}").format(
        id=v.id, as_of=i18n.date_text(v.as_of, short=True), published=i18n.date_text(v.published_on, short=True))


@dataclass
class Choice:
    source: Version
    target: Version
    since: dt.date | None  # the date asked for ("the version current on"), else None


def readable_versions(c: Context) -> list[Version]:
    """The store's versions, less those found damaged."""
    return [v for v in c.store.versions() if v.id not in c.damaged]


def choose(c: Context) -> Choice | None:
    """The two versions to compare, picked on the page: by default the one before the version
    shown, and the version shown. None (said why) when there are not two to compare."""
    versions = readable_versions(c)
    by_id = {v.id: v for v in versions}
    if len(versions) < 2:
        st.info(_("Only one version is published ({label}). Changes are shown once the secretariat publishes "
                  "the next one; the trend below is computed from this version's records.").format(
            label=label(c.version)), icon=":material/history:")
        return None
    ids = sorted(by_id, reverse=True)  # the newest first
    how = st.segmented_control(_("Compare with"), [BY_VERSION, BY_DATE], default=BY_VERSION, required=True,
                               key="ch_how", format_func=lambda h: _("an earlier version") if h == BY_VERSION
                               else _("the version current on a date"))
    left, right = st.columns(2)
    target_id = right.selectbox(_("Later version"), ids, index=ids.index(c.version.id) if c.version.id in by_id else 0,
                                key="ch_to", format_func=lambda i: label(by_id[i]))
    earlier = [i for i in ids if i < target_id]
    if not earlier:
        st.info(_("Version {id} is the first one published: pick a later version to compare it with.").format(
            id=target_id), icon=":material/history:")
        return None
    if how == BY_VERSION:
        source_id = left.selectbox(_("Earlier version"), earlier, index=0, key=f"ch_from_{target_id}",
                                   format_func=lambda i: label(by_id[i]))
        return Choice(by_id[source_id], by_id[target_id], None)
    first = min(v.published_on for v in versions)
    since = left.date_input(_("The version current on (e.g. the last retreat's date)"),
                            value=by_id[earlier[0]].published_on, min_value=first,
                            max_value=by_id[target_id].published_on, key="ch_since", format="YYYY-MM-DD")
    try:
        source = history.compared_with(versions, by_id[target_id], since)
    except history.NoSuchVersion as exc:
        st.warning(md(str(exc)[:1].upper() + str(exc)[1:] + "."), icon=":material/event_busy:")
        return None
    assert source is not None  # (with a date: the version current then, or NoSuchVersion)
    left.caption(label(source))
    return Choice(source, by_id[target_id], since)


@st.cache_resource(show_spinner=False, max_entries=32)
def _changes(root: str, source_fp: str, target_fp: str, at_risk: int, dormant: int, plan: str | None, lang: str,
             since: dt.date | None, _source: Version, _target: Version) -> history.Changes:
    a, b = database(root, source_fp, _source), database(root, target_fp, _target)
    with i18n.language(lang):
        return history.changes(a.cursor(), _source, b.cursor(), _target, at_risk, dormant, plan, since)


def compare(c: Context, choice: Choice) -> history.Changes | None:
    """The changes between the chosen versions, at the sidebar's thresholds and plan (cached);
    None, said why, when either version cannot be read."""
    try:
        return _changes(str(c.store.root), choice.source.fingerprint, choice.target.fingerprint,
                        c.params.at_risk_months, c.params.dormant_months, c.params.plan, i18n.current(),
                        choice.since, choice.source, choice.target)
    except DamagedVersion as exc:
        st.error(md(str(exc)), icon=":material/report:")
        return None


def since_previous(c: Context) -> history.Changes | None:
    """The changes from the version before the one shown to it (the slides' "since the last
    retreat"), at the sidebar's thresholds and plan; None for the first version, or when the one
    before cannot be read."""
    before = history.previous(readable_versions(c), c.version)
    if before is None:
        return None
    try:
        return _changes(str(c.store.root), before.fingerprint, c.version.fingerprint, c.params.at_risk_months,
                        c.params.dormant_months, c.params.plan, i18n.current(), None, before, c.version)
    except DamagedVersion:
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _histories(root: str, fingerprints: tuple[str, ...], lang: str, _versions: tuple[Version, ...]) -> dict[str, str]:
    with i18n.language(lang):
        return history.status_histories(list(_versions))


def status_histories(c: Context) -> dict[str, str]:
    """action_id -> its status across every readable version, in words (empty with one version)."""
    versions = readable_versions(c)
    if len(versions) < 2:
        return {}
    return dict(_histories(str(c.store.root), tuple(v.fingerprint for v in versions), i18n.current(),
                           tuple(versions)))


def _activity(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    return df.assign(**{col: [word("activity", v) for v in df[col]] for col in cols})


def _status(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    return df.assign(**{col: [word("action_status", v) if isinstance(v, str) else "—" for v in df[col]]
                        for col in cols})


def headline(c: Context, ch: history.Changes, since: dt.date | None) -> None:
    """The sentences, then the counts a retreat asks for first."""
    if ch.nothing:
        st.success(_("Nothing that these pages count changed from version {a} to version {b}.").format(
            a=ch.source.id, b=ch.target.id), icon=":material/check_circle:")
    st.markdown("\n".join(f"- {md(line)}" for line in ch.headlines(since)))
    for note in ch.notes:
        st.info(md(note), icon=":material/table_chart:")
    cols = st.columns(4)
    cols[0].metric(_("Groups revived"), shown(len(ch.revived)), border=True,
                   help=_("Dormant in the earlier version, active or at risk in the later one."))
    cols[1].metric(_("Groups fallen dormant"), shown(len(ch.became_dormant)), border=True,
                   help=_("Active or at risk in the earlier version, dormant in the later one."))
    cols[2].metric(_("Actions done since"), shown(len(ch.done_since) if ch.has_actions else "—"), border=True,
                   help=_("Done in the later version, and not done (or not there) in the earlier one."))
    cols[3].metric(_("Actions newly overdue"), shown(len(ch.newly_overdue) if ch.has_actions else "—"), border=True,
                   help=_("Overdue at the later version's as-of date, and not overdue at the earlier one's."))


def _section(c: Context, parts: list[tuple[str, pd.DataFrame, dict, str]]) -> None:
    """Each non-empty list under its own title (with its count); the empty ones named in one line."""
    empty = [title for title, df, _cols, _name in parts if df.empty]
    for title, df, columns, name in parts:
        if not df.empty:
            st.subheader(_("{title} ({n})").format(title=title, n=len(df)))
            table(c, df, name, columns)
    if empty:
        st.caption(_("Lists with nothing in them: {lists}.").format(lists=_(", ").join(empty)))


def lists(c: Context, ch: history.Changes, histories: dict[str, str]) -> None:
    """The groups, actions and pillars that changed, each list with links to the groups' profiles
    (what changed first, the ids last: a phone shows the first columns)."""
    group, before, now = fmt.heading("group"), fmt.heading("before"), fmt.heading("now")
    st.header(_("Groups"))
    _section(c, [
        (_("Revived"), _activity(ch.revived, "to"), {"name": group, "to": now, "group_id": "ID"},
         _("groups revived")),
        (_("Fallen dormant"), _activity(ch.became_dormant, "from"), {"name": group, "from": before, "group_id": "ID"},
         _("groups fallen dormant")),
        (_("Every change of activity"), _activity(ch.activity_changed, "from", "to"),
         {"name": group, "from": before, "to": now, "group_id": "ID"}, _("groups whose activity changed")),
        (_("Added to the register"), ch.groups_added.assign(activity=[
            word("activity", a) if isinstance(a, str) else _("not counting") for a in ch.groups_added["activity"]]),
         {"name": group, "activity": now, "group_id": "ID"}, _("groups added")),
        # (no profile link: the group is not in the register any more)
        (_("Removed from the register"), ch.groups_removed.rename(columns={"group_id": "id"}),
         {"name": group, "id": "ID"}, _("groups removed")),
        (_("Renamed"), ch.groups_renamed,
         {"before": fmt.heading("name_before"), "after": fmt.heading("name_now"), "group_id": "ID"},
         _("groups renamed")),
        (_("Id reused for another group"), ch.groups_replaced,
         {"before": fmt.heading("group_before"), "after": fmt.heading("group_now"), "group_id": "ID"}, _("group ids reused")),
    ])
    if ch.has_actions:
        st.header(_("Follow-up actions"))
        with_history = lambda df: df.assign(history=[histories.get(a, "") for a in df["action_id"]])  # noqa: E731
        hist = {"history": fmt.heading("history")} if histories else {}
        action = {"description": fmt.heading("action")}
        _section(c, [
            (_("Done since"), with_history(_status(ch.done_since, "from")),
             {**action, "from": before, **hist, "action_id": "ID"}, _("actions done since")),
            (_("Newly overdue"), _status(ch.newly_overdue, "status"),
             {**action, "due_on": fmt.heading("due"), "status": fmt.heading("status"), "action_id": "ID"}, _("actions newly overdue")),
            (_("Status changed"), with_history(_status(ch.status_changed, "from", "to")),
             {**action, "from": before, "to": now, **hist, "action_id": "ID"},
             _("actions whose status changed")),
            (_("Added"), _status(ch.actions_added, "status"), {**action, "status": fmt.heading("status"), "action_id": "ID"},
             _("actions added")),
            (_("Removed"), _status(ch.actions_removed, "status"),
             {**action, "status": fmt.heading("status_before"), "action_id": "ID"}, _("actions removed")),
            (_("Id reused for another action"), ch.actions_replaced,
             {"before": fmt.heading("action_before"), "rec_before": fmt.heading("rec_before"),
              "after": fmt.heading("action_now"), "rec_after": fmt.heading("rec_now"), "action_id": "ID"}, _("action ids reused")),
        ])
    if ch.has_pillars and ch.plan:
        st.header(_("Pillars of the {plan}").format(plan=md(ch.plan)))
        pillar = {"name": _("Name"), "pillar_id": _("Pillar")}
        _section(c, [
            (_("Left with no functioning group"), ch.gaps_opened, pillar, _("pillar gaps opened")),
            (_("A functioning group again"), ch.gaps_closed, pillar, _("pillar gaps closed")),
        ])


def scope(c: Context, ch: history.Changes) -> None:
    """What the comparison covers, and with which thresholds (the sidebar's date and SWG are the trend's)."""
    st.caption(_("Every group of both versions, each version at its own as-of date ({a:%d %B %Y} and {b:%d %B %Y}); "
                 "active: met within {at_risk}; dormant: not met in {dormant}. The sidebar's date and sector "
                 "working group apply to the trend below.").format(
        a=ch.source.as_of, b=ch.target.as_of, at_risk=fmt.months_label(c.params.at_risk_months),
        dormant=fmt.months_label(c.params.dormant_months)))


def trend_caption(c: Context, trend: pd.DataFrame) -> str:
    """The trend chart's caption: what it shows, for which groups, and what to read it with."""
    first = c.q(metrics.first_meeting)
    parts = [sentences.trend_sentence(trend),
             _("For {groups}; each bar counts the groups counting at that date, by their activity then, from the "
               "records of the version shown (a group removed from the register is in no bar).").format(
                 groups=md(c.filter_label()))]
    if caveat := sentences.trend_caveat(trend, first, c.params.dormant_months):
        parts.append(caveat)
    return " ".join(p for p in parts if p)
