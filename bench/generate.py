"""Seeded extracts at scale, with the demo's shapes: python bench/generate.py FACTOR OUT_DIR

The bundled demo (about 40 groups) is copied FACTOR times. Every copy gets its own
ids (suffix -c<copy>), its meeting dates shifted by a seeded number of days (within
±45, a held meeting never past the as-of date), and a seeded tenth of its held meetings dropped, so the
copies are alike in shape (active, lapsed and dormant groups, attendance, actions)
but not identical. Pillars, recommendations, organisations and the extract's as-of date are
shared by all copies.
Writes <table>.csv files, like the demo.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
ID_COLUMNS = {"groups": ["group_id", "parent_id"], "meetings": ["meeting_id", "group_id"],
              "members": ["group_id"], "attendance": ["meeting_id"], "alignment": ["group_id"],
              "actions": ["action_id", "group_id"], "documents": ["group_id"], "group_sectors": ["group_id"]}
DATE_COLUMNS = {"meetings": ["date", "agenda_sent_on"]}


def generate(factor: int, out: Path, seed: int = 2022) -> dict[str, int]:
    rng = random.Random(seed)
    demo = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(DEMO.glob("*.csv"))}
    as_of = pd.Timestamp(demo["extract"]["as_of"].iloc[0])  # the demo's as-of date, as its extract says
    out.mkdir(parents=True, exist_ok=True)
    shared = {"pillars", "recommendations", "organisations", "extract"}
    for name in shared:
        demo[name].to_csv(out / f"{name}.csv", index=False)
    counts = {name: len(demo[name]) for name in shared}
    writers = {name: open(out / f"{name}.csv", "w", encoding="utf-8", newline="") for name in demo if name not in shared}
    try:
        for copy in range(factor):
            shift = pd.Timedelta(days=rng.randint(-45, 45))
            # a tenth of the held meetings dropped (the planned ones all kept: each copy has its
            # next meetings), drawn as before planned meetings existed, so the shapes stay comparable
            meetings = demo["meetings"]
            planned = meetings["status"].isin(["scheduled", "cancelled", "postponed"])
            keep = meetings[~planned].sample(frac=0.9, random_state=rng.randint(0, 2**31 - 1))["meeting_id"]
            keep = (set(keep) | set(meetings.loc[planned, "meeting_id"])) if copy else set(meetings["meeting_id"])
            for name, w in writers.items():
                df = demo[name]
                if name in ("meetings", "attendance"):
                    df = df[df["meeting_id"].isin(keep)]
                df = df.copy()
                for col in ID_COLUMNS.get(name, []):
                    df[col] = [f"{v}-c{copy}" if v else v for v in df[col]]
                for col in DATE_COLUMNS.get(name, []):
                    d = pd.to_datetime(df[col], errors="coerce") + (shift if copy else pd.Timedelta(0))
                    if name == "meetings":  # held meetings never past the as-of date; planned ones may be
                        d = d.where((d <= as_of) | df["status"].isin(["scheduled", "cancelled", "postponed"]), as_of)
                    df[col] = d.dt.strftime("%Y-%m-%d").fillna("")
                if name == "meetings":  # keep the agenda on or before the (shifted, capped) date
                    bad = (df["agenda_sent_on"] != "") & (df["agenda_sent_on"] > df["date"])
                    df.loc[bad, "agenda_sent_on"] = df.loc[bad, "date"]
                df.to_csv(w, index=False, header=copy == 0)
                counts[name] = counts.get(name, 0) + len(df)
    finally:
        for w in writers.values():
            w.close()
    return counts


if __name__ == "__main__":
    factor, out = int(sys.argv[1]), Path(sys.argv[2])
    for table, n in generate(factor, out).items():
        print(f"{table:16} {n:>12,}")
