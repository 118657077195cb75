"""One contract, two stores (issue 29): every test here runs against the folder store and against
the store in S3-compatible object storage (moto on 127.0.0.1), through swgdash.store.open_store.
Publish, rollback, refusals, concurrent publishers, a publisher killed at each stage, repair_head
with leftovers, verify, the audit log, a disk that fills, a query database that does not fit, a
read-only store; for the object store, the store stopped and a store that hangs."""
from __future__ import annotations

import errno
import io
import json
import socket
import threading
import uuid
from pathlib import Path

import pyarrow.parquet
import pytest

from factories import DEMO, group, meeting, write_csv
from swgdash import publishing
from swgdash.cli import main
from swgdash.ingest.validate import validate_paths
from swgdash.store import (
    ExtractRefused,
    StoreError,
    StoreReadOnly,
    StoreUnreachable,
    VersionStore,
    open_store,
    s3 as objectstore,
)

KINDS = ["folder", "s3"]


def run(*argv):
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture(params=KINDS)
def home(request, tmp_path) -> str:
    """Where a fresh store is: a folder, or a prefix in the bucket."""
    if request.param == "folder":
        return str(tmp_path / "store")
    return request.getfixturevalue("s3")


def other_server(home: str, tmp_path: Path, monkeypatch, name: str = "b") -> VersionStore:
    """The same store as another process sees it (an object store: its own client, HEAD and copies)."""
    if home.startswith("s3://"):
        monkeypatch.setenv("SWGDASH_CACHE", str(tmp_path / f"server-{name}"))
        return objectstore.S3Store(home)
    return open_store(home)


@pytest.fixture
def demo():
    return validate_paths([DEMO])


def bad_extract(tmp_path: Path):
    bad = tmp_path / "bad"
    write_csv(bad, "groups", [group("A", kind="club")])
    write_csv(bad, "meetings", [meeting("M1", "A", "2026-01-01")])
    return validate_paths([bad])


def fresh(store: VersionStore) -> VersionStore:
    """What the store holds now, not what this process last read (an object store caches HEAD)."""
    if isinstance(store, objectstore.S3Store):
        store._refresh()
    return store


class Kill(BaseException):
    """As if the process were killed there (not an Exception: nothing catches it on the way)."""


class Stop:
    """Derived work that kills the publisher once every file is written, before HEAD moves."""

    def ready(self):
        raise Kill

    def finish(self, version):
        pass

    def discard(self):
        pass


# -- publish, rollback, refusals, audit ---------------------------------------------------------
def test_publish_and_rollback_make_new_versions_and_audit_them(home, demo):
    store = open_store(home)
    assert store.current() is None and store.versions() == []
    v1 = publishing.publish(store, demo, demo.as_of.date, "first", by="dic")
    v2 = publishing.rollback(store, 1, by="dic")
    store = fresh(store)
    assert [v.id for v in store.versions()] == [1, 2] and store.current().id == 2 == v2.id
    assert v2.manifest["rollback_of"] == 1 and v2.manifest["tables"] == v1.manifest["tables"]
    assert [store.check(v) for v in store.versions()] == [[], []]
    assert [(e["event"], e["version"], e["by"]) for e in store.audit()] == [("publish", 1, "dic"), ("rollback", 2, "dic")]
    assert [e["event"] for e in store.audit(last=1)] == ["rollback"]
    assert v2.read("groups").num_rows == v1.read("groups").num_rows


def test_a_refused_extract_changes_nothing_and_is_audited(home, demo, tmp_path):
    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    bad = bad_extract(tmp_path)
    with pytest.raises(ExtractRefused, match="nothing was published"):
        store.publish(bad, demo.as_of.date, "bad")
    assert [v.id for v in fresh(store).versions()] == [1] and store.current().id == 1
    assert store.audit()[-1]["event"] == "refused" and store.unfinished() == []


def test_the_messages_are_the_same_for_both_stores(home, capsys):
    assert run("--home", home, "rollback", "9") == (1, "")
    assert capsys.readouterr().err == "error: there is no version 9\n"


# -- concurrency ------------------------------------------------------------------------------------
@pytest.mark.concurrency
def test_two_publishers_at_once_get_two_versions_and_none_is_lost(home, demo, tmp_path, monkeypatch):
    a = open_store(home)
    b = other_server(home, tmp_path, monkeypatch)
    publishing.publish(a, demo, demo.as_of.date, "first")
    done, failed = [], []
    start = threading.Barrier(2)

    def publish(store, note):
        try:
            start.wait()
            done.append(store.publish(validate_paths([DEMO]), demo.as_of.date, note).id)
        except Exception as exc:  # (reported below)
            failed.append(exc)

    threads = [threading.Thread(target=publish, args=pair) for pair in ((a, "from A"), (b, "from B"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == [] and sorted(done) == [2, 3]
    store = fresh(open_store(home))
    assert [v.id for v in store.versions()] == [1, 2, 3] and store.current().id == 3  # never a lower number
    assert sorted(v.manifest["note"] for v in store.versions()[1:]) == ["from A", "from B"]
    assert all(store.check(v) == [] for v in store.versions())


# -- a publisher killed at each stage -------------------------------------------------------------
def _kill_while_writing(store, demo, monkeypatch):
    real, calls = pyarrow.parquet.write_table, []

    def killed(table, where, *a, **k):
        calls.append(where)
        if len(calls) == 3:
            raise Kill
        return real(table, where, *a, **k)

    monkeypatch.setattr(pyarrow.parquet, "write_table", killed)
    store.publish(demo, demo.as_of.date, "killed")


def _kill_before_the_switch(store, demo, monkeypatch):
    store.publish(demo, demo.as_of.date, "killed", derive=lambda result, as_of: Stop())


def _kill_while_storing(store, demo, monkeypatch):
    """(An object store: its claim made, some tables uploaded; a folder store: as while writing.)"""
    if not isinstance(store, objectstore.S3Store):
        return _kill_while_writing(store, demo, monkeypatch)
    real, calls = store.s3.upload_file, []

    def killed(*a, **k):
        calls.append(a)
        if len(calls) == 3:
            raise Kill
        return real(*a, **k)

    monkeypatch.setattr(store.s3, "upload_file", killed)
    store.publish(demo, demo.as_of.date, "killed")


STAGES = {"while writing its tables": _kill_while_writing, "while storing them": _kill_while_storing,
          "with every file written": _kill_before_the_switch}


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_publisher_killed_leaves_the_store_as_it_was_and_the_next_publish_works(home, demo, stage, monkeypatch,
                                                                                   tmp_path):
    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    with monkeypatch.context() as m, pytest.raises(Kill):
        STAGES[stage](store, demo, m)
    store = other_server(home, tmp_path, monkeypatch)  # (the killed process's memory is gone)
    assert store.current().id == 1 and [v.id for v in store.versions()] == [1]
    report = json.loads(run("--home", home, "verify", "--all", "--json")[1])
    assert report["ok"] and [r["version"] for r in report["versions"]] == [1]
    assert report["unfinished"] == store.unfinished()  # never listed as versions
    nxt = publishing.publish(store, demo, demo.as_of.date, "after")
    assert nxt.id >= 2 and fresh(store).current().id == nxt.id and store.check(nxt) == []


def test_repair_head_adopts_no_leftover_of_a_killed_publish(home, demo, monkeypatch, tmp_path):
    """A publish killed with its files written, then HEAD damaged, then `verify --repair-head`: the
    leftover is not a version, and `verify` passes from then on."""
    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    publishing.publish(store, demo, demo.as_of.date, "second")
    with monkeypatch.context() as m, pytest.raises(Kill):
        _kill_while_storing(store, demo, m) if home.startswith("s3://") else _kill_before_the_switch(store, demo, m)
    if home.startswith("s3://"):  # a claim with a manifest and some of its tables
        assert store.unfinished() == ["versions/000003"]
        store.s3.put_object(Bucket=store.bucket, Key=store._key("HEAD.json"), Body=b"\x00garbage{")
    else:
        (Path(home) / "HEAD.json").write_bytes(b"\x00garbage{")
    code, out = run("--home", home, "verify", "--repair-head")
    assert code == 0, out
    store = other_server(home, tmp_path, monkeypatch, "c")
    assert [v.id for v in store.versions()] == [1, 2] and store.current().id == 2
    report = json.loads(run("--home", home, "verify", "--all", "--json")[1])
    assert report["ok"] and [r["version"] for r in report["versions"]] == [1, 2]
    assert "missing" not in json.dumps(report["versions"])


def test_verify_names_unfinished_publishes_and_not_as_versions(home, demo, monkeypatch, tmp_path):
    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    with monkeypatch.context() as m, pytest.raises(Kill):
        _kill_before_the_switch(store, demo, m)
    code, out = run("--home", home, "verify", "--all")
    assert code == 0 and "version 1: intact" in out and "version 2" not in out
    assert "unfinished publish (not a version; the next publish sweeps it, in object storage once it is an hour old): versions/" in out


# -- full disk, read-only store ------------------------------------------------------------------
def _disk_full_at_the_third_table(monkeypatch) -> None:
    real, calls = pyarrow.parquet.write_table, []

    def full(table, where, *a, **k):
        calls.append(where)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        return real(table, where, *a, **k)

    monkeypatch.setattr(pyarrow.parquet, "write_table", full)


def test_a_disk_that_fills_during_a_publish_changes_nothing(home, demo, monkeypatch):
    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    _disk_full_at_the_third_table(monkeypatch)
    with pytest.raises(StoreError, match="No space left on device.*nothing changed"):
        publishing.publish(store, demo, demo.as_of.date, "too big")
    assert fresh(store).current().id == 1 and [v.id for v in store.versions()] == [1]
    assert store.unfinished() == [] and [e["event"] for e in store.audit()] == ["publish"]


def test_a_query_database_that_does_not_fit_refuses_the_publish(home, demo, monkeypatch, capsys):
    """The tables fit, the query database does not: the version never becomes current (the pages
    could not open it), the officer is told nothing changed, and the store has no leftover."""
    from swgdash.query import db

    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(db, "write_database", full)
    code, out = run("--home", home, "publish", str(DEMO), "--note", "no room for its database")
    err = capsys.readouterr().err
    assert code == 1 and "query database" in err and "nothing changed" in err and "Traceback" not in err
    assert fresh(store).current().id == 1 and store.unfinished() == []
    assert [e["event"] for e in store.audit()] == ["publish"]


def test_verify_reports_a_query_database_that_cannot_be_built(home, demo, monkeypatch):
    import shutil

    from swgdash.query import db

    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    shutil.rmtree(store.root / "cache")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(db, "write_database", full)
    code, out = run("--home", home, "verify", "--all")
    assert code == 1 and "its query database cannot be built (No space left on device)" in out


def _read_only(store: VersionStore, monkeypatch) -> None:
    """The store refuses every write, as a read-only disk or bucket policy would."""
    if isinstance(store, objectstore.S3Store):
        from botocore.exceptions import ClientError

        def denied(*a, **k):
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "PutObject")

        for name in ("put_object", "upload_file", "delete_object"):
            monkeypatch.setattr(store.s3, name, denied)
    else:
        import builtins

        from swgdash.store import folder

        def refused(path, mode="r", *a, **k):
            if any(c in mode for c in "wax+"):
                raise OSError(errno.EROFS, "Read-only file system", str(path))
            return builtins.open(path, mode, *a, **k)

        monkeypatch.setattr(folder, "open", refused, raising=False)
        monkeypatch.setattr(folder.os, "rename", lambda *a: (_ for _ in ()).throw(OSError(errno.EROFS, "Read-only")))


def test_a_read_only_store_says_so_and_changes_nothing(home, demo, monkeypatch):
    store = open_store(home)
    publishing.publish(store, demo, demo.as_of.date, "first")
    audit = store.audit()
    _read_only(store, monkeypatch)
    with pytest.raises(StoreReadOnly, match="read-only"):
        store.log("sign_in", by="dic")
    with pytest.raises(StoreReadOnly, match="read-only.*publishing is unavailable.*nothing changed"):
        store.publish(demo, demo.as_of.date, "cannot")
    assert fresh(store).current().id == 1 and store.audit() == audit
    assert store.check(store.current()) == []  # it still reads


# -- the object store unreachable ------------------------------------------------------------------
@pytest.fixture
def reachable(monkeypatch, tmp_path):
    """An S3 server of this test's own (it can be stopped), with a store on it holding the demo."""
    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for key, value in {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "test",
                       "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
                       "SWGDASH_CACHE": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(key, value)
    try:
        boto3.client("s3").create_bucket(Bucket="outage")
    except Exception:  # made by an earlier test: moto keeps buckets per process
        pass
    objectstore.opened.cache_clear()
    monkeypatch.setenv("SWGDASH_HOME", f"s3://outage/{uuid.uuid4().hex[:8]}")  # (moto keeps buckets per process)
    store = open_store()
    demo = validate_paths([DEMO])
    version = publishing.publish(store, demo, demo.as_of.date, "first")
    publishing.open_database(version).close()
    yield server, store, demo
    objectstore.opened.cache_clear()
    try:
        server.stop()
    except Exception:  # stopped by the test
        pass


@pytest.fixture
def hanging():
    """An endpoint that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def _restarted(monkeypatch, endpoint: str | None = None) -> objectstore.S3Store:
    """The server restarted (its local folder kept), reading the store through `endpoint`."""
    if endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    objectstore.opened.cache_clear()
    return open_store()


def _serves_what_it_holds(store: objectstore.S3Store) -> None:
    shown = publishing.serving(store)
    assert shown.version is not None and shown.version.id == 1 and shown.damage == []
    assert store.outage is not None
    assert shown.outage.startswith("The store cannot be reached since ")
    assert shown.outage.endswith("showing version 1, as of 31 Oct 2026, as this server holds it.")
    assert store._head_cache is not None  # the copy held is served from now on: no read waits on the store


def test_a_stopped_object_store_serves_the_version_held_and_refuses_writes(reachable, monkeypatch, demo, capsys):
    server, store, _ = reachable
    server.stop()
    _serves_what_it_holds(_restarted(monkeypatch))
    store = _restarted(monkeypatch)
    with pytest.raises(StoreUnreachable, match="cannot be reached.*nothing changed"):
        publishing.publish(store, demo, demo.as_of.date, "during the outage")
    with pytest.raises(StoreUnreachable, match="nothing changed"):
        publishing.rollback(store, 1)
    code, out = run("summary", "--json")
    err = capsys.readouterr().err
    assert code == 0 and json.loads(out)["version"] == 1
    assert "warning: The store cannot be reached since" in err and "Traceback" not in err
    code, out = run("publish", str(DEMO))
    assert code == 1 and "nothing changed" in capsys.readouterr().err


def test_a_hanging_object_store_is_not_waited_on(reachable, hanging, monkeypatch):
    _server, store, _ = reachable
    slow = _restarted(monkeypatch, hanging)
    current = slow.current()  # answered from the copy held, the store's reply still awaited
    assert current.id == 1 and slow.outage is not None and slow._reading.is_alive()
    reader = slow._reading
    assert slow.versions()[0].id == 1 and slow._reading is reader  # no second wait, no second reader
    _serves_what_it_holds(slow)


def test_a_store_that_answers_again_is_read_again(reachable, monkeypatch):
    server, store, demo = reachable
    slow = _restarted(monkeypatch)
    assert slow.current().id == 1 and slow.outage is None
    publishing.publish(store, demo, demo.as_of.date, "second")
    slow._refresh()
    assert slow.current().id == 2 and slow.outage is None


def test_a_failed_first_publish_leaves_nothing_behind(home, demo, monkeypatch):
    """On an empty store too: the officer is told nothing changed, and nothing did."""
    store = open_store(home)
    _disk_full_at_the_third_table(monkeypatch)
    with pytest.raises(StoreError, match="nothing changed"):
        publishing.publish(store, demo, demo.as_of.date, "first, too big")
    assert fresh(store).current() is None and store.versions() == [] and store.unfinished() == []
    if not home.startswith("s3://"):
        assert [p.name for p in (Path(home) / "versions").iterdir()] == []


def test_a_version_kept_by_repair_is_never_swept_or_renumbered(home, demo, monkeypatch, tmp_path):
    """The newest version's manifest unreadable when HEAD is rebuilt: it is kept and named, and the
    next publish neither sweeps it nor takes its number."""
    store = open_store(home)
    for note in ("first", "second", "third"):
        publishing.publish(store, demo, demo.as_of.date, note)
    if home.startswith("s3://"):
        store.s3.put_object(Bucket=store.bucket, Key=store._key("versions/000003/manifest.json"), Body=b"{torn")
        store.s3.put_object(Bucket=store.bucket, Key=store._key("HEAD.json"), Body=b"garbage")
    else:
        (Path(home) / "versions" / "000003" / "manifest.json").write_bytes(b"{torn")
        (Path(home) / "HEAD.json").write_bytes(b"garbage")
    assert run("--home", home, "verify", "--repair-head")[0] in (0, 1)
    store = other_server(home, tmp_path, monkeypatch, "c")
    assert [v.id for v in store.versions()] == [1, 2] and store.unlisted_folders() == [3]
    assert store.unfinished() == []
    nxt = publishing.publish(store, demo, demo.as_of.date, "fourth")
    assert nxt.id == 4 and store.unlisted_folders() == [3]


def test_a_whole_claim_that_lost_the_race_is_listed_unfinished(s3, demo, tmp_path, monkeypatch):
    """Two first starts: the loser's claim is withdrawn; a whole claim HEAD does not name, above its
    newest version (a publisher killed between its marker and HEAD), is an unfinished publish."""
    store = open_store(s3)
    publishing.publish(store, demo, demo.as_of.date, "first")
    with monkeypatch.context() as m, pytest.raises(Kill):
        m.setattr(store, "_switch", lambda *a, **k: (_ for _ in ()).throw(Kill()))
        store.publish(demo, demo.as_of.date, "killed after its marker")
    assert store.unfinished() == ["versions/000002"]
    assert "versions/000002" in run("--home", s3, "verify", "--all")[1]


def test_a_head_read_begun_before_a_publish_does_not_undo_it(s3, demo):
    """A background read of HEAD that answers after this process wrote a newer HEAD is dropped."""
    store = open_store(s3)
    publishing.publish(store, demo, demo.as_of.date, "first")
    writes = store._writes
    etag, old = store._read_head()
    publishing.publish(store, demo, demo.as_of.date, "second")
    store._keep(etag, old, writes)  # the slow read lands now
    assert store.current().id == 2


def test_verify_leaves_the_servers_copies_alone(s3, demo):
    store = open_store(s3)
    version = publishing.publish(store, demo, demo.as_of.date, "first")
    held = sorted(p.name for p in version.path.iterdir())
    assert run("--home", s3, "verify", "--all")[0] == 0
    assert sorted(p.name for p in version.path.iterdir()) == held and (store.root / "HEAD.json").exists()


def test_a_store_refusing_every_read_serves_what_is_held(s3, demo, monkeypatch):
    """Expired keys or a bucket gone: the pages keep the version held, with the banner."""
    from botocore.exceptions import ClientError

    store = open_store(s3)
    publishing.publish(store, demo, demo.as_of.date, "first")
    objectstore.opened.cache_clear()
    restarted = open_store(s3)

    def expired(*a, **k):
        raise ClientError({"Error": {"Code": "ExpiredToken", "Message": "expired"}}, "GetObject")

    for name in ("get_object", "list_objects_v2", "download_file"):
        monkeypatch.setattr(restarted.s3, name, expired)
    shown = publishing.serving(restarted)
    assert shown.version.id == 1 and shown.outage and "cannot be reached" in shown.outage


def test_both_stores_keep_the_contract_by_its_public_methods_only():
    """The contract's shape (issue 29): each store implements every abstract method of VersionStore
    and overrides none of its private ones; nothing outside swgdash/store/ asks what kind a store is
    (an s3:// address is read by open_store alone) or keeps open stores of its own."""
    import re

    from swgdash.store import FolderStore
    from swgdash.store.s3 import S3Store

    private = {n for n, v in vars(VersionStore).items() if n.startswith("_") and not n.startswith("__") and callable(v)}
    for cls in (FolderStore, S3Store):
        assert not VersionStore.__abstractmethods__ - set(vars(cls)), cls
        assert not private & set(vars(cls)), (cls, private & set(vars(cls)))
    root = Path(__file__).resolve().parents[2]
    outside = [p for folder in ("swgdash", "pages") for p in (root / folder).rglob("*.py")
               if "store" not in p.relative_to(root).parts[:2]] + [root / "dashboard.py", root / "server.py"]
    for path in outside:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""startswith\(\s*["']s3:|["']s3://["']\s+in\b|is_url|S3Store|\b_OPEN\s*=""", text), path
