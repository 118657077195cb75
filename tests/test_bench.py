"""The benchmark's own pieces: the scaled generator and the pandas baseline it compares with."""
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from swgdash import metrics
from swgdash.db import Database
from swgdash.store import Store
from swgdash.validate import validate_paths

from conftest import DEMO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import baseline, generate  # noqa: E402

AS_OF = dt.date(2026, 10, 31)


def ours(store: Store, as_of=AS_OF, at_risk=6, dormant=12) -> dict:
    db = Database(store.current())
    cur = db.cursor()
    p = metrics.Params(as_of=as_of, at_risk_months=at_risk, dormant_months=dormant,
                       plan=metrics.default_plan(metrics.plans(cur), as_of))
    doc = metrics.summary(cur, p)
    db.close()
    doc.pop("version")
    return json.loads(json.dumps(doc))


@pytest.mark.parametrize("as_of,at_risk,dormant", [("2026-10-31", 6, 12), ("2024-02-29", 3, 9)])
def test_the_pandas_baseline_computes_the_same_summary(tmp_path, as_of, at_risk, dormant):
    """The speed comparison is like for like: both give the same document."""
    store = Store(tmp_path / "s")
    store.publish(validate_paths([DEMO]), AS_OF)
    day = dt.date.fromisoformat(as_of)
    assert baseline.summary(DEMO, day, at_risk, dormant) == ours(store, day, at_risk, dormant)


def test_generated_extract_is_valid_and_scales_the_demo(tmp_path):
    counts = generate.generate(3, tmp_path / "x3")
    result = validate_paths([tmp_path / "x3"])
    assert result.ok, result.errors[:3]
    demo_groups = sum(1 for _ in open(DEMO / "groups.csv")) - 1
    assert counts["groups"] == result.tables["groups"].num_rows == 3 * demo_groups
    store = Store(tmp_path / "s")
    store.publish(result, AS_OF)
    assert baseline.summary(tmp_path / "x3", AS_OF) == ours(store)
    assert generate.generate(3, tmp_path / "again") == counts  # seeded
    assert (tmp_path / "again" / "meetings.csv").read_bytes() == (tmp_path / "x3" / "meetings.csv").read_bytes()


def test_bench_times_each_page_as_it_opens(tmp_path, monkeypatch):
    """bench/run.py's PAGES list the calls each page makes as it opens: all of them are
    answered from prepared results (so the list and metrics.default_views agree); at
    another as-of (the @live tasks) they run live."""
    from bench import run
    from swgdash import db as dbmod

    monkeypatch.setattr(dbmod, "PREPARE_MIN_ROWS", 0)
    version = Store(tmp_path / "store").ensure_demo()
    db = Database(version)
    for as_of, live in ((version.as_of, False), (metrics.months_before(version.as_of, 1), True)):
        cur = db.cursor()
        p = metrics.Params(as_of=as_of, plan=metrics.default_plan(metrics.plans(cur), as_of))
        for page, calls in run.PAGES.items():
            for fn, kwargs in calls:
                getattr(metrics, fn)(cur, p, **kwargs)
        ran = set(cur.live)
        if live:
            assert {"group_activity", "group_practice", "meetings_by_period", "meeting_list"} <= ran
        else:  # only the group profile, asked for one group, is never prepared
            assert ran <= {"group_info", "group_activity", "group_meetings", "group_members", "group_attendance",
                           "group_documents", "group_pillars", "subgroups"}, ran
            assert cur.live["group_activity"] <= 1
    db.close()
