"""Opening the store a setting or an argument names: a folder (swgdash.store.Store, the default)
or an object store's address, s3://bucket/prefix (swgdash.store.s3.S3Store)."""
from __future__ import annotations

from pathlib import Path

from swgdash import settings
from swgdash.store.folder import _OPEN, Store, is_url


def open_store(home: Path | str | None = None) -> Store:
    """The store at `home` (default: SWGDASH_HOME, else data/store in the repository)."""
    home = home if home is not None else settings.get("SWGDASH_HOME")
    if home is not None and is_url(str(home)):
        from swgdash.store.s3 import opened

        return opened(str(home))
    return Store(home)


def at(root: str) -> Store:
    """The store whose local folder is `root`: an object store opened in this process, else that folder."""
    return _OPEN.get(str(root)) or Store(root)
