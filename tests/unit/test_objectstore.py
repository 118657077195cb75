"""The store in S3-compatible object storage (issue 20), against an S3 server on 127.0.0.1 (moto):
the CLI behaves as with a folder; conditional writes keep two publishers from sharing a number or
losing a version; an interrupted publish leaves the store working; a new HEAD is noticed."""
from __future__ import annotations

import io
import json
import os
import threading
import time
from pathlib import Path

import pytest

from factories import DEMO, group, meeting, write_csv
from swgdash import store as stores
from swgdash.cli import main
from swgdash.ingest.validate import validate_paths
from swgdash.store import DEMO_AS_OF, s3 as objectstore
from swgdash.store.s3 import S3Store


def run(*argv):
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _same(doc: dict) -> dict:
    """A versions listing without what differs from store to store (times, who, where)."""
    return [{k: v for k, v in m.items() if k not in ("published_at", "published_by")} for m in doc]


def test_the_cli_behaves_as_with_a_folder(s3, tmp_path, capsys):
    folder = str(tmp_path / "folder")
    for home in (folder, s3):
        assert run("--home", home, "publish", str(DEMO), "--note", "first")[1] == "1\n"
        assert run("--home", home, "rollback", "1", "--note", "again")[1] == "2\n"
    versions = [json.loads(run("--home", home, "versions", "--json")[1]) for home in (folder, s3)]
    assert _same(versions[0]) == _same(versions[1]) and [v["version"] for v in versions[1]] == [1, 2]
    assert versions[1][1]["current"] and versions[1][1]["rollback_of"] == 1
    summaries = [json.loads(run("--home", home, "summary", "--json")[1]) for home in (folder, s3)]
    assert summaries[0] == summaries[1]
    capsys.readouterr()
    errors = []
    for home in (folder, s3):  # the same errors
        code, _ = run("--home", home, "rollback", "9")
        errors.append((code, capsys.readouterr().err))
    assert errors[0] == errors[1] == (1, "error: there is no version 9\n")
    bad = tmp_path / "bad"
    write_csv(bad, "groups", [group("A", kind="club")])
    write_csv(bad, "meetings", [meeting("M1", "A", "2026-01-01")])
    outs = [run("--home", home, "publish", str(bad)) for home in (folder, s3)]
    assert outs[0] == outs[1] and outs[0][0] == 1 and "nothing changed" in outs[0][1]
    assert [e["event"] for e in stores.open_store(s3).audit()] == ["publish", "rollback", "refused"]
    assert json.loads(run("--home", s3, "verify", "--all", "--json")[1])["ok"] is True
    code, _ = run("--home", s3, "backup", "--out", str(tmp_path / "b.tar.gz"))
    assert code == 1 and "folder store" in capsys.readouterr().err


def _second_server(url: str, tmp_path, monkeypatch, name: str) -> S3Store:
    """The same store as another server sees it: its own client, HEAD and local folder."""
    monkeypatch.setenv("SWGDASH_CACHE", str(tmp_path / name))
    return S3Store(url)


def test_another_server_notices_a_new_version_within_the_bound(s3, tmp_path, monkeypatch):
    a = stores.open_store(s3)
    b = _second_server(s3, tmp_path, monkeypatch, "server-b")
    result = validate_paths([DEMO])
    a.publish(result, result.as_of.date, "first")
    assert b.current().id == 1
    a.publish(result, result.as_of.date, "second")
    stamp = b.head_stamp()
    deadline = time.monotonic() + objectstore.HEAD_SECONDS + 2
    while b.current().id != 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert b.current().id == 2 and b.head_stamp() != stamp


def test_a_publish_interrupted_after_its_claim_leaves_the_store_working(s3, monkeypatch):
    store = stores.open_store(s3)
    result = validate_paths([DEMO])
    store.publish(result, result.as_of.date, "first")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # as if the process were killed between the claim and the tables

    with monkeypatch.context() as m:
        m.setattr(store.s3, "upload_file", killed)
        with pytest.raises(KeyboardInterrupt):
            store.publish(result, result.as_of.date, "interrupted")
    store._head_cache = None
    assert store.current().id == 1  # HEAD still names the old version
    assert store.publish(result, result.as_of.date, "after").id == 3  # number 2 was claimed: skipped
    assert [v.id for v in store.versions()] == [1, 3] and store.check(store.current()) == []
    report = json.loads(run("--home", s3, "verify", "--all", "--json")[1])
    assert [r["version"] for r in report["versions"]] == [1, 3] and report["ok"]  # 2: a leftover claim, as swept


def test_a_first_publish_killed_after_its_claim_leaves_a_store_that_reads_and_publishes(s3, monkeypatch):
    store = stores.open_store(s3)
    result = validate_paths([DEMO])

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(store.s3, "upload_file", killed)
        with pytest.raises(KeyboardInterrupt):
            store.publish(result, result.as_of.date, "killed")
    other = _second_server(s3, Path(os.environ["SWGDASH_CACHE"]).parent, monkeypatch, "server-b")
    assert other.current() is None and other.head_stamp()  # an empty store, not a damaged one
    assert other.publish(result, result.as_of.date, "after").id == 2


def test_a_missing_head_refuses_a_publish_as_a_folder_does(s3, tmp_path):
    folder = str(tmp_path / "folder")
    for home in (folder, s3):
        assert run("--home", home, "publish", str(DEMO))[0] == 0
    (tmp_path / "folder" / "HEAD.json").unlink()
    store = stores.open_store(s3)
    store.s3.delete_object(Bucket=store.bucket, Key=store._key("HEAD.json"))
    store._head_cache = None
    outs = [run("--home", home, "publish", str(DEMO)) for home in (folder, s3)]
    assert outs[0] == outs[1] and outs[0][0] == 1
    assert stores.open_store(s3).head_stamp()[0] == "unreadable"  # the pages fall back and say so


@pytest.mark.concurrency
def test_two_first_starts_at_once_publish_the_demo_once(s3, tmp_path, monkeypatch):
    from swgdash import publishing

    servers = [stores.open_store(s3), _second_server(s3, tmp_path, monkeypatch, "server-b")]
    start, got = threading.Barrier(2), []

    def first_start(store):
        start.wait()
        got.append(publishing.ensure_demo(store).id)

    threads = [threading.Thread(target=first_start, args=(store,)) for store in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    servers[0]._head_cache = None
    assert len(got) == 2 and len(set(got)) == 1, got  # (both answered: a thread that raised adds nothing)
    assert [v.id for v in servers[0].versions()] == got[:1]


def test_a_stale_or_damaged_local_copy_is_not_trusted(s3):
    store = stores.open_store(s3)
    result = validate_paths([DEMO])
    version = store.publish(result, result.as_of.date, "first")
    local = version.path / "meetings.parquet"
    assert store.check(version) == [] and local.exists()
    local.write_bytes(b"not the version's file")  # a stale or torn copy on this machine
    assert store.check(version) == []  # fetched again
    assert version.read("meetings").num_rows == sum(1 for _ in open(DEMO / "meetings.csv", encoding="utf-8")) - 1
    # damage in the bucket itself: `verify` reads the bucket, not this machine's copies
    store.s3.put_object(Bucket=store.bucket, Key=store._key("versions/000001/meetings.parquet"), Body=b"damaged")
    code, out = run("--home", s3, "verify")
    assert code == 1 and "meetings.parquet does not match its checksum" in out



@pytest.fixture(scope="module")
def published(s3_server, tmp_path_factory):
    """A store in the bucket holding the demo, for the hostile corpus (module-wide: refusals change nothing)."""
    import boto3

    mp = pytest.MonkeyPatch()
    for key, value in {"AWS_ENDPOINT_URL": s3_server, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_REGION": "us-east-1", "SWGDASH_CACHE": str(tmp_path_factory.mktemp("cache"))}.items():
        mp.setenv(key, value)
    try:
        boto3.client("s3").create_bucket(Bucket="swg-corpus")
        objectstore.opened.cache_clear()
        store = stores.open_store("s3://swg-corpus/lao")
        result = validate_paths([DEMO])
        store.publish(result, result.as_of.date, "good")
        yield store
    finally:
        objectstore.opened.cache_clear()
        mp.undo()


def _corpus():
    from test_safety import CORPUS

    return CORPUS


# every fourth case while working; all of them in `make test` (test_safety runs the whole corpus
# against the folder store in both)
@pytest.mark.parametrize("name", [n if i % 4 == 0 else pytest.param(n, marks=pytest.mark.slow)
                                  for i, n in enumerate(_corpus())])
def test_the_hostile_corpus_is_refused_against_the_object_store(published, tmp_path, name):
    from test_safety import validate

    from swgdash.store import StoreError

    case = _corpus()[name]
    store = published
    head_before = store._get("HEAD.json")
    objects_before = store._list("versions")
    result = validate(case.build(tmp_path), case.limits)
    assert not result.ok and result.tables == {}
    with pytest.raises(StoreError, match="nothing was published"):
        store.publish(result, result.as_of.date if result.as_of else DEMO_AS_OF, f"attempt: {name}", by="test")
    assert store._get("HEAD.json") == head_before and store._list("versions") == objects_before
    last = store.audit()[-1]
    assert last["event"] == "refused" and last["note"] == f"attempt: {name}"
