"""Speed in real Chromium against `streamlit run`: in-app page switches, and a load run.

    python bench/browser.py switch HOME [RUNS] [LANG]       per page: seconds of each timed switch (LANG: en, lo)
    python bench/browser.py load HOME [SESSIONS] [SECONDS] [THINK] [warm] [floor]  many sessions at once
        (warm: each has opened every page once first; floor: against bench/floor_app.py)

A switch is timed from the click on the page's sidebar link until the new page's
script run has finished and its charts are drawn. The JSON result is the last line
of stdout. Uses Debian's Chromium and the server of tests/serve.py.
"""
from __future__ import annotations

import asyncio
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from playwright.async_api import Error as PlaywrightError, TimeoutError as PlaywrightTimeoutError, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from serve import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from swgdash import i18n, site  # noqa: E402

PAGES = {p.url: p.heading for p in site.PAGES}  # url path: its h1 (None: /present, whose h1 is a slide's headline)
NO_CHARTS = {p.url for p in site.PAGES if not p.charts}  # every other page draws at least one Plotly chart
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_S = 30
APP_ERRORS = ("could not be drawn", "could not open its data")  # swgdash's own failure messages

# Ready when: Streamlit's run has finished (stApp's script-state test hook), nothing is
# stale or loading, the address and h1 are the new page's (or, for /present, the slide
# controls are shown, since its h1 can equal the overview's), and every chart has its SVG.
# Returns false until then, "ok", or the text of an error box on the new page.
READY = """([path, title, charts, appErrors, nextSlide]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (location.pathname !== path || document.querySelector(
      '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const boxes = [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlert"]')];
  const err = boxes.find(b => b.dataset.testid === 'stException' || appErrors.some(t => b.innerText.includes(t)));
  if (err) return 'error box on ' + path + ': ' + err.innerText.trim().slice(0, 200);
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  const slides = [...document.querySelectorAll('[data-testid="stMain"] button')]
    .some(b => b.innerText.trim().endsWith(nextSlide));
  if (!h1 || slides !== (title === null) || (title !== null && h1.innerText.trim() !== title)) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return (!charts || plots.length > 0) && plots.every(p => p.querySelector('.main-svg')) && 'ok';
}"""


# What the page shows, for the message of a switch that timed out.
STATE = """() => JSON.stringify({
  script: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
  path: location.pathname, h1: document.querySelector('[data-testid="stMain"] h1')?.innerText,
  stale: document.querySelectorAll('[data-stale="true"]').length,
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  charts: document.querySelectorAll('.js-plotly-plot').length,
  drawn: document.querySelectorAll('.js-plotly-plot .main-svg').length / 3})"""


class PageError(Exception):
    """A page that shows an error, or was not drawn in time."""


LANG = {"lang": "en"}  # the language the server shows (switch LANG): its headings and slide buttons


def _heading(path: str):
    with i18n.language(LANG["lang"]):
        return None if PAGES[path] is None else i18n._(PAGES[path])


def _next_slide() -> str:
    with i18n.language(LANG["lang"]):
        return i18n._("Next slide")


async def _ready(page, path: str, poll) -> None:
    try:
        handle = await page.wait_for_function(READY, arg=[path, _heading(path), path not in NO_CHARTS, APP_ERRORS,
                                                          _next_slide()],
                                              polling=poll, timeout=TIMEOUT_S * 1000)
    except PlaywrightTimeoutError:
        raise PageError(f"{path} not drawn in {TIMEOUT_S} s; the page shows {await page.evaluate(STATE)}") from None
    if (value := await handle.json_value()) != "ok":
        raise PageError(value)


async def _open_sidebar(page) -> None:
    """/present folds the sidebar, and folds it once more on the first unfold: unfold until it stays."""
    for _ in range(5):
        button = page.locator('[data-testid="stExpandSidebarButton"]')
        if not await button.count():
            return
        await button.click()
        await page.wait_for_timeout(600)  # the fold animation, and a re-fold if one comes
    raise PageError("the sidebar does not stay open")


async def _switch(page, path: str, poll="raf") -> float:
    """Seconds from the click on path's sidebar link to the page drawn (the unfold is not timed)."""
    await _open_sidebar(page)
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]')
    t = time.perf_counter()
    await link.click(timeout=TIMEOUT_S * 1000)
    await _ready(page, path, poll)
    return time.perf_counter() - t


async def _page_switch(home: Path, runs: int, lang: str = "en") -> dict:
    out: dict = {}
    LANG["lang"] = lang
    with streamlit_server(home, env={"SWGDASH_LANGUAGE": lang}) as url:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = await browser.new_page(viewport=VIEWPORT)
            await page.goto(url + "/")
            await _ready(page, "/", "raf")
            for path in PAGES:
                other = "/meetings" if path == "/" else "/"  # switch to path from another page
                times = []
                try:
                    for _ in range(runs + 1):  # the first is the warm-up
                        await _switch(page, other)
                        times.append(await _switch(page, path))
                    out[path] = times[1:]
                except (PlaywrightError, PageError) as e:  # reported, and the next page is measured
                    out[path] = {"error": str(e).splitlines()[0][:300]}
                    print(f"{path}: {out[path]['error']}", file=sys.stderr)
                    await page.goto(url + "/")
                    await _ready(page, "/", "raf")
            await browser.close()
    return out


def page_switch(home: Path, runs: int = 5, lang: str = "en") -> dict:
    """Per page, the seconds of `runs` in-app switches to it (after one warm-up switch), or
    {"error": ...} when a switch failed or took over TIMEOUT_S; every page in `lang`."""
    return asyncio.run(_page_switch(Path(home), runs, lang))


def _server_pid(port: int) -> int:
    """The `streamlit run` that tests/serve.py started on port."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in args and str(port).encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError(f"no streamlit process on port {port}")


def _tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        out.append(todo.pop())
        todo += children.get(out[-1], [])
    return out


def _rss_mb(pid: int | list[int]) -> float:
    """Resident memory (VmRSS) of pid (or several) and its descendants, in MB."""
    if isinstance(pid, list):
        return sum(_rss_mb(p) for p in pid)
    kb = 0
    for p in _tree(pid):
        try:
            kb += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{p}/status").read_text()).group(1))
        except (OSError, AttributeError):
            pass
    return kb / 1024


def _cpu_s(pid: int | list[int] | None = None) -> float:
    """CPU seconds used so far: by pid (or several) and its descendants, or (None) by the whole machine."""
    if isinstance(pid, list):
        return sum(_cpu_s(p) for p in pid)
    if pid is None:
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
    total = 0
    for p in _tree(pid):
        try:
            total += sum(int(x) for x in Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[11:13])
        except (OSError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


async def _load(page, url: str) -> None:
    await page.goto(url + "/", wait_until="commit", timeout=TIMEOUT_S * 1000)
    await _ready(page, "/", 250)


async def _open(browser, url: str, k: int, errors: list):
    """Session k: its own browser context, on /. Returns the page and whether it loaded."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.on("console", lambda m: m.type == "error"
            and errors.append(("console error", f"session {k}: {m.text[:300]}")))
    page.on("pageerror", lambda e: errors.append(("page error", f"session {k}: {str(e)[:300]}")))
    try:
        await _load(page, url)
        return page, True
    except (PlaywrightError, PageError) as e:
        errors.append(("first load failed", f"session {k}: {str(e).splitlines()[0][:300]}"))
        return page, False


async def _warm(page, k: int, errors: list) -> bool:
    """Session k opens every page once, not timed, and is back on /: its browser has then
    fetched, compiled and run what each page draws, as a member's browser has after a first
    round of the pages (Chromium keeps compiled scripts in its cache across visits; a fresh
    context starts without). Returns whether every page came."""
    for path in [p for p in PAGES if p != "/"] + ["/"]:
        try:
            await _switch(page, path, 250)
        except (PlaywrightError, PageError) as e:
            errors.append(("warm-up switch failed", f"session {k}: {str(e).splitlines()[0][:300]}"))
            return False
    return True


async def _clicks(page, url: str, k: int, loaded: bool, until: float, times: dict, errors: list,
                  think: float = 0.0) -> None:
    """Click through the pages until `until`, from a different page for each session, reading
    each page for `think` seconds on average (0: click on at once). A reading session is
    already reading / when the run starts, for a random part of the think time: people do
    not all click in the same instant. After a failed switch go on clicking; after two in
    a row, load / again."""
    order, i, fails = list(PAGES), k, 0 if loaded else 2
    rng = random.Random(k)
    shown = {"/"}  # the pages the tab may show now: never timed as a switch target
    if think:
        await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < until:
        if fails >= 2:
            try:
                await _load(page, url)
                fails, shown = 0, {"/"}
            except (PlaywrightError, PageError) as e:
                errors.append(("reload of / failed", f"session {k}: {str(e).splitlines()[0][:300]}"))
            continue
        path, i = order[i % len(order)], i + 1
        if path in shown:
            continue
        try:
            t = await _switch(page, path, 250)
            times.setdefault(path, []).append(t)
            fails, shown = 0, {path}
            if think:
                await asyncio.sleep(min(think * rng.uniform(0.5, 1.5), max(0.0, until - time.monotonic())))
        except (PlaywrightError, PageError) as e:  # Playwright's TimeoutError is an Error
            errors.append((f"switch to {path} failed", f"session {k}: {str(e).splitlines()[0][:300]}"))
            fails, shown = fails + 1, shown | {path}


def _pct(xs: list[float], q: float) -> float | None:
    """The q-quantile by nearest rank."""
    return round(sorted(xs)[max(0, math.ceil(q * len(xs)) - 1)], 3) if xs else None


async def measure_load(pid: int | list[int], run_log: Path, start, click, seconds: float) -> dict:
    """The measured part of a load run against the server pid (or servers): `await start()` opens every
    session (not timed), then `await click(opened, until)` clicks until `until`. Samples the
    server's memory throughout, and the CPU of the server and of this process's tree (the
    clients) while clicking."""
    idle_mb, samples = _rss_mb(pid), []

    async def sample():  # the server's memory every 0.5 s
        while True:
            samples.append(_rss_mb(pid))
            await asyncio.sleep(0.5)

    sampler = asyncio.create_task(sample())
    try:
        opened = await start()
        cpu0, mine0, server0, t0 = _cpu_s(), _cpu_s(os.getpid()), _cpu_s(pid), time.monotonic()
        wall0 = time.time()
        await click(opened, t0 + seconds)
        window = time.monotonic() - t0
        cpu, mine, server = _cpu_s() - cpu0, _cpu_s(os.getpid()) - mine0, _cpu_s(pid) - server0
    finally:
        sampler.cancel()
    runs = [r["seconds"] for r in map(json.loads, run_log.read_text().splitlines()) if r["at"] >= wall0] \
        if run_log.exists() else []
    return {"opened": opened, "server_runs": runs, "server_idle_mb": round(idle_mb, 1),
            "server_peak_mb": round(max(samples, default=idle_mb), 1),
            # CPU while clicking, in % of one core: the server's; the clients' (Chromium and
            # Playwright, or the protocol sessions); the whole machine's (anything else included)
            "server_cpu_pct": round(100 * server / window), "client_cpu_pct": round(100 * (mine - server) / window),
            "machine_cpu_pct": round(100 * cpu / window), "cores": os.cpu_count()}


def load_report(sessions: int, seconds: float, think: float, times: dict, errors: list, measured: dict,
                server_log: Path) -> dict:
    """A load run's JSON result."""
    for kind, detail in errors:
        print(f"{kind}: {detail}", file=sys.stderr)
    every = [t for ts in times.values() for t in ts]
    runs = measured.pop("server_runs")
    measured.pop("opened", None)
    return {"sessions": sessions, "seconds": seconds, "think_s": think, "switches": len(every), "errors": len(errors),
            "error_kinds": dict(Counter(kind for kind, _ in errors)),
            "error_samples": [f"{kind} ({detail})" for kind, detail in errors[:5]],
            "median_s": _pct(every, 0.5), "p95_s": _pct(every, 0.95),
            "page_median_s": {k: _pct(v, 0.5) for k, v in times.items()},
            # the server's own time per page run in the same window (swgdash.app.context.run_page)
            "server_runs": len(runs), "server_median_s": _pct(runs, 0.5), "server_p95_s": _pct(runs, 0.95),
            **measured, "server_log": str(server_log)}


def run_log_for(home: Path) -> Path:
    """A fresh file for the server's SWGDASH_RUN_LOG, beside the store."""
    run_log = Path(home).parent / f"runs-{os.getpid()}.jsonl"
    run_log.unlink(missing_ok=True)
    return run_log


FLOOR_APP = ROOT / "bench" / "floor_app.py"


async def _load_run(home: Path, sessions: int, seconds: float, think: float = 0.0, warm: bool = False,
                    app: Path | None = None) -> dict:
    times: dict[str, list[float]] = {}
    errors: list[tuple[str, str]] = []  # (kind, detail)
    run_log = run_log_for(home)
    with streamlit_server(home, env={"SWGDASH_RUN_LOG": str(run_log)}, app=app) as url:
        port = int(url.rsplit(":", 1)[1])
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            async def start():
                # Sessions open one after another: 20 first loads at once (each parses Streamlit's
                # frontend) keep 2 cores' Chromium busy past any timeout. Then all click at once.
                opened = [await _open(browser, url, k, errors) for k in range(sessions)]
                if warm:
                    opened = [(page, ok and await _warm(page, k, errors)) for k, (page, ok) in enumerate(opened)]
                return opened

            async def click(opened, until):
                await asyncio.gather(*(_clicks(page, url, k, ok, until, times, errors, think)
                                       for k, (page, ok) in enumerate(opened)))

            measured = await measure_load(_server_pid(port), run_log, start, click, seconds)
            await browser.close()
    return {**load_report(sessions, seconds, think, times, errors, measured,
                          Path(home).parent / f"streamlit-{port}.log"), "client": "headless Chromium",
            "warm": warm, "app": "floor" if app == FLOOR_APP else "dashboard"}


def load_run(home: Path, sessions: int = 20, seconds: float = 60, think: float = 0.0, warm: bool = False,
             floor: bool = False) -> dict:
    """`sessions` browser sessions at once, each clicking through the pages for `seconds`,
    reading each page for `think` seconds on average. Each session is a fresh browser
    context (cold: every page is its first visit), or with `warm` has opened every page
    once before the timed clicks. With `floor`, against bench/floor_app.py instead of the
    dashboard (home then only holds the logs)."""
    return asyncio.run(_load_run(Path(home), sessions, seconds, think, warm, FLOOR_APP if floor else None))


if __name__ == "__main__":
    cmd, args = (sys.argv[1:2] or [""])[0], sys.argv[2:]
    if cmd == "switch" and 1 <= len(args) <= 3:
        result = page_switch(Path(args[0]), *map(int, args[1:2]), *args[2:3])
        print(json.dumps({k: v if isinstance(v, dict) else [round(t, 3) for t in v] for k, v in result.items()}))
    elif cmd == "load" and 1 <= len(args) <= 6 and set(args[4:]) <= {"warm", "floor"}:
        print(json.dumps(load_run(Path(args[0]), *map(int, args[1:2]), *map(float, args[2:4]),
                                  warm="warm" in args[4:], floor="floor" in args[4:])))
    else:
        sys.exit(__doc__)
