"""The versioned store: publish, history, rollback, atomic switch, nothing lost."""
import datetime as dt
import json

import pytest

from factories import DEMO, group, meeting, write_csv
from swgdash.ingest.validate import validate_paths
from swgdash.store import FolderStore, StoreError, default_root

D = dt.date.fromisoformat


def small(folder, name="Health"):
    write_csv(folder, "groups", [group("SWG-HEALTH", name=name)])
    write_csv(folder, "meetings", [meeting("M1", "SWG-HEALTH", "2026-01-10")])
    return validate_paths([folder])


def test_default_root_and_swgdash_home(monkeypatch, tmp_path):
    monkeypatch.delenv("SWGDASH_HOME", raising=False)
    assert default_root().parts[-2:] == ("data", "store")
    monkeypatch.setenv("SWGDASH_HOME", str(tmp_path / "elsewhere"))
    assert default_root() == tmp_path / "elsewhere"
    assert FolderStore().root == tmp_path / "elsewhere"


@pytest.mark.concurrency
def test_first_start_publishes_demo_once(tmp_path):
    store = FolderStore(tmp_path / "s")
    assert store.is_empty() and store.current() is None
    v = store.ensure_demo()
    assert v.id == 1 and v.is_demo and v.as_of == D("2026-10-31")
    assert set(v.tables) == {"groups", "meetings", "members", "attendance", "pillars", "alignment", "pillar_map",
                             "recommendations", "actions", "documents", "organisations", "group_sectors", "extract"}
    assert store.ensure_demo().id == 1
    assert len(store.versions()) == 1


def test_publish_writes_immutable_snapshot_with_manifest(tmp_path):
    store = FolderStore(tmp_path / "s")
    v = store.publish(small(tmp_path / "e"), D("2026-02-01"), "January update", by="dic")
    m = v.manifest
    assert (v.id, m["as_of"], m["note"], m["published_by"], m["demo"]) == (1, "2026-02-01", "January update", "dic", False)
    assert m["tables"]["groups"]["rows"] == 1 and len(m["tables"]["groups"]["sha256"]) == 64
    assert m["sources"] == ["groups.csv", "meetings.csv"]
    assert (v.path / "manifest.json").exists() and (v.path / "groups.parquet").exists()
    assert store.check(v) == []
    assert v.read("groups").column("name").to_pylist() == ["Health"]


def test_versions_accumulate_and_current_switches(tmp_path):
    store = FolderStore(tmp_path / "s")
    store.publish(small(tmp_path / "a", "One"), D("2026-01-01"))
    v2 = store.publish(small(tmp_path / "b", "Two"), D("2026-02-01"))
    assert [v.id for v in store.versions()] == [1, 2]
    assert store.current().id == v2.id
    assert store.get(1).read("groups").column("name").to_pylist() == ["One"]


def test_rollback_is_a_new_version(tmp_path):
    store = FolderStore(tmp_path / "s")
    store.publish(small(tmp_path / "a", "One"), D("2026-01-01"))
    store.publish(small(tmp_path / "b", "Two"), D("2026-02-01"))
    v3 = store.rollback(1)
    assert v3.id == 3 and v3.manifest["rollback_of"] == 1 and v3.as_of == D("2026-01-01")
    assert store.current().read("groups").column("name").to_pylist() == ["One"]
    assert [v.id for v in store.versions()] == [1, 2, 3]   # history never rewritten
    with pytest.raises(StoreError):
        store.rollback(99)


def test_invalid_extract_changes_nothing(tmp_path):
    store = FolderStore(tmp_path / "s")
    store.publish(small(tmp_path / "a"), D("2026-01-01"))
    head = (store.root / "HEAD.json").read_bytes()
    files = sorted(p.relative_to(store.root) for p in (store.root / "versions").rglob("*"))
    bad = tmp_path / "bad"
    write_csv(bad, "groups", [group("G", kind="nonsense")])
    write_csv(bad, "meetings", [])
    result = validate_paths([bad])
    assert not result.ok
    with pytest.raises(StoreError):
        store.publish(result, D("2026-03-01"))
    assert (store.root / "HEAD.json").read_bytes() == head
    assert sorted(p.relative_to(store.root) for p in (store.root / "versions").rglob("*")) == files
    assert [e["event"] for e in store.audit()] == ["publish", "refused"]


def test_leftovers_of_a_killed_publish_are_ignored_then_swept(tmp_path):
    store = FolderStore(tmp_path / "s")
    store.publish(small(tmp_path / "a", "One"), D("2026-01-01"))
    # a publish killed after writing its folder but before switching HEAD.json
    (store.root / "versions" / ".tmp-dead").mkdir()
    orphan = store.root / "versions" / "000002"
    orphan.mkdir()
    (orphan / "groups.parquet").write_bytes(b"half written")
    assert store.current().id == 1 and [v.id for v in store.versions()] == [1]
    v = store.publish(small(tmp_path / "b", "Two"), D("2026-02-01"))
    assert v.id == 2 and store.check(v) == []
    assert not (store.root / "versions" / ".tmp-dead").exists()
    assert v.read("groups").column("name").to_pylist() == ["Two"]


def test_head_json_is_the_single_commit_point(tmp_path):
    store = FolderStore(tmp_path / "s")
    store.publish(small(tmp_path / "a"), D("2026-01-01"))
    head = json.loads((store.root / "HEAD.json").read_text())
    assert head["current"] == 1 and [m["version"] for m in head["versions"]] == [1]
    assert not list(store.root.glob(".HEAD.json.*"))   # no temp file left behind


def test_verify_detects_a_damaged_file(tmp_path):
    store = FolderStore(tmp_path / "s")
    v = store.publish(small(tmp_path / "a"), D("2026-01-01"))
    (v.path / "meetings.parquet").write_bytes(b"tampered")
    assert store.check(v) == ["meetings.parquet does not match its checksum (changed or damaged)"]


def test_demo_store_reads_back_the_demo_csvs(tmp_path):
    import pandas as pd

    v = FolderStore(tmp_path / "s").ensure_demo()
    groups = v.read("groups").to_pandas()
    raw = pd.read_csv(DEMO / "groups.csv", dtype=str, keep_default_na=False)
    assert groups["group_id"].tolist() == raw["group_id"].tolist()
    assert groups["name"].tolist() == raw["name"].tolist()


def test_publish_builds_the_versions_query_database(tmp_path):
    """Each version gets a DuckDB file under cache/, named after its checksums, opened read-only."""
    from swgdash import publishing
    from swgdash.query.db import Database, database_file

    store = FolderStore(tmp_path / "s")
    v = publishing.publish(store, small(tmp_path / "x"), D("2026-10-31"), "first")
    path = database_file(v)
    assert path.exists() and path.parent == store.root / "cache"
    db = Database(v)
    cur = db.cursor()
    assert cur.query("groups_all")["group_id"].tolist() == ["SWG-HEALTH"]
    with pytest.raises(Exception, match="read-only"):
        cur._cur.execute("DELETE FROM groups")
    # the attendance table carries each meeting's date and group (the queries rely on it)
    assert {"date", "group_id"} <= {r[0] for r in cur._cur.execute("DESCRIBE attendance").fetchall()}
    db.close()


def test_a_missing_query_database_is_rebuilt_and_never_reused_for_other_data(tmp_path):
    from swgdash import publishing
    from swgdash.query.db import Database, database_file

    store = FolderStore(tmp_path / "s")
    v1 = publishing.publish(store, small(tmp_path / "a", name="Health"), D("2026-10-31"))
    database_file(v1).unlink()
    db = Database(v1)  # rebuilt from the version's Parquet files
    assert database_file(v1).exists()
    assert db.cursor().query("groups_all")["name"].tolist() == ["Health"]
    db.close()
    # a version whose data differ never gets another version's file, even with the same number
    other = FolderStore(tmp_path / "t").publish(small(tmp_path / "b", name="Education"), D("2026-10-31"))
    assert other.id == v1.id and database_file(other).name != database_file(v1).name
    db = Database(other)
    assert db.cursor().query("groups_all")["name"].tolist() == ["Education"]
    db.close()


def test_a_folder_that_cannot_be_synced_after_head_moved_is_a_publish_with_its_audit_entry(tmp_path, monkeypatch):
    """HEAD.json is replaced, then syncing its folder fails: the version is published (HEAD names it),
    so the officer is told so and the audit log has its entry; never "nothing changed"."""
    from swgdash.store import folder

    store = FolderStore(tmp_path / "s")
    store.publish(small(tmp_path / "e"), D("2026-02-01"), "first")
    real = folder._fsync_dir

    def failing(path):
        if path == store.root:
            raise OSError(5, "Input/output error")
        return real(path)

    monkeypatch.setattr(folder, "_fsync_dir", failing)
    v = store.publish(small(tmp_path / "e2"), D("2026-03-01"), "second")
    assert v.id == 2 and store.current().id == 2
    assert [e["event"] for e in store.audit()] == ["publish", "publish"]


def test_the_server_publishes_a_new_stores_demo_as_it_starts(tmp_path, monkeypatch, caplog):
    """server.py calls context.start_early(): on a new store the demo is published on a thread of
    its own while the first browser loads the page (issue 31); a store with a version is left alone;
    a store that cannot be written is logged, never raised (the first page says what is wrong)."""
    from swgdash.app import context

    monkeypatch.setenv("SWGDASH_HOME", str(tmp_path / "new"))
    context.start_early().join(120)
    store = FolderStore(tmp_path / "new")
    assert [v.id for v in store.versions()] == [1] and store.current().is_demo
    context.start_early().join(120)
    assert [v.id for v in store.versions()] == [1]  # (not published again)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the store's folder should be")
    monkeypatch.setenv("SWGDASH_HOME", str(blocked))
    context.start_early().join(120)
    assert "publishing the demo at the server's start failed" in caplog.text
