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
from pathlib import Path

from . import db, site
from .store import Store, Version
from .validate import Result, upload_day, validate_paths

log = logging.getLogger(__name__)


class _QueryDatabase:
    """A publish's query database, written in a thread while the Parquet files are written
    (DuckDB and Arrow work outside the GIL), then moved into place once the version exists.
    Any failure only logs: the version's first viewer builds it again."""

    def __init__(self, cache: Path, result: Result, as_of: dt.date):
        self.error: Exception | None = None
        self.path = db.scratch_file(cache)
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       args=(set(result.tables), result.tables.__getitem__, as_of))
        self.thread.start()

    def _run(self, present, table, as_of):
        try:
            db.write_database(self.path, present, table, as_of, site.default_views, upload_day())
        except Exception as exc:  # reported in finish()
            self.error = exc

    def _clean(self) -> None:
        self.path.unlink(missing_ok=True)
        self.path.with_name(self.path.name + ".wal").unlink(missing_ok=True)

    def discard(self) -> None:
        self.thread.join()
        self._clean()

    def finish(self, version: Version) -> None:
        self.thread.join()
        try:
            if self.error:
                raise self.error
            db.install(version, self.path)
        except Exception:
            log.exception("could not build the query database of version %s now", version.id)
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


def open_database(version: Version) -> db.Database:
    """A version's query database, built (with the site's figures prepared) when missing."""
    return db.Database(version, site.default_views)


@contextlib.contextmanager
def current_or_demo(store: Store):
    """The current version to read, for commands that only read (summary, deck): on an empty
    store, the bundled demo published into a throwaway store instead, so that reading never
    publishes anything. Yields (version, True when it is that demo)."""
    current = store.current()
    if current is not None:
        yield current, False
        return
    with tempfile.TemporaryDirectory(prefix="swgdash-demo-") as tmp:
        yield ensure_demo(Store(tmp)), True
