"""A damaged store, from the command line (issue 22): each fault is named, the dashboard's figures
come from the newest intact version, nothing of the intact versions changes, and there is a way back."""
import errno
import io
import json
import tarfile

import pyarrow.parquet
import pytest

from factories import DEMO
from faults import FAULTS, fingerprint, flip_byte, two_versions
from swgdash import publishing
from swgdash.cli import main
from swgdash.ingest.validate import validate_paths
from swgdash.store import FolderStore, StoreError, operations


def run(*argv):
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_is_named_contained_and_changes_nothing_intact(tmp_path, capsys, fault):
    home = tmp_path / "home"
    two_versions(home)
    before = fingerprint(home)
    damage, named, shown = FAULTS[fault]
    damage(home)
    code, out = run("--home", str(home), "verify", "--all")
    assert code == 1 and named in out + capsys.readouterr().out
    code, out = run("--home", str(home), "summary", "--json")
    err = capsys.readouterr().err
    assert code == 0 and json.loads(out)["version"] == shown and named in err  # the newest intact, said on stderr
    code, out = run("--home", str(home), "versions")
    assert code == 0 and out.strip()
    assert fingerprint(home) == before


def test_versions_marks_a_damaged_version_and_verify_json(tmp_path):
    home = tmp_path / "home"
    two_versions(home)
    flip_byte(home)
    code, out = run("--home", str(home), "versions", "--json")
    rows = json.loads(out)
    assert "damaged" not in rows[0] and rows[1]["damaged"] == ["meetings.parquet does not match its checksum "
                                                               "(changed or damaged)"]
    code, out = run("--home", str(home), "verify", "--json")  # the current version only
    report = json.loads(out)
    assert code == 1 and [v["version"] for v in report["versions"]] == [2] and not report["ok"]
    code, out = run("--home", str(home), "verify", "--all", "--json")
    assert [v["intact"] for v in json.loads(out)["versions"]] == [True, False]


def test_rollback_and_publish_work_while_the_current_version_is_damaged(tmp_path):
    home = tmp_path / "home"
    two_versions(home)
    flip_byte(home)
    assert run("--home", str(home), "rollback", "2")[0] == 1  # a damaged version is never shown again
    assert run("--home", str(home), "rollback", "1", "--note", "bad copy")[0] == 0
    store = FolderStore(home)
    assert store.current().id == 3 and store.current().manifest["note"] == "rollback to version 1: bad copy"
    assert run("--home", str(home), "publish", str(DEMO), "--note", "again")[0] == 0
    assert publishing.serving(store).damage == []  # the current version (4) is intact


def test_head_is_rebuilt_only_when_asked(tmp_path, capsys):
    home = tmp_path / "home"
    two_versions(home)
    (home / "HEAD.json").write_text("{garbage")
    assert run("--home", str(home), "verify")[0] == 1
    assert (home / "HEAD.json").read_text() == "{garbage"  # never silently
    code, out = run("--home", str(home), "verify", "--repair-head")
    assert code == 0 and "HEAD.json rebuilt" in out
    store = FolderStore(home)
    assert store.current().id == 2 and [v.id for v in store.versions()] == [1, 2]
    assert [p.name for p in home.glob("HEAD.json.damaged-*")]  # the old one kept beside it
    assert store.audit()[-1]["event"] == "repair_head"


def test_a_cache_that_cannot_be_written_still_serves_and_publishes(tmp_path):
    home = tmp_path / "home"
    two_versions(home)
    (home / "cache").write_text("a file where the cache folder should be")  # (root writes any folder)
    code, out = run("--home", str(home), "summary", "--json")
    assert code == 0 and json.loads(out)["version"] == 2
    assert run("--home", str(home), "publish", str(DEMO), "--note", "no cache")[0] == 0
    assert FolderStore(home).current().id == 3


def test_a_backup_taken_during_a_publish_restores_to_an_identical_store(tmp_path, monkeypatch):
    """The backup reads HEAD.json once: taken while a publish is writing its files, it holds the
    versions before it, and restores to a store that verifies clean with the same summary."""
    import pyarrow.parquet as pq


    home = tmp_path / "home"
    store = two_versions(home)
    summary_before = json.loads(run("--home", str(home), "summary", "--json")[1])
    taken = {}
    real = pq.write_table

    def backup_midway(table, where, *a, **k):
        if not taken:
            taken.update(operations.backup(FolderStore(home), tmp_path / "b.tar.gz"))
        return real(table, where, *a, **k)

    monkeypatch.setattr(pyarrow.parquet, "write_table", backup_midway)
    result = validate_paths([DEMO])
    publishing.publish(store, result, result.as_of.date, "third")
    monkeypatch.undo()
    assert taken["versions"] == 2 and store.current().id == 3
    code, out = run("--home", str(tmp_path / "restored"), "restore", str(tmp_path / "b.tar.gz"))
    assert code == 0 and "restored 2 versions" in out
    code, out = run("--home", str(tmp_path / "restored"), "verify", "--all")
    assert code == 0 and out.count("intact") == 2
    assert json.loads(run("--home", str(tmp_path / "restored"), "summary", "--json")[1]) == summary_before


def test_restore_refuses_a_damaged_backup_and_a_non_empty_store(tmp_path, capsys):
    home = tmp_path / "home"
    two_versions(home)
    assert run("--home", str(home), "backup", "--out", str(tmp_path / "b.tar.gz"))[0] == 0
    code, _ = run("--home", str(home), "restore", str(tmp_path / "b.tar.gz"))
    assert code == 1 and "is not empty" in capsys.readouterr().err
    # a backup with a changed byte is refused before anything is put in place
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(tmp_path / "b.tar.gz") as src, tarfile.open(bad, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None
            if m.name.endswith("000002/groups.parquet"):
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    code, _ = run("--home", str(tmp_path / "new"), "restore", str(bad))
    assert code == 1 and "version 2 is damaged" in capsys.readouterr().err and not (tmp_path / "new").exists()
    # with --force, the store there is kept beside, not deleted
    code, out = run("--home", str(home), "restore", str(tmp_path / "b.tar.gz"), "--force")
    assert code == 0 and list(tmp_path.glob("home.before-restore-*"))


# ---- found by an operator's review -----------------------------------------------------------

def test_a_lost_head_is_never_taken_for_an_empty_store(tmp_path):
    """HEAD.json deleted: reading says so, publishing refuses, nothing is swept; repair brings it back."""
    home = tmp_path / "home"
    two_versions(home)
    (home / "HEAD.json").unlink()
    store = FolderStore(home)
    assert run("--home", str(home), "verify", "--all")[0] == 1
    with pytest.raises(StoreError, match="HEAD.json is missing"):
        publishing.ensure_demo(store)
    assert run("--home", str(home), "publish", str(DEMO))[0] == 1
    assert sorted(p.name for p in (home / "versions").iterdir()) == ["000001", "000002"]
    assert publishing.serving(store).version.id == 2 and publishing.serving(store).damage
    assert run("--home", str(home), "verify", "--repair-head")[0] == 0 and store.current().id == 2


def test_a_version_left_out_of_a_rebuilt_head_is_kept_and_named(tmp_path):
    home = tmp_path / "home"
    two_versions(home)
    manifest = home / "versions" / "000001" / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:50])
    (home / "HEAD.json").write_text('{"curr')
    code, out = run("--home", str(home), "verify", "--repair-head")
    assert code == 1 and "version 1: DAMAGED: not listed in HEAD.json" in out
    assert run("--home", str(home), "publish", str(DEMO), "--note", "after")[0] == 0
    assert (home / "versions" / "000001").is_dir()  # never swept


def test_a_damaged_version_is_backed_up_as_it_is_and_restored(tmp_path, capsys):
    home = tmp_path / "home"
    two_versions(home)
    flip_byte(home)
    assert run("--home", str(home), "rollback", "1", "--note", "bad copy")[0] == 0
    assert run("--home", str(home), "backup", "--out", str(tmp_path / "b.tar.gz"))[0] == 0
    assert "version 2 is damaged" in capsys.readouterr().err
    code, out = run("restore", str(tmp_path / "b.tar.gz"), "--home", str(tmp_path / "r"))  # --home after the command
    assert code == 0 and "restored 3 versions" in out and "were damaged when the backup was taken" in capsys.readouterr().err
    assert FolderStore(tmp_path / "r").current().id == 3


def test_backup_refuses_an_unreadable_head_and_leaves_nothing(tmp_path, capsys):
    home = tmp_path / "home"
    two_versions(home)
    (home / "HEAD.json").write_text("{")
    code, _ = run("--home", str(home), "backup", "--out", str(tmp_path / "b.tar.gz"))
    assert code == 1 and "verify --repair-head" in capsys.readouterr().err
    assert list(tmp_path.glob("*b.tar.gz*")) == []


def test_a_damaged_query_database_is_built_again(tmp_path):
    home = tmp_path / "home"
    store = two_versions(home)
    publishing.open_database(store.current()).close()
    for path in (home / "cache").glob("*.duckdb"):
        path.write_text("garbage")
    code, out = run("--home", str(home), "summary", "--json")
    assert code == 0 and json.loads(out)["version"] == 2


def test_a_publish_whose_query_database_cannot_be_written_succeeds_quietly(tmp_path, monkeypatch, capsys):
    from swgdash.query import db

    home = tmp_path / "home"
    two_versions(home)

    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(db, "write_database", read_only)
    code, out = run("--home", str(home), "publish", str(DEMO), "--note", "read-only cache")
    err = capsys.readouterr().err
    assert code == 0 and out.strip() == "3" and "Traceback" not in err and FolderStore(home).current().id == 3


def test_a_deleted_current_version_is_seen_although_its_database_is_ready(tmp_path):
    import shutil

    home = tmp_path / "home"
    store = two_versions(home)
    publishing.open_database(store.current()).close()
    shutil.rmtree(home / "versions" / "000002")
    shown = publishing.serving(store)
    assert shown.version.id == 1 and "folder 000002 is missing" in " ".join(shown.damage)
