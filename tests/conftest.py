"""Shared fixtures: tiny extracts built in code, published into throwaway stores; Chromium.

Tests live in unit/ (plain functions), app/ (AppTest, every page) and browser/ (real Chromium
against `streamlit run`, marked `browser`; `make test-fast` runs all but these). Helpers to
build extracts are in factories.py, the server and page helpers in serve.py; pyproject.toml
puts the repository and this folder on the import path."""
from __future__ import annotations

import datetime as dt
import socket
import time
from pathlib import Path

import pytest

from factories import write_csv
from serve import new_page
from swgdash import publishing
from swgdash.ingest.validate import validate_paths
from swgdash.query.db import Database
from swgdash.store import FolderStore, s3 as objectstore


@pytest.fixture
def tiny(tmp_path):
    """Build, validate and publish an extract given as {table: rows}; returns a cursor."""
    opened = []

    def build(tables: dict[str, list[dict]], as_of="2026-10-31"):
        folder = tmp_path / f"extract{len(opened)}"
        for name, rows in tables.items():
            write_csv(folder, name, rows)
        result = validate_paths([folder])
        assert result.ok, [str(p) for p in result.errors]
        store = FolderStore(tmp_path / f"store{len(opened)}")
        version = store.publish(result, dt.date.fromisoformat(as_of))
        db = Database(version)
        opened.append(db)
        return db.cursor()

    yield build
    for db in opened:
        db.close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty store in SWGDASH_HOME."""
    path = tmp_path / "home"
    monkeypatch.setenv("SWGDASH_HOME", str(path))
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    store = FolderStore(tmp_path_factory.mktemp("demo-store"))
    version = publishing.ensure_demo(store)
    db = publishing.open_database(version)
    yield db
    db.close()


# -- browser tests: real Chromium through Playwright ------------------------------------------
@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from serve import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _close_test_pages(request):
    """The browser windows a test opened are closed after it: left open, each keeps its page, its
    websocket and its reconnection attempts (to a server since stopped) in the one Chromium a worker
    shares: late in the suite, with scores of them open, a click now and then started no run for a
    minute (tests/serve.app_run now says what the page showed when that happens)."""
    if "browser" not in request.fixturenames:
        yield
        return
    b = request.getfixturevalue("browser")
    before = set(b.contexts)
    yield
    for ctx in [c for c in b.contexts if c not in before]:
        try:
            ctx.close()
        except Exception:  # (already closed by the test)
            pass


@pytest.fixture
def page(browser):
    p = new_page(browser)
    yield p
    p.context.close()


# -- AppTest as the server runs ---------------------------------------------------------------
@pytest.fixture(autouse=True)
def apptest_without_legacy_pages(monkeypatch):
    """AppTest resets Streamlit's legacy `pages/` flag before every run, so each run
    would execute the page file on its own instead of dashboard.py. A running server
    clears that flag once dashboard.py has called st.navigation (swgdash.ui also
    clears it on import); make AppTest do the same, so every run goes through
    dashboard.py with its sidebar, as in the browser."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class ServerLikePagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", ServerLikePagesManager)


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ is a browser test (make test-fast leaves them out)."""
    for item in items:
        if "browser" in Path(str(item.fspath)).parent.parts[-1:]:
            item.add_marker(pytest.mark.browser)


# -- the store in S3-compatible object storage: an S3 server (moto) on 127.0.0.1 -----------------
BUCKET = "swg-test"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch, tmp_path, request):
    """A fresh bucket prefix on the loopback S3 server, as SWGDASH_HOME would name it."""
    import boto3

    for key, value in {"AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_REGION": "us-east-1", "SWGDASH_CACHE": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3")
    try:
        client.create_bucket(Bucket=BUCKET)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    objectstore.opened.cache_clear()
    yield f"s3://{BUCKET}/{request.node.name[:40]}-{time.monotonic_ns()}"
    objectstore.opened.cache_clear()


# -- expensive read-only set-up, made once and copied ------------------------------------------
@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A store holding the bundled demo as the app's first start leaves it (its query database
    built), made once: copy it (demo_in_home), never write into it."""
    from factories import demo_home

    return demo_home(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture(scope="session")
def prepared_demo_template(tmp_path_factory):
    """demo_template with its figures prepared at publish, as a large extract's would be
    (db.PREPARE_MIN_ROWS 0 while it is published)."""
    from factories import demo_home
    from swgdash.query import db

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db, "PREPARE_MIN_ROWS", 0)
        return demo_home(tmp_path_factory.mktemp("prepared-demo-template"))


@pytest.fixture
def demo_in_home(home, demo_template):
    """SWGDASH_HOME (the `home` fixture) holding a copy of the demo store, as a server's first start
    leaves it: for tests about what the pages show, not about the first start itself."""
    import shutil

    shutil.copytree(demo_template, home)
    return home


@pytest.fixture
def prepared_demo_in_home(home, prepared_demo_template):
    """SWGDASH_HOME holding a copy of prepared_demo_template."""
    import shutil

    shutil.copytree(prepared_demo_template, home)
    return home


_CHART_PNGS: dict = {}


@pytest.fixture(scope="module")
def charts_drawn_once():
    """deck.chart_pngs remembered across the session by what it draws (the Chromium it uses and every
    slide's figure as the deck draws it): the same charts, asked for again (the bilingual deck, the
    deck in the language of the setting), are drawn once. Other figures, or another Chromium (a
    missing one), are drawn, or refused, as ever."""
    from swgdash.present import deck

    drawn = deck.chart_pngs

    def remembered(slides):
        key = (deck.chromium(), tuple(None if s.figure is None else deck.slide_figure(s.figure, *deck.chart_room(s)).to_json()
                                      for s in slides))
        if key not in _CHART_PNGS:
            _CHART_PNGS[key] = drawn(slides)
        return dict(_CHART_PNGS[key])

    patch = pytest.MonkeyPatch()
    patch.setattr(deck, "chart_pngs", remembered)
    yield _CHART_PNGS
    patch.undo()


def stand_in_pngs(slides) -> dict[int, bytes]:
    """deck.chart_pngs without drawing: each chart a blank PNG of the size the deck draws it (so the
    slides are laid out as with the real ones), for tests of the deck's text, tables and layout; the
    charts themselves are drawn by the variant marked slow."""
    import io

    from PIL import Image

    from swgdash.present import deck

    out = {}
    for i, s in enumerate(slides):
        if s.figure is not None:
            size = tuple(n * deck.SCALE for n in deck.chart_room(s))  # (as drawn)
            if size not in _STAND_INS:
                buf = io.BytesIO()
                Image.new("RGB", size, "white").save(buf, format="PNG")
                _STAND_INS[size] = buf.getvalue()
            out[i] = _STAND_INS[size]
    return out


_STAND_INS: dict = {}


@pytest.fixture(scope="module", params=[pytest.param("stand-in charts", id="stand-in-charts"),
                                        pytest.param("drawn charts", id="drawn-charts", marks=pytest.mark.slow)])
def chart_drawing(request, charts_drawn_once):
    """Build the decks of a module twice: with stand-in charts (stand_in_pngs: fast, in make test-fast)
    and with the charts drawn by Chromium (marked slow: make test). Yields which."""
    from swgdash.present import deck

    with pytest.MonkeyPatch.context() as patch:
        if request.param == "stand-in charts":
            patch.setattr(deck, "chart_pngs", stand_in_pngs)
        yield request.param


def pytest_configure(config):
    config.addinivalue_line("markers", "concurrency: publishers racing (threads or processes) against a store; "
                                       "make soak runs these 30 times in a row")
    config.addinivalue_line("markers", "slow: a slow end-to-end variant (charts drawn by Chromium) of a test whose "
                                       "fast variant runs in make test-fast; make test runs both")
