"""make bench: measured speed at the demo scale and larger (BENCH_SCALES=demo,100,1000).

Each measurement runs in its own process (so its peak memory is its own): a
warm-up, then the median of BENCH_RUNS runs (default 5). In real Chromium against
`streamlit run` (bench/browser.py): every page's in-app switch at each scale, and at
the demo scale load runs of BENCH_LOAD_SESSIONS (20) sessions for BENCH_LOAD_SECONDS
(60): reading each page for BENCH_LOAD_THINK seconds on average (20, then 5), then
non-stop. The same load runs of the server alone (bench/protocol.py: sessions that
speak Streamlit's websocket protocol and draw nothing), at the demo and the largest scale;
and at the demo scale the hybrid load run (bench/hybrid.py: BENCH_HYBRID_BROWSERS (4) of
the sessions in Chromium, the rest speaking the protocol, three rounds). Results go to
bench/RESULTS.md; its hand-written part below the marker is kept.
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
from swgdash.contract import DEMO_AS_OF  # noqa: E402

AS_OF = DEMO_AS_OF
EARLIER = dt.date(2026, 7, 31)  # the as-of of the version published before (what /changes compares with)



def pages() -> dict[str, list]:
    """The figures each page asks for as it opens, from the site map (swgdash.site):
    {address: [(metrics function, keyword arguments)]}. Imported when asked, so that a
    task measuring the pandas baseline loads nothing of swgdash but its contract."""
    from swgdash import site

    return {p.url: list(p.figures) for p in site.PAGES if p.figures}


LIVE = "@live"  # suffix of a task: the page's queries at another as-of, so none is prepared


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def task(name: str, extract: str, runs: int, store: str) -> dict:
    """Runs in a child process; prints seconds per run and peak memory. The queries
    open the version `publish_once` wrote to `store`, so their memory is their own."""
    result: dict = {}
    if name.startswith("pandas_"):  # nothing of swgdash loaded: the baseline's memory is its own
        from bench import baseline

        if name == "pandas_summary":  # read the files and compute, as an app without a cache does
            result["seconds"] = timed(lambda: json.dumps(baseline.summary(extract, AS_OF)), runs)
        elif name == "pandas_parquet":  # the same from the version's own Parquet files, typed
            folder = current_folder(store)
            result["seconds"] = timed(lambda: json.dumps(baseline.summary_parquet(folder, AS_OF)), runs)
        else:  # pandas_cached: the files read once (st.cache_data), only the computing timed
            frames = baseline.load(extract)
            result["seconds"] = timed(lambda: json.dumps(baseline.compute(frames, AS_OF)), runs)
        result["peak_mb"] = peak_mb()
        return result
    from swgdash import publishing
    from swgdash.query import metrics
    from swgdash.store import FolderStore

    def publish(path):  # validate, write the version and its query database, as the CLI does
        with tempfile.TemporaryDirectory() as tmp:
            publishing.publish_paths(FolderStore(tmp), [path], AS_OF, "bench")

    if name == "publish_csv":
        result["seconds"] = timed(lambda: publish(extract), runs)
    elif name == "publish_xlsx":  # the same extract as one workbook
        from swgdash.present import excel

        book = Path(store).parent / "extract.xlsx"
        from swgdash.ingest.validate import validate_paths

        book.write_bytes(excel.workbook(validate_paths([extract]).tables))
        result["seconds"] = timed(lambda: publish(book), runs)
    elif name == "publish_once":  # an earlier version (as of EARLIER), then the one measured (as of AS_OF)
        publishing.publish_paths(FolderStore(store), [extract], EARLIER, "bench: the version before")
        t = time.perf_counter()
        publishing.publish_paths(FolderStore(store), [extract], AS_OF, "bench")
        result["seconds"] = [time.perf_counter() - t]
    elif name == "agree":  # the baselines and summary give the same document
        from bench import baseline

        doc = summary_json(FolderStore(store).current())
        doc.pop("version")
        result["agree"] = (json.loads(json.dumps(baseline.summary(extract, AS_OF))) == doc
                           and json.loads(json.dumps(baseline.summary_parquet(current_folder(store), AS_OF))) == doc)
        result["seconds"] = [0.0]
    else:
        version = FolderStore(store).current()
        if name == "open_version":
            result["seconds"] = timed(lambda: publishing.open_database(version).close(), runs)
        elif name == "trend":  # 20 quarter ends and the as-of date, at another as-of (nothing prepared)
            db = publishing.open_database(version)
            cur = db.cursor()
            p = metrics.Params(as_of=metrics.months_before(AS_OF, 1))
            result["seconds"] = timed(lambda: metrics.trend(cur, p), runs)
            result["points"] = len(metrics.trend(cur, p))
        elif name == "changes":  # from the version before to the current one, each at its own as-of
            from swgdash.query import history

            before = history.previous(FolderStore(store).versions(), version)
            dbs = [publishing.open_database(v) for v in (before, version)]
            result["seconds"] = timed(lambda: history.changes(dbs[0].cursor(), before, dbs[1].cursor(), version),
                                      runs)
        elif name == "summary":  # what `python -m swgdash summary --json` does
            result["seconds"] = timed(lambda: json.dumps(summary_json(version)), runs)
        elif name.removesuffix(LIVE) in pages():
            db = publishing.open_database(version)
            cur = db.cursor()
            plans = metrics.plans(cur)
            as_of = metrics.months_before(AS_OF, 1) if name.endswith(LIVE) else AS_OF
            p = metrics.Params(as_of=as_of, plan=metrics.default_plan(plans, as_of))
            ids = set(metrics.groups_all(cur)["group_id"])
            calls = [(fn, {k: (v if v in ids else f"{v}-c0") if k == "group_id" else v for k, v in kw.items()})
                     for fn, kw in pages()[name.removesuffix(LIVE)]]  # the scaled copies' ids end in -c<copy>
            result["seconds"] = timed(lambda: [fn(cur, p, **kw) for fn, kw in calls], runs)
            result["live"] = sum(cur.live.values()) / (runs + 1)  # queries run live, per page open
    result["peak_mb"] = peak_mb()
    return result


def current_folder(store: str) -> Path:
    """The current version's folder, read from HEAD.json without importing swgdash (the pandas
    baseline's process holds nothing of it)."""
    head = json.loads((Path(store) / "HEAD.json").read_text(encoding="utf-8"))
    return Path(store) / "versions" / f"{head['current']:06d}"


def summary_json(version) -> dict:
    from swgdash import publishing
    from swgdash.query import metrics

    db = publishing.open_database(version)
    cur = db.cursor()
    p = metrics.Params(as_of=AS_OF, plan=metrics.default_plan(metrics.plans(cur), AS_OF))
    doc = json.loads(json.dumps(metrics.summary(cur, p)))
    db.close()
    return doc


def child(name: str, extract: str, runs: int, store: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--task", name, extract, str(runs), store], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def browser(*args, script: str = "browser.py") -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / script), *map(str, args)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# The ×1000 extract's attendance.csv is about 300 MB: over the upload limits (50 MB a
# file), which the benchmark raises for itself; the app's defaults are unchanged.
BENCH_LIMITS = {"SWGDASH_MAX_FILE_MB": "4096", "SWGDASH_MAX_INFLATED_MB": "8192"}


def main() -> None:
    from bench.generate import generate

    os.environ.update(BENCH_LIMITS)
    scales = os.environ.get("BENCH_SCALES", "demo,100").split(",")
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    sessions = int(os.environ.get("BENCH_LOAD_SESSIONS", "20"))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    thinks = [float(t) for t in os.environ.get("BENCH_LOAD_THINK", "20,5").split(",")]
    browsers = int(os.environ.get("BENCH_HYBRID_BROWSERS", "4"))
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
        store = work / f"store-{scale}" / "home"
        child("publish_once", str(extract), 1, str(store))
        names = ["publish_csv", *(["publish_xlsx"] if scale == "demo" else []), "open_version", "summary",
                 "pandas_summary", "pandas_parquet", "pandas_cached", "agree", "trend", "changes",
                 *pages(), *(p + LIVE for p in pages())]
        for name in names:
            n = runs if not name.startswith("publish") or scale == "demo" else max(3, runs // 2)
            r = child(name, str(extract), n, str(store))
            results[name] = r
            print(f"  {name:18} median {statistics.median(r['seconds']):8.3f} s   peak {r['peak_mb']:7.0f} MB"
                  + (f"   agree {r['agree']}" if "agree" in r else ""), flush=True)
        results["switch"] = browser("switch", store, runs)
        for path, xs in results["switch"].items():
            print(f"  switch {path:16} {_switch_cell(xs)}", flush=True)
        if scale == "demo":  # every page in Lao: no slower than in English by more than 10%
            results["switch_lo"] = browser("switch", store, runs, "lo")
            for path, xs in results["switch_lo"].items():
                print(f"  switch {path:16} {_switch_cell(xs)} (Lao)", flush=True)
        if scale == "demo":  # as committee members would (reading each page), then clicking non-stop
            results["load"] = {**{f"reading {t:g} s": browser("load", store, sessions, seconds, t) for t in thinks},
                               "non-stop": browser("load", store, sessions, seconds, 0),
                               # the same sessions once each has seen every page (bench/browser.py _warm)
                               f"reading {thinks[0]:g} s, warmed": browser("load", store, sessions, seconds,
                                                                          thinks[0], "warm")}
            results["floor"] = browser("load", store.parent / "floor", sessions, seconds, thinks[0], "floor")
            print("  load run", results["load"], flush=True)
            # the browsers off the server's cores: a few in Chromium, the rest protocol sessions
            results["hybrid"] = {f"reading {t:g} s": browser("load", store, browsers, sessions, seconds, t, 3,
                                                             script="hybrid.py") for t in thinks}
            print("  hybrid load run", results["hybrid"], flush=True)
            # the same sessions against two servers sharing the store behind nginx (sticky sessions)
            results["hybrid_two"] = {f"reading {t:g} s": browser("load", store, browsers, sessions, seconds, t, 3, 2,
                                                                 script="hybrid.py") for t in thinks}
            print("  hybrid load run, two servers", results["hybrid_two"], flush=True)
            results["pack"] = browser(runs, script="pack.py")  # the briefing pack: demo and large register
            print("  briefing pack", {k: (round(statistics.median(v), 2) if isinstance(v, list) else round(v, 2))
                                      for k, v in results["pack"].items()}, flush=True)
            results["objectstore"] = browser(extract, runs, script="objectstore.py")  # S3 (loopback) vs folder
            print("  object store", results["objectstore"], flush=True)
        if scale in ("demo", scales[-1]):  # the server alone: at the demo size, and the largest
            results["protocol"] = {
                **{f"reading {t:g} s": browser("load", store, sessions, seconds, t, script="protocol.py")
                   for t in thinks},
                "non-stop": browser("load", store, sessions, seconds, 0, script="protocol.py")}
            print("  server load run", results["protocol"], flush=True)
        rows.append((label, counts, results))
        (work / "results.json").write_text(json.dumps(rows, ensure_ascii=False))  # kept if a later scale fails
    write_results(rows, runs)


def write_results(rows, runs: int) -> None:
    import duckdb
    import pandas as pd
    import streamlit

    med = lambda r: statistics.median(r["seconds"])  # noqa: E731
    lines = [
        "# Benchmark results", "",
        f"Measured by `make bench` on {dt.date.today().isoformat()}: {platform.machine()}, "
        f"{os.cpu_count()} cores, {_memory_gb()} GB RAM, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, pandas {pd.__version__}, Streamlit {streamlit.__version__}, "
        f"Chromium {_chromium()}. Median of {runs} runs after a warm-up (publish at scale: "
        f"{max(3, runs // 2)}); peak memory is the measuring process's maximum resident set. "
        "Extracts: `bench/generate.py` (the demo copied N times, seeded).", "",
        "## Publishing, opening a version, and `summary --json` against plain pandas", "",
        "`summary` is what `python -m swgdash summary --json` does: open the published version and "
        "compute the whole document. `pandas` is `bench/baseline.py`, the same document the way a "
        "typical Streamlit app computes it: read the extract's CSV files, then merge and group in "
        "pandas (vectorised; `make bench` checks every document is equal: *same*). `pandas, Parquet` "
        "reads the published version's own Parquet files instead, typed and only the columns it needs "
        "(what a careful pandas app does). `pandas, files cached` times only the computing, as if the "
        "files were kept with `st.cache_data`. Memory: each measuring process's peak, whole process.", "",
        "| scale | groups | meetings | attendance | publish CSV (s) | publish xlsx (s) | open version (s) "
        "| summary (s) | pandas (s) | pandas ÷ summary | pandas, Parquet (s) | Parquet ÷ summary "
        "| pandas, files cached (s) | summary MB | pandas MB | pandas, Parquet MB | same |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, c, r in rows:
        s, ps = med(r["summary"]), med(r["pandas_summary"])
        pq = r.get("pandas_parquet")
        xlsx = f"{med(r['publish_xlsx']):.2f}" if "publish_xlsx" in r else "—"
        lines.append(f"| {label} | {c['groups']:,} | {c['meetings']:,} | {c['attendance']:,} | "
                     f"{med(r['publish_csv']):.2f} | {xlsx} | {med(r['open_version']):.3f} | {s:.3f} | {ps:.3f} | "
                     f"{ps / s:.1f}× | " + (f"{med(pq):.3f} | {med(pq) / s:.1f}× | " if pq else "— | — | ")
                     + f"{med(r['pandas_cached']):.3f} | {r['summary']['peak_mb']:.0f} | "
                     f"{r['pandas_summary']['peak_mb']:.0f} | " + (f"{pq['peak_mb']:.0f}" if pq else "—")
                     + f" | {'yes' if r['agree']['agree'] else 'NO'} |")
    if all("trend" in r for _, _, r in rows):
        lines += ["", "## Over the years and between versions", "",
                  "*Trend*: `metrics.trend`, the groups counting, active, at risk and dormant and their meetings "
                  "at 20 quarter ends and the as-of date, a month before the version's as-of (so nothing is "
                  "prepared). *Changes*: `history.changes` from the version before (the same extract as of "
                  f"{EARLIER.isoformat()}) to the current one, each at its own as-of. Median seconds.", "",
                  "| scale | trend (s) | points | changes (s) |", "|---|---:|---:|---:|"]
        for label, _, r in rows:
            lines.append(f"| {label} | {med(r['trend']):.3f} | {r['trend'].get('points', '—')} | "
                         f"{med(r['changes']):.3f} |")
    labels = [label for label, _, _ in rows]
    lines += ["", "## Queries behind each page", "",
              "All of a page's figures (`swgdash.query.metrics`, not cached by Streamlit), median seconds. "
              "*As it opens*: the page's controls as they are on opening, at the version's as-of; "
              "these results are prepared when the version is published (`swgdash.site.default_views`), "
              "so the page reads them. *Another as-of*: the same figures a month earlier, so every "
              "query runs (as after any change in the sidebar).", "",
              "| page | " + " | ".join(f"{label}, as it opens | {label}, another as-of" for label in labels)
              + " |", "|---|" + "---:|---:|" * len(rows)]
    for page in pages():
        lines.append(f"| `{page}` | " + " | ".join(f"{med(r[page]):.3f} | {_med_or_dash(r.get(page + LIVE))}"
                                                   for _, _, r in rows) + " |")
    lines += ["", "## In-app page switch in Chromium", "",
              "From the click on the page's link in the sidebar until the page's script run has "
              "finished and every chart is drawn (`bench/browser.py`, headless Chromium 1440×900, "
              "one server per scale), median seconds:", "",
              "| page | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(rows)]
    for page in rows[0][2]["switch"]:
        lines.append(f"| `{page}` | " + " | ".join(_switch_cell(r["switch"].get(page)) for _, _, r in rows) + " |")
    lines.append("| **median of all switches** | " + " | ".join(
        f"**{statistics.median([x for xs in r['switch'].values() if isinstance(xs, list) for x in xs]):.2f}**"
        for _, _, r in rows) + " |")
    for label, _, r in rows:
        if "switch_lo" in r:
            lines += ["", f"## The same switches in Lao ({label} data)", "",
                      "The server's default language set to Lao (`SWGDASH_LANGUAGE=lo`), everything else as above, "
                      "median seconds:", "", "| page | English | ລາວ | Lao / English |", "|---|---:|---:|---:|"]
            for page, xs in r["switch"].items():
                lo = r["switch_lo"].get(page)
                ratio = (f"{statistics.median(lo) / statistics.median(xs):.2f}"
                         if isinstance(xs, list) and isinstance(lo, list) else "—")
                lines.append(f"| `{page}` | {_switch_cell(xs)} | {_switch_cell(lo)} | {ratio} |")
    lines += _targets(rows)
    for label, _, r in rows:
        if "load" in r:
            lines += _load_table(
                f"Load run in Chromium ({label} data)",
                "Separate browser contexts of one headless Chromium, each clicking through the pages in "
                "the sidebar against one server, on the same machine as the server (so the browsers' "
                "own work competes with it for the cores). *Page time*: from the click to the page drawn, "
                "in the browser. Each session is a fresh context, so every page it opens is its first "
                "visit: its browser fetches, compiles and first runs that page's code while timed. "
                "*Warmed*: each session first opened every page once, not timed, as a member's browser "
                "has after a first round of the pages.", r["load"], "browsers' CPU %")
            if r.get("floor"):
                fl = r["floor"]
                lines += ["", f"*The floor*, for scale: the same run (reading {fl['think_s']:g} s, fresh contexts) "
                          "against `bench/floor_app.py`, the same eleven pages with only their headings and "
                          "one ten-bar chart: p95 " + _f(fl["p95_s"]) + f" s, median {_f(fl['median_s'])} s, "
                          f"{fl['switches']} switches, {fl['errors']} errors, browsers' CPU "
                          f"{fl['client_cpu_pct']} %. The gap to the table above is what the dashboard's "
                          "pages ask of each browser."]
        if "hybrid" in r:
            lines += _load_table(
                f"Load run with the browsers off the server's cores ({label} data)",
                "What a committee member waits for when twenty use the dashboard at once, each on their "
                "own computer: all sessions at once against one server, a few of them fresh contexts of "
                "headless Chromium (timed from the click to the page drawn, as above) and the rest "
                "protocol sessions (below), which ask the server for the same pages the same way but "
                "leave the cores to the server (`bench/hybrid.py`, the hybrid load test of k6 and other "
                "load tools). Three rounds of the given seconds, each with new sessions and other "
                "sessions in Chromium; *switches* and page times are the Chromium sessions', pooled; "
                "errors count every session.", r["hybrid"], "clients' CPU %")
            lines += ["", "The protocol sessions in the same runs: " + "; ".join(
                f"{how}: {ld['protocol_switches']} switches, median {_f(ld['protocol_median_s'])} s, "
                f"p95 {_f(ld['protocol_p95_s'])} s" for how, ld in r["hybrid"].items()) + "."]
        if "hybrid_two" in r:
            lines += _load_table(
                f"The same load run against two servers behind nginx ({label} data)",
                "The sessions, rounds and Chromium sessions of the table above, against two `streamlit run` "
                "servers sharing the store, behind nginx with sticky sessions (a cookie naming the server: "
                "`tests/cluster.py`, `docs/deploy.md`), on the same two cores. The server figures are both "
                "servers' together.", r["hybrid_two"], "clients' CPU %")
        if "pack" in r:
            pk = r["pack"]
            lines += ["", "## Building the briefing pack", "",
                      "`bench/pack.py`: the slides, their charts, the PowerPoint deck and the PDF of the whole "
                      "register, as /present's download builds them, at the demo scale and on the large register "
                      "(`tests/factories.py` `large_register`: 60 groups, 40 partners, 30 overdue actions, names of "
                      "120 characters), median seconds of the runs after a first pack (the server's case: its "
                      "Chromium started by an earlier pack). The first pack of a process, Chromium started: "
                      f"{pk['first']:.2f} s (/present starts it in the background when it opens).", "",
                      "| register | English (s) | Lao (s) |", "|---|---:|---:|"]
            for scale in ("demo", "large"):
                lines.append(f"| {scale} | {statistics.median(pk[scale + ' en']):.2f} | "
                             f"{statistics.median(pk[scale + ' lo']):.2f} |")
        if "objectstore" in r:
            o = r["objectstore"]
            lines += ["", f"## The store in object storage against a folder ({label} data)", "",
                      "`bench/objectstore.py`: publishing the extract (median of the runs, each into a fresh store), "
                      "then a fresh server's first page (`/`, its version's files fetched and query database built "
                      "or read) and then `/dormant` loaded anew in the same tab, in Chromium. The S3 server is moto on 127.0.0.1: "
                      "no network latency (a real object store adds its round trips).", "",
                      "| store | publish (s) | first page (s) | next page (s) |", "|---|---:|---:|---:|"]
            for kind in ("folder", "s3"):
                lines.append(f"| {kind} | {o[kind]['publish_s']:.2f} | {o[kind]['first_page_s']:.2f} | "
                             f"{o[kind]['next_page_s']:.2f} |")
        if "protocol" in r:
            lines += _load_table(
                f"Load run of the server ({label} data)",
                "Sessions that speak Streamlit's own websocket protocol instead of drawing pages "
                "(`bench/protocol.py`): each asks for pages as the sidebar links do and receives every "
                "element of the run, so the server does all the work it does for a browser, while the "
                "clients use almost no CPU. *Page time*: from the request to the run's last message, as "
                "the server delivers it (drawing it is each member's own computer's work: see the page "
                "switch table).", r["protocol"], "clients' CPU %")
    path = ROOT / "bench" / "RESULTS.md"
    kept = ""
    if path.exists() and MARK in path.read_text(encoding="utf-8"):
        kept = path.read_text(encoding="utf-8").split(MARK, 1)[1]
    path.write_text("\n".join(lines) + "\n\n" + MARK + kept, encoding="utf-8")
    print("wrote bench/RESULTS.md")


def _load_table(title: str, intro: str, runs: dict, client_cpu: str) -> list[str]:
    lines = ["", f"## {title}", "", intro + " *Reading*: each session reads a page for half to one and a "
             "half times the think time before its next click; *non-stop*: each clicks again as soon as a "
             "page has come. *Server run*: the server's own time for a page's script run "
             "(`SWGDASH_RUN_LOG`), in the same window. CPU in % of one core.", "",
             "| sessions | think (s) | seconds | switches | errors | page time median (s) | page time p95 (s) "
             f"| server run median (s) | server run p95 (s) | server peak MB | server CPU % | {client_cpu} |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for how, ld in runs.items():
        drawn = f" ({ld['browsers']} in Chromium)" if "browsers" in ld else ""
        lines.append(f"| {ld['sessions']}{drawn} | {ld['think_s']:g} ({how.split(' ')[0]}{', warmed' if ld.get('warm') else ''}) "
                     f"| {ld['seconds']:.0f} | "
                     f"{ld['switches']} | **{ld['errors']}** | {_f(ld['median_s'])} | **{_f(ld['p95_s'])}** | "
                     f"{_f(ld.get('server_median_s'))} | {_f(ld.get('server_p95_s'))} | "
                     f"**{ld['server_peak_mb']:.0f}** | {ld['server_cpu_pct']} | "
                     f"{ld.get('client_cpu_pct', ld.get('browser_cpu_pct'))} |")
    for how, ld in runs.items():
        if ld.get("error_samples"):
            lines += ["", f"Errors seen ({how}): " + "; ".join(ld["error_samples"][:5])]
    return lines


MARK = "<!-- everything below is written by hand and kept by `make bench` -->"


def _targets(rows) -> list[str]:
    """The issue's targets against this run (a benchmark, not a test)."""
    med = lambda r: statistics.median(r["seconds"])  # noqa: E731
    by = {label: r for label, _, r in rows}
    out = ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]

    def row(what, value, ok):
        out.append(f"| {what} | {value} | {'yes' if ok else '**no**'} |")

    def switch_medians(r):
        return {p: (statistics.median(x) if isinstance(x, list) else None) for p, x in r["switch"].items()}

    big = by.get("×1000")
    if big:
        slowest = max(pages(), key=lambda p: med(big[p]))
        row("×1000: every page's queries under 0.5 s (median), as the page opens",
            f"slowest `{slowest}` {med(big[slowest]):.3f} s", med(big[slowest]) < 0.5)
        if all(p + LIVE in big for p in pages()):
            slowest = max(pages(), key=lambda p: med(big[p + LIVE]))
            row("×1000: every page's queries under 0.5 s (median), at another as-of",
                f"slowest `{slowest}` {med(big[slowest + LIVE]):.3f} s", med(big[slowest + LIVE]) < 0.5)
        ratio = med(big["pandas_summary"]) / med(big["summary"])
        mem = big["summary"]["peak_mb"] / big["pandas_summary"]["peak_mb"]
        row("×1000: `summary` at least 3× faster than pandas", f"{ratio:.1f}×", ratio >= 3)
        row("×1000: `summary` at most a third of pandas' peak memory", f"{mem:.2f} of it", mem <= 1 / 3)
        if "pandas_parquet" in big:
            ratio = med(big["pandas_parquet"]) / med(big["summary"])
            mem = big["summary"]["peak_mb"] / big["pandas_parquet"]["peak_mb"]
            row("×1000: `summary` at least 3× faster than pandas reading the same Parquet files", f"{ratio:.1f}×",
                ratio >= 3)
            row("×1000: `summary` at most half the peak memory of pandas reading the Parquet files",
                f"{mem:.2f} of it", mem <= 1 / 2)
        if "trend" in big:
            row("×1000: the trend over 20 quarter ends under 1 s", f"{med(big['trend']):.3f} s", med(big["trend"]) < 1)
            row("×1000: changes between two versions under 2 s", f"{med(big['changes']):.3f} s",
                med(big["changes"]) < 2)
        if "/participation" + LIVE in big:
            t = med(big["/participation" + LIVE])
            row("×1000: `/participation` at another as-of under 0.5 s", f"{t:.3f} s", t < 0.5)
        row("×1000: publish of the CSV extract under 20 s", f"{med(big['publish_csv']):.1f} s", med(big["publish_csv"]) < 20)
        sw = switch_medians(big)
        worst = max(sw, key=lambda p: float("inf") if sw[p] is None else sw[p])
        row("×1000: page switch to charts drawn under 2 s (median, every page)",
            f"slowest `{worst}` " + ("failed" if sw[worst] is None else f"{sw[worst]:.2f} s"),
            sw[worst] is not None and sw[worst] < 2)
        if "/changes" in sw:
            row("×1000: `/changes` page switch under 2 s (two versions compared)",
                "failed" if sw["/changes"] is None else f"{sw['/changes']:.2f} s",
                sw["/changes"] is not None and sw["/changes"] < 2)
    demo = by.get("demo")
    if demo:
        sw = switch_medians(demo)
        worst = max(sw, key=lambda p: float("inf") if sw[p] is None else sw[p])
        row("demo: page switch to charts drawn under 1 s (median, every page)",
            f"slowest `{worst}` " + ("failed" if sw[worst] is None else f"{sw[worst]:.2f} s"),
            sw[worst] is not None and sw[worst] < 1)
        if "switch_lo" in demo:
            pooled = lambda sw: [x for xs in sw.values() if isinstance(xs, list) for x in xs]  # noqa: E731
            en, lo = pooled(demo["switch"]), pooled(demo["switch_lo"])
            if en and lo:
                ratio = statistics.median(lo) / statistics.median(en)
                row("demo: a page switch in Lao no slower than in English by more than 10% (median of all switches)",
                    f"{statistics.median(lo):.2f} s vs {statistics.median(en):.2f} s ({ratio:.2f}×)", ratio <= 1.10)
    for label, r in by.items():
        for kind, what in (("load", "load run in Chromium"), ("hybrid", "load run, browsers off the server's cores"),
                           ("hybrid_two", "load run, browsers off the cores, two servers behind nginx"),
                           ("protocol", "load run of the server")):
            for how, ld in r.get(kind, {}).items():
                name = f"{label}, {what} ({how})"
                row(f"{name}: 0 errors", str(ld["errors"]), ld["errors"] == 0)
                row(f"{name}: 95th percentile under 3 s", f"{_f(ld['p95_s'])} s",
                    ld["p95_s"] is not None and ld["p95_s"] < 3)
                row(f"{name}: server memory under 1.5 GB", f"{ld['server_peak_mb']:.0f} MB",
                    ld["server_peak_mb"] < 1536)
    return out


def _switch_cell(xs) -> str:
    if xs is None:
        return "—"
    if isinstance(xs, dict):
        return "failed: " + xs["error"].replace("|", "/")
    return f"{statistics.median(xs):.2f}"


def _med_or_dash(r) -> str:
    return "—" if r is None else f"{statistics.median(r['seconds']):.3f}"


def _f(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def _memory_gb() -> int:
    with open("/proc/meminfo") as fh:
        return round(int(fh.readline().split()[1]) / 1024 / 1024)


def _chromium() -> str:
    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.split()[1]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--write":  # RESULTS.md again from a run's results.json
        write_results(json.loads(Path(sys.argv[2]).read_text()), int(os.environ.get("BENCH_RUNS", "5")))
    elif len(sys.argv) > 1 and sys.argv[1] == "--task":
        print(json.dumps(task(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])))
    else:
        main()
