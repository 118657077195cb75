"""What a new extract changes against the published version: the preview the
secretariat checks before publishing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from swgdash.contract import TABLES
from swgdash.ingest.validate import conform
from swgdash.query import identity
from swgdash.store import Version


def _frame(tables: dict[str, pa.Table], name: str) -> pd.DataFrame:
    """A table with every column of the contract (a version published before the Lao columns
    existed has them empty), or an empty one when it is not given."""
    if name in tables:
        return conform(name, tables[name]).to_pandas()
    return pd.DataFrame(columns=list(TABLES[name].column_names))


def _differs(a: pd.Series, b: pd.Series) -> pd.Series:
    """Cell by cell: do two text columns differ? (two empty cells are the same)"""
    return ~((a == b) | (a.isna() & b.isna()))


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Rows numbered from 0, and an empty cell None (as in the tables), not the NaN a merge makes."""
    df = df.reset_index(drop=True).astype(object)
    return df.where(df.notna(), None)


def _same(old: pa.Table, new: pa.Table, name: str) -> bool:
    old, new = conform(name, old), conform(name, new)
    return old.equals(new)


@dataclass
class Preview:
    first: bool
    as_of_before: dt.date | None
    as_of_after: dt.date
    rows: pd.DataFrame  # table, before, after, change
    groups_added: pd.DataFrame  # group_id, name, name_lo
    groups_removed: pd.DataFrame  # group_id, name, name_lo
    groups_renamed: pd.DataFrame  # group_id, before, after, before_lo, after_lo (English or Lao name changed)
    meetings_added: pd.DataFrame
    meetings_removed: pd.DataFrame
    status_changes: pd.DataFrame  # action_id, description, description_lo, before, after
    actions_replaced: pd.DataFrame = field(default_factory=pd.DataFrame)  # swgdash.query.identity.replaced_actions
    groups_replaced: pd.DataFrame = field(default_factory=pd.DataFrame)  # swgdash.query.identity.replaced_groups
    tables_dropped: list[str] = field(default_factory=list)
    tables_changed: list[str] = field(default_factory=list)  # tables given in both whose content differs

    @property
    def changes_nothing(self) -> bool:
        return (not self.first and self.as_of_before == self.as_of_after
                and bool((self.rows["before"] == self.rows["after"]).all())
                and self.groups_renamed.empty and self.status_changes.empty
                and self.actions_replaced.empty and self.groups_replaced.empty
                and self.meetings_added.empty and self.meetings_removed.empty
                and not self.tables_changed)


def preview(current: Version | None, new: dict[str, pa.Table], as_of: dt.date) -> Preview:
    old = {name: current.read(name) for name in current.tables} if current else {}
    rows = pd.DataFrame([{"table": n, "before": old[n].num_rows if n in old else 0,
                          "after": new[n].num_rows if n in new else 0} for n in TABLES])
    rows["change"] = rows["after"] - rows["before"]
    g0, g1 = _frame(old, "groups"), _frame(new, "groups")
    names = ["group_id", "name", "name_lo"]
    merged = g0[names].merge(g1[names], on="group_id", how="outer", suffixes=("_before", "_after"), indicator=True)
    added = merged[merged["_merge"] == "right_only"].rename(
        columns={"name_after": "name", "name_lo_after": "name_lo"})[names]
    removed = merged[merged["_merge"] == "left_only"].rename(
        columns={"name_before": "name", "name_lo_before": "name_lo"})[names]
    groups_replaced = identity.replaced_groups(g0.rename(columns={"name": "name_en"})[["group_id", "name_en", "parent_id"]],
                                               g1.rename(columns={"name": "name_en"})[["group_id", "name_en", "parent_id"]])
    both = merged[(merged["_merge"] == "both") & ~merged["group_id"].isin(groups_replaced["group_id"])]
    renamed = both[_differs(both["name_before"], both["name_after"])
                   | _differs(both["name_lo_before"], both["name_lo_after"])].rename(
        columns={"name_before": "before", "name_after": "after", "name_lo_before": "before_lo",
                 "name_lo_after": "after_lo"})[["group_id", "before", "after", "before_lo", "after_lo"]]
    m0, m1 = _frame(old, "meetings"), _frame(new, "meetings")
    cols = ["meeting_id", "group_id", "date"]
    m_added = m1[~m1["meeting_id"].isin(m0["meeting_id"])][cols]
    m_removed = m0[~m0["meeting_id"].isin(m1["meeting_id"])][cols]
    a0, a1 = _frame(old, "actions"), _frame(new, "actions")
    ident = lambda a: a.rename(columns={"description": "description_en"})[["action_id", "rec_id", "description_en"]]  # noqa: E731
    actions_replaced = identity.replaced_actions(ident(a0), ident(a1))
    a0 = a0[~a0["action_id"].isin(actions_replaced["action_id"])]  # another action now: no status change of it
    acts = a0[["action_id", "status"]].merge(a1[["action_id", "description", "description_lo", "status"]],
                                              on="action_id", suffixes=("_before", "_after"))
    changed = acts[acts["status_before"] != acts["status_after"]].rename(
        columns={"status_before": "before", "status_after": "after"})[
        ["action_id", "description", "description_lo", "before", "after"]]
    return Preview(
        first=current is None,
        as_of_before=current.as_of if current else None,
        as_of_after=as_of,
        rows=rows,
        groups_added=_tidy(added),
        groups_removed=_tidy(removed),
        groups_renamed=_tidy(renamed),
        meetings_added=m_added.reset_index(drop=True),
        meetings_removed=m_removed.reset_index(drop=True),
        status_changes=_tidy(changed),
        actions_replaced=_tidy(actions_replaced),
        groups_replaced=_tidy(groups_replaced),
        tables_dropped=[n for n in old if n not in new],
        tables_changed=[n for n in TABLES if n in old and n in new and not _same(old[n], new[n], n)],
    )
