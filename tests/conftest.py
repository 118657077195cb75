"""Shared fixtures: tiny extracts built in code, published into throwaway stores."""
from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from swgdash.contract import TABLES  # noqa: E402
from swgdash.db import Database  # noqa: E402
from swgdash.store import Store  # noqa: E402
from swgdash.validate import validate_paths  # noqa: E402

DEMO = ROOT / "data" / "demo"


def write_csv(folder: Path, table: str, rows: list[dict], columns=None, delimiter=",",
              encoding="utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    columns = columns or list(TABLES[table].column_names)
    path = folder / f"{table}.csv"
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


def group(gid, **kw):
    return {"group_id": gid, "name": kw.pop("name", f"Group {gid}"), "kind": kw.pop("kind", "swg"), **kw}


def meeting(mid, gid, date, **kw):
    return {"meeting_id": mid, "group_id": gid, "date": date, **kw}


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
        store = Store(tmp_path / f"store{len(opened)}")
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
    store = Store(tmp_path_factory.mktemp("demo-store"))
    version = store.ensure_demo()
    db = Database(version)
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


def new_page(browser, width=1440, height=1000, **kw):
    """A page in a fresh context that records script errors and dialogs (assert_clean checks them)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, **kw)
    p = ctx.new_page()
    p.errors = []
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("dialog", lambda d: (p.errors.append("dialog: " + d.message), d.dismiss()))
    return p


@pytest.fixture
def page(browser):
    p = new_page(browser)
    yield p
    p.context.close()


def assert_clean(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "could not be drawn" not in body
    assert page.errors == []




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
