"""Start `streamlit run server.py` (the dashboard behind its guard, as `make run`) on a free port, for browser tests and screenshots."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from swgdash import site

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The pages by their example address and heading (swgdash.site): those that draw charts as they
# open, and the others (not /present, whose heading is a slide's headline).
PAGES = {p.example_url: p.heading for p in site.PAGES if p.charts and p.heading}
OTHER_PAGES = {p.example_url: p.heading for p in site.PAGES if not p.charts and p.heading}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(home: Path, env: dict | None = None, timeout: float = 60, app: Path | None = None,
                     store: str | None = None):
    """A `streamlit run` server on 127.0.0.1 for the store at `home` (or at `store`, an s3:// address;
    `home`'s folder then holds the server's log); yields its address."""
    port = free_port()
    e = dict(os.environ, SWGDASH_HOME=store or str(home), **(env or {}))
    log = open(home.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app or "server.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=e, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout, Path(log.name), "streamlit")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_healthy(url: str, proc, timeout: float, log: Path, what: str) -> None:
    """Wait until `url`/_stcore/health answers 200 (RuntimeError with the end of `log` when `proc`
    ends first or `timeout` seconds pass)."""
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"{what} did not start: " + log.read_text()[-2000:])
        time.sleep(0.1)  # (the next poll of the health route)


# Streamlit's own signal that a run of the script is over, as its own end-to-end tests wait for
# it: the app root's data-test-script-state ("initial" before the first run, "running" during
# one, "notRunning" after it). A page is drawn when, besides, no element is still loading (a
# skeleton stands in for a chart or table whose code is not loaded yet) and every chart shown is
# plotted at its width (Streamlit keeps a chart hidden until it has measured it).
# /upload's two file pickers, by their widgets' keys (the IATI one sits in another tab, in the page too)
EXTRACT_FILES = '[class*="st-key-pub_files_"] input[type="file"]'
IATI_FILES = '[class*="st-key-iati_files_"] input[type="file"]'
SCRIPT_NOT_RUNNING = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DRAWN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => {
         const gd = c.querySelector('.js-plotly-plot');  // (one in a folded expander or a tab not shown: not laid out)
         return c.getClientRects().length === 0 || (gd && gd.querySelector('.main-svg') && gd.style.visibility !== 'hidden'); })
    && [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd.querySelector('.main-svg'));
}"""
# Armed before an action: window.__swgRunStarted turns true when the script state changes (from
# notRunning, which it is when armed: a run started), and __swgRunFrom keeps the address. A document
# loaded since has no such flag.
WATCH_RUN = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__swgRunWatch) window.__swgRunWatch.disconnect();
  window.__swgRunStarted = false;
  window.__swgRunApp = app;
  window.__swgRunFrom = location.pathname + location.search;
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  window.__swgRunHeading = h1 ? h1.innerText : null;
  window.__swgRunWatch = new MutationObserver(() => { window.__swgRunStarted = true; window.__swgRunWatch.disconnect(); });
  window.__swgRunWatch.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


def wait_for_run(page, timeout_ms: int = 60000) -> None:
    """Wait until the script is not running (Streamlit's signal), its elements drawn."""
    page.wait_for_selector(SCRIPT_NOT_RUNNING, state="attached", timeout=timeout_ms)
    page.wait_for_function(DRAWN, timeout=timeout_ms, polling="raf")


def wait_for_page(page, timeout_ms: int = 60000) -> None:
    """Wait until Streamlit has finished running the script and drawn its charts, laid out for
    the window's width (app.screen: a narrow one is measured after the first run, and the page
    drawn again for it). After an action that runs the script again, use app_run instead: the
    state may still be that of the run before it."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    wait_for_run(page, timeout_ms)
    if page.evaluate("() => window.__swgScreenSettled === true"):
        return
    try:  # (a page that could not open its data never measures: then on at once)
        page.wait_for_function("() => window.__swgScreenSettled === true", timeout=8000)
    except Exception:
        return
    wait_for_run(page, timeout_ms)


SWITCHED = """() => {
  if (window.__swgRunStarted !== false) return true;
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  return location.pathname + location.search !== window.__swgRunFrom && !!h1
    && h1.innerText !== window.__swgRunHeading && !document.querySelector('[data-stale="true"]');
}"""


@contextlib.contextmanager
def app_run(page, timeout_ms: int = 60000):
    """Around an action that makes Streamlit run the script again (a click, a key, a choice, an
    in-app link): after it, waits for a run started since the action to end and the page to be
    drawn (wait_for_page). An action that loads another document counts as such a run."""
    page.wait_for_selector(SCRIPT_NOT_RUNNING, state="attached", timeout=timeout_ms)
    page.evaluate(WATCH_RUN)
    yield
    try:
        # (or another page is drawn, its address and heading new: a page switch whose run React drew
        # in one go, from notRunning to notRunning, changes no attribute the observer sees)
        page.wait_for_function(SWITCHED, timeout=timeout_ms, polling="raf")
    except Exception as e:
        raise AssertionError(f"no run of the script started after the action: {run_state(page)}") from e
    wait_for_page(page, timeout_ms)


RUN_STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const status = document.querySelector('[data-testid="stConnectionStatus"]');
  return {state: app && app.dataset.testScriptState, same_app: app === window.__swgRunApp,
          connection: status ? status.innerText : null, url: location.href,
          dialog: !!document.querySelector('[role="dialog"]'), focused: document.activeElement && document.activeElement.outerHTML.slice(0, 200)};
}"""


def run_state(page) -> str:
    """What the page says of its script and connection (for a wait that timed out), and the
    websockets the page closed (watch_sockets)."""
    try:
        found = str(page.evaluate(RUN_STATE))
    except Exception as e:  # (the page gone)
        found = f"unreadable: {e}"
    return found + f"; sockets closed: {getattr(page, 'sockets_closed', '?')}"


def watch_sockets(page) -> None:
    """Record on the page the times (time.monotonic) its websockets closed (page.sockets_closed)."""
    page.sockets_closed = []
    page.on("websocket", lambda ws: ws.on("close", lambda _ws: page.sockets_closed.append(round(time.monotonic(), 1))))


# Armed before an action that resizes the page's main column: the time of the column's last resize,
# and of the screen watcher's last measurement (app.screen's measure asks matchMedia whether the
# pointer is coarse, each time it measures).
WATCH_SCREEN = """() => {
  const seen = window.__swgTestScreen = {resized: 0, measured: 0, first: true};
  if (!window.__swgMatchMedia) {
    window.__swgMatchMedia = window.matchMedia;
    window.matchMedia = (q) => {
      if (q === '(pointer: coarse)' && window.__swgTestScreen) window.__swgTestScreen.measured = performance.now();
      return window.__swgMatchMedia.call(window, q); };
  }
  new ResizeObserver(() => { if (seen.first) seen.first = false; else seen.resized = performance.now(); })
    .observe(document.querySelector('[data-testid="stMain"]'));
}"""
SCREEN_MEASURED = """() => { const s = window.__swgTestScreen;
  return s.resized > 0 && s.measured > s.resized && window.__swgScreenSettled === true; }"""


@contextlib.contextmanager
def screen_change(page, timeout_ms: int = 60000):
    """Around an action that changes the width of the page's main column (a sidebar unfolded):
    after it, waits until the page's screen watcher (app.screen) has measured the column's last
    width and, when the server had to know it, the page has been drawn again for it."""
    wait_for_page(page, timeout_ms)
    page.evaluate(WATCH_RUN)
    page.evaluate(WATCH_SCREEN)
    yield
    page.wait_for_function(SCREEN_MEASURED, timeout=timeout_ms, polling="raf")
    wait_for_page(page, timeout_ms)  # (and the run it asked for, if it asked)


def at_slide(page, n) -> None:
    """Wait for /present to show slide n (the single-page app changes its address without a load:
    the script writes the slide into it as it runs)."""
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('slide') === '{n}'", timeout=30000)
    wait_for_page(page)


def secretariat_sign_in(page, url: str, password: str, name: str = "Officer") -> None:
    """Open /upload and sign in as the secretariat (signed in: once the browser holds the sign-in
    cookie, the answer of the guard's route the page posts to after the run)."""
    from swgdash.app import guard

    page.goto(url + "/upload")
    wait_for_page(page)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("textbox", name="Secretariat password").fill(password)
    cookie = []
    answered = lambda r: r.url.endswith(guard.SIGN_IN_PATH)  # noqa: E731
    page.on("response", lambda r: cookie.append(r) if answered(r) else None)
    with app_run(page):
        page.get_by_role("button", name="Sign in").click()
    if page.get_by_text("Signed in as").count() and not cookie:  # (Playwright's events arrive in its calls)
        page.wait_for_event("response", answered, timeout=30000)


def new_page(browser, width=1440, height=1000, **kw):
    """A page in a fresh context that records script errors and dialogs (assert_clean checks them)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, **kw)
    p = ctx.new_page()
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("dialog", lambda d: (p.errors.append("dialog: " + d.message), d.dismiss()))
    watch_sockets(p)
    return p


def assert_clean(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "could not be drawn" not in body
    assert page.errors == [], page.errors


def module_server(tmp_path_factory, name: str, env: dict | None = None):
    """A browser test module's server on a fresh store (the demo): yields (url, home). Fails, never
    skips, when Chromium is missing."""
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    home = tmp_path_factory.mktemp(name) / "home"
    with streamlit_server(home, env=env) as url:
        yield url, home


# Every tick label and axis title (and chart title) of every drawn chart lying outside its chart:
# fitting.fit_margins sets the margins (Plotly's automargin is off), so a margin too narrow would cut one.
LABELS_OUTSIDE = """(selectors) => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  return [...gd.querySelectorAll(selectors)].filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
                           || r.bottom > box.bottom + 1);
  }).map(t => (gd.layout.title.text || 'untitled') + ': ' + t.textContent);
})"""
LABELS = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text"


def labels_outside(page, titles: bool = False) -> list[str]:
    """The chart labels of the page drawn outside their charts (with `titles`, chart titles too)."""
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                           ".every(p => p.querySelector('.main-svg .xtick, .main-svg .ytick'))", timeout=30000)
    return page.evaluate(LABELS_OUTSIDE, LABELS + (", .gtitle" if titles else ""))


# The sizes a member uses: phone, tablet (portrait), projector or laptop, full HD (issue 18).
SIZES = {"phone": (390, 844), "tablet": (800, 1280), "projector": (1280, 720), "full-hd": (1920, 1080)}

# Chart texts that must not overlap one another: tick labels, axis and chart titles, data labels
# (bars, heatmap cells), annotations and legend entries. Each text's box is taken with its rotation
# (getBBox through getScreenCTM: slanted tick labels are parallelograms, not their bounding boxes),
# and two boxes overlap when they share more than `depth` pixels along every axis that could part them.
CHART_TEXTS = (".xtick text, .ytick text, .xtick2 text, .ytick2 text, .g-xtitle text, .g-ytitle text, .gtitle, .textpoint text, "
               ".annotation-text, .legendtext, .heatmaplayer text, .cbaxis text, .colorbar text")
OVERLAPS = """([selectors, depth]) => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
  const corners = t => {
    const b = t.getBBox(), m = t.getScreenCTM();
    if (!m || b.width === 0 || b.height === 0 || !t.textContent.trim()) return null;
    const style = getComputedStyle(t);
    if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return null;
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
  };
  const axes = p => [0, 1].map(i => { const [a, b] = [p[i], p[i + 1]]; const n = [a[1] - b[1], b[0] - a[0]];
                                       const l = Math.hypot(...n) || 1; return [n[0] / l, n[1] / l]; });
  const apart = (p, q) => [...axes(p), ...axes(q)].some(([x, y]) => {
    const a = p.map(c => c[0] * x + c[1] * y), b = q.map(c => c[0] * x + c[1] * y);
    return Math.min(Math.max(...a), Math.max(...b)) - Math.max(Math.min(...a), Math.min(...b)) <= depth; });
  const texts = [...gd.querySelectorAll(selectors)].map(t => [t, corners(t)]).filter(([t, c]) => c);
  const found = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const [s, p] = texts[i], [t, q] = texts[j];
    if (s.contains(t) || t.contains(s) || apart(p, q)) continue;
    found.push((gd.layout.title.text || 'untitled') + ': "' + s.textContent + '" over "' + t.textContent + '"');
  }
  return found;
})"""


def overlapping_labels(page, depth: float = 2) -> list[str]:
    """Pairs of chart texts of the page drawn over one another (more than `depth` pixels deep)."""
    return page.evaluate(OVERLAPS, [CHART_TEXTS, depth])


def figure_problems(browser, figures, width: int = 1000) -> dict:
    """Each Plotly figure drawn alone in Chromium at its own size: {index: its texts outside the
    chart or over one another}, only those with any."""
    page = new_page(browser, width, 900)
    problems = {}
    for n, fig in enumerate(figures):
        page.set_content(fig.to_html(include_plotlyjs=True, full_html=True))
        page.wait_for_selector(".main-svg .xtick, .main-svg .ytick")
        found = page.evaluate(LABELS_OUTSIDE, CHART_TEXTS) + overlapping_labels(page)
        if found:
            problems[n] = found
    page.context.close()
    return problems


def sideways_scroll(page) -> int:
    """How many pixels wider than the window the page is (0: no sideways scrolling), the page's
    own scroller (Streamlit scrolls stMain, not the document) included."""
    return page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
      return Math.max(document.documentElement.scrollWidth - innerWidth, m ? m.scrollWidth - m.clientWidth : 0); }""")


def tables_scrolling_sideways(page) -> list[str]:
    """The page's tables (not those folded in an expander) wider than their box, by first header."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
      .filter(t => !t.closest('[data-testid="stExpander"]'))
      .filter(t => { const s = t.querySelector('.dvn-scroller'); return s && s.scrollWidth > s.clientWidth + 2; })
      .map(t => (t.querySelector('[role="columnheader"]') || {}).textContent || 'table')""")
