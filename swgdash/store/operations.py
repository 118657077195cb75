"""Keeping the store safe: verify it, back it up, restore it (docs/operations.md).

- verify: every file of a version against the checksums of its manifest, and HEAD.json;
  `repair_head` rebuilds an unreadable HEAD.json from the versions folder, only when asked.
- backup: one .tar.gz of the store (versions, HEAD.json, audit log, and the same of each
  reference series such as the IATI sets; not the derived query cache), consistent while a publish runs: HEAD.json is read once and only the version
  folders it names are archived (a version folder is complete before HEAD names it, and never
  changes after).
- restore: every checksum of the archive is checked before anything is put in place; a store
  that is not empty is replaced only with `force`, and then kept beside it, never deleted.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from swgdash.store.folder import FolderStore
from swgdash.store.protocol import SERIES, HeadUnreadable, StoreError, Version, VersionStore

ARCHIVE_ROOT = "swgdash-store"  # the folder inside a backup


def verify(store: VersionStore, every: bool = False, repair_head: bool = False, series: bool = True) -> dict:
    """{"ok", "head", "versions": [{"version", "intact", "problems"}], "unfinished", "repaired"?,
    "series": {name: the same of it}}: the current version (every version with `every`, or when
    HEAD.json cannot be read), where publishes that did not finish left files (never versions; the
    next publish sweeps them), and the same of each reference series kept (the IATI sets)."""
    out = _verify(store, every, repair_head)
    if series:
        out["series"] = {}
        for name in SERIES:
            kept = store.series(name)
            try:
                present = not kept.is_empty()
            except HeadUnreadable:  # (verified all the same: it says so, and --repair-head rebuilds it)
                present = True
            if present:
                out["series"][name] = found = _verify(kept, every, repair_head)
                out["ok"] = out["ok"] and found["ok"]
    return out


def _verify(store: VersionStore, every: bool, repair_head: bool) -> dict:
    head, repaired = "ok", None
    try:
        current, versions = store.current(), store.versions()
    except HeadUnreadable as exc:
        head = str(exc)
        current, versions = None, store.versions_on_disk()
        if repair_head:
            repaired = store.repair_head()
            head = "ok"
            current, versions = store.current(), store.versions()
            every = True
    chosen = versions if every or head != "ok" or current is None else [current]
    report = []
    for v in chosen:
        problems = store.check(v)
        report.append({"version": v.id, "intact": not problems, "problems": problems})
    if head == "ok":  # folders HEAD.json leaves out (a manifest unreadable when HEAD was rebuilt): kept
        report += [{"version": n, "intact": False, "problems": ["not listed in HEAD.json (its manifest could not be "
                                                                "read); the folder is kept"]}
                   for n in store.unlisted_folders()]
        report.sort(key=lambda r: int(r["version"]))  # type: ignore[call-overload]
    unfinished = store.unfinished() if head == "ok" else []
    out = {"ok": head == "ok" and all(r["intact"] for r in report), "head": head, "versions": report,
           "unfinished": unfinished}
    if repaired is not None:
        out["repaired"] = {"current": repaired["current"], "unlisted": repaired["unlisted"]}
    return out


DAMAGED = "damaged.json"  # in a backup: the versions that were already damaged when it was taken


def backup(store: FolderStore, out: Path) -> dict:
    """Write the store to `out` (.tar.gz), with its reference series (the IATI sets: under
    reference/<name>/, each the same way); returns {"versions", "bytes", "damaged", "series":
    {name: versions}}. A version that is damaged is copied as it is and named in the archive
    (damaged.json), so that restore can tell it from damage done to the archive; HEAD.json must be
    readable (repair it first)."""
    out = Path(out)
    tmp = out.with_name(f".{out.name}.partial")
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            versions, damaged = _archive(tar, store, ARCHIVE_ROOT)
            series, skipped = {}, {}
            for name in SERIES:
                kept = store.series(name)
                if kept.head_path.exists():
                    try:
                        series[name], series_damaged = _archive(tar, kept, f"{ARCHIVE_ROOT}/reference/{name}", name)
                    except StoreError as exc:  # (the register's versions are backed up all the same)
                        skipped[name] = str(exc)
                        continue
                    damaged.update({f"{name} {k}": v for k, v in series_damaged.items()})
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"versions": versions, "bytes": out.stat().st_size, "damaged": damaged, "series": series,
            "skipped": skipped}


def _archive(tar: tarfile.TarFile, store: FolderStore, prefix: str, what: str = "") -> tuple[int, dict]:
    """One store's HEAD.json (read once: the commit point), audit log, damaged versions and the
    version folders HEAD names, under `prefix`; (versions, {damaged version: problems})."""
    head_bytes = store.head_path.read_bytes()
    try:
        head = json.loads(head_bytes)
        versions = [Version(m["version"], store.root / "versions" / f"{m['version']:06d}", m, store) for m in head["versions"]]
        if head["current"] is not None and head["current"] not in {v.id for v in versions}:
            raise ValueError(f"it names version {head['current']} as current, and there is no such version")
    except (ValueError, KeyError, TypeError) as exc:
        where = f"the {what} series' " if what else ""
        raise StoreError(f"{where}HEAD.json cannot be read ({exc}); run `verify --repair-head` first, then back up") \
            from None
    damaged = {v.id: problems for v in versions if (problems := store.check(v))}
    audit = store.root / "audit.jsonl"
    _add_bytes(tar, f"{prefix}/HEAD.json", head_bytes)
    _add_bytes(tar, f"{prefix}/audit.jsonl", audit.read_bytes() if audit.exists() else b"")
    _add_bytes(tar, f"{prefix}/{DAMAGED}", json.dumps(damaged).encode())
    for v in versions:
        for path in sorted(v.path.iterdir()) if v.path.is_dir() else []:
            tar.add(path, arcname=f"{prefix}/versions/{v.path.name}/{path.name}", recursive=False)
    return len(versions), damaged


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def restore(archive: Path, home: Path, force: bool = False) -> dict:
    """Put a backup in place at `home`, after checking every checksum in it; returns
    {"versions", "kept"} (where a replaced store was moved)."""
    home = Path(home)
    if home.exists() and any(p.name != ".lock" for p in home.iterdir()) and not force:
        raise StoreError(f"{home} is not empty; restoring would replace it: use --force (the store there is "
                         "kept beside it, not deleted)")
    home.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home.parent, prefix=f".{home.name}.restore-") as tmp:
        staged = Path(tmp) / "store"
        _unpack(Path(archive), staged)
        versions, known = _checked(FolderStore(staged))
        series = {name: len(_checked(FolderStore(staged / "reference" / name), name)[0]) for name in SERIES
                  if (staged / "reference" / name / "HEAD.json").exists()}
        kept = None
        if home.exists():
            kept = home.with_name(f"{home.name}.before-restore-{dt.datetime.now():%Y%m%dT%H%M%S}")
            os.replace(home, kept)
        os.replace(staged, home)
    restored = FolderStore(home)
    current = restored.current()
    restored.log("restore", note=f"restored from {Path(archive).name}", version=current.id if current else None)
    return {"versions": len(versions), "kept": str(kept) if kept else None, "damaged": sorted(known),
            "series": series}


def _checked(store: FolderStore, what: str = "") -> tuple[list[Version], dict[int, list[str]]]:
    """A staged store's versions, each checked against its checksums (a version damaged already
    when the backup was taken, as damaged.json says, is restored as it was); StoreError else."""
    where = f"the backup's {what}" if what else "the backup's"
    try:
        versions = store.versions()
        store.current()
    except HeadUnreadable as exc:
        raise StoreError(f"{where} HEAD.json cannot be read: {exc}; nothing was restored") from None
    listed = store.root / DAMAGED
    known = {int(k): p for k, p in json.loads(listed.read_text()).items()} if listed.exists() else {}
    listed.unlink(missing_ok=True)
    for v in versions:
        problems = store.check(v)
        if problems and problems != known.get(v.id):  # damage done to the archive, or since
            raise StoreError(f"{where} version {v.id} is damaged ({'; '.join(problems)}); nothing was restored")
    return versions, known


def _unpack(archive: Path, into: Path) -> None:
    """The archive's files into `into`, refusing any member that is not a plain file or folder
    under the archive's root (no links, no paths outside it)."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise StoreError(f"{archive} is not a backup of the store ({exc}); nothing was restored") from None
    with tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if not parts or parts[0] != ARCHIVE_ROOT or ".." in parts or member.issym() or member.islnk() \
                    or not (member.isfile() or member.isdir()):
                raise StoreError(f"{archive}: {member.name} is not part of a store backup; nothing was restored")
        tar.extractall(into.parent / "unpacked", filter="data")
    os.replace(into.parent / "unpacked" / ARCHIVE_ROOT, into)

