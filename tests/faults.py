"""Damage done to a store, as bit rot, a half-finished copy or a bad restore would do it
(issue 22): each fault leaves version 1 intact and breaks what makes version 2 readable."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from factories import DEMO
from swgdash import publishing
from swgdash.ingest.validate import validate_paths
from swgdash.store import FolderStore


def two_versions(home: Path) -> FolderStore:
    """The demo published twice (version 2 current), its query cache removed."""
    store = FolderStore(home)
    result = validate_paths([DEMO])
    publishing.publish(store, result, result.as_of.date, "first")
    publishing.publish(store, result, result.as_of.date, "second")
    shutil.rmtree(home / "cache")
    return store


def flip_byte(home: Path) -> None:
    p = home / "versions" / "000002" / "meetings.parquet"
    b = bytearray(p.read_bytes())
    b[len(b) // 2] ^= 0xFF
    p.write_bytes(bytes(b))


def remove_file(home: Path) -> None:
    (home / "versions" / "000002" / "members.parquet").unlink()


def truncate_manifest(home: Path) -> None:
    p = home / "versions" / "000002" / "manifest.json"
    p.write_bytes(p.read_bytes()[:40])


def head_names_missing(home: Path) -> None:
    head = json.loads((home / "HEAD.json").read_text())
    head["current"] = 9
    (home / "HEAD.json").write_text(json.dumps(head))


def lost_head(home: Path) -> None:
    (home / "HEAD.json").unlink()


def garbage_head(home: Path) -> None:
    (home / "HEAD.json").write_bytes(b"\x00\x13not json{{")


FAULTS = {  # name: (how, what the message names, the version then shown: the newest intact)
    "a changed byte in a Parquet file": (flip_byte, "meetings.parquet does not match its checksum", 1),
    "a missing Parquet file": (remove_file, "members.parquet is missing", 1),
    "a truncated manifest": (truncate_manifest, "manifest.json cannot be read", 1),
    "HEAD naming a missing version": (head_names_missing, "names version 9", 2),
    "garbage in HEAD": (garbage_head, "HEAD.json cannot be read", 2),
    "HEAD deleted": (lost_head, "HEAD.json is missing", 2),  # never taken for an empty store
}


def fingerprint(home: Path, version: int = 1) -> dict:
    """Every file of a version, hashed: what must not change."""
    folder = home / "versions" / f"{version:06d}"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}
