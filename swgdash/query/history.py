"""What changed between two published versions, and each action's status across all of them
(issue 19; the definitions are in docs/extract-format.md, "Over the years and between versions").

Each side is read from its own version's query database, at its own as-of date, with the
same thresholds; the two are compared here by id. Nothing here needs Streamlit.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import pandas as pd

from swgdash import i18n
from swgdash.contract import word
from swgdash.errors import UserError
from swgdash.i18n import _, ngettext
from swgdash.query import identity, metrics
from swgdash.query.db import Cursor
from swgdash.store import Version

log = logging.getLogger(__name__)


class NoSuchVersion(UserError):
    """A version asked for that the store does not hold (or none current on a date)."""


def version_on(versions: list[Version], day: dt.date) -> Version:
    """The version current on `day`: the newest published on or before it (in the deployment's
    time zone). NoSuchVersion when none had been published by then."""
    before = [v for v in versions if v.published_on <= day]
    if not before:
        first = min(versions, key=lambda v: v.id, default=None)
        raise NoSuchVersion(_("no version had been published by {day}; the first was published on {first}").format(
            day=day.isoformat(), first=first.published_on.isoformat()) if first else _("no version is published"))
    return max(before, key=lambda v: v.id)


def previous(versions: list[Version], current: Version) -> Version | None:
    """The version published before `current` (None for the first)."""
    earlier = [v for v in versions if v.id < current.id]
    return max(earlier, key=lambda v: v.id) if earlier else None


def compared_with(versions: list[Version], target: Version, since: dt.date | None = None) -> Version | None:
    """The version `target` is compared with: the one current on `since` (among those up to the
    target), else the one before it; None for the first version. NoSuchVersion when none had been
    published by `since`, or when the one current then is the target itself (nothing to compare)."""
    if since is None:
        return previous(versions, target)
    source = version_on([v for v in versions if v.id <= target.id], since)
    if source.id == target.id:
        raise NoSuchVersion(_("the version current on {day} is version {id} itself (published {published}): pick "
                              "an earlier date, or compare with an earlier version").format(
            day=since.isoformat(), id=target.id, published=target.published_on.isoformat()))
    return source


@dataclass
class Changes:
    """What changed from one version (`source`, at its as-of) to another (`target`, at its own).
    Each list is a DataFrame with an id column first, sorted by id; `doc()` is the JSON."""
    source: Version
    target: Version
    plan: str | None
    groups_added: pd.DataFrame  # group_id, name, activity (None: not counting at the later as-of)
    groups_removed: pd.DataFrame  # group_id, name
    groups_renamed: pd.DataFrame  # group_id, before, after
    became_dormant: pd.DataFrame  # group_id, name
    revived: pd.DataFrame  # group_id, name, to
    activity_changed: pd.DataFrame  # group_id, name, from, to
    actions_added: pd.DataFrame  # action_id, description, status
    actions_removed: pd.DataFrame  # action_id, description, status
    done_since: pd.DataFrame  # action_id, description, from
    newly_overdue: pd.DataFrame  # action_id, description, due_on, status
    status_changed: pd.DataFrame  # action_id, description, from, to
    gaps_opened: pd.DataFrame  # pillar_id, name
    gaps_closed: pd.DataFrame  # pillar_id, name
    # ids that name another action or group now (swgdash.query.identity): not a status change, rename or revival
    actions_replaced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["action_id"]))
    groups_replaced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["group_id"]))
    has_actions: bool = True  # both versions have the actions (and recommendations) tables
    has_pillars: bool = True  # both have pillars and alignment, and the plan
    notes: list[str] = field(default_factory=list)  # what is not compared, and why
    since: dt.date | None = None  # the date the comparison was asked "since" (the version current then)

    def doc(self) -> dict:
        """The `changes --json` document (its keys are a public contract: extend, never rename)."""
        ids = lambda df, col: sorted(df[col].tolist())  # noqa: E731
        return {
            "from": {"version": self.source.id, "as_of": self.source.as_of.isoformat()},
            "to": {"version": self.target.id, "as_of": self.target.as_of.isoformat()},
            "groups": {
                "added": ids(self.groups_added, "group_id"),
                "removed": ids(self.groups_removed, "group_id"),
                "renamed": ids(self.groups_renamed, "group_id"),
                "became_dormant": ids(self.became_dormant, "group_id"),
                "revived": ids(self.revived, "group_id"),
                "activity_changed": [{"group_id": r["group_id"], "from": r["from"], "to": r["to"]}
                                     for r in self.activity_changed.sort_values("group_id").to_dict("records")],
                "replaced": ids(self.groups_replaced, "group_id"),
            },
            "actions": {
                "added": ids(self.actions_added, "action_id"),
                "removed": ids(self.actions_removed, "action_id"),
                "done_since": ids(self.done_since, "action_id"),
                "newly_overdue": ids(self.newly_overdue, "action_id"),
                "status_changed": [{"action_id": r["action_id"], "from": r["from"], "to": r["to"]}
                                   for r in self.status_changed.sort_values("action_id").to_dict("records")],
                "replaced": ids(self.actions_replaced, "action_id"),
            },
            "pillars": {"gaps_opened": ids(self.gaps_opened, "pillar_id"),
                        "gaps_closed": ids(self.gaps_closed, "pillar_id")},
        }

    def headlines(self, since: dt.date | None = None) -> list[str]:
        """The sentences a retreat opens with, computed from the lists ('3 groups revived, 2 fell
        dormant, 11 actions done since 16 November 2022'); `since` defaults to the source's as-of."""
        since = since or self.since or self.source.as_of
        parts = [ngettext("{n} group revived", "{n} groups revived", len(self.revived)).format(n=len(self.revived)),
                 ngettext("{n} fell dormant", "{n} fell dormant", len(self.became_dormant)).format(
                     n=len(self.became_dormant))]
        if self.has_actions:
            parts.append(ngettext("{n} action done", "{n} actions done", len(self.done_since)).format(
                n=len(self.done_since)))
        out = [_("{parts} since {since:%d %B %Y}.").format(parts=_(", ").join(parts), since=since)]
        moved = []
        if len(self.groups_added) or len(self.groups_removed):
            moved.append(_("{added} added and {removed} removed from the register").format(
                added=ngettext("{n} group", "{n} groups", len(self.groups_added)).format(n=len(self.groups_added)),
                removed=len(self.groups_removed)))
        if len(self.groups_renamed):
            moved.append(ngettext("{n} renamed", "{n} renamed", len(self.groups_renamed)).format(
                n=len(self.groups_renamed)))
        if moved:
            out.append(_("Groups: {changes}.").format(changes=_("; ").join(moved)))
        if self.has_actions and (len(self.newly_overdue) or len(self.actions_added) or len(self.actions_removed)):
            out.append(_("Actions: {overdue} newly overdue, {added} added, {removed} removed.").format(
                overdue=len(self.newly_overdue), added=len(self.actions_added), removed=len(self.actions_removed)))
        if self.has_pillars and self.plan:
            if len(self.gaps_opened) or len(self.gaps_closed):
                out.append(_("Pillars of the {plan} with no functioning group: {opened} more, {closed} fewer.").format(
                    plan=self.plan, opened=len(self.gaps_opened), closed=len(self.gaps_closed)))
            else:
                out.append(_("No pillar of the {plan} lost or gained its last functioning group.").format(plan=self.plan))
        return out

    @property
    def nothing(self) -> bool:
        return not any(len(df) for df in (
            self.groups_added, self.groups_removed, self.groups_renamed, self.activity_changed,
            self.actions_added, self.actions_removed, self.status_changed, self.newly_overdue,
            self.gaps_opened, self.gaps_closed, self.actions_replaced, self.groups_replaced))


def _sorted(df: pd.DataFrame, key: str) -> pd.DataFrame:
    return df.sort_values(key, kind="stable").reset_index(drop=True)


def _side(cur: Cursor, version: Version, at_risk: int, dormant: int, plan: str | None) -> dict:
    p = metrics.Params(as_of=version.as_of, at_risk_months=at_risk, dormant_months=dormant, plan=plan)
    names = cur.query("group_names")
    act = metrics.group_activity(cur, p)[["group_id", "name", "activity"]]
    actions = (metrics.actions(cur, p)[["action_id", "description", "status", "due_on", "overdue"]]
               if cur.has("recommendations") and cur.has("actions") else None)
    pillars = None
    if cur.has("pillars") and cur.has("alignment") and plan is not None and plan in metrics.plans(cur):
        pillars = metrics.pillar_coverage(cur, p)[["pillar_id", "name", "gap"]]
    return {"names": names, "activity": act, "actions": actions, "pillars": pillars,
            "pillar_tables": cur.has("pillars") and cur.has("alignment"),
            "group_identity": cur.query("group_identity"),
            "action_identity": cur.query("action_identity") if actions is not None else None}


def _not_compared(a: dict, b: dict, source: Version, target: Version, plan: str | None) -> list[str]:
    """Sentences for what one of the versions cannot say (a table or the plan it lacks): unknown, not 'none'."""
    notes = []
    for side, version in ((a, source), (b, target)):
        if side["actions"] is None:
            notes.append(_("Version {id} has no recommendations or actions table: actions are not compared.").format(
                id=version.id))
    for side, version in ((a, source), (b, target)):
        if plan is not None and side["pillars"] is None:
            notes.append(_("Version {id} has no pillars of the {plan} (or no alignment table): pillars are not "
                           "compared.").format(id=version.id, plan=plan))
        elif plan is None and not side["pillar_tables"] and (a["pillar_tables"] or b["pillar_tables"]):
            notes.append(_("Version {id} has no pillars or alignment table: pillars are not compared.").format(
                id=version.id))
    return notes


def changes(source_cur: Cursor, source: Version, target_cur: Cursor, target: Version,
            at_risk_months: int = metrics.THRESHOLDS["at_risk_months"].default,
            dormant_months: int = metrics.THRESHOLDS["dormant_months"].default, plan: str | None = None,
            since: dt.date | None = None) -> Changes:
    """What changed from `source` to `target`, each read at its own as-of date with these
    thresholds; pillars of `plan` (default: the plan the pages open with for the target).
    `since`: the date the comparison was asked for (the headlines say "since" it)."""
    metrics.Params(as_of=target.as_of, at_risk_months=at_risk_months, dormant_months=dormant_months)  # (checks)
    if plan is None:
        plan = metrics.default_plan(metrics.plans(target_cur), target.as_of, metrics.plan_periods(target_cur))
    a = _side(source_cur, source, at_risk_months, dormant_months, plan)
    b = _side(target_cur, target, at_risk_months, dormant_months, plan)
    notes = _not_compared(a, b, source, target, plan)
    if a["actions"] is None or b["actions"] is None:  # unknown on one side: compared as nothing
        a["actions"] = b["actions"] = None
    if a["pillars"] is None or b["pillars"] is None:
        a["pillars"] = b["pillars"] = None

    groups_replaced = identity.replaced_groups(a["group_identity"], b["group_identity"])
    actions_replaced = (identity.replaced_actions(a["action_identity"], b["action_identity"])
                        if a["actions"] is not None else pd.DataFrame(columns=["action_id", "rec_before", "rec_after",
                                                                              "before", "after"]))
    if len(actions_replaced):  # the earlier side's action of that id is another action: as if it was not there
        a["actions"] = a["actions"][~a["actions"]["action_id"].isin(actions_replaced["action_id"])]
    n0, n1 = a["names"], b["names"]
    added = n1[~n1["group_id"].isin(n0["group_id"])]
    removed = n0[~n0["group_id"].isin(n1["group_id"])]
    both = n0.merge(n1, on="group_id", suffixes=("_0", "_1"))
    both = both[~both["group_id"].isin(groups_replaced["group_id"])]
    renamed = both[_differs(both["name_en_0"], both["name_en_1"]) | _differs(both["name_lo_0"], both["name_lo_1"])]
    # the names in the reader's language; where only the other language's name changed, that one
    same = ~_differs(renamed["name_0"], renamed["name_1"])
    other = renamed["name_en_0"] if i18n.current() != "en" else renamed["name_lo_0"]
    other_now = renamed["name_en_1"] if i18n.current() != "en" else renamed["name_lo_1"]
    renamed = renamed.assign(before=renamed["name_0"].astype(object).where(~same, other.astype(object)),
                             after=renamed["name_1"].astype(object).where(~same, other_now.astype(object)))[
        ["group_id", "before", "after"]]

    act = a["activity"].merge(b["activity"], on="group_id", suffixes=("_0", "_1"))
    act = act[~act["group_id"].isin(groups_replaced["group_id"])]
    moved = act[act["activity_0"] != act["activity_1"]].rename(
        columns={"name_1": "name", "activity_0": "from", "activity_1": "to"})[["group_id", "name", "from", "to"]]
    became_dormant = moved[moved["to"] == "dormant"][["group_id", "name", "from"]]
    revived = moved[moved["from"] == "dormant"][["group_id", "name", "to"]]

    empty_actions = pd.DataFrame(columns=["action_id", "description", "status", "due_on", "overdue"])
    x0 = a["actions"] if a["actions"] is not None else empty_actions
    x1 = b["actions"] if b["actions"] is not None else empty_actions
    acts = x0.merge(x1, on="action_id", how="outer", suffixes=("_0", "_1"), indicator=True)
    in_both = acts[acts["_merge"] == "both"]
    status_changed = in_both[in_both["status_0"] != in_both["status_1"]].rename(
        columns={"description_1": "description", "status_0": "from", "status_1": "to"})[
        ["action_id", "description", "from", "to"]]
    now = acts[(acts["_merge"] != "left_only") & ~acts["action_id"].isin(actions_replaced["action_id"])]  # (a
    # reused id is listed under replaced only: not as done since, newly overdue or added)
    done_since = now[(now["status_1"] == "done") & (now["status_0"] != "done")].rename(
        columns={"description_1": "description", "status_0": "from"})[["action_id", "description", "from"]]
    overdue_0 = now["overdue_0"].astype("boolean").fillna(False).astype(bool)
    overdue_1 = now["overdue_1"].astype("boolean").fillna(False).astype(bool)
    newly_overdue = now[overdue_1 & ~overdue_0].rename(
        columns={"description_1": "description", "due_on_1": "due_on", "status_1": "status"})[
        ["action_id", "description", "due_on", "status"]]
    actions_added = x1[~x1["action_id"].isin(x0["action_id"]) & ~x1["action_id"].isin(actions_replaced["action_id"])][
        ["action_id", "description", "status"]]
    actions_removed = x0[~x0["action_id"].isin(x1["action_id"])][["action_id", "description", "status"]]

    empty_pillars = pd.DataFrame(columns=["pillar_id", "name", "gap"])
    p0 = a["pillars"] if a["pillars"] is not None else empty_pillars
    p1 = b["pillars"] if b["pillars"] is not None else empty_pillars
    pil = p0.merge(p1, on="pillar_id", suffixes=("_0", "_1")).rename(columns={"name_1": "name"})
    gap_0, gap_1 = pil["gap_0"].astype(bool), pil["gap_1"].astype(bool)

    return Changes(
        source=source, target=target, plan=plan,
        groups_added=_sorted(added[["group_id", "name"]].merge(b["activity"][["group_id", "activity"]], on="group_id",
                                                               how="left"), "group_id"),
        groups_removed=_sorted(removed[["group_id", "name"]], "group_id"),
        groups_renamed=_sorted(renamed, "group_id"),
        became_dormant=_sorted(became_dormant, "group_id"),
        revived=_sorted(revived, "group_id"),
        activity_changed=_sorted(moved, "group_id"),
        actions_added=_sorted(actions_added, "action_id"),
        actions_removed=_sorted(actions_removed, "action_id"),
        done_since=_sorted(done_since, "action_id"),
        newly_overdue=_sorted(newly_overdue, "action_id"),
        status_changed=_sorted(status_changed, "action_id"),
        actions_replaced=actions_replaced,
        groups_replaced=groups_replaced,
        gaps_opened=_sorted(pil[gap_1 & ~gap_0][["pillar_id", "name"]], "pillar_id"),
        gaps_closed=_sorted(pil[gap_0 & ~gap_1][["pillar_id", "name"]], "pillar_id"),
        has_actions=b["actions"] is not None,
        has_pillars=b["pillars"] is not None,
        notes=notes,
        since=since,
    )


def _differs(a: pd.Series, b: pd.Series) -> pd.Series:
    """Cell by cell: do two text columns differ? (two empty cells are the same)"""
    a, b = a.astype(object), b.astype(object)
    return ~((a == b) | (a.isna() & b.isna()))


# Each action's status across every version ---------------------------------------------------

@lru_cache(maxsize=256)
def _statuses(path: str, fingerprint: str) -> tuple[tuple[str, str, str, str], ...]:
    """(action_id, status, rec_id, description) of one version (immutable: cached by its fingerprint)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["action_id", "status", "rec_id", "description"])
    return tuple(zip(*(table.column(c).to_pylist() for c in ("action_id", "status", "rec_id", "description")), strict=True))


def status_steps(versions: list[Version]) -> pd.DataFrame:
    """Each action's status in each version that changed it: action_id, version, published_on,
    status (None: the action is not in that version). Only the changes are kept: the first version
    holding the action, every version where its status differs from the version before, and a
    version that leaves it out (an action removed and re-added shows both steps)."""
    rows: list[dict[str, Any]] = []
    last: dict[str, str | None] = {}  # action_id -> status in the version before (None: left out)
    # action_id -> (rec_id, description) when it was last there (an id reused is a new action)
    seen: dict[str, tuple[str, str]] = {}
    for v in sorted(versions, key=lambda v: v.id):
        try:
            read = _statuses(str(v.file("actions")), v.fingerprint) if "actions" in v.tables else ()
        except Exception:  # a damaged version's file: that version says nothing (`verify --all` names it)
            log.warning("the actions of version %s cannot be read; left out of the status histories", v.id)
            continue
        now = {a: status for a, status, _rec, _text in read}
        what = {a: (rec, text) for a, _status, rec, text in read}
        for action_id in sorted(set(now) | set(last)):
            status = now.get(action_id)
            reused = action_id in what and action_id in seen and identity.action_replaced(
                seen[action_id][0], what[action_id][0], seen[action_id][1], what[action_id][1])
            if action_id not in last or last[action_id] != status or reused:
                rows.append({"action_id": action_id, "version": v.id, "published_on": v.published_on,
                             "status": status, "reused": reused})
        last = {**dict.fromkeys(last), **now}
        seen.update(what)
    df = pd.DataFrame(rows, columns=["action_id", "version", "published_on", "status", "reused"])
    return df.assign(status=pd.Series([r["status"] for r in rows], dtype=object, index=df.index))


def history_sentence(steps: pd.DataFrame) -> str:
    """One action's steps (status_steps, one action) in words: 'in progress since version 3
    (published 2026-03-31), done in version 5 (published 2026-06-30)'."""
    parts: list[str] = []
    before: str | None = "first"
    for r in cast(Iterator[Any], steps.itertuples()):  # (pandas-stubs: each field any scalar)
        when = _("version {version} (published {day})").format(version=r.version, day=r.published_on.isoformat())
        status = word("action_status", r.status).lower() if isinstance(r.status, str) else None
        if status is None:
            parts.append(_("removed in {when}").format(when=when))
        elif getattr(r, "reused", False):  # the id now names another action: its history starts again
            parts.append(_("id reused for another action in {when}, {status}").format(status=status, when=when))
        elif before == "first":
            parts.append(_("{status} since {when}").format(status=status, when=when))
        elif before is None:
            parts.append(_("back in {when}, {status}").format(status=status, when=when))
        else:
            parts.append(_("{status} in {when}").format(status=status, when=when))
        before = r.status if isinstance(r.status, str) else None
    return _(", ").join(parts)


def status_histories(versions: list[Version]) -> dict[str, str]:
    """action_id -> its status history in words, for every action of any version."""
    steps = status_steps(versions)
    return {cast(str, a): history_sentence(s) for a, s in steps.groupby("action_id", sort=True)}
