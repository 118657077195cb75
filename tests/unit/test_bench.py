"""The benchmark's own pieces: the scaled generator and the pandas baseline it compares with."""
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from bench import baseline, generate  # noqa: E402
from factories import DEMO
from swgdash import publishing
from swgdash.ingest.validate import validate_paths
from swgdash.query import metrics
from swgdash.query.db import Database
from swgdash.store import FolderStore

AS_OF = dt.date(2026, 10, 31)


def ours(store: FolderStore, as_of=AS_OF, at_risk=6, dormant=12) -> dict:
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
    store = FolderStore(tmp_path / "s")
    store.publish(validate_paths([DEMO]), AS_OF)
    day = dt.date.fromisoformat(as_of)
    expected = ours(store, day, at_risk, dormant)
    assert baseline.summary(DEMO, day, at_risk, dormant) == expected
    # the careful app: the version's own Parquet files, typed
    assert json.loads(json.dumps(baseline.summary_parquet(store.current().path, day, at_risk, dormant))) == expected


def test_bench_measures_the_trend_and_the_changes_between_two_versions(tmp_path):
    """bench/run.py's tasks: the version before and the current one (publish_once), the trend
    at 20 quarter ends and the as-of, the changes between the two, the Parquet baseline."""
    from bench import run

    store = tmp_path / "store"
    assert run.task("publish_once", str(DEMO), 1, str(store))["seconds"]
    versions = FolderStore(store).versions()
    assert [(v.id, v.as_of) for v in versions] == [(1, run.EARLIER), (2, run.AS_OF)]
    assert run.current_folder(str(store)) == versions[-1].path
    trend = run.task("trend", str(DEMO), 1, str(store))
    assert trend["points"] == 21 and len(trend["seconds"]) == 1
    assert len(run.task("changes", str(DEMO), 1, str(store))["seconds"]) == 1
    assert run.task("agree", str(DEMO), 1, str(store))["agree"] is True
    assert run.task("pandas_parquet", str(DEMO), 1, str(store))["peak_mb"] > 0


def test_generated_extract_is_valid_and_scales_the_demo(tmp_path):
    counts = generate.generate(3, tmp_path / "x3")
    result = validate_paths([tmp_path / "x3"])
    assert result.ok, result.errors[:3]
    demo_groups = sum(1 for _ in open(DEMO / "groups.csv")) - 1
    assert counts["groups"] == result.tables["groups"].num_rows == 3 * demo_groups
    store = FolderStore(tmp_path / "s")
    store.publish(result, AS_OF)
    assert baseline.summary(tmp_path / "x3", AS_OF) == ours(store)
    assert generate.generate(3, tmp_path / "again") == counts  # seeded
    assert (tmp_path / "again" / "meetings.csv").read_bytes() == (tmp_path / "x3" / "meetings.csv").read_bytes()


def test_bench_times_each_page_as_it_opens(tmp_path, monkeypatch):
    """bench/run.py's pages() list the calls each page makes as it opens (the site map): all of
    them are answered from prepared results (so the pages and site.default_views agree); at
    another as-of (the @live tasks) they run live."""
    from bench import run
    from swgdash.query import db as dbmod

    monkeypatch.setattr(dbmod, "PREPARE_MIN_ROWS", 0)
    version = publishing.ensure_demo(FolderStore(tmp_path / "store"))
    db = Database(version)
    for as_of, live in ((version.as_of, False), (metrics.months_before(version.as_of, 1), True)):
        cur = db.cursor()
        p = metrics.Params(as_of=as_of, plan=metrics.default_plan(metrics.plans(cur), as_of))
        for calls in run.pages().values():
            for fn, kwargs in calls:
                fn(cur, p, **kwargs)
        ran = set(cur.live)
        if live:
            assert {"group_activity", "group_practice", "meetings_by_period", "meeting_list"} <= ran
        else:  # only the group profile, asked for one group, is never prepared
            assert ran <= {"group_info", "group_activity", "group_meetings", "group_members", "group_attendance",
                           "group_documents", "group_pillars", "subgroups", "upcoming_meetings"}, ran
            assert cur.live["group_activity"] <= 1
    db.close()


# bench/protocol.py: sessions that speak Streamlit's websocket protocol (the server's load run)

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench import protocol  # noqa: E402


class FakeSocket:
    """The server's side of one websocket: the messages it will send, and what it was sent."""

    def __init__(self, *messages):
        self.to_send, self.sent = [m.SerializeToString() for m in messages], []

    async def send(self, data):
        from streamlit.proto.BackMsg_pb2 import BackMsg

        self.sent.append(BackMsg.FromString(data))

    async def recv(self):
        return self.to_send.pop(0)


def fwd(**fields) -> ForwardMsg:
    msg = ForwardMsg()
    for name, value in fields.items():
        if name == "pages":
            for path, page_hash in value:
                page = msg.navigation.app_pages.add()
                page.url_pathname, page.page_script_hash = path, page_hash
        elif name == "heading":
            msg.delta.new_element.heading.body = value
        elif name == "alert":
            msg.delta.new_element.alert.body = value
        elif name == "exception":
            msg.delta.new_element.exception.message = value
        elif name == "query":
            msg.page_info_changed.query_string = value
        elif name == "finished":
            msg.script_finished = value
    return msg


def opened(ws, path):
    import asyncio

    session = protocol.Session(ws, "http://127.0.0.1:1")
    return session, asyncio.run(session.open(path))


def test_protocol_session_asks_for_pages_as_the_sidebar_does():
    import asyncio

    ws = FakeSocket(fwd(pages=[("", "h-home"), ("meetings", "h-meet")]), fwd(query="swg=SWG-HEALTH"),
                    fwd(heading="How the sector working groups function"), fwd(finished=0),
                    fwd(heading="Meeting frequency"), fwd(finished=0))
    session, seen = opened(ws, "/")
    assert seen["headings"] == ["How the sector working groups function"] and seen["elements"] == 1
    assert session.hashes == {"/": "h-home", "/meetings": "h-meet"}
    asyncio.run(session.open("/meetings"))
    first, switch = (m.rerun_script for m in ws.sent)
    assert first.page_script_hash == "" and first.query_string == ""  # the address bar: / with no query
    assert switch.page_script_hash == "h-meet" and switch.query_string == "swg=SWG-HEALTH"
    assert switch.context_info.url == "http://127.0.0.1:1/meetings?swg=SWG-HEALTH"


def test_protocol_session_waits_for_the_run_that_finishes():
    """A run that started again (FINISHED_EARLY_FOR_RERUN, 2) is not the page's end."""
    ws = FakeSocket(fwd(finished=2), fwd(heading="Meeting frequency"), fwd(finished=0))
    _, seen = opened(ws, "/meetings")
    assert seen["headings"] == ["Meeting frequency"] and not ws.to_send


@pytest.mark.parametrize("messages,error", [
    ((fwd(heading="Meeting frequency"), fwd(exception="boom"), fwd(finished=0)), "exception on /meetings: boom"),
    ((fwd(heading="Meeting frequency"), fwd(alert="This chart could not be drawn."), fwd(finished=0)),
     "error box on /meetings"),
    ((fwd(heading="Dormant groups"), fwd(finished=0)), "/meetings showed ['Dormant groups']"),
])
def test_protocol_session_reports_a_failed_page(messages, error):
    with pytest.raises(protocol.PageError, match=re.escape(error)):
        opened(FakeSocket(*messages), "/meetings")


def test_protocol_session_accepts_ordinary_notices():
    _, seen = opened(FakeSocket(fwd(alert="Demo data: figures are invented."), fwd(heading="Meeting frequency"),
                                fwd(finished=0)), "/meetings")
    assert seen["elements"] == 2


def test_hybrid_load_run_rotates_which_sessions_are_drawn():
    from bench import hybrid

    assert [hybrid.in_browser(r, 4, 20) for r in range(3)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    assert hybrid.in_browser(5, 4, 20) == [0, 1, 2, 3] and hybrid.in_browser(1, 3, 4) == [3, 0, 1]
    with pytest.raises(ValueError):
        hybrid.load_run(Path("unused"), browsers=0)
