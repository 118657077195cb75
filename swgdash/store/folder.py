"""The versioned store: immutable snapshots and one atomic pointer.

Layout of the store folder (``data/store`` unless ``SWGDASH_HOME`` names another):

    HEAD.json            {"current": 3, "versions": [manifest, ...]}  <- the one commit point
    versions/000003/     <table>.parquet for every table of the extract + manifest.json
    audit.jsonl          one line per publish, rollback or refused attempt
    cache/               each version's query database (DuckDB), derived from its Parquet
                         files; safe to delete, rebuilt when missing (see swgdash.query.db)
    .lock                held while publishing, so publishes are serialised

A publish writes the new snapshot into a temporary folder, renames it into
place, then replaces HEAD.json with os.replace (atomic on POSIX). A process
killed at any moment leaves HEAD.json naming the previous version or the new
one; a half-written folder is never named by HEAD.json and is swept away by the
next publish.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import getpass
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Protocol
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from swgdash.fmt import DEMO_NOTE, FIRST_START
from swgdash.i18n import _
from swgdash import settings
from swgdash.errors import UserError
from swgdash.contract import CONTRACT_VERSION, TABLES
from swgdash.ingest.validate import Result, validate_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO_ROOT / "data" / "demo"
DEMO_AS_OF = dt.date(2026, 10, 31)
log = logging.getLogger(__name__)
MAX_QUALITY = 2000  # data-quality warnings kept in a version's manifest



def _english(make):
    """What `make()` writes, in English (a record kept for every reader)."""
    from swgdash import i18n

    with i18n.language("en"):
        return make()

class StoreError(UserError):
    """A store operation that cannot go ahead; the text is for the user."""


class ExtractRefused(StoreError):
    """An extract with problems: nothing was published."""


class HeadUnreadable(StoreError):
    """HEAD.json cannot be read, or names no version there is: `verify --repair-head` rebuilds it."""


class DamagedVersion(StoreError):
    """A version whose files do not match its manifest; nothing is deleted."""

    def __init__(self, version: int, problems: list[str]):
        self.version, self.problems = version, problems
        super().__init__(_("version {version} is damaged: {problems}").format(version=version, problems='; '.join(problems)))


def default_root() -> Path:
    home = settings.get("SWGDASH_HOME")
    return Path(home).expanduser() if home else REPO_ROOT / "data" / "store"


def is_url(home) -> bool:
    """Whether a store location is an object store's address (s3://bucket/prefix), not a folder."""
    return isinstance(home, str) and home.startswith("s3://")


_OPEN: dict[str, "Store"] = {}  # stores whose files live elsewhere, by their local folder (Store.at)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    _fsync_dir(path.parent)


@dataclass(frozen=True)
class Version:
    id: int
    path: Path
    manifest: dict

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.manifest["as_of"])

    @property
    def published_on(self) -> dt.date:
        """The day it was published, in the deployment's time zone: its extract's upload day."""
        return dt.datetime.fromisoformat(self.manifest["published_at"]).astimezone(settings.timezone()).date()

    @property
    def tables(self) -> list[str]:
        return list(self.manifest["tables"])

    @property
    def is_demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    @property
    def fingerprint(self) -> str:
        """A digest of what the version holds (its files' checksums, as-of date and publishing
        time): caches key on it, never on the number alone, which a store emptied and
        published again gives to other data."""
        m = self.manifest
        text = json.dumps([m.get("published_at"), m.get("as_of"), m["tables"]], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def file(self, table: str) -> Path:
        """The table's Parquet file, fetched first when its store is elsewhere (an object store)."""
        path = self.path / f"{table}.parquet"
        if not path.exists() and (store := _OPEN.get(str(self.path.parent.parent))) is not None:
            store.local(self)
        return path

    def read(self, table: str) -> pa.Table:
        return pq.read_table(self.file(table))


class Store:
    """The folder store (swgdash.store.open_store opens an s3:// address as swgdash.store.s3.S3Store,
    the same store in S3-compatible object storage, with a local folder holding the files it read)."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else default_root()

    @property
    def location(self) -> str:
        """Where the store is, as a person would write it (its folder, or its s3:// address)."""
        return str(self.root)

    def head_stamp(self) -> tuple:
        """Something that changes whenever HEAD.json does (caches of the version shown key on it)."""
        try:
            st_ = self.head_path.stat()
            return st_.st_mtime_ns, st_.st_size, st_.st_ino
        except OSError:
            return (None,)

    def local(self, version: "Version") -> "Version":
        """The version with its files in its local folder (a folder store's are there already)."""
        return version

    # -- reading -----------------------------------------------------------
    @property
    def head_path(self) -> Path:
        return self.root / "HEAD.json"

    def _head(self) -> dict:
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
            if not isinstance(head, dict) or not isinstance(head.get("versions"), list):
                raise ValueError(_("not a HEAD document"))
            return head
        except FileNotFoundError:
            if _dir_numbers(self.root / "versions"):
                raise HeadUnreadable(_("HEAD.json is missing, but the versions folder holds "
                                       "published versions; `python -m swgdash verify "
                                       "--repair-head` rebuilds it")) from None
            return {"current": None, "versions": []}
        except (OSError, ValueError) as exc:  # garbage, a torn copy, an unreadable disk
            raise HeadUnreadable(_("HEAD.json cannot be read ({split}); `python -m swgdash "
                                   "verify --repair-head` rebuilds it from the versions folder").format(split=' '.join(str(exc).split()))) from None

    def versions_on_disk(self) -> list[Version]:
        """Every version folder whose manifest can be read, oldest first: what HEAD.json is rebuilt
        from when it cannot be read."""
        out = []
        for folder in sorted((self.root / "versions").glob("[0-9]*")):
            try:
                manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                if manifest.get("version") == int(folder.name):
                    out.append(Version(int(folder.name), folder, manifest))
            except (OSError, ValueError, AttributeError):
                continue
        return out

    def check(self, version: Version) -> list[str]:
        """What is wrong with a version's files, in words (empty when intact): a missing or
        changed Parquet file, a missing or unreadable manifest."""
        problems = []
        if not version.path.is_dir():
            return [f"its folder {version.path.name} is missing"]
        try:
            json.loads((version.path / "manifest.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(_("manifest.json is missing"))
        except (OSError, ValueError):
            problems.append(_("manifest.json cannot be read (truncated or changed)"))
        for name, info in version.manifest["tables"].items():
            path = version.path / f"{name}.parquet"
            if not path.exists():
                problems.append(_("{name}.parquet is missing").format(name=name))
            elif _sha256(path) != info["sha256"]:
                problems.append(_("{name}.parquet does not match its checksum (changed or damaged)").format(name=name))
        return problems

    def repair_head(self) -> dict:
        """Write HEAD.json anew from the version folders (the newest intact version current), under
        the lock; the unreadable one is kept beside it as HEAD.json.damaged-<time>. Returns the new HEAD."""
        with self._lock():
            found = self.versions_on_disk()
            intact = [v for v in found if not self.check(v)]
            head = {"current": intact[-1].id if intact else None, "versions": [v.manifest for v in found]}
            listed = {v.id for v in found}
            unlisted = [n for n in _dir_numbers(self.root / "versions") if n not in listed]
            if self.head_path.exists():
                stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
                os.replace(self.head_path, self.head_path.with_name(f"HEAD.json.damaged-{stamp}"))
            _write_atomic(self.head_path, json.dumps(head, indent=1, ensure_ascii=False))
        self.log("repair_head", version=head["current"], note=f"HEAD.json rebuilt from {len(found)} version folders"
                 + (_("; not listed (manifest unreadable, folder kept): {unlisted}").format(unlisted=unlisted) if unlisted else ""))
        return {**head, "unlisted": sorted(unlisted)}

    def unlisted_folders(self) -> list[int]:
        """Version folders HEAD.json does not name, older than its newest version (a version whose
        manifest could not be read when HEAD was rebuilt); they are kept, never swept."""
        named = {m["version"] for m in self._head()["versions"]}
        top = max(named, default=0)
        return [n for n in _dir_numbers(self.root / "versions") if n not in named and n < top]

    def is_empty(self) -> bool:
        return self._head()["current"] is None

    def versions(self) -> list[Version]:
        head = self._head()
        return [Version(m["version"], self._dir(m["version"]), m) for m in head["versions"]]

    def current(self) -> Version | None:
        head = self._head()
        if head["current"] is None:
            return None
        try:
            return self.get(head["current"])
        except StoreError:
            raise HeadUnreadable(_("HEAD.json names version {current} as current, and there is "
                                   "no such version; `python -m swgdash verify --repair-head` "
                                   "rebuilds it").format(current=head['current'])) from None

    def get(self, version: int) -> Version:
        for m in self._head()["versions"]:
            if m["version"] == version:
                return Version(version, self._dir(version), m)
        raise StoreError(_("there is no version {version}").format(version=version))

    def _dir(self, version: int) -> Path:
        return self.root / "versions" / f"{version:06d}"

    def audit(self, last: int | None = None) -> list[dict]:
        """The audit log's entries, oldest first; with `last`, only the last ones (read from the end of
        the file, so the time does not grow with the log)."""
        path = self.root / "audit.jsonl"
        if not path.exists():
            return []
        if last is None:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            text = _tail(path, last)
        entries = []
        for line in text.splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:  # blank, or torn by a process killed while writing it
                continue
        return entries

    # -- writing -----------------------------------------------------------
    @contextmanager
    def _lock(self, wait: bool = True):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise StoreError(_("another publish is under way; try again in a moment")) from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def log(self, event: str, **fields) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        entry = {"time": _now(), "event": event, "by": fields.pop("by", None) or _user(), **fields}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with open(self.root / "audit.jsonl", "a+b") as fh:
            if fh.seek(0, os.SEEK_END):
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":  # the last line was torn by a kill: start a fresh one
                    line = b"\n" + line
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def log_refused(self, result: Result, note: str = "", by: str | None = None, **fields) -> None:
        """The audit line of an extract refused (the one place that writes it)."""
        self.log("refused", note=note, sources=result.sources, errors=len(result.errors), by=by, **fields)

    def publish(self, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
                demo: bool = False, rollback_of: int | None = None,
                only_if_empty: bool = False, derive: "Derive | None" = None) -> Version:
        """Write a validated extract as a new version and make it current. `derive(result, as_of)`,
        when given, starts work derived from the extract (swgdash.publishing: its query database)
        while the files are written; it is finished once the version exists, or discarded."""
        if not result.ok:
            self.log_refused(result, note=note, by=by)
            raise ExtractRefused(_("the extract has {errors} problems; nothing was published").format(errors=len(result.errors)))
        with self._lock():
            head = self._head()
            if only_if_empty and head["current"] is not None:
                return self.get(head["current"])
            builder = derive(result, as_of) if derive else None  # e.g. the query database, alongside the files
            tmp = final = None
            try:
                vdir = self.root / "versions"
                vdir.mkdir(parents=True, exist_ok=True)
                self._sweep(vdir, head)
                number = max([m["version"] for m in head["versions"]] + _dir_numbers(vdir) + [0]) + 1
                tmp = vdir / f".tmp-{uuid.uuid4().hex}"
                tmp.mkdir()
                files = write_tables(tmp, result)
                manifest = build_manifest(number, result, as_of, note, by, demo, rollback_of, files)
                (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                                   encoding="utf-8")
                _fsync_dir(tmp)
                final = self._dir(number)
                os.rename(tmp, final)
                _fsync_dir(vdir)
                new_head = {"current": number, "versions": head["versions"] + [manifest]}
                _write_atomic(self.head_path, json.dumps(new_head, indent=1, ensure_ascii=False))
            except OSError as exc:  # a full or failing disk: the partial version goes, the current one stays
                if builder:
                    builder.discard()
                if self._head().get("current") != (final and number):  # HEAD was not switched
                    for partial in (tmp, final):
                        if partial is not None:
                            shutil.rmtree(partial, ignore_errors=True)
                raise StoreError(_("the new version could not be written ({value}); nothing "
                                   "changed: the current version stays as it was").format(value=exc.strerror or exc)) from exc
            except BaseException:
                if builder:
                    builder.discard()
                raise
        return self._published(number, result, as_of, note, by, rollback_of, builder)

    def _published(self, number: int, result: Result, as_of: dt.date, note: str, by: str | None,
                   rollback_of: int | None, builder) -> Version:
        """After a version is made current: its audit entry, and the derived work finished."""
        self.log("rollback" if rollback_of is not None else "publish", version=number,
                 as_of=as_of.isoformat(), note=note, sources=list(result.sources), by=by)
        version = self.get(number)
        if builder:
            try:
                builder.finish(version)
            except Exception as exc:  # the version is published; its first viewer builds what is missing
                log.warning("work derived from version %s not finished: %s", number, exc)
        return version

    def rollback(self, version: int, by: str | None = None, note: str = "", derive: "Derive | None" = None) -> Version:
        """Publish an old version again as a new one: history is never rewritten."""
        old = self.get(version)
        if problems := self.check(old):
            raise DamagedVersion(version, problems)
        tables = {name: old.read(name) for name in old.tables}
        result = Result(tables=tables, sources=[f"version {version}"])  # (recorded in English: fmt.recorded)
        return self.publish(result, old.as_of, note or f"rollback to version {version}", by=by,
                            demo=old.is_demo, rollback_of=version, derive=derive)

    def verify(self, version: Version) -> list[str]:
        """The tables whose files are missing or do not match their checksums (empty when intact)."""
        bad = []
        for name, info in version.manifest["tables"].items():
            path = version.path / f"{name}.parquet"
            if not path.exists() or _sha256(path) != info["sha256"]:
                bad.append(name)
        return bad

    def _sweep(self, vdir: Path, head: dict) -> None:
        """Remove leftovers of publishes that were killed before they finished."""
        named = {m["version"] for m in head["versions"]}
        for stale in self.root.glob(".HEAD.json.*.tmp"):  # killed inside _write_atomic
            stale.unlink(missing_ok=True)
        for stale in self.root.glob("cache/.*.tmp*"):  # a query database build killed an hour or more ago
            try:
                if time.time() - stale.stat().st_mtime > 3600:
                    stale.unlink()
            except OSError:
                pass
        for child in vdir.iterdir():
            if child.name.startswith(".tmp-"):
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.isdigit() and int(child.name) > max(named, default=0):
                shutil.rmtree(child, ignore_errors=True)  # a publish killed between rename and HEAD

    def ensure_demo(self, derive: "Derive | None" = None) -> Version:
        """On first start with an empty store, publish the bundled demo extract."""
        current = self.current()
        if current is not None:
            return current
        result = validate_paths([DEMO_DIR])
        if not result.ok:  # the bundled demo is tested; this would be a packaging bug
            raise StoreError(_("the bundled demo extract is invalid: ") + "; ".join(map(str, result.errors[:5])))
        return self.publish(result, DEMO_AS_OF, DEMO_NOTE,
                            by=FIRST_START, demo=True, only_if_empty=True, derive=derive)


class Derived(Protocol):
    """Work derived from an extract while it is published (see Store.publish)."""

    def discard(self) -> None: ...

    def finish(self, version: Version) -> None: ...


Derive = Callable[[Result, dt.date], Derived]


def write_tables(folder: Path, result: Result) -> dict:
    """Write each table of the extract as Parquet into `folder` (synced); {name: {rows, sha256}}."""
    files = {}
    for name, table in result.tables.items():
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())
        files[name] = {"rows": table.num_rows, "sha256": _sha256(path)}
    return files


def build_manifest(number: int, result: Result, as_of: dt.date, note: str, by: str | None, demo: bool,
                   rollback_of: int | None, files: dict) -> dict:
    """A version's manifest.json (the folder store and the object store write the same)."""
    manifest = {
        "version": number, "as_of": as_of.isoformat(), "note": note,
        "published_at": _now(), "published_by": by or _user(),
        "sources": list(result.sources), "tables": files,
        "contract_version": CONTRACT_VERSION, "demo": demo,
        # recorded in English, whatever the publisher's language (`quality` keeps each
        # warning's message in every language it was written in: swgdash.ingest.validate)
        "warnings": _english(lambda: [str(dataclasses.replace(p, message=p.text("en")))
                                      for p in result.warnings][:200]),
        # the data-quality warnings, each with table, row and column (swgdash.ingest.quality)
        "quality": [{**p.as_dict(), "message": p.text("en")} for p in result.warnings][:MAX_QUALITY],
    }
    if rollback_of is not None:
        manifest["rollback_of"] = rollback_of
    return manifest


def _dir_numbers(vdir: Path) -> list[int]:
    return sorted(int(c.name) for c in vdir.iterdir() if c.name.isdigit()) if vdir.is_dir() else []


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def _tail(path: Path, lines: int, block: int = 65536) -> str:
    """The last `lines` lines of a text file, reading blocks from its end."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        end = pos = fh.tell()
        data = b""
        while pos > 0 and data.count(b"\n") <= lines:
            pos = max(0, pos - block)
            fh.seek(pos)
            data = fh.read(end - pos)
    kept = data.split(b"\n")[-(lines + 1):]
    return b"\n".join(kept).decode("utf-8", errors="replace")
