"""What a new extract changes against the published version: the preview the
secretariat checks before publishing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from .contract import TABLES
from .store import Version


def _frame(tables: dict[str, pa.Table], name: str) -> pd.DataFrame:
    if name in tables:
        return tables[name].to_pandas()
    return pd.DataFrame(columns=list(TABLES[name].column_names))


@dataclass
class Preview:
    first: bool
    as_of_before: dt.date | None
    as_of_after: dt.date
    rows: pd.DataFrame  # table, before, after, change
    groups_added: pd.DataFrame
    groups_removed: pd.DataFrame
    groups_renamed: pd.DataFrame  # group_id, before, after
    meetings_added: pd.DataFrame
    meetings_removed: pd.DataFrame
    status_changes: pd.DataFrame  # action_id, description, before, after
    tables_dropped: list[str] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        return (not self.first and self.as_of_before == self.as_of_after
                and (self.rows["before"] == self.rows["after"]).all()
                and self.groups_renamed.empty and self.status_changes.empty
                and self.meetings_added.empty and self.meetings_removed.empty)


def preview(current: Version | None, new: dict[str, pa.Table], as_of: dt.date) -> Preview:
    old = {name: current.read(name) for name in current.tables} if current else {}
    rows = pd.DataFrame([{"table": n, "before": old[n].num_rows if n in old else 0,
                          "after": new[n].num_rows if n in new else 0} for n in TABLES])
    rows["change"] = rows["after"] - rows["before"]
    g0, g1 = _frame(old, "groups"), _frame(new, "groups")
    merged = g0[["group_id", "name"]].merge(g1[["group_id", "name"]], on="group_id", how="outer",
                                            suffixes=("_before", "_after"), indicator=True)
    added = merged[merged["_merge"] == "right_only"].rename(columns={"name_after": "name"})[["group_id", "name"]]
    removed = merged[merged["_merge"] == "left_only"].rename(columns={"name_before": "name"})[["group_id", "name"]]
    both = merged[merged["_merge"] == "both"]
    renamed = both[both["name_before"] != both["name_after"]].rename(
        columns={"name_before": "before", "name_after": "after"})[["group_id", "before", "after"]]
    m0, m1 = _frame(old, "meetings"), _frame(new, "meetings")
    cols = ["meeting_id", "group_id", "date"]
    m_added = m1[~m1["meeting_id"].isin(m0["meeting_id"])][cols]
    m_removed = m0[~m0["meeting_id"].isin(m1["meeting_id"])][cols]
    a0, a1 = _frame(old, "actions"), _frame(new, "actions")
    acts = a0[["action_id", "status"]].merge(a1[["action_id", "description", "status"]], on="action_id",
                                              suffixes=("_before", "_after"))
    changed = acts[acts["status_before"] != acts["status_after"]].rename(
        columns={"status_before": "before", "status_after": "after"})[["action_id", "description", "before", "after"]]
    return Preview(
        first=current is None,
        as_of_before=current.as_of if current else None,
        as_of_after=as_of,
        rows=rows,
        groups_added=added.reset_index(drop=True),
        groups_removed=removed.reset_index(drop=True),
        groups_renamed=renamed.reset_index(drop=True),
        meetings_added=m_added.reset_index(drop=True),
        meetings_removed=m_removed.reset_index(drop=True),
        status_changes=changed.reset_index(drop=True),
        tables_dropped=[n for n in old if n not in new],
    )
