"""The one contract of a versioned store, which the folder store (swgdash.store.folder) and the
store in object storage (swgdash.store.s3) both implement: the versions, their manifests and
files, the one commit point (HEAD), the audit log, and what they share (the messages an officer
reads, the audit entry of a publish, a version's manifest and files).

Every store keeps these promises (tests/unit/test_store_contract.py holds both to them):
- a version, once HEAD names it, never changes; HEAD never moves to a lower number than it holds;
- a publish is whole or changes nothing (the officer is told which); a publisher killed at any
  moment leaves HEAD naming the old version or the new one, and its leftovers are never listed
  as versions (`unfinished` names them);
- every publish, rollback, refusal and sign-in has its audit entry, or does not happen;
- reading never waits long on a store that cannot be reached: the version held locally is
  served, and `outage` says since when.
"""
from __future__ import annotations

import abc
import contextlib
import dataclasses
import datetime as dt
import getpass
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

import pyarrow as pa

from swgdash import settings
from swgdash.contract import CONTRACT_VERSION, DEMO_AS_OF
from swgdash.errors import UserError
from swgdash.fmt import DEMO_NOTE, FIRST_START
from swgdash.i18n import _
from swgdash.ingest.validate import Result, validate_paths

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = REPO_ROOT / "data" / "demo"
MAX_QUALITY = 2000  # data-quality warnings kept in a version's manifest
log = logging.getLogger("swgdash.store")


# -- what can go wrong, in words for the officer ------------------------------------------------
class StoreError(UserError):
    """A store operation that cannot go ahead; the text is for the user."""


class ExtractRefused(StoreError):
    """An extract with problems: nothing was published."""


class HeadUnreadable(StoreError):
    """HEAD cannot be read, or names no version there is: `verify --repair-head` rebuilds it."""


class DamagedVersion(StoreError):
    """A version whose files do not match its manifest; nothing is deleted."""

    def __init__(self, version: int, problems: list[str]):
        self.version, self.problems = version, problems
        super().__init__(_("version {version} is damaged: {problems}").format(
            version=version, problems="; ".join(problems)))


class StoreUnreachable(StoreError):
    """The store does not answer (an object store's endpoint down or hanging)."""


class StoreReadOnly(StoreError):
    """The store can be read but not written: nothing can be published, and nobody signs in to."""


def unreachable(detail: object) -> StoreUnreachable:
    return StoreUnreachable(_("the store cannot be reached ({detail}); nothing changed").format(
        detail=" ".join(str(detail).split())[:200]))


def read_only(location: str, detail: object) -> StoreReadOnly:
    return StoreReadOnly(_("the store ({location}) is read-only ({detail}): publishing is unavailable, and "
                           "nothing changed").format(location=location, detail=" ".join(str(detail).split())[:200]))


def not_written(detail: object) -> StoreError:
    return StoreError(_("the new version could not be written ({value}); nothing changed: the current "
                        "version stays as it was").format(value=" ".join(str(detail).split())[:200]))


def refused(errors: int) -> ExtractRefused:
    return ExtractRefused(_("the extract has {errors} problems; nothing was published").format(errors=errors))


def busy() -> StoreError:
    return StoreError(_("another publish is under way; try again in a moment"))


def no_such_version(version: int) -> StoreError:
    return StoreError(_("there is no version {version}").format(version=version))


def head_missing() -> HeadUnreadable:
    return HeadUnreadable(_("HEAD.json is missing, but the versions folder holds published versions; "
                            "`python -m swgdash verify --repair-head` rebuilds it"))


def head_garbled(exc: Exception) -> HeadUnreadable:
    return HeadUnreadable(_("HEAD.json cannot be read ({split}); `python -m swgdash verify --repair-head` "
                            "rebuilds it from the versions folder").format(split=" ".join(str(exc).split())))


def head_names_nothing(current: int) -> HeadUnreadable:
    return HeadUnreadable(_("HEAD.json names version {current} as current, and there is no such version; "
                            "`python -m swgdash verify --repair-head` rebuilds it").format(current=current))


def parse_head(text: bytes | str) -> dict:
    """A HEAD document, or HeadUnreadable."""
    try:
        head = json.loads(text)
        if not isinstance(head, dict) or not isinstance(head.get("versions"), list):
            raise ValueError(_("not a HEAD document"))
        return head
    except ValueError as exc:
        raise head_garbled(exc) from None


# -- a version ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    id: int
    path: Path  # its local folder
    manifest: dict
    store: "VersionStore | None" = field(default=None, compare=False, repr=False)

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
        """The table's Parquet file, fetched first when its store keeps it elsewhere."""
        path = self.path / f"{table}.parquet"
        if not path.exists() and self.store is not None:
            self.store.local(self)
        return path

    def read(self, table: str) -> pa.Table:
        import pyarrow.parquet as pq
        return pq.read_table(self.file(table))


class Derived(Protocol):
    """Work derived from an extract while it is published (the query database: swgdash.publishing).
    `ready()` is called before the version is made current and raises when the work failed (the
    publish then changes nothing); `finish(version)` once it is current; `discard()` otherwise."""

    def ready(self) -> None: ...

    def finish(self, version: Version) -> None: ...

    def discard(self) -> None: ...


Derive = Callable[[Result, dt.date], Derived]


# -- the contract -------------------------------------------------------------------------------
class VersionStore(abc.ABC):
    """A versioned store. `root` is its local folder: the folder store's own, or the object
    store's local copy of what it has read (its query databases live under root/cache)."""

    root: Path
    archivable: bool = True  # `backup`/`restore` apply (an object store keeps its own copies)

    # reading
    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Where the store is, as a person would write it (its folder, or its s3:// address)."""

    @abc.abstractmethod
    def head_stamp(self) -> tuple:
        """Something that changes whenever HEAD does (caches of the version shown key on it)."""

    @abc.abstractmethod
    def head(self) -> dict:
        """HEAD as this store reads it: {"current": n or None, "versions": [manifest, ...]}
        (HeadUnreadable when it cannot be read)."""

    def folder_of(self, version: int) -> Path:
        """A version's local folder."""
        return self.root / "versions" / f"{version:06d}"

    def version_of(self, manifest: dict) -> Version:
        return Version(manifest["version"], self.folder_of(manifest["version"]), manifest, self)

    def versions(self) -> list[Version]:
        return [self.version_of(m) for m in self.head()["versions"]]

    def current(self) -> Version | None:
        head = self.head()
        if head["current"] is None:
            return None
        try:
            return self.get(head["current"])
        except StoreError:
            raise head_names_nothing(head["current"]) from None

    def get(self, version: int) -> Version:
        for m in self.head()["versions"]:
            if m["version"] == version:
                return self.version_of(m)
        raise no_such_version(version)

    def is_empty(self) -> bool:
        return self.current() is None

    @abc.abstractmethod
    def versions_on_disk(self) -> list[Version]:
        """Every finished version whose manifest can be read, oldest first, HEAD naming it or not:
        what HEAD is rebuilt from."""

    @abc.abstractmethod
    def unlisted_folders(self) -> list[int]:
        """Finished versions HEAD leaves out (a manifest unreadable when HEAD was rebuilt): kept."""

    @abc.abstractmethod
    def unfinished(self) -> list[str]:
        """Where publishes that did not finish left files (killed, or the store gone meanwhile), as
        paths inside the store: never versions; the next publish sweeps them (S3Store: once an hour old)."""

    @abc.abstractmethod
    def local(self, version: Version) -> Version:
        """The version with its files in its local folder."""

    @contextlib.contextmanager
    def for_checking(self) -> Iterator["VersionStore"]:
        """The store as `verify` reads it: its own files, not this machine's copies of them."""
        yield self

    @abc.abstractmethod
    def series(self, name: str) -> "VersionStore":
        """The store of a series of reference data kept beside the register's versions (`iati`: the
        partners' IATI sets), under the same home, with the same promises and its own HEAD and audit."""

    @property
    def outage(self) -> dt.datetime | None:
        """Since when the store has not answered (None: it answers); reading then serves what
        is held locally."""
        return None

    def check(self, version: Version) -> list[str]:
        """What is wrong with a version's files, in words (empty when intact): a missing or changed
        Parquet file, a missing or unreadable manifest."""
        version = self.local(version)
        if not version.path.is_dir():
            return [_("its folder {name} is missing").format(name=version.path.name)]
        problems = []
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
            elif sha256(path) != info["sha256"]:
                problems.append(_("{name}.parquet does not match its checksum (changed or damaged)").format(name=name))
        return problems

    @abc.abstractmethod
    def audit(self, last: int | None = None) -> list[dict]:
        """The audit log's entries, oldest first; with `last`, only the last ones."""

    # writing
    @abc.abstractmethod
    def append_audit(self, entry: dict) -> None:
        """Add one entry to the audit log (StoreReadOnly, StoreUnreachable when it cannot be)."""

    def log(self, event: str, **fields) -> None:
        """The audit entry of an event (the one place that composes them)."""
        self.append_audit({"time": now(), "event": event, "by": fields.pop("by", None) or user(), **fields})

    def log_refused(self, result: Result, note: str = "", by: str | None = None, **fields) -> None:
        """The audit line of an extract refused (the one place that writes it)."""
        self.log("refused", note=note, sources=result.sources, errors=len(result.errors), by=by, **fields)

    @abc.abstractmethod
    def publish(self, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
                demo: bool = False, rollback_of: int | None = None,
                only_if_empty: bool = False, derive: Derive | None = None) -> Version:
        """Write a validated extract as a new version and make it current, or change nothing.
        `derive(result, as_of)` starts work derived from the extract (the query database) while
        the files are written; the version becomes current only once that work is ready."""

    @abc.abstractmethod
    def repair_head(self) -> dict:
        """Write HEAD anew from the finished versions (the newest intact one current); leftovers of
        publishes that did not finish are not adopted. Returns the new HEAD and "unlisted"."""

    def rollback(self, version: int, by: str | None = None, note: str = "", derive: Derive | None = None) -> Version:
        """Publish an old version again as a new one: history is never rewritten."""
        old = self.get(version)
        if problems := self.check(old):
            raise DamagedVersion(version, problems)
        tables = {name: old.read(name) for name in old.tables}
        result = Result(tables=tables, sources=[f"version {version}"])  # (recorded in English: fmt.recorded)
        return self.publish(result, old.as_of, note or f"rollback to version {version}", by=by,
                            demo=old.is_demo, rollback_of=version, derive=derive)

    def ensure_demo(self, derive: Derive | None = None) -> Version:
        """On first start with an empty store, publish the bundled demo extract."""
        current = self.current()
        if current is not None:
            return current
        result = validate_paths([DEMO_DIR])
        if not result.ok:  # the bundled demo is tested; this would be a packaging bug
            raise StoreError(_("the bundled demo extract is invalid: ") + "; ".join(map(str, result.errors[:5])))
        return self.publish(result, DEMO_AS_OF, DEMO_NOTE, by=FIRST_START, demo=True, only_if_empty=True,
                            derive=derive)

    # shared steps of a publish
    def refuse_invalid(self, result: Result, note: str, by: str | None) -> None:
        if not result.ok:
            self.log_refused(result, note=note, by=by)
            raise refused(len(result.errors))

    def published(self, number: int, result: Result, as_of: dt.date, note: str, by: str | None,
                  rollback_of: int | None, builder: Derived | None) -> Version:
        """After a version is made current: the derived work finished, and its audit entry."""
        version = self.get(number)
        if builder:
            try:
                builder.finish(version)
            except Exception as exc:  # the database is ready beside it; its first viewer moves it into place
                log.warning("work derived from version %s not finished: %s", number, exc)
        try:
            self.log("rollback" if rollback_of is not None else "publish", version=number,
                     as_of=as_of.isoformat(), note=note, sources=list(result.sources), by=by)
        except StoreError as exc:  # the version is published; say so on the server's log
            log.error("version %s is published, and its audit entry could not be written: %s", number, exc)
        return version


# -- a version's files and manifest (both stores write the same) -------------------------------
def write_tables(folder: Path, result: Result) -> dict:
    """Write each table of the extract as Parquet into `folder` (synced); {name: {rows, sha256}}."""
    import pyarrow.parquet as pq
    files = {}
    for name, table in result.tables.items():
        path = folder / f"{name}.parquet"
        pq.write_table(table, path)
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())
        files[name] = {"rows": table.num_rows, "sha256": sha256(path)}
    return files


def _english(make):
    """What `make()` writes, in English (a record kept for every reader)."""
    from swgdash import i18n

    with i18n.language("en"):
        return make()


def build_manifest(number: int, result: Result, as_of: dt.date, note: str, by: str | None, demo: bool,
                   rollback_of: int | None, files: dict) -> dict:
    """A version's manifest.json."""
    manifest = {
        "version": number, "as_of": as_of.isoformat(), "note": note,
        "published_at": now(), "published_by": by or user(),
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
    if result.about:
        manifest["about"] = result.about
    return manifest


SERIES = ("iati",)  # the reference series a store keeps (VersionStore.series)


def series_name(name: str) -> str:
    if name not in SERIES:
        raise ValueError(f"no reference series {name!r}")
    return name


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


def entries(lines: Iterable[str]) -> list[dict]:
    """Audit entries from JSON lines; a blank or torn line (a process killed while writing) is skipped."""
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
