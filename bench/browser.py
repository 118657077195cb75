"""Speed in real Chromium against `streamlit run`: in-app page switches, and a load run.

    python bench/browser.py switch HOME [RUNS]              per page: seconds of each timed switch
    python bench/browser.py load HOME [SESSIONS] [SECONDS]  many sessions clicking at once

A switch is timed from the click on the page's sidebar link until the new page's
script run has finished and its charts are drawn. The JSON result is the last line
of stdout. Uses Debian's Chromium and the server of tests/serve.py.
"""
from __future__ import annotations

import asyncio
import json
import re
import statistics
import sys
import time
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from serve import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

PAGES = {  # url path: its h1 (None: /present, whose h1 is the first slide's headline)
    "/": "How the sector working groups function", "/meetings": "Meeting frequency",
    "/dormant": "Dormant groups", "/alignment": "NSEDP alignment",
    "/recommendations": "Recommendation follow-up", "/participation": "Participation and donor load",
    "/rotation": "Chair and focal-point rotation", "/scorecard": "Good-practice scorecard",
    "/group": "Group profile", "/present": None, "/upload": "Publish data"}
NO_CHARTS = {"/scorecard", "/present", "/upload"}  # every other page draws at least one Plotly chart
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_S = 30
APP_ERRORS = ("could not be drawn", "could not open its data")  # swgdash's own failure messages

# Ready when: Streamlit's run has finished (stApp's script-state test hook), nothing is
# stale or loading, the address and h1 are the new page's (or, for /present, the slide
# controls are shown, since its h1 can equal the overview's), and every chart has its SVG.
# Returns false until then, "ok", or the text of an error box on the new page.
READY = """([path, title, charts, appErrors]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning' || location.pathname !== path) return false;
  if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSkeleton"], [data-stale="true"]')) return false;
  const boxes = [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlert"]')];
  const err = boxes.find(b => b.dataset.testid === 'stException' || appErrors.some(t => b.innerText.includes(t)));
  if (err) return 'error box on ' + path + ': ' + err.innerText.trim().slice(0, 200);
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  const slides = [...document.querySelectorAll('[data-testid="stMain"] button')].some(b => b.innerText.trim().endsWith('Next slide'));
  if (!h1 || slides !== (title === null) || (title !== null && h1.innerText.trim() !== title)) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return (!charts || plots.length > 0) && plots.every(p => p.querySelector('.main-svg')) && 'ok';
}"""


class PageError(Exception):
    pass


async def _ready(page, path: str, poll) -> None:
    handle = await page.wait_for_function(READY, arg=[path, PAGES[path], path not in NO_CHARTS, APP_ERRORS],
                                          polling=poll, timeout=TIMEOUT_S * 1000)
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


async def _page_switch(home: Path, runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    with streamlit_server(home) as url:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = await browser.new_page(viewport=VIEWPORT)
            await page.goto(url + "/")
            await _ready(page, "/", "raf")
            for path in PAGES:
                other = "/meetings" if path == "/" else "/"  # switch to path from another page
                times = []
                for i in range(runs + 1):  # the first is the warm-up
                    await _switch(page, other)
                    times.append(await _switch(page, path))
                out[path] = times[1:]
            await browser.close()
    return out


def page_switch(home: Path, runs: int = 5) -> dict[str, list[float]]:
    """Per page, the seconds of `runs` in-app switches to it (after one warm-up switch)."""
    return asyncio.run(_page_switch(Path(home), runs))


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


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of pid and all its descendants (VmRSS), in MB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    kb, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            kb += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{p}/status").read_text()).group(1))
        except (OSError, AttributeError):
            pass
    return kb / 1024


async def _session(browser, url: str, k: int, seconds: float, times: dict, errors: list) -> None:
    """One user: load /, then click through the pages (from a different one per session)."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(f"console error (session {k}): {m.text[:200]}"))
    page.on("pageerror", lambda e: errors.append(f"page error (session {k}): {str(e)[:200]}"))
    order, here = list(PAGES), None
    i = k % len(order)
    deadline = None
    while deadline is None or time.monotonic() < deadline:
        try:
            if here is None:  # first load, or recovery after a failed switch
                await page.goto(url + "/", timeout=TIMEOUT_S * 1000)
                await _ready(page, "/", 100)
                here, deadline = "/", deadline or time.monotonic() + seconds
                continue
            path = order[i % len(order)]
            i += 1
            if path != here:
                times.setdefault(path, []).append(await _switch(page, path, 100))
                here = path
        except (PlaywrightError, PageError) as e:  # Playwright's TimeoutError is an Error
            errors.append(f"{type(e).__name__} (session {k}, {page.url}): {str(e).splitlines()[0][:200]}")
            here = None
            if deadline is None:
                break
    await context.close()


def _pct(xs: list[float], q: float) -> float | None:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))], 3) if xs else None


async def _load_run(home: Path, sessions: int, seconds: float) -> dict:
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    with streamlit_server(home) as url:
        port = int(url.rsplit(":", 1)[1])
        pid = _server_pid(port)
        idle_mb, samples = _tree_rss_mb(pid), []

        async def sample():  # the server's memory every 0.5 s
            while True:
                samples.append(_tree_rss_mb(pid))
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(*(_session(browser, url, k, seconds, times, errors) for k in range(sessions)))
            await browser.close()
        sampler.cancel()
    every = [t for ts in times.values() for t in ts]
    return {"sessions": sessions, "seconds": seconds, "switches": len(every), "errors": len(errors),
            "error_samples": errors[:5], "median_s": round(statistics.median(every), 3) if every else None,
            "p95_s": _pct(every, 0.95), "server_idle_mb": round(idle_mb, 1),
            "server_peak_mb": round(max(samples, default=idle_mb), 1),
            "page_median_s": {k: round(statistics.median(v), 3) for k, v in times.items()},
            "server_log": str(Path(home).parent / f"streamlit-{port}.log")}


def load_run(home: Path, sessions: int = 20, seconds: float = 60) -> dict:
    """`sessions` browser sessions at once, each clicking through the pages for `seconds`."""
    return asyncio.run(_load_run(Path(home), sessions, seconds))


if __name__ == "__main__":
    cmd, args = (sys.argv[1:2] or [""])[0], sys.argv[2:]
    if cmd == "switch" and 1 <= len(args) <= 2:
        result = page_switch(Path(args[0]), *map(int, args[1:]))
        print(json.dumps({k: [round(t, 3) for t in v] for k, v in result.items()}))
    elif cmd == "load" and 1 <= len(args) <= 3:
        print(json.dumps(load_run(Path(args[0]), *map(int, args[1:2]), *map(float, args[2:3]))))
    else:
        sys.exit(__doc__)
