"""The light, large extract (issue 31): python -m bench.light OUT_DIR [GROUPS] [MEETINGS]

40,000 groups and about a million meetings in six Parquet tables (groups, meetings, pillars,
alignment, recommendations, actions; no members, attendance or documents): the shape of a hub's
register, which the bench's copies of the demo (bench/generate.py) do not have. Seeded, so every
run writes the same files. Groups are SWGs, their sub-groups and task forces; some merged or
discontinued (with a closing date), some established later; each meets at its own pace until it
goes quiet, so the register has active, at-risk and dormant groups. A few meetings are only
scheduled (after the as-of date). Two plans' pillars (the 9th and the 10th NSEDP), each group
aligned to one to three of them; nine recommendations and 20,000 actions.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from swgdash.contract import DEMO_AS_OF

AS_OF = np.datetime64(DEMO_AS_OF)  # (any date: the demo's, so the pages open on it alike)
FIRST = np.datetime64("2019-01-01")
PLANS = (("9th NSEDP 2021-2025", "P9", 6), ("10th NSEDP 2026-2030", "P10", 6))


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), type=pa.date32())


def generate(out: Path, groups: int = 40_000, meetings: int = 1_000_000, seed: int = 31) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    n = groups
    ids = np.array([f"G{i:06d}" for i in range(n)])
    swgs = max(1, n // 10)
    kind = np.where(np.arange(n) < swgs, "swg", np.where(rng.random(n) < 0.9, "sub_swg", "task_force"))
    parent = np.where(kind == "sub_swg", ids[rng.integers(0, swgs, n)], None)
    status = np.where(kind == "swg", "active", rng.choice(["active", "merged", "discontinued"], n, p=[0.92, 0.05, 0.03]))
    established = FIRST - 3650 + rng.integers(0, 365 * 17, n)  # 2009 to 2026: some after the as-of
    closing = (established + rng.integers(200, 4000, n)).astype("datetime64[D]")
    closed = np.where(status == "active", np.datetime64("NaT"), np.maximum(closing, established))
    table = pa.table({
        "group_id": ids,
        "name": [f"Working group {i} on sector {i % 97}" for i in range(n)],
        "kind": kind,
        "parent_id": pa.array(parent, type=pa.string()),
        "chair_org": [f"Ministry {i % 23}" for i in range(n)],
        "status": status,
        "planned_meetings_per_year": rng.integers(0, 13, n),
        "established_on": _dates(established),
        "closed_on": pa.array(closed.astype("datetime64[D]"), type=pa.date32()),
    })
    pq.write_table(table, out / "groups.parquet")
    counts = {"groups": n}

    # meetings: each group at its own pace from 2019 until it went quiet (a third stopped in the
    # last two years, a fifth long before), a few scheduled after the as-of date
    # (only while the group exists: from its establishment, or 2019, until it closed)
    per = rng.poisson(meetings / n * 1.1, n)  # (a tenth more drawn: a group that is closed has fewer)
    quiet = np.where(rng.random(n) < 0.55, AS_OF, AS_OF - rng.integers(30, 2400, n)).astype("datetime64[D]")
    start = np.maximum(FIRST, established.astype("datetime64[D]"))
    stop = np.where(np.isnat(closed), quiet, np.minimum(quiet, closed - 1)).astype("datetime64[D]")
    per = np.where(stop >= start, per, 0)
    owner = np.repeat(np.arange(n), per)
    span = (stop - start).astype(int)[owner]
    day = (start[owner] + (rng.random(len(owner)) * (span + 1)).astype(int)).astype("datetime64[D]")
    scheduled = rng.random(len(owner)) < 0.03
    day = np.where(scheduled, AS_OF + rng.integers(1, 180, len(owner)), day).astype("datetime64[D]")
    _, first = np.unique(owner.astype(np.int64) * 100_000 + (day - FIRST).astype(int), return_index=True)
    first.sort()  # one meeting a day per group: two on a day read as one entered twice
    owner, day, scheduled = owner[first], day[first], scheduled[first]
    m = len(owner)
    table = pa.table({
        "meeting_id": [f"M{i:07d}" for i in range(m)],
        "group_id": ids[owner],
        "date": _dates(day),
        "format": rng.choice(["joint", "donors_only"], m, p=[0.8, 0.2]),
        "participants": rng.integers(5, 80, m),
        "status": np.where(scheduled, "scheduled", "held"),
    })
    pq.write_table(table, out / "meetings.parquet")
    counts["meetings"] = m

    plans, pillars = [], []
    for plan, prefix, k in PLANS:
        plans += [plan] * k
        pillars += [f"{prefix}-{j + 1}" for j in range(k)]
    pq.write_table(pa.table({"plan": plans, "pillar_id": pillars,
                             "name": [f"Outcome {p.split('-')[1]} of the {p[1:].split('-')[0]}th plan"
                                      for p in pillars]}), out / "pillars.parquet")
    counts["pillars"] = len(pillars)
    links = rng.integers(1, 4, n)
    group_of = np.repeat(np.arange(n), links)
    pillar_of = np.array(pillars)[rng.integers(0, len(pillars), len(group_of))]
    pairs = sorted(set(zip(ids[group_of].tolist(), pillar_of.tolist(), strict=True)))
    pq.write_table(pa.table({"group_id": [g for g, _ in pairs], "pillar_id": [p for _, p in pairs],
                             "primary": [i % 3 == 0 for i in range(len(pairs))]}), out / "alignment.parquet")
    counts["alignment"] = len(pairs)

    recs = [f"REC-{i:02d}" for i in range(1, 10)]
    pq.write_table(pa.table({"rec_id": recs, "title": [f"Recommendation {i}" for i in range(1, 10)],
                             "source": ["SWG review 2022"] * 9}), out / "recommendations.parquet")
    counts["recommendations"] = len(recs)
    a = 20_000
    table = pa.table({
        "action_id": [f"A{i:06d}" for i in range(a)],
        "rec_id": np.array(recs)[rng.integers(0, 9, a)],
        "group_id": ids[rng.integers(0, n, a)],
        "description": [f"Follow-up action {i}" for i in range(a)],
        "owner": [f"Owner {i % 50}" for i in range(a)],
        "due_on": _dates(np.datetime64("2023-01-01") + rng.integers(0, 365 * 5, a)),
        "status": rng.choice(["not_started", "in_progress", "done", "dropped"], a, p=[0.3, 0.3, 0.3, 0.1]),
    })
    pq.write_table(table, out / "actions.parquet")
    counts["actions"] = a
    return counts


if __name__ == "__main__":
    args = sys.argv[1:]
    sizes = [int(x) for x in args[1:3]]
    for name, rows in generate(Path(args[0]), *sizes).items():
        print(f"{name:16} {rows:>12,}")
