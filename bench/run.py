"""make bench: measured speed at the demo scale and larger (BENCH_SCALES=demo,100,1000).

Each measurement runs in its own process (so its peak memory is its own): a
warm-up, then the median of BENCH_RUNS runs (default 5). Results go to
bench/RESULTS.md. Not yet measured here (see the issue): page switch to charts
drawn in Chromium, and the 20-session load run.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = dt.date(2026, 10, 31)

PAGES = {  # the metrics each page asks for (see pages/*.py)
    "/": [("overview", {}), ("group_activity", {})],
    "/meetings": [("meetings_by_period", {"unit": "month", "months": 36}),
                  ("meetings_by_period", {"unit": "quarter", "months": 36}),
                  ("group_activity", {}), ("meeting_list", {"months": 36})],
    "/dormant": [("group_activity", {}), ("meeting_list", {"months": 60})],
    "/alignment": [("pillar_coverage", {}), ("alignment_matrix", {}), ("unaligned_groups", {})],
    "/recommendations": [("actions", {}), ("recommendation_followup", {}), ("recommendation_texts", {})],
    "/participation": [("group_practice", {}), ("organisation_load", {}), ("dp_roles", {}),
                       ("declared_vs_actual", {})],
    "/rotation": [("leadership_terms", {}), ("organisation_load", {})],
    "/scorecard": [("group_practice", {})],
    "/group": [("group_profile", {"group_id": "SWG-HEALTH"})],
}


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def task(name: str, extract: str, runs: int, store: str) -> dict:
    """Runs in a child process; prints seconds per run and peak memory. The queries
    open the version `publish_once` wrote to `store`, so their memory is their own."""
    result: dict = {}
    if name == "pandas_summary":  # nothing else loaded: the baseline's memory is its own
        result["seconds"] = timed(lambda: pandas_summary(extract), runs)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    from swgdash import metrics
    from swgdash.db import Database
    from swgdash.store import Store
    from swgdash.validate import validate_paths

    if name == "publish_csv":
        def go():
            with tempfile.TemporaryDirectory() as tmp:
                Store(tmp).publish(validate_paths([extract]), AS_OF, "bench")
        result["seconds"] = timed(go, runs)
    elif name == "publish_once":
        t = time.perf_counter()
        Store(store).publish(validate_paths([extract]), AS_OF, "bench")
        result["seconds"] = [time.perf_counter() - t]
    else:
        version = Store(store).current()
        if name == "open_version":
            result["seconds"] = timed(lambda: Database(version).close(), runs)
        else:
            db = Database(version)
            cur = db.cursor()
            plans = metrics.plans(cur)
            p = metrics.Params(as_of=AS_OF, plan=metrics.default_plan(plans, AS_OF))
            if name == "summary":
                result["seconds"] = timed(lambda: metrics.summary(cur, p), runs)
            elif name in PAGES:
                ids = set(metrics.groups_all(cur)["group_id"])
                calls = [(fn, {k: (v if v in ids else f"{v}-c0") if k == "group_id" else v for k, v in kw.items()})
                         for fn, kw in PAGES[name]]  # the scaled copies' ids end in -c<copy>
                result["seconds"] = timed(lambda: [getattr(metrics, fn)(cur, p, **kw) for fn, kw in calls], runs)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def pandas_summary(extract: str) -> dict:
    """The summary's figures the way a typical Streamlit app computes them: read the
    files, filter and group in pandas."""
    import pandas as pd

    folder = Path(extract)
    g = pd.read_csv(folder / "groups.csv", dtype=str, keep_default_na=False)
    m = pd.read_csv(folder / "meetings.csv", dtype=str, keep_default_na=False, usecols=["group_id", "date"])
    al = pd.read_csv(folder / "alignment.csv", dtype=str, keep_default_na=False)
    pil = pd.read_csv(folder / "pillars.csv", dtype=str, keep_default_na=False)
    acts = pd.read_csv(folder / "actions.csv", dtype=str, keep_default_na=False)
    as_of = pd.Timestamp(AS_OF)
    m["date"] = pd.to_datetime(m["date"])
    m = m[m["date"] <= as_of]
    counting = g[(g["status"].replace("", "active") == "active")
                 & ((g["established_on"] == "") | (pd.to_datetime(g["established_on"], errors="coerce") <= as_of))]
    last = m.groupby("group_id")["date"].max()
    n12 = m[m["date"] >= as_of - pd.DateOffset(months=12)].groupby("group_id").size()
    n6 = m[m["date"] >= as_of - pd.DateOffset(months=6)].groupby("group_id").size()
    act = counting[["group_id", "name"]].set_index("group_id")
    act["last_meeting"] = last
    act["meetings_12m"] = n12.reindex(act.index).fillna(0).astype(int)
    act["activity"] = "at_risk"
    act.loc[n6.reindex(act.index).fillna(0) > 0, "activity"] = "active"
    act.loc[act["meetings_12m"] == 0, "activity"] = "dormant"
    cov = al.merge(act[["activity"]], left_on="group_id", right_index=True)
    pillars = cov.groupby("pillar_id").agg(groups=("group_id", "nunique"),
                                           functioning=("activity", lambda s: (s != "dormant").sum()))
    pillars = pil.set_index("pillar_id").join(pillars).fillna(0)
    due = pd.to_datetime(acts["due_on"], errors="coerce")
    acts["overdue"] = (due < as_of) & acts["status"].isin(["not_started", "in_progress"])
    recs = acts.groupby("rec_id").agg(actions=("action_id", "size"), done=("status", lambda s: (s == "done").sum()),
                                      overdue=("overdue", "sum"))
    return {"groups": len(act), "pillars": len(pillars), "recommendations": len(recs)}


def child(name: str, extract: str, runs: int, store: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--task", name, extract, str(runs), store], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from bench.generate import generate

    scales = os.environ.get("BENCH_SCALES", "demo,100").split(",")
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    rows, work = [], Path(tempfile.mkdtemp(prefix="swgbench-"))
    for scale in scales:
        extract = ROOT / "data" / "demo" if scale == "demo" else work / f"x{scale}"
        if scale != "demo":
            counts = generate(int(scale), extract)
        else:
            counts = {p.stem: sum(1 for _ in open(p, encoding="utf-8")) - 1 for p in extract.glob("*.csv")}
        label = "demo" if scale == "demo" else f"×{scale}"
        print(f"{label}: {counts['groups']:,} groups, {counts['meetings']:,} meetings, "
              f"{counts['attendance']:,} attendance rows", flush=True)
        results = {}
        store = str(work / f"store-{scale}")
        child("publish_once", str(extract), 1, store)
        for name in ["publish_csv", "open_version", "summary", "pandas_summary", *PAGES]:
            r = child(name, str(extract), runs if name != "publish_csv" or scale == "demo" else max(3, runs // 2),
                      store)
            results[name] = r
            print(f"  {name:18} median {statistics.median(r['seconds']):8.3f} s   peak {r['peak_mb']:7.0f} MB",
                  flush=True)
        rows.append((label, counts, results))
    write_results(rows, runs)


def write_results(rows, runs: int) -> None:
    import duckdb
    import pandas as pd
    import streamlit

    med = lambda r: statistics.median(r["seconds"])  # noqa: E731
    lines = [
        "# Benchmark results", "",
        f"Measured by `make bench` on {dt.date.today().isoformat()}: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"pandas {pd.__version__}, Streamlit {streamlit.__version__}. Median of {runs} runs after a warm-up "
        "(publish at scale: 3); peak memory is the measuring process's maximum resident set.", "",
        "Not measured yet: in-app page switch to charts drawn in Chromium, and the 20-session load run.", "",
        "Caveat: the pandas baseline computes the activity, pillar and recommendation figures only, while "
        "`summary` also computes the participation figures (active partners, documents, minutes, planned "
        "ratio, organisations), so the ratio below is not yet like for like.", "",
        "| scale | groups | meetings | attendance | publish CSV (s) | open version (s) | summary (s) | "
        "pandas summary (s) | pandas ÷ summary | summary MB | pandas MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, c, r in rows:
        s, ps = med(r["summary"]), med(r["pandas_summary"])
        lines.append(f"| {label} | {c['groups']:,} | {c['meetings']:,} | {c['attendance']:,} | "
                     f"{med(r['publish_csv']):.2f} | {med(r['open_version']):.2f} | {s:.3f} | {ps:.3f} | "
                     f"{ps / s:.1f}× | {r['summary']['peak_mb']:.0f} | {r['pandas_summary']['peak_mb']:.0f} |")
    lines += ["", "Queries behind each page (all of a page's figures, uncached), median seconds:", "",
              "| page | " + " | ".join(label for label, _, _ in rows) + " |",
              "|---|" + "---:|" * len(rows)]
    for page in PAGES:
        lines.append(f"| `{page}` | " + " | ".join(f"{med(r[page]):.3f}" for _, _, r in rows) + " |")
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote bench/RESULTS.md")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--task":
        print(json.dumps(task(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
    else:
        main()
