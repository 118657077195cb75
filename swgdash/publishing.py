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
import logging
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from swgdash.i18n import _
from swgdash.query import db
from swgdash import site, store as stores
from swgdash.store.folder import DamagedVersion, HeadUnreadable, Store, StoreError, Version
from swgdash.ingest.validate import Result, upload_day, validate_paths

log = logging.getLogger(__name__)


class _QueryDatabase:
    """A publish's query database, written in a thread while the Parquet files are written
    (DuckDB and Arrow work outside the GIL), then moved into place once the version exists.
    Any failure only logs: the version's first viewer builds it again."""

    def __init__(self, cache: Path, result: Result, as_of: dt.date):
        self.error: Exception | None = None
        try:
            self.path = db.scratch_file(cache)
        except OSError as exc:  # the cache cannot be written: the version's first viewer builds it
            self.path, self.thread = None, None
            log.warning("the query database of this publish is not written now: %s", exc)
            return
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       args=(set(result.tables), result.tables.__getitem__, as_of))
        self.thread.start()

    def _run(self, present, table, as_of):
        try:
            db.write_database(self.path, present, table, as_of, site.default_views, upload_day())
        except Exception as exc:  # reported in finish()
            self.error = exc

    def _clean(self) -> None:
        for leftover in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:  # a cache that cannot be written: nothing was left there either
                pass

    def discard(self) -> None:
        if self.thread is None:
            return
        self.thread.join()
        self._clean()

    def finish(self, version: Version) -> None:
        if self.thread is None:
            return
        self.thread.join()
        try:
            if self.error:
                raise self.error
            db.install(version, self.path)
        except Exception as exc:  # the version is published; its first viewer builds the database
            log.warning("the query database of version %s is not written now (%s); it is built when first "
                        "opened", version.id, " ".join(str(exc).split()))
        finally:
            self._clean()


def _derive(store: Store):
    return lambda result, as_of: _QueryDatabase(store.root / "cache", result, as_of)


def publish(store: Store, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
            **options) -> Version:
    """Publish a validated extract as the new current version (an invalid one is refused,
    recorded in the audit log, and changes nothing: StoreError)."""
    return store.publish(result, as_of, note, by=by, derive=_derive(store), **options)


def publish_paths(store: Store, paths, as_of: dt.date | None = None, note: str = "", by: str | None = None
                  ) -> tuple[Result, Version | None]:
    """Validate files and folders and publish them when valid, as of `as_of` or else the date
    the extract implies (Result.as_of); a refused extract is recorded in the audit log.
    Returns the validation result and the new version (None if refused)."""
    result = validate_paths(paths)
    if not result.ok:
        store.log_refused(result, note=note, by=by)
        return result, None
    return result, publish(store, result, as_of or result.as_of.date, note, by)


def rollback(store: Store, version: int, by: str | None = None, note: str = "") -> Version:
    """Publish an old version again as a new one: history is never rewritten."""
    return store.rollback(version, by=by, note=note, derive=_derive(store))


def ensure_demo(store: Store) -> Version:
    """The current version; on first start with an empty store, the bundled demo published."""
    return store.ensure_demo(derive=_derive(store))


def open_database(version: Version, store: Store | None = None) -> db.Database:
    """A version's query database, built (with the site's figures prepared) when missing; before
    it is built, the version's files are checked against their checksums (DamagedVersion)."""
    if not db.database_file(version).exists():
        problems = (store or stores.at(str(version.path.parent.parent))).check(version)
        if problems:
            raise DamagedVersion(version.id, problems)
    return db.Database(version, site.default_views)


@dataclass
class Serving:
    """The version to show, and what is wrong with the store when it is not the current one."""
    version: Version | None
    damage: list[str] = field(default_factory=list)  # sentences for the banner and stderr
    damaged: list[int] = field(default_factory=list)  # the versions found damaged on the way

    @property
    def fallback(self) -> bool:
        return bool(self.damage)


def serving(store: Store) -> Serving:
    """The version the dashboard shows: the current one when it can be read (its query database
    ready, or its files intact), else the newest intact version, with what is wrong. HEAD.json
    unreadable, or naming a missing version, falls back the same way; nothing is deleted or
    rewritten here (`verify --repair-head` and rollback repair)."""
    damage, versions, damaged = [], None, []
    try:
        current = store.current()
        versions = store.versions()
    except HeadUnreadable as exc:
        damage.append(str(exc))
        current = None
    if versions is None:
        versions = store.versions_on_disk()
    if current is None and not damage:
        return Serving(None)
    newest_first = ([current] if current else []) + [v for v in reversed(versions) if not current or v.id != current.id]
    for v in newest_first:
        if db.database_file(v).exists() and (v.path / "manifest.json").exists():  # (cheap: no checksums)
            return Serving(v, damage, damaged)
        problems = store.check(v)
        if not problems:
            return Serving(v, damage, damaged)
        damaged.append(v.id)
        damage.append(_("version {id} is damaged: {problems}").format(id=v.id, problems='; '.join(problems)))
    return Serving(None, damage, damaged)


@contextlib.contextmanager
def current_or_demo(store: Store):
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
        yield ensure_demo(Store(tmp)), True, []
