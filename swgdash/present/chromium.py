"""The one Chromium that draws the briefing pack (the system's, driven by Playwright): every chart
as a PNG (Plotly.toImage, in one page that holds Plotly's bundled script) and the PDF (the page's
print). Started on first use (or in the background when /present opens) and kept for the life of
the process, on a thread of its own (the only one that speaks to it): a server builds each pack
without starting a browser, and the CLI starts one for the whole deck.

What goes wrong is contained: a call that fails (a crashed page, a dead browser) closes the
browser, and the next call starts another; a call that does not answer in WAIT_SECONDS leaves its
thread and browser behind (a daemon thread: it keeps nobody waiting, not even the process's exit)
and the next call starts afresh on a new thread."""
from __future__ import annotations

import atexit
import base64
import queue
import tempfile
import threading
from concurrent.futures import Future, TimeoutError as Late
from pathlib import Path
from typing import Any

WAIT_SECONDS = 180  # one pack's charts, or its PDF
STEP_MS = 90_000  # one chart, one page load, one print: Playwright's own limit
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

_TO_PNG = """async (spec) => {
  const f = JSON.parse(spec.figure);
  const late = new Promise((_, no) => setTimeout(() => no(new Error("no image in " + spec.ms + " ms")), spec.ms));
  const url = await Promise.race([late, Plotly.toImage(
      {data: f.data, layout: f.layout, config: {staticPlot: true}},
      {format: "png", width: spec.width, height: spec.height, scale: spec.scale})]);
  return url.slice(url.indexOf(",") + 1);
}"""


class ChromiumError(RuntimeError):
    """Chromium could not be started or did not answer (the text says why, for the deck's message)."""


class _Worker:
    """A daemon thread that runs what it is given, one call at a time, in order."""

    def __init__(self):
        self.calls: queue.Queue = queue.Queue()
        threading.Thread(target=self._run, daemon=True, name="swgdash-chromium").start()

    def _run(self):
        while True:
            fn, args, done = self.calls.get()
            if fn is None:
                return
            if not done.set_running_or_notify_cancel():
                continue
            try:
                done.set_result(fn(*args))
            except BaseException as exc:  # (handed to the caller)
                done.set_exception(exc)

    def submit(self, fn, *args) -> Future:
        done: Future = Future()
        self.calls.put((fn, args, done))
        return done

    def stop(self):
        self.calls.put((None, (), None))


class Chromium:
    """A Chromium kept for the process: `images` and `pdf` are called from any thread."""

    def __init__(self, executable: str, env: dict):
        self.executable, self.env = executable, env
        self._guard = threading.Lock()
        self._worker = _Worker()
        self._warming: Future | None = None
        self._playwright: Any = None
        self._browser: Any = None
        self._charts: Any = None

    def _call(self, fn, *args):
        with self._guard:
            worker = self._worker
            done = worker.submit(fn, *args)
        try:
            return done.result(WAIT_SECONDS)
        except Late:
            with self._guard:  # left behind with what it holds; the next call starts afresh
                if self._worker is worker:
                    worker.stop()
                    self._worker = _Worker()
                    self._playwright = self._browser = self._charts = None
                    self._warming = None
            raise ChromiumError(f"no answer in {WAIT_SECONDS} s") from None

    def _started(self):
        """The browser (started, or started again after it died), on the worker thread."""
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self._stop()
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=self.executable, args=ARGS, env=self.env,
                                                         headless=True, timeout=STEP_MS)
        return self._browser

    def _chart_page(self):
        if self._charts is None or self._charts.is_closed() or self._browser is None \
                or not self._browser.is_connected():
            import plotly

            browser = self._started()
            self._charts = browser.new_page()
            self._charts.set_default_timeout(STEP_MS)
            self._charts.on("crash", lambda _page: self._forget_charts())
            self._charts.set_content("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>")
            script = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
            self._charts.add_script_tag(path=str(script))
        return self._charts

    def _forget_charts(self):
        self._charts = None

    def warm(self) -> None:
        """Start the browser and its chart page now, without waiting (a page that offers the pack
        calls it, so that the first pack does not wait for a browser to start); once."""
        with self._guard:
            if self._warming is None:
                self._warming = self._worker.submit(self._quietly_warm)

    def _quietly_warm(self):
        try:
            self._chart_page()
        except Exception:  # the pack's own call says what is wrong
            self._stop()

    def images(self, figures: list[tuple[str, int, int]], scale: int) -> list[bytes]:
        """Each (Plotly figure JSON, width, height) as a PNG `scale` pixels a unit."""
        return self._call(self._guarded, self._images, figures, scale)

    def pdf(self, html: str) -> bytes:
        """The page, printed at its own page size (@page)."""
        return self._call(self._guarded, self._pdf, html)

    def _guarded(self, fn, *args):
        """A call on the worker; when it fails (a crashed page, a dead browser), once more on a new
        browser; when that fails too, the browser is closed and the next call starts one."""
        try:
            return fn(*args)
        except Exception:
            self._stop()
        try:
            return fn(*args)
        except Exception:
            self._stop()
            raise

    def _images(self, figures, scale):
        page = self._chart_page()
        return [base64.b64decode(page.evaluate(_TO_PNG, {"figure": spec, "width": w, "height": h, "scale": scale,
                                                         "ms": STEP_MS}))
                for spec, w, h in figures]

    def _pdf(self, html):
        browser = self._started()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "pack.html"
            path.write_text(html, encoding="utf-8")
            page = browser.new_page()
            page.set_default_timeout(STEP_MS)
            try:
                page.goto(path.as_uri(), wait_until="load")
                page.evaluate("() => document.fonts.ready.then(() => true)")
                return page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                page.close()

    def _stop(self):
        for closing in (self._browser, self._playwright):
            try:
                if closing is not None:
                    closing.close() if closing is self._browser else closing.stop()
            except Exception:  # it died already
                pass
        self._playwright = self._browser = self._charts = None

    def close(self, wait: float = 10) -> None:
        """Close the browser (waiting at most `wait` seconds) and end the thread."""
        with self._guard:
            worker = self._worker
        try:
            worker.submit(self._stop).result(wait)
        except Exception:  # busy or gone: a daemon thread, it keeps nobody waiting
            pass
        worker.stop()


_shared: dict[tuple, Chromium] = {}
_shared_guard = threading.Lock()


def shared(executable: str, env: dict) -> Chromium:
    """The process's Chromium for this executable and font set (started when first asked)."""
    key = (executable, env.get("FONTCONFIG_FILE"))
    with _shared_guard:
        if key not in _shared:
            _shared[key] = Chromium(executable, env)
        return _shared[key]


@atexit.register
def _close_all() -> None:
    for c in list(_shared.values()):
        c.close()
    _shared.clear()
