"""`summary --json` as a whole process, beside a pandas script reading the same Parquet files (issue 31):
python -m bench.cli_speed [RUNS]

On the light, large extract (bench/light.py: 40,000 groups, about a million meetings, six tables)
the baseline is bench/light_baseline.py (its four figures); on the ×1000 extract (bench/generate.py,
every table) it is bench/baseline.py's whole document from the version's Parquet files. Each pair
runs alternately, RUNS times (default 5), at the version's as-of date and at another; wall time
and peak memory (the child's maximum resident set) are the medians. The answers are checked to
agree first. With BENCH_CLI_BEFORE=DIR (a checkout of an earlier commit, e.g. `git worktree add`), that
commit's `summary --json` runs in the same alternation, checked to print the same bytes: before and
after from one run. The table goes into bench/RESULTS.md between its cli-speed markers (kept by `make
bench`), and is printed.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from swgdash.contract import DEMO_AS_OF  # (the light extract's as-of date too)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OTHER_AS_OF = "2025-06-30"
START, END = "<!-- cli-speed:start -->", "<!-- cli-speed:end -->"


# A small process starts each measured one: Linux counts in a process's peak memory what it held
# before exec, so a child of this (large) process would report this one's memory as its own.
LAUNCH = """
import os, sys, time
out = os.open(sys.argv[1], os.O_WRONLY)
null = os.open(os.devnull, os.O_WRONLY)
t = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ, file_actions=[
    (os.POSIX_SPAWN_DUP2, out, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
"""


def measured(argv: list[str], tree: Path = ROOT) -> tuple[float, float, bytes]:
    """A whole process: its wall time (s), peak resident memory (MB) and what it printed; `tree`:
    the checkout whose swgdash it runs (BENCH_CLI_BEFORE: an earlier commit's, for before and after)."""
    with tempfile.NamedTemporaryFile() as out:
        said = subprocess.run([PY, "-S", "-c", LAUNCH, out.name, *argv], capture_output=True, text=True, check=True,
                              cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}).stdout.split()
        seconds, mb, code = float(said[0]), float(said[1]), int(said[2])
        assert code == 0, argv
        return seconds, mb, Path(out.name).read_bytes()


def summary_argv(home: Path, as_of: str | None) -> list[str]:
    return [PY, "-m", "swgdash", "--home", str(home), "summary", "--json", *(["--as-of", as_of] if as_of else [])]


def agree_light(summary: dict, baseline: dict) -> bool:
    groups = {g["group_id"]: (g["activity"], g["meetings_12m"]) for g in summary["groups"]}
    return (groups == {g["group_id"]: (g["activity"], g["meetings_12m"]) for g in baseline["groups"]}
            and [(p["pillar_id"], p["groups"], p["functioning_groups"]) for p in summary["pillars"]]
            == [(p["pillar_id"], p["groups"], p["functioning_groups"]) for p in baseline["pillars"]]
            and [(r["rec_id"], r["actions"], r["done"], r["overdue"]) for r in summary["recommendations"]]
            == [(r["rec_id"], r["actions"], r["done"], r["overdue"]) for r in baseline["recommendations"]])


def agree_whole(summary: dict, baseline: dict) -> bool:
    """The whole document (the baseline draws the default plan's pillars; summary every plan's)."""
    pillars = {p["pillar_id"]: p for p in summary["pillars"]}
    return (all(summary[k] == baseline[k] for k in ("as_of", "totals", "groups", "recommendations", "organisations"))
            and all(pillars.get(p["pillar_id"]) == p for p in baseline["pillars"]))


def pair(name: str, home: Path, baseline: list[str], as_of: str, runs: int, check) -> dict:
    version_as_of = json.loads(measured(summary_argv(home, None))[2])["as_of"]
    own = as_of == version_as_of
    s_argv = summary_argv(home, None if own else as_of)
    _, _, s_out = measured(s_argv)  # (a first run each: the query database and the files' pages warm)
    _, _, b_out = measured(baseline + [as_of])
    agree = check(json.loads(s_out), json.loads(b_out))
    before = Path(os.environ["BENCH_CLI_BEFORE"]) if os.environ.get("BENCH_CLI_BEFORE") else None
    if before:  # (on its own copy of the store: each commit keeps only its own query database)
        twin = home.with_name(home.name + "-before")
        if not twin.exists():
            shutil.copytree(home, twin, ignore=shutil.ignore_patterns("cache"))
        e_argv = summary_argv(twin, None if own else as_of)
        assert measured(e_argv, before)[2] == s_out, "the earlier commit prints other bytes"
    s, b, e = [], [], []
    for _ in range(runs):
        s.append(measured(s_argv)[:2])
        b.append(measured(baseline + [as_of])[:2])
        if before:
            e.append(measured(e_argv, before)[:2])
    row = {"extract": name, "as_of": as_of + (" (the version's)" if own else ""), "agree": agree,
           "summary_s": statistics.median(x for x, _ in s), "summary_mb": statistics.median(m for _, m in s),
           "pandas_s": statistics.median(x for x, _ in b), "pandas_mb": statistics.median(m for _, m in b)}
    if before:
        row |= {"before_s": statistics.median(x for x, _ in e), "before_mb": statistics.median(m for _, m in e)}
    print(json.dumps(row), flush=True)
    return row


def publish(extract: Path, home: Path, files: list[str]) -> dict:
    seconds, mb, _ = measured([PY, "-m", "swgdash", "--home", str(home), "publish", *files, "--as-of", DEMO_AS_OF.isoformat()])
    return {"seconds": seconds, "mb": mb}


def main(runs: int = 5) -> list[dict]:
    from bench import light
    from bench.generate import generate
    from bench.run import BENCH_LIMITS

    os.environ.update(BENCH_LIMITS)  # (the ×1000 extract's files are larger than an upload may be)
    work = Path(tempfile.mkdtemp(prefix="swgcli-"))
    rows = []
    light.generate(work / "light")
    home = work / "light-home"
    published = publish(work / "light", home, [str(p) for p in sorted((work / "light").glob("*.parquet"))])
    print(f"light extract published in {published['seconds']:.1f} s, {published['mb']:.0f} MB", flush=True)
    folder = home / "versions" / "000001"
    for as_of in (DEMO_AS_OF.isoformat(), OTHER_AS_OF):
        rows.append(pair("light (40,000 groups, 6 tables)", home, [PY, "bench/light_baseline.py", str(folder)],
                         as_of, runs, agree_light))
    if os.environ.get("BENCH_CLI_X1000", "1") != "0":
        extract = Path(os.environ.get("BENCH_CLI_X1000_DIR") or work / "x1000")  # (one already generated)
        if not (extract / "groups.csv").exists():
            generate(1000, extract)
        home = work / "x1000-home"
        published = publish(extract, home, [str(extract)])
        print(f"×1000 extract published in {published['seconds']:.1f} s, {published['mb']:.0f} MB", flush=True)
        folder = home / "versions" / "000001"
        for as_of in (DEMO_AS_OF.isoformat(), OTHER_AS_OF):
            rows.append(pair("×1000 (40,000 groups, every table)", home, [PY, "-m", "bench.baseline", str(folder)],
                             as_of, runs, agree_whole))
    return rows


def table(rows: list[dict], runs: int) -> str:
    lines = [START, "", f"Whole processes on this machine ({os.cpu_count()} cores), medians of {runs} alternate runs "
             "each (`python -m bench.cli_speed`); peak memory is the process's maximum resident set (started "
             "from a small launcher, about 8 MB of which each figure includes).", "",
             "| extract | as of | summary --json (s) | pandas (s) | faster | summary MB | pandas MB | memory | agree "
             "| before: summary (s) | before: MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['extract']} | {r['as_of']} | {r['summary_s']:.2f} | {r['pandas_s']:.2f} | "
                     f"{r['pandas_s'] / r['summary_s']:.1f}× | {r['summary_mb']:.0f} | {r['pandas_mb']:.0f} | "
                     f"{r['summary_mb'] / r['pandas_mb']:.2f} of it | {'yes' if r['agree'] else '**no**'} | "
                     + (f"{r['before_s']:.2f} | {r['before_mb']:.0f} |" if "before_s" in r else "— | — |"))
    return "\n".join(lines + ["", END])


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    text = table(main(n), n)
    print(text)
    results = ROOT / "bench" / "RESULTS.md"
    doc = results.read_text(encoding="utf-8")
    if START in doc and END in doc:
        doc = doc[:doc.index(START)] + text + doc[doc.index(END) + len(END):]
        results.write_text(doc, encoding="utf-8")
