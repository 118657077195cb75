"""A plain pandas script beside `summary --json` (issue 31): python bench/light_baseline.py FOLDER AS_OF

Reads a published version's Parquet files (FOLDER: its groups, meetings, pillars, alignment,
recommendations and actions) with pandas and prints, as JSON, the four figures a secretariat's
own script would compute, with the definitions of docs/extract-format.md: each counting group's
activity and meetings in the 12 months to AS_OF, each pillar's aligned and functioning groups,
and each recommendation's actions, done and overdue. Nothing of swgdash is imported: its memory
and time are its own. bench/run.py runs it as a whole process beside the CLI.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd


def figures(folder: Path, as_of: dt.date, at_risk: int = 6, dormant: int = 12) -> dict:
    d = pd.Timestamp(as_of)
    groups = pd.read_parquet(folder / "groups.parquet",
                             columns=["group_id", "status", "established_on", "closed_on"])
    est, closed = pd.to_datetime(groups["established_on"]), pd.to_datetime(groups["closed_on"])
    counting = groups[(est.isna() | (est <= d))
                      & ((closed > d) | (closed.isna() & (groups["status"].fillna("active") == "active")))]
    meetings = pd.read_parquet(folder / "meetings.parquet", columns=["group_id", "date", "status"])
    held = meetings[meetings["status"].fillna("held").isin(["held", ""])]
    day = pd.to_datetime(held["date"])
    held = held.assign(date=day)[day <= d]
    last = held.groupby("group_id")["date"].max()
    n12 = held[held["date"] >= d - pd.DateOffset(months=12)].groupby("group_id").size()
    g = counting[["group_id"]].set_index("group_id")
    g["last"] = last
    g["meetings_12m"] = n12.reindex(g.index).fillna(0).astype(int)
    recent = g["last"] >= d - pd.DateOffset(months=at_risk)
    quiet = g["last"].isna() | (g["last"] < d - pd.DateOffset(months=dormant))
    g["activity"] = "at_risk"
    g.loc[recent, "activity"] = "active"
    g.loc[quiet & ~recent, "activity"] = "dormant"

    pillars = pd.read_parquet(folder / "pillars.parquet", columns=["pillar_id"])
    links = pd.read_parquet(folder / "alignment.parquet", columns=["group_id", "pillar_id"]).drop_duplicates()
    links = links.merge(g[["activity"]], left_on="group_id", right_index=True)
    cover = links.groupby("pillar_id").agg(groups=("group_id", "size"),
                                           functioning_groups=("activity", lambda a: int((a != "dormant").sum())))
    cover = cover.reindex(sorted(pillars["pillar_id"])).fillna(0).astype(int).reset_index()

    recs = pd.read_parquet(folder / "recommendations.parquet", columns=["rec_id"])
    actions = pd.read_parquet(folder / "actions.parquet", columns=["rec_id", "due_on", "status"])
    due = pd.to_datetime(actions["due_on"])
    actions = actions.assign(done=actions["status"] == "done",
                             overdue=(due < d) & actions["status"].isin(["not_started", "in_progress"]))
    follow = actions.groupby("rec_id").agg(actions=("status", "size"), done=("done", "sum"),
                                           overdue=("overdue", "sum"))
    follow = follow.reindex(recs["rec_id"]).fillna(0).astype(int).reset_index()
    return {
        "as_of": as_of.isoformat(),
        "groups": g.reset_index()[["group_id", "activity", "meetings_12m"]].to_dict("records"),
        "pillars": cover.to_dict("records"),
        "recommendations": follow.to_dict("records"),
    }


if __name__ == "__main__":
    doc = figures(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]))
    json.dump(doc, sys.stdout, default=int)
    sys.stdout.write("\n")
