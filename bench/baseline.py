"""The baseline: the whole `summary --json` document the way a typical Streamlit app
computes it: read the extract's files with pandas, then filter, merge and group
in pandas. Same figures, same definitions (docs/extract-format.md); `make bench`
checks that both give the same document before comparing their speed.

Two ways of reading: the extract's CSV files (`load`, text as such an app reads it; written
for a clean extract like the demo: ISO dates, true/false), and the published version's
Parquet files (`load_parquet`, typed columns: what a careful pandas app does). `compute`
takes either.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from swgdash.contract import ACTIVE_ROLES


def _before(day: dt.date, months: int) -> pd.Timestamp:
    return pd.Timestamp(day) - pd.DateOffset(months=months)  # calendar months, clamped like metrics


def _read(folder: Path, name: str, dates=()) -> pd.DataFrame:
    df = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
    for col in dates:
        df[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d")
    return df


def _ratio(values: pd.Series) -> list:
    return [None if pd.isna(v) else round(float(v), 4) for v in values]


def _plan(names: list[str], as_of: dt.date) -> str | None:
    spans = [(int(m.group(1)), int(m.group(2)), n) for n in names
             if (m := re.search(r"(\d{4})\s*[-–]\s*(\d{4})", n))]
    for start, end, name in spans:
        if start <= as_of.year <= end:
            return name
    past = [s for s in spans if s[0] <= as_of.year]
    return max(past)[2] if past else (names[0] if names else None)


DATES = {"groups": ["established_on", "closed_on"], "meetings": ["date"], "members": ["start_on", "end_on"],
         "actions": ["due_on"]}
TABLES = ["groups", "meetings", "members", "documents", "attendance", "pillars", "alignment",
          "recommendations", "actions"]


def load(folder: Path) -> dict[str, pd.DataFrame]:
    """Read every table (what such an app might keep with st.cache_data)."""
    return {name: _read(Path(folder), name, DATES.get(name, ())) for name in TABLES}


def load_parquet(folder: Path) -> dict[str, pd.DataFrame]:
    """Read every table from a version's Parquet files, typed (dates as datetimes, yes/no as
    booleans, numbers as numbers), reading only the columns the document needs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = {}
    for name in TABLES:
        table = pq.read_table(Path(folder) / f"{name}.parquet", columns=COLUMNS.get(name))
        out[name] = table.to_pandas(date_as_object=False, types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
    return out


# The columns the document reads, per table (all of the others).
COLUMNS = {"groups": ["group_id", "name", "kind", "parent_id", "status", "planned_meetings_per_year",
                      "established_on", "closed_on"],
           "meetings": ["meeting_id", "group_id", "date", "minutes_published", "status"],
           "attendance": ["meeting_id", "organisation", "present"],
           "documents": ["group_id", "doc_type", "year"]}


def summary(folder: Path, as_of: dt.date, at_risk: int = 6, dormant: int = 12) -> dict:
    """Read the files, then compute: what the app does on every run without a cache."""
    return compute(load(folder), as_of, at_risk, dormant)


def summary_parquet(folder: Path, as_of: dt.date, at_risk: int = 6, dormant: int = 12) -> dict:
    """The same from the version's Parquet files."""
    return compute(load_parquet(folder), as_of, at_risk, dormant)


def _text(values: pd.Series) -> pd.Series:
    """A text column with an empty cell as "" (CSV read as text has "", Parquet a missing value)."""
    return values.fillna("") if values.hasnans else values


def _flag(values: pd.Series) -> pd.Series:
    """A yes/no column as booleans with missing values: "true"/"false"/"" read as text, or typed."""
    if pd.api.types.is_bool_dtype(values) or str(values.dtype) == "boolean":
        return values.astype("boolean")
    return values.str.lower().map({"true": True, "false": False}).astype("boolean")


def _none(value):
    """A missing text (None, NaN or "") as None."""
    return None if value is None or value == "" or (isinstance(value, float) and np.isnan(value)) else value


def compute(frames: dict[str, pd.DataFrame], as_of: dt.date, at_risk: int = 6, dormant: int = 12) -> dict:
    day = pd.Timestamp(as_of)
    groups, meetings, members, documents, attendance, pillars, alignment, recommendations, actions = (
        frames[name] for name in TABLES)
    # only meetings held count (an empty status is held); the next scheduled one is each group's next meeting
    held = _text(meetings["status"]).replace("", "held") == "held"
    planned, meetings = meetings[~held.to_numpy()], meetings[held.to_numpy()]
    ahead = planned[(_text(planned["status"]) == "scheduled") & (planned["date"] >= day)]
    next_meeting = ahead.groupby("group_id")["date"].min()
    # meetings held before their group was established or after it closed count nowhere
    life = meetings.merge(groups[["group_id", "established_on", "closed_on"]], on="group_id", how="left")
    outside = (life["date"] < life["established_on"]) | (life["date"] > life["closed_on"])
    set_aside = meetings[outside.to_numpy()]  # (no figure counts them: the totals list them as excluded)
    meetings = meetings[~outside.to_numpy()]
    attendance = attendance[attendance["meeting_id"].isin(meetings["meeting_id"])]

    # Activity of counting groups.
    # a group counts when established by the day and not closed by it: closed after it, or never and active
    status = _text(groups["status"]).replace("", "active")
    open_then = (groups["closed_on"] > day) | (groups["closed_on"].isna() & (status == "active"))
    counting = groups[open_then & (groups["established_on"].isna() | (groups["established_on"] <= day))]
    m = meetings[meetings["date"] <= day]
    start12 = _before(as_of, 12)
    per = m.assign(n_active=m["date"] >= _before(as_of, at_risk), n_dormant=m["date"] >= _before(as_of, dormant),
                   meetings_12m=m["date"] >= start12).groupby("group_id").agg(
        last_meeting=("date", "max"), n_active=("n_active", "sum"), n_dormant=("n_dormant", "sum"),
        meetings_12m=("meetings_12m", "sum"))  # vectorised: no Python function per group
    g = counting.set_index("group_id").join(per)
    g[["n_active", "n_dormant", "meetings_12m"]] = g[["n_active", "n_dormant", "meetings_12m"]].fillna(0)
    g["activity"] = np.where(g["n_active"] > 0, "active", np.where(g["n_dormant"] == 0, "dormant", "at_risk"))

    # Good practice: active partners, documents, minutes, planned ratio.
    covers = ((members["start_on"].isna() | (members["start_on"] <= day))
              & (members["end_on"].isna() | (members["end_on"] >= day)))
    current = members[covers]
    dps = current[(current["org_type"] == "development_partner") & current["role"].isin(ACTIVE_ROLES)]
    g["active_dps"] = dps.groupby("group_id")["organisation"].nunique().reindex(g.index).fillna(0)
    year = pd.to_numeric(documents["year"])
    flags = documents.assign(tor=documents["doc_type"] == "tor",
                             workplan=(documents["doc_type"] == "workplan") & (year == as_of.year),
                             report=(documents["doc_type"] == "annual_report") & (year == as_of.year - 1))
    flags = flags.groupby("group_id")[["tor", "workplan", "report"]].any().reindex(g.index, fill_value=False)
    m12 = m[m["date"] >= start12]
    published = _flag(m12["minutes_published"])
    known = published.notna()
    minutes = published[known].astype(bool).groupby(m12.loc[known, "group_id"]).mean()
    g["minutes_share"] = minutes.reindex(g.index)
    planned = g["planned_meetings_per_year"]
    planned = planned if pd.api.types.is_numeric_dtype(planned) else pd.to_numeric(planned.replace("", None))
    g["planned_ratio"] = (g["meetings_12m"] / planned).where(planned > 0)
    g["next_meeting"] = next_meeting.reindex(g.index)
    g = g.join(flags).sort_index()
    out_groups = [{
        "group_id": gid, "name": name, "kind": kind, "parent_id": _none(parent), "activity": activity,
        "last_meeting": None if pd.isna(last) else last.date().isoformat(), "meetings_12m": int(n12),
        "active_dps": int(n_dps), "has_tor": bool(tor), "workplan_current": bool(workplan),
        "annual_report_previous": bool(report), "minutes_share_12m": ms, "planned_ratio": pr,
        "next_meeting": None if pd.isna(nxt) else nxt.date().isoformat(),
    } for gid, name, kind, parent, activity, last, n12, n_dps, tor, workplan, report, ms, pr, nxt in zip(
        g.index, g["name"], g["kind"], g["parent_id"], g["activity"], g["last_meeting"], g["meetings_12m"],
        g["active_dps"], g["tor"], g["workplan"], g["report"], _ratio(g["minutes_share"]),
        _ratio(g["planned_ratio"]), g["next_meeting"], strict=True)]

    # Organisations: roles in counting groups and attendance in 12 months.
    dp_names = sorted(members.loc[members["org_type"] == "development_partner", "organisation"].unique())
    mine = current[current["group_id"].isin(g.index)]
    active_groups = mine[mine["role"].isin(ACTIVE_ROLES)].groupby("organisation")["group_id"].nunique()
    chair_roles = mine[mine["role"].isin(["co_chair", "focal_point"])].groupby("organisation")["group_id"].nunique()
    att = attendance.merge(meetings[["meeting_id", "date"]], on="meeting_id")
    att = att[(att["date"] >= start12) & (att["date"] <= day)]
    rate = _flag(att["present"]).fillna(True).astype(bool).groupby(att["organisation"]).mean()
    organisations = [{"organisation": o, "active_groups": int(active_groups.get(o, 0)),
                      "chair_roles": int(chair_roles.get(o, 0)), "attendance_rate_12m": r}
                     for o, r in zip(dp_names, _ratio(rate.reindex(dp_names)), strict=True)]

    # Pillars of the plan in force, and recommendations.
    plans = _text(pillars["plan"]).replace("", "(no plan named)")
    plan = _plan(sorted(plans.unique()), as_of)
    shown = pillars[plans == plan].sort_values("pillar_id")
    aligned = alignment[["group_id", "pillar_id"]].drop_duplicates().merge(
        g[["activity"]], left_on="group_id", right_index=True)
    cover = aligned.assign(functioning=aligned["activity"] != "dormant").groupby("pillar_id").agg(
        groups=("activity", "size"), functioning=("functioning", "sum"))
    out_pillars = [{"pillar_id": p["pillar_id"], "name": p["name"],
                    "groups": int(cover["groups"].get(p["pillar_id"], 0)),
                    "functioning_groups": int(cover["functioning"].get(p["pillar_id"], 0)),
                    "plan": _none(p["plan"])} for _, p in shown.iterrows()]
    acts = actions.assign(done=actions["status"] == "done",
                          overdue=(actions["due_on"] < day) & actions["status"].isin(["not_started", "in_progress"]))
    per_rec = acts.groupby("rec_id").agg(actions=("action_id", "size"), done=("done", "sum"), overdue=("overdue", "sum"))
    out_recs = [{"rec_id": r["rec_id"], "title": r["title"],
                 "actions": int(per_rec["actions"].get(r["rec_id"], 0)), "done": int(per_rec["done"].get(r["rec_id"], 0)),
                 "overdue": int(per_rec["overdue"].get(r["rec_id"], 0))}
                for _, r in recommendations.sort_values("rec_id").iterrows()]
    # Totals: the counting groups' meetings; those of other groups in the last 12 months apart.
    in12 = (meetings["date"] >= start12) & (meetings["date"] <= day)
    ours = meetings["group_id"].isin(counting["group_id"])
    prev = ours & (meetings["date"] >= _before(as_of, 24)) & (meetings["date"] < start12)
    totals = {"meetings_12m": int((in12 & ours).sum()), "meetings_prev_12m": int(prev.sum()),
              "excluded_meetings": int((in12 & ~ours).sum())
              + int(((set_aside["date"] >= start12) & (set_aside["date"] <= day)).sum())}
    return {"as_of": as_of.isoformat(), "at_risk_months": at_risk, "dormant_months": dormant, "totals": totals,
            "groups": out_groups, "pillars": out_pillars, "recommendations": out_recs,
            "organisations": organisations}


if __name__ == "__main__":  # python -m bench.baseline VERSION_FOLDER AS_OF: the document from the Parquet files
    import json
    import sys

    json.dump(summary_parquet(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2])), sys.stdout)
    sys.stdout.write("\n")
