"""Stage 2, the versioned store: one contract (protocol.VersionStore), kept by a folder
(folder.FolderStore, the default) and by S3-compatible object storage (s3.S3Store, for an address
s3://bucket/prefix); keeping it safe (operations: verify, backup, restore).

`open_store` is the one place that chooses between them: nothing else asks what kind a store is.
"""
from __future__ import annotations

from pathlib import Path

from swgdash import settings
from swgdash.store.folder import FolderStore, default_root
from swgdash.store.protocol import (
    DEMO_AS_OF,
    DEMO_DIR,
    DamagedVersion,
    Derive,
    Derived,
    ExtractRefused,
    HeadUnreadable,
    StoreError,
    StoreReadOnly,
    StoreUnreachable,
    Version,
    VersionStore,
)

__all__ = ["DEMO_AS_OF", "DEMO_DIR", "DamagedVersion", "Derive", "Derived", "ExtractRefused", "FolderStore",
           "HeadUnreadable", "StoreError", "StoreReadOnly", "StoreUnreachable", "Version", "VersionStore",
           "default_root", "open_store"]


def open_store(home: Path | str | None = None) -> VersionStore:
    """The store at `home` (default: SWGDASH_HOME, else data/store in the repository): an address
    s3://bucket/prefix opens the object store (one per address and process), anything else a folder."""
    home = home if home is not None else settings.get("SWGDASH_HOME")
    if home is not None and str(home).startswith("s3://"):
        from swgdash.store.s3 import opened

        return opened(str(home).rstrip("/"))
    return FolderStore(home)
