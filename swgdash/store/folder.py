"""The folder store: immutable snapshots and one atomic pointer (the contract: swgdash.store.protocol).

Layout of the store folder (``data/store`` unless ``SWGDASH_HOME`` names another):

    HEAD.json            {"current": 3, "versions": [manifest, ...]}  <- the one commit point
    versions/000003/     <table>.parquet for every table of the extract + manifest.json
    audit.jsonl          one line per publish, rollback, refused attempt or sign-in
    cache/               each version's query database (DuckDB), derived from its Parquet
                         files; safe to delete, rebuilt when missing (see swgdash.query.db)
    .lock                held while publishing, so publishes are serialised

A publish writes the new snapshot into a temporary folder, waits for its query database,
renames the folder into place, then replaces HEAD.json with os.replace (atomic on POSIX). A
process killed at any moment leaves HEAD.json naming the previous version or the new one; a
half-written folder is never named by HEAD.json and is swept away by the next publish.
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from swgdash import settings
from swgdash.i18n import _
from swgdash.ingest.validate import Result
from swgdash.store.protocol import (
    REPO_ROOT,
    Derive,
    StoreError,
    Version,
    VersionStore,
    build_manifest,
    busy,
    entries,
    head_garbled,
    head_missing,
    log,
    not_written,
    parse_head,
    read_only,
    series_name,
    write_tables,
)

READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}  # a disk or folder that refuses writes


def default_root() -> Path:
    home = settings.get("SWGDASH_HOME")
    return Path(home).expanduser() if home else REPO_ROOT / "data" / "store"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace_atomic(path: Path, text: str) -> bool:
    """Replace `path` with `text` through a synced temporary file and os.replace. Returns whether the
    folder was synced after (False: the file is replaced, the rename not yet known to be on disk);
    OSError when the file was not replaced."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    try:
        _fsync_dir(path.parent)
        return True
    except OSError as exc:
        log.warning("%s is replaced, and its folder could not be synced: %s", path, exc)
        return False


class FolderStore(VersionStore):
    """The store in a folder of this machine (or a shared disk)."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else default_root()

    @property
    def location(self) -> str:
        return str(self.root)

    def series(self, name: str) -> "FolderStore":
        return FolderStore(self.root / "reference" / series_name(name))

    def head_stamp(self) -> tuple:
        try:
            st_ = self.head_path.stat()
            return st_.st_mtime_ns, st_.st_size, st_.st_ino
        except OSError:
            return (None,)

    def local(self, version: Version) -> Version:
        return version

    # -- reading -----------------------------------------------------------
    @property
    def head_path(self) -> Path:
        return self.root / "HEAD.json"

    def head(self) -> dict:
        try:
            return parse_head(self.head_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if _dir_numbers(self.root / "versions"):
                raise head_missing() from None
            return {"current": None, "versions": []}
        except OSError as exc:  # an unreadable disk
            raise head_garbled(exc) from None

    def versions_on_disk(self) -> list[Version]:
        out = []
        for folder in sorted((self.root / "versions").glob("[0-9]*")):
            try:
                manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                if manifest.get("version") == int(folder.name):
                    out.append(self.version_of(manifest))
            except (OSError, ValueError, AttributeError):
                continue
        return out

    def repair_head(self) -> dict:
        """(A version folder is whole before it is renamed into place, so every numbered folder is a
        finished publish; the unreadable HEAD.json is kept beside it as HEAD.json.damaged-<time>.)"""
        with self._lock():
            found = self.versions_on_disk()
            intact = [v for v in found if not self.check(v)]
            listed = {v.id for v in found}
            unlisted = [n for n in _dir_numbers(self.root / "versions") if n not in listed]
            # (named in HEAD as kept: no publish sweeps them or takes their numbers)
            head = {"current": intact[-1].id if intact else None, "versions": [v.manifest for v in found],
                    **({"unlisted": unlisted} if unlisted else {})}
            if self.head_path.exists():
                stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
                os.replace(self.head_path, self.head_path.with_name(f"HEAD.json.damaged-{stamp}"))
            _replace_atomic(self.head_path, json.dumps(head, indent=1, ensure_ascii=False))
        self.log("repair_head", version=head["current"], note=f"HEAD.json rebuilt from {len(found)} version folders"
                 + (_("; not listed (manifest unreadable, folder kept): {unlisted}").format(unlisted=unlisted)
                    if unlisted else ""))
        return {**head, "unlisted": sorted(unlisted)}

    def unlisted_folders(self) -> list[int]:
        head = self.head()
        named = {m["version"] for m in head["versions"]}
        top = max(named, default=0)
        kept = set(head.get("unlisted", []))
        return [n for n in _dir_numbers(self.root / "versions") if n not in named and (n < top or n in kept)]

    def unfinished(self) -> list[str]:
        """(A publish that did not finish leaves a .tmp- folder, or a numbered folder above HEAD's
        newest version when killed between its rename and HEAD: the next publish sweeps both.)"""
        vdir = self.root / "versions"
        if not vdir.is_dir():
            return []
        head = self.head()
        top = max((m["version"] for m in head["versions"]), default=0)
        kept = set(head.get("unlisted", []))
        return sorted(f"versions/{c.name}" for c in vdir.iterdir() if c.name.startswith(".tmp-")
                      or (c.name.isdigit() and int(c.name) > top and int(c.name) not in kept))

    def audit(self, last: int | None = None) -> list[dict]:
        """(With `last`, read from the end of the file, so the time does not grow with the log.)"""
        path = self.root / "audit.jsonl"
        if not path.exists():
            return []
        text = path.read_text(encoding="utf-8", errors="replace") if last is None else _tail(path, last)
        return entries(text.splitlines())

    # -- writing -----------------------------------------------------------
    @contextmanager
    def _lock(self, wait: bool = True):
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / ".lock", "a+")
        except OSError as exc:
            if exc.errno in READ_ONLY:
                raise read_only(self.location, exc.strerror or exc) from None
            raise not_written(exc.strerror or exc) from None
        with fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise busy() from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def append_audit(self, entry: dict) -> None:
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with open(self.root / "audit.jsonl", "a+b") as fh:
                if fh.seek(0, os.SEEK_END):
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":  # the last line was torn by a kill: start a fresh one
                        line = b"\n" + line
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            if exc.errno in READ_ONLY:
                raise read_only(self.location, exc.strerror or exc) from None
            raise StoreError(_("the audit log could not be written ({value}); nothing changed").format(
                value=exc.strerror or exc)) from None

    def publish(self, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
                demo: bool = False, rollback_of: int | None = None,
                only_if_empty: bool = False, derive: Derive | None = None) -> Version:
        self.refuse_invalid(result, note, by)
        with self._lock():
            head = self.head()
            if only_if_empty and head["current"] is not None:
                return self.get(head["current"])
            builder = derive(result, as_of) if derive else None  # e.g. the query database, alongside the files
            tmp = final = None
            switched = False
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
                if builder:
                    builder.ready()  # a version the pages cannot open never becomes current
                final = self.folder_of(number)
                os.rename(tmp, final)
                tmp = None
                _fsync_dir(vdir)
                new_head = {**head, "current": number, "versions": head["versions"] + [manifest]}
                # once HEAD.json is replaced the version is published, whatever follows
                _replace_atomic(self.head_path, json.dumps(new_head, indent=1, ensure_ascii=False))
                switched = True
            except BaseException as exc:
                if builder:
                    builder.discard()
                if not switched and isinstance(exc, Exception):  # the partial version goes, the current one
                    # stays (a process killed here leaves it: an unfinished publish, swept by the next)
                    for partial in (tmp, final):
                        if partial is not None:
                            shutil.rmtree(partial, ignore_errors=True)
                if isinstance(exc, OSError):  # a full, failing or read-only disk
                    if exc.errno in READ_ONLY:
                        raise read_only(self.location, exc.strerror or exc) from exc
                    raise not_written(exc.strerror or exc) from exc
                raise
        return self.published(number, result, as_of, note, by, rollback_of, builder)

    def _sweep(self, vdir: Path, head: dict) -> None:
        """Remove leftovers of publishes that were killed before they finished."""
        named = {m["version"] for m in head["versions"]} | set(head.get("unlisted", []))
        for stale in self.root.glob(".HEAD.json.*.tmp"):  # killed inside _replace_atomic
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
            elif child.name.isdigit() and int(child.name) not in named and int(child.name) > max(named, default=0):
                shutil.rmtree(child, ignore_errors=True)  # a publish killed between rename and HEAD


def _dir_numbers(vdir: Path) -> list[int]:
    return sorted(int(c.name) for c in vdir.iterdir() if c.name.isdigit()) if vdir.is_dir() else []


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
