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
