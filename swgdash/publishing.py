"""Publishing, the one flow the CLI and the upload page both call: validate an extract,
write it as a new version, build its query database (with the site's figures prepared),
switch HEAD to it and record it in the audit log. Also rollback, the demo on first start,
and opening a version's query database.

The store (swgdash.store) owns the transaction: the version's files, the atomic switch of
HEAD.json and the audit line, under its lock. This module adds what is derived from the
extract (the query database, built in a thread while the files are written) and the
figures to prepare, so the store knows nothing of queries, and the queries nothing of the
store's writing.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from swgdash import fmt, settings, site
from swgdash.i18n import _
from swgdash.ingest.validate import Result, upload_day, validate_paths
from swgdash.query import db
from swgdash.store import (
    DamagedVersion,
    FolderStore,
    HeadUnreadable,
    StoreError,
    StoreUnreachable,
    Version,
    VersionStore,
)

log = logging.getLogger(__name__)
FULL = {errno.ENOSPC, errno.EDQUOT}  # a disk with no room left: the publish is refused
UNWRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}  # a cache that refuses writes: built privately when read


class _QueryDatabase:
    """A publish's query database, written in a thread while the Parquet files are written
    (DuckDB and Arrow work outside the GIL). The store waits for it (`ready`) before it makes the
    version current: a database that cannot be written (a full disk) refuses the publish, which
    changes nothing, rather than a version the pages cannot open. Then it is moved into place."""

    def __init__(self, cache: Path, result: Result, as_of: dt.date):
        self.error: Exception | None = None
        self.path: Path | None
        self.thread: threading.Thread | None
        try:
            self.path = db.scratch_file(cache)
        except OSError as exc:
            if exc.errno in FULL:  # no room for it: the publish is refused (ready)
                self.path, self.thread, self.error = None, None, exc
                return
            # the cache cannot be written (a read-only disk): each server builds it in a private folder
            self.path, self.thread = None, None
            log.warning("the query database of this publish is not written now: %s", exc)
            return
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       args=(self.path, set(result.tables), result.tables.__getitem__, as_of))
        self.thread.start()

    def _run(self, path: Path, present, table, as_of):
        try:
            db.write_database(path, present, table, as_of, site.default_views, upload_day())
        except Exception as exc:  # reported by ready()
            self.error = exc

    def _clean(self) -> None:
        if self.path is None:
            return
        for leftover in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # a cache that cannot be written: nothing was left there either
                pass

    def ready(self) -> None:
        if self.thread is not None:
            self.thread.join()
        if isinstance(self.error, OSError) and self.error.errno in UNWRITABLE:
            # the cache refuses writes (a read-only disk): each server builds it in a private folder
            log.warning("the query database of this publish is not written now: %s", self.error)
            self.thread, self.error = None, None
            self._clean()
        if self.error is not None:
            self._clean()
            detail = getattr(self.error, "strerror", None) or " ".join(str(self.error).split())[:200]
            raise StoreError(_("the query database of the new version could not be written ({value}); nothing "
                               "changed: the current version stays as it was").format(value=detail)) from self.error

    def discard(self) -> None:
        if self.thread is not None:
            self.thread.join()
        self._clean()

    def finish(self, version: Version) -> None:
        if self.thread is None or self.path is None:
            return
        try:
            db.install(version, self.path)
        finally:
            self._clean()


def _derive(store: VersionStore):
    return lambda result, as_of: _QueryDatabase(store.root / "cache", result, as_of)


def publish(store: VersionStore, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
            **options) -> Version:
    """Publish a validated extract as the new current version (an invalid one is refused,
    recorded in the audit log, and changes nothing: StoreError)."""
    return store.publish(result, as_of, note, by=by, derive=_derive(store), **options)


def publish_paths(store: VersionStore, paths, as_of: dt.date | None = None, note: str = "", by: str | None = None
                  ) -> tuple[Result, Version | None]:
    """Validate files and folders and publish them when valid, as of `as_of` or else the date
    the extract implies (Result.as_of); a refused extract is recorded in the audit log.
    Returns the validation result and the new version (None if refused)."""
    result = validate_paths(paths)
    if not result.ok:
        store.log_refused(result, note=note, by=by)
        return result, None
    day = as_of or (result.as_of.date if result.as_of else None)
    if day is None:  # (a valid extract always implies a date: validate_paths)
        raise StoreError(_("the extract implies no as-of date; give one"))
    return result, publish(store, result, day, note, by)


def rollback(store: VersionStore, version: int, by: str | None = None, note: str = "") -> Version:
    """Publish an old version again as a new one: history is never rewritten."""
    return store.rollback(version, by=by, note=note, derive=_derive(store))


def ensure_demo(store: VersionStore) -> Version:
    """The current version; on first start with an empty store, the bundled demo published (and
    the demo's IATI sample imported, when the store holds no IATI set)."""
    first = store.is_empty()
    version = store.ensure_demo(derive=_derive(store))
    if first and version.is_demo:
        try:
            if iati_store(store).is_empty():
                import_iati(store, sorted(DEMO_IATI_DIR.glob("*.xml")), note=fmt.DEMO_NOTE, by=fmt.FIRST_START,
                            demo=True)
        except StoreError as exc:  # (the register's demo stands; the funding page says there is no IATI set)
            log.warning("the demo's IATI sample was not imported: %s", exc)
    return version


# -- the partners' IATI sets (reference data: swgdash.ingest.iati) ----------------------------
DEMO_IATI_DIR = Path(__file__).resolve().parent.parent / "data" / "demo-iati"


def iati_store(store: VersionStore) -> VersionStore:
    """The series of IATI sets kept beside the register's versions."""
    return store.series("iati")


def current_iati(store: VersionStore) -> Version | None:
    """The IATI set the figures read (the series' current version), None when none was imported."""
    return iati_store(store).current()


@dataclass(frozen=True)
class IatiInUse:
    """The IATI set the funding figures read beside a register version (None: none), and why a set
    imported is not read (`withheld`: the demo's made-up sample beside a real register, or a set
    whose files no longer match their checksums)."""
    version: Version | None
    withheld: str | None = None


def iati_for(store: VersionStore, register: Version) -> IatiInUse:
    """The current IATI set to read with the register `register`: not the demo's made-up sample
    once a real register is published (its invented amounts would stand beside real partners), and
    not a set that is damaged (its files checked against their checksums: pages and packs then say
    so, rather than fail)."""
    series = iati_store(store)
    try:
        current = series.current()
    except StoreError as exc:
        return IatiInUse(None, _("the IATI sets cannot be read ({detail})").format(detail=exc))
    if current is None:
        return IatiInUse(None)
    if current.is_demo and not register.is_demo:
        return IatiInUse(None, _("the IATI set kept is the demo's made-up sample, not shown beside a published "
                                 "register"))
    if problems := series.check(current):
        return IatiInUse(None, _("IATI set {id} is damaged ({problems}): import the files again").format(
            id=current.id, problems="; ".join(problems)))
    return IatiInUse(current)


def iati_refusal(found) -> str | None:
    """Why IATI files read (an IatiSet) are not imported, or None: a set with no activity in the
    country would only hide the set before it."""
    if found.activities:
        return None
    return _("no activity in {country} in {files}: are these the files for this country (SWGDASH_IATI_COUNTRY)? "
             "Nothing was imported").format(country=found.country, files=", ".join(f.name for f in found.files) or "—")


def read_iati(items, in_country: str | None = None):
    """IATI files read (swgdash.ingest.iati.read); IatiRefused, naming file and line, changes nothing."""
    from swgdash.ingest import iati

    return iati.read(items, in_country)


def import_iati(store: VersionStore, items, note: str = "", by: str | None = None, in_country: str | None = None,
                demo: bool = False, read=None) -> Version:
    """Read IATI activity files (paths or uploads; `read`: an IatiSet read already) and keep them as
    the new current IATI set: immutable, checksummed, with its files, their generated-datetime, the
    activities kept, who imported it and when. A file that cannot be read changes nothing."""
    found = read if read is not None else read_iati(items, in_country)
    if why := iati_refusal(found):
        from swgdash.ingest.iati import IatiRefused

        raise IatiRefused(why)
    result = Result(tables=found.tables, sources=[f.name for f in found.files], about=found.about())
    return iati_store(store).publish(result, found.data_date or upload_day(), note, by=by, demo=demo)


def open_database(version: Version) -> db.Database:
    """A version's query database, built (with the site's figures prepared) when missing; before
    it is built, the version's files are checked against their checksums (DamagedVersion)."""
    if not db.database_file(version).exists() and version.store is not None:
        problems = version.store.check(version)
        if problems:
            raise DamagedVersion(version.id, problems)
    return db.Database(version, site.default_views)


def verify_database(store: VersionStore, report: dict) -> None:
    """Add to a `verify` report whether the current version's query database can be opened (built
    when missing, as the first page would): a version the pages cannot open is not intact."""
    if report["head"] != "ok":
        return
    current = store.current()
    row = next((r for r in report["versions"] if current is not None and r["version"] == current.id), None)
    if current is None or row is None or not row["intact"]:
        return
    try:
        open_database(current).close()
    except Exception as exc:  # (a full disk, a cache that cannot be written or read)
        detail = getattr(exc, "strerror", None) or " ".join(str(exc).split())[:200]
        row["problems"].append(_("its query database cannot be built ({detail})").format(detail=detail))
        row["intact"] = False
        report["ok"] = False


@dataclass
class Serving:
    """The version to show, and what is wrong with the store when it is not the current one."""
    version: Version | None
    damage: list[str] = field(default_factory=list)  # sentences for the banner and stderr
    damaged: list[int] = field(default_factory=list)  # the versions found damaged on the way
    outage: str | None = None  # the store cannot be reached: since when, and what is shown meanwhile

    @property
    def fallback(self) -> bool:
        return bool(self.damage)


def outage_note(store: VersionStore, version: Version | None) -> str | None:
    """'The store cannot be reached since 2026-12-07 10:42 (+07); showing version 7, as of 31 Oct 2026.'"""
    if store.outage is None:
        return None
    since = fmt.local_time(store.outage.isoformat(), settings.get("SWGDASH_TIMEZONE") or "UTC")
    if version is None:
        return _("The store cannot be reached since {since}.").format(since=since)
    return _("The store cannot be reached since {since}; showing version {id}, as of {as_of}, as this server "
             "holds it.").format(since=since, id=version.id, as_of=fmt.date_str(version.as_of))


def serving(store: VersionStore) -> Serving:
    """The version the dashboard shows: the current one when it can be read (its query database
    ready, or its files intact), else the newest intact version, with what is wrong. HEAD.json
    unreadable, or naming a missing version, falls back the same way; nothing is deleted or
    rewritten here (`verify --repair-head` and rollback repair)."""
    damage: list[str] = []
    damaged: list[int] = []
    versions: list[Version] | None = None
    try:
        current = store.current()
        versions = store.versions()
    except HeadUnreadable as exc:
        damage.append(str(exc))
        current = None
    except StoreUnreachable as exc:  # nothing held locally either
        return Serving(None, [str(exc)], outage=outage_note(store, None))
    if versions is None:
        try:
            versions = store.versions_on_disk()
        except StoreUnreachable as exc:
            return Serving(None, damage + [str(exc)], outage=outage_note(store, None))
    if current is None and not damage:
        return Serving(None, outage=outage_note(store, None))
    newest_first = ([current] if current else []) + [v for v in reversed(versions) if not current or v.id != current.id]
    for v in newest_first:
        if db.database_file(v).exists() and (v.path / "manifest.json").exists():  # (cheap: no checksums)
            return Serving(v, damage, damaged, outage_note(store, v))
        try:
            problems = store.check(v)
        except StoreUnreachable:  # its files are not held here, and cannot be fetched now: an older one
            continue
        if not problems:
            return Serving(v, damage, damaged, outage_note(store, v))
        damaged.append(v.id)
        damage.append(_("version {id} is damaged: {problems}").format(id=v.id, problems='; '.join(problems)))
    return Serving(None, damage, damaged, outage_note(store, None))


@contextlib.contextmanager
def current_or_demo(store: VersionStore):
    """The version to read, for commands that only read (summary, deck): the one the dashboard
    shows (`serving`: the newest intact when the current one is damaged), or on an empty store
    the bundled demo published into a throwaway store, so that reading never publishes anything.
    Yields (version, True when it is that demo, what is wrong with the store)."""
    shown = serving(store)
    if shown.version is not None:
        yield shown.version, False, shown.damage
        return
    if shown.damage:
        raise StoreError(_("no version can be read: ") + " ".join(shown.damage))
    with tempfile.TemporaryDirectory(prefix="swgdash-demo-") as tmp:
        yield ensure_demo(FolderStore(tmp)), True, []
