"""Start `streamlit run dashboard.py` on a free port, for browser tests and screenshots."""
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
def streamlit_server(home: Path, env: dict | None = None, timeout: float = 60, app: Path | None = None):
    port = free_port()
    e = dict(os.environ, SWGDASH_HOME=str(home), **(env or {}))
    log = open(home.parent / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app or "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=e, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("streamlit did not start: " + Path(log.name).read_text()[-2000:])
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_page(page, timeout_ms: int = 60000) -> None:
    """Wait until Streamlit has finished running the script and drawn its charts."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')
              && !document.querySelector('[data-testid="stSkeleton"]')""", timeout=timeout_ms)
    page.wait_for_timeout(600)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(p => p.querySelector('.main-svg'))""",
        timeout=timeout_ms)
    page.wait_for_timeout(400)


def secretariat_sign_in(page, url: str, password: str, name: str = "Officer") -> None:
    """Open /upload and sign in as the secretariat."""
    page.goto(url + "/upload")
    wait_for_page(page)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("textbox", name="Secretariat password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_timeout(300)
    wait_for_page(page)


def new_page(browser, width=1440, height=1000, **kw):
    """A page in a fresh context that records script errors and dialogs (assert_clean checks them)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, **kw)
    p = ctx.new_page()
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("dialog", lambda d: (p.errors.append("dialog: " + d.message), d.dismiss()))
    return p


def assert_clean(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "could not be drawn" not in body
    assert page.errors == []
