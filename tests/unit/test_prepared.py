"""Prepared results: the default views answered when a version's database is written.

A query asked with exactly the parameters of a default view reads the kept result;
anything else runs the query. Both must always give the same answer."""
import dataclasses
import datetime as dt
import shutil

import pandas as pd
import pytest

from factories import DEMO
from swgdash import publishing, site
from swgdash.ingest.validate import validate_paths
from swgdash.query import db as dbmod, metrics
from swgdash.query.db import Cursor, Database, database_file
from swgdash.store import FolderStore


def same(a, b):
    """Equal results: DataFrames with the same values and dtypes, dataclasses field by field."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name))
    else:
        assert a == b


def live_cursor(db: Database) -> Cursor:
    """A cursor on the same database that never reads a prepared result."""
    return Cursor(db.con.cursor(), db.present, db.version, {})


@pytest.fixture(autouse=True)
def prepare_every_extract(monkeypatch):
    """The demo is below db.PREPARE_MIN_ROWS: here every extract is prepared."""
    monkeypatch.setattr(dbmod, "PREPARE_MIN_ROWS", 0)


@pytest.fixture
def prepared_demo(prepared_demo_template):
    """The demo, published with every view prepared (conftest's, made once: only read here)."""
    return FolderStore(prepared_demo_template).current()


@pytest.mark.parametrize("extra,prepared", [(0, True), (1, False)])
def test_only_extracts_of_prepare_min_rows_or_more_are_prepared(tmp_path, monkeypatch, prepared_demo, extra, prepared):
    rows = sum(prepared_demo.read(t).num_rows for t in prepared_demo.tables)
    monkeypatch.setattr(dbmod, "PREPARE_MIN_ROWS", rows + extra)
    db = Database(publishing.ensure_demo(FolderStore(tmp_path / "store")))
    assert bool(db.prepared) is prepared
    cur = db.cursor()
    assert len(metrics.group_activity(cur, metrics.Params(as_of=db.version.as_of))) > 0
    assert dict(cur.live) == ({} if prepared else {"group_activity": 1})
    db.close()


def test_the_demo_is_not_prepared_by_default(tmp_path, monkeypatch):
    monkeypatch.undo()
    assert dbmod.PREPARE_MIN_ROWS == 100_000
    db = Database(publishing.ensure_demo(FolderStore(tmp_path / "store")))
    assert db.prepared == {}
    db.close()


@pytest.fixture(params=["demo", "groups and meetings only"])
def version(request, tmp_path):
    store = FolderStore(tmp_path / "store")
    if request.param == "demo":
        return request.getfixturevalue("prepared_demo")
    folder = tmp_path / "extract"
    folder.mkdir()
    for table in ("groups", "meetings"):
        shutil.copy(DEMO / f"{table}.csv", folder)
    return publishing.publish(store, validate_paths([folder]), dt.date(2026, 10, 31), "two tables")


def test_prepared_results_equal_the_live_queries(version):
    db = Database(version)
    cur, live = db.cursor(), live_cursor(db)
    assert db.prepared, "publishing prepares the default views"
    views = site.default_views(cur, version.as_of)
    for fn, kwargs in views:
        same(fn(cur, **kwargs), fn(live, **kwargs))
    p = metrics.Params(as_of=version.as_of, plan=metrics.default_plan(metrics.plans(cur), version.as_of))
    assert metrics.summary(cur, p) == metrics.summary(live, p)
    assert not cur.live, f"default views ran live: {dict(cur.live)}"
    assert sum(live.live.values()) >= len(views)  # the comparison really ran the queries
    db.close()


EVERY = {"group_practice", "declared_vs_actual", "pillar_coverage", "organisation_load"}


@pytest.mark.parametrize("change,runs_live", [  # only a query that uses the parameter runs live
    ({"as_of": dt.date(2026, 9, 30)}, EVERY), ({"groups": ("SWG-HEALTH",)}, EVERY),
    ({"at_risk_months": 3}, {"group_practice", "pillar_coverage"}),
    ({"plan": "9th NSEDP 2021-2025"}, {"pillar_coverage"}),  # (every plan, None, is summary's: prepared)
    ({"plan": None}, set())])
def test_other_parameters_run_the_query(prepared_demo, change, runs_live):
    version = prepared_demo
    db = Database(version)
    cur, live = db.cursor(), live_cursor(db)
    plan = metrics.default_plan(metrics.plans(cur), version.as_of)
    p = dataclasses.replace(metrics.Params(as_of=version.as_of, plan=plan), **change)
    for fn in (metrics.group_practice, metrics.declared_vs_actual, metrics.pillar_coverage, metrics.organisation_load):
        same(fn(cur, p), fn(live, p))
    assert set(cur.live) == runs_live
    # the prepared result answers a different question: a real difference must show
    if "as_of" in change:
        default = metrics.Params(as_of=version.as_of, plan=plan)
        assert not metrics.group_activity(cur, default).equals(metrics.group_activity(cur, p))
    db.close()


def test_changing_any_query_gives_the_version_another_database_file(prepared_demo, monkeypatch):
    version = prepared_demo
    before = database_file(version)
    original = dbmod.sql_text
    monkeypatch.setattr(dbmod, "sql_text",
                        lambda name: original(name) + ("\n-- changed" if name == "organisation_load" else ""))
    assert database_file(version) != before  # its prepared results would be stale


def test_a_view_that_cannot_be_prepared_stays_live(tmp_path, monkeypatch, caplog):
    def broken(db, p):
        db.query("organisation_load", **p.sql())  # prepared before the failure: kept, and right
        raise RuntimeError("boom")

    monkeypatch.setattr(site, "default_views", lambda db, as_of: [
        (broken, {"p": metrics.Params(as_of=as_of)}), (metrics.group_activity, {"p": metrics.Params(as_of=as_of)})])
    version = publishing.ensure_demo(FolderStore(tmp_path / "store"))
    assert "could not prepare broken" in caplog.text
    db = Database(version)
    cur, live = db.cursor(), live_cursor(db)
    p = metrics.Params(as_of=version.as_of)
    for fn in (metrics.meeting_totals, metrics.group_activity, metrics.organisation_load):
        same(fn(cur, p), fn(live, p))
    assert dict(cur.live) == {"meeting_totals": 1, "meetings_not_counted": 1}
    db.close()


def test_with_nothing_prepared_every_query_runs_live(tmp_path, monkeypatch):
    monkeypatch.setattr(site, "default_views", lambda db, as_of: [])
    db = Database(publishing.ensure_demo(FolderStore(tmp_path / "store")))
    assert db.prepared == {}
    cur = db.cursor()
    assert len(metrics.group_activity(cur, metrics.Params(as_of=db.version.as_of))) > 0
    assert dict(cur.live) == {"group_activity": 1}
    db.close()


def test_prepared_tables_are_named_by_the_builder_only(prepared_demo):
    """Cursor reads `SELECT * FROM <table>` with a table name from the prepared_results
    table, which only write_database fills: every name is prepared_<n>."""
    db = Database(prepared_demo)
    assert db.prepared and all(t == f"prepared_{i}" for i, t in enumerate(sorted(
        db.prepared.values(), key=lambda t: int(t.split("_")[1]))))
    db.close()


def test_summary_at_the_versions_own_date_runs_no_query_live(prepared_demo):
    """`summary --json` at the version's as-of (every plan's pillars, site.SUMMARY_FIGURES) is
    answered from the results prepared when the version was published (issue 31)."""
    db = Database(prepared_demo)
    cur = db.cursor()
    doc = metrics.summary(cur, metrics.Params(as_of=prepared_demo.as_of))
    assert doc["groups"] and doc["pillars"] and doc["recommendations"]
    assert not cur.live, dict(cur.live)
    db.close()
