"""The store in S3-compatible object storage (issue 20): `SWGDASH_HOME=s3://bucket/prefix`.

The same layout and guarantees as the folder store (swgdash.store), in objects under the prefix:

    HEAD.json                          the one commit point, replaced only by a conditional write
                                       (If-Match on the ETag read; If-None-Match: * for the first)
    versions/000003/manifest.json      written first, with If-None-Match: *: the claim on number 3
    versions/000003/<table>.parquet    then the tables; a version is immutable once HEAD names it
    audit/<time>-<id>.json             one object per entry (no appending, so no races)

Two publishers on two servers never both get one number (the claim), and a HEAD written by
another in between is read again and the new version added to it (both are kept, the later
current). A publisher killed at any moment leaves HEAD naming the old version or the new one; a
claimed number HEAD never names is skipped by the next publish.

Each server keeps a local folder (SWGDASH_CACHE, else the system's temporary folder) with the
files it has read and each version's query database, all derived: safe to delete. The client is
boto3, configured by the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_REGION, AWS_ENDPOINT_URL), so any S3-compatible store works.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from swgdash import settings
from swgdash.i18n import _
from swgdash.store.folder import _OPEN, HeadUnreadable, Store, StoreError, Version, _now, _user, build_manifest, write_tables
from swgdash.ingest.validate import Result

log = logging.getLogger(__name__)
HEAD_SECONDS = 5.0  # how long a server trusts the HEAD it read before asking again (a new version shows within it)
CLAIMS = 20  # numbers tried before a publish gives up (as many publishers at once)


def parse(url: str) -> tuple[str, str]:
    """'s3://bucket/some/prefix' -> ('bucket', 'some/prefix')."""
    rest = url[len("s3://"):]
    bucket, _sep, prefix = rest.partition("/")
    if not bucket:
        raise StoreError(_("'{url}' names no bucket: write s3://bucket/prefix").format(url=url))
    return bucket, prefix.strip("/")


_STORES: dict[str, "S3Store"] = {}
_STORES_LOCK = threading.Lock()


def opened(url: str) -> "S3Store":
    """One S3Store per address and process (its client and the HEAD it last read are shared)."""
    url = url.rstrip("/")
    with _STORES_LOCK:
        if url not in _STORES:
            _STORES[url] = S3Store(url)
        return _STORES[url]


def _client():
    import boto3
    from botocore.config import Config

    return boto3.client("s3", config=Config(retries={"max_attempts": 3, "mode": "standard"}))


def _precondition_failed(exc) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code")
    return code in ("PreconditionFailed", "ConditionalRequestConflict", "412")


def _missing(exc) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code")
    return code in ("NoSuchKey", "404", "NotFound")


class S3Store(Store):
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.bucket, self.prefix = parse(self.url)
        cache = settings.get("SWGDASH_CACHE") or Path(tempfile.gettempdir()) / "swgdash-s3"
        super().__init__(Path(cache) / hashlib.sha256(self.url.encode()).hexdigest()[:16])
        self.root.mkdir(parents=True, exist_ok=True)
        self.s3 = _client()
        self._head_cache: tuple[float, str | None, dict] | None = None
        self._lock_ = threading.Lock()
        self._checked: dict[tuple, bool] = {}  # (local file, size, mtime) -> whether it matches its checksum
        _OPEN[str(self.root)] = self

    @property
    def location(self) -> str:
        return self.url

    def _key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    # -- reading -----------------------------------------------------------
    def _get(self, key: str) -> tuple[bytes, str]:
        obj = self.s3.get_object(Bucket=self.bucket, Key=self._key(key))
        return obj["Body"].read(), obj["ETag"]

    def _read_head(self) -> tuple[str | None, dict]:
        """(ETag, HEAD); no HEAD yet: (None, an empty one). (The first publish writes an empty HEAD
        before it claims a number: a claim with no HEAD is damage, as in a folder.)"""
        from botocore.exceptions import ClientError

        try:
            body, etag = self._get("HEAD.json")
        except ClientError as exc:
            if not _missing(exc):
                raise
            if self._numbers():
                raise HeadUnreadable(_("HEAD.json is missing, but the versions folder holds published versions; "
                                       "`python -m swgdash verify --repair-head` rebuilds it")) from None
            return None, {"current": None, "versions": []}
        try:
            head = json.loads(body.decode("utf-8"))
            if not isinstance(head, dict) or not isinstance(head.get("versions"), list):
                raise ValueError(_("not a HEAD document"))
        except ValueError as exc:
            raise HeadUnreadable(_("HEAD.json cannot be read ({split}); `python -m swgdash verify --repair-head` "
                                   "rebuilds it from the versions folder").format(split=" ".join(str(exc).split())))
        return etag, head

    def _head(self) -> dict:
        """HEAD as last read, asked again after HEAD_SECONDS (or after this server wrote it)."""
        cached = self._head_cache
        if cached is None or time.monotonic() - cached[0] > HEAD_SECONDS:
            etag, head = self._read_head()
            self._head_cache = cached = (time.monotonic(), etag, head)
        return cached[2]

    def head_stamp(self) -> tuple:
        try:
            self._head()
        except Exception:  # unreadable or missing: publishing.serving says so, and falls back
            return ("unreadable", int(time.monotonic() // HEAD_SECONDS))
        return (self._head_cache[1],)

    def _list(self, prefix: str) -> list[str]:
        keys, token = [], None
        while True:
            kwargs = {"Bucket": self.bucket, "Prefix": self._key(prefix) + "/"}
            if token:
                kwargs["ContinuationToken"] = token
            page = self.s3.list_objects_v2(**kwargs)
            keys += [o["Key"] for o in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return keys
            token = page["NextContinuationToken"]

    def _numbers(self) -> list[int]:
        """The version numbers claimed (a manifest written), HEAD naming them or not."""
        out = set()
        for key in self._list("versions"):
            part = key[len(self._key("versions")) + 1:].split("/")[0]
            if part.isdigit():
                out.add(int(part))
        return sorted(out)

    def versions_on_disk(self) -> list[Version]:
        out = []
        for n in self._numbers():
            try:
                manifest = json.loads(self._get(f"versions/{n:06d}/manifest.json")[0].decode("utf-8"))
                if manifest.get("version") == n:
                    out.append(Version(n, self._dir(n), manifest))
            except Exception:  # a claim without its manifest's body, or garbage
                continue
        return out

    def local(self, version: Version) -> Version:
        """The version's files fetched into its local folder (once: a version never changes)."""
        from botocore.exceptions import ClientError

        from swgdash.store.folder import _sha256

        folder = version.path
        folder.mkdir(parents=True, exist_ok=True)
        tables = version.manifest.get("tables", {})
        for name in ["manifest.json", *(f"{t}.parquet" for t in tables)]:
            target = folder / name
            want = tables.get(name.removesuffix(".parquet"), {}).get("sha256") if name.endswith(".parquet") else None
            if target.exists() and (want is None or self._known(target, want)):
                continue
            tmp = folder / f".{name}.{uuid.uuid4().hex}.tmp"
            try:
                self.s3.download_file(self.bucket, self._key(f"versions/{version.id:06d}/{name}"), str(tmp))
                tmp.replace(target)
            except ClientError as exc:
                if not _missing(exc):
                    raise
            finally:
                tmp.unlink(missing_ok=True)
        return version

    def _known(self, path: Path, sha256: str) -> bool:
        """Whether a local copy is the version's file (its checksum, worked out once per file and size)."""
        from swgdash.store.folder import _sha256

        stamp = (str(path), path.stat().st_size, path.stat().st_mtime_ns)
        if stamp not in self._checked:
            self._checked[stamp] = _sha256(path) == sha256
        return self._checked[stamp]

    def drop_local(self) -> None:
        """Forget the local copies of the versions' files (the next check reads the bucket again)."""
        shutil.rmtree(self.root / "versions", ignore_errors=True)
        self._checked.clear()

    def _sweep_local(self) -> None:
        """Leftovers of publishes and builds killed an hour or more ago, in the local folder."""
        for stale in [*self.root.glob(".publish-*"), *self.root.glob("cache/.*.tmp*")]:
            try:
                if time.time() - stale.stat().st_mtime > 3600:
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
            except OSError:
                pass

    def check(self, version: Version) -> list[str]:
        return super().check(self.local(version))

    def verify(self, version: Version) -> list[str]:
        return super().verify(self.local(version))

    def unlisted_folders(self) -> list[int]:
        """Versions HEAD leaves out because their manifest cannot be read (a claim whose publish did
        not finish is a leftover, as a folder store sweeps them, and not reported)."""
        named = {m["version"] for m in self._head()["versions"]}
        top = max(named, default=0)
        out = []
        for n in self._numbers():
            if n in named or n >= top:
                continue
            try:
                json.loads(self._get(f"versions/{n:06d}/manifest.json")[0].decode("utf-8"))
            except Exception:
                out.append(n)
        return out

    def audit(self, last: int | None = None) -> list[dict]:
        """The audit entries, oldest first (one object each, named by time); with `last`, only the
        last ones are fetched."""
        entries = []
        keys = sorted(self._list("audit"))
        for key in keys if last is None else keys[-last:]:
            try:
                entries.append(json.loads(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()))
            except Exception:  # an entry that cannot be read is left out
                continue
        return entries

    # -- writing -----------------------------------------------------------
    @contextmanager
    def _lock(self, wait: bool = True):  # the conditional writes serialise publishers; this, threads
        with self._lock_:
            yield

    def log(self, event: str, **fields) -> None:
        entry = {"time": _now(), "event": event, "by": fields.pop("by", None) or _user(), **fields}
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        self.s3.put_object(Bucket=self.bucket, Key=self._key(f"audit/{stamp}-{uuid.uuid4().hex[:8]}.json"),
                           Body=json.dumps(entry, ensure_ascii=False).encode("utf-8"))

    def _put(self, key: str, body: bytes, **condition) -> str:
        return self.s3.put_object(Bucket=self.bucket, Key=self._key(key), Body=body, **condition)["ETag"]

    def _claim(self, manifest: dict, start: int) -> int:
        """Write the manifest as version `start` (or the next number free): the claim on that number."""
        from botocore.exceptions import ClientError

        number = start
        for _try in range(CLAIMS):
            manifest["version"] = number
            try:
                self._put(f"versions/{number:06d}/manifest.json",
                          json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"), IfNoneMatch="*")
                return number
            except ClientError as exc:
                if not _precondition_failed(exc):
                    raise
                number += 1  # another publisher has it
        raise StoreError(_("another publish is under way; try again in a moment"))

    def _switch(self, manifest: dict, only_if_empty: bool = False) -> int | None:
        """Add the version to HEAD and make it current unless a later one is (as in a folder), by a
        conditional write; when another server wrote HEAD in between, read it again and add to that.
        With `only_if_empty`, when another has made a version current meanwhile: that one (nothing written)."""
        from botocore.exceptions import ClientError

        for _try in range(CLAIMS):
            etag, head = self._read_head()
            if only_if_empty and head["current"] is not None:
                return head["current"]
            versions = [m for m in head["versions"] if m["version"] != manifest["version"]] + [manifest]
            versions.sort(key=lambda m: m["version"])
            # HEAD never moves to a lower number than it holds (as in a folder): a slower publisher's
            # version is kept in the list, and the later one stays current
            current = max(manifest["version"], head["current"] or 0)
            body = json.dumps({"current": current, "versions": versions}, indent=1, ensure_ascii=False).encode()
            try:
                new = self._put("HEAD.json", body, **({"IfMatch": etag} if etag else {"IfNoneMatch": "*"}))
                self._head_cache = (time.monotonic(), new, {"current": current, "versions": versions})
                return None
            except ClientError as exc:
                if not _precondition_failed(exc):
                    raise
        raise StoreError(_("another publish is under way; try again in a moment"))

    def publish(self, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
                demo: bool = False, rollback_of: int | None = None,
                only_if_empty: bool = False, derive=None) -> Version:
        from swgdash.store.folder import ExtractRefused

        if not result.ok:
            self.log_refused(result, note=note, by=by)
            raise ExtractRefused(_("the extract has {errors} problems; nothing was published").format(
                errors=len(result.errors)))
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            etag, head = self._read_head()
            if etag is None:  # the first publish: an empty HEAD before any claim (a claim without HEAD is damage)
                try:
                    self._put("HEAD.json", json.dumps({"current": None, "versions": []}).encode(), IfNoneMatch="*")
                except ClientError as exc:
                    if not _precondition_failed(exc):
                        raise
                etag, head = self._read_head()
        except (BotoCoreError, ClientError) as exc:
            raise StoreError(_("the object store cannot be reached ({value}); nothing changed").format(
                value=" ".join(str(exc).split())[:200])) from exc
        if only_if_empty and head["current"] is not None:
            return self.get(head["current"])
        self._sweep_local()
        builder = derive(result, as_of) if derive else None
        tmp = Path(tempfile.mkdtemp(prefix=".publish-", dir=self.root))
        switched = False
        try:
            files = write_tables(tmp, result)
            manifest = build_manifest(0, result, as_of, note, by, demo, rollback_of, files)
            start = max([m["version"] for m in head["versions"]] + self._numbers() + [0]) + 1
            number = self._claim(manifest, start)
            for name in files:
                self.s3.upload_file(str(tmp / f"{name}.parquet"), self.bucket,
                                    self._key(f"versions/{number:06d}/{name}.parquet"))
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
            other = self._switch(manifest, only_if_empty)
            if other is not None:  # another server published first (the demo on a first start): that one
                if builder:
                    builder.discard()
                return self.get(other)
            switched = True
            final = self._dir(number)
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp.rename(final)
            except OSError:  # another session fetched it meanwhile: that copy is the same
                pass
        except (BotoCoreError, ClientError, OSError) as exc:
            if builder:
                builder.discard()
            if switched:
                raise
            raise StoreError(_("the new version could not be written ({value}); nothing changed: the current "
                               "version stays as it was").format(value=" ".join(str(exc).split())[:200])) from exc
        except BaseException:
            if builder:
                builder.discard()
            raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self._published(number, result, as_of, note, by, rollback_of, builder)

    def repair_head(self) -> dict:
        from botocore.exceptions import ClientError

        try:
            etag = self.s3.head_object(Bucket=self.bucket, Key=self._key("HEAD.json"))["ETag"]
        except ClientError:
            etag = None
        found = self.versions_on_disk()
        intact = [v for v in found if not self.check(v)]
        head = {"current": intact[-1].id if intact else None, "versions": [v.manifest for v in found]}
        try:
            old = self._get("HEAD.json")[0]
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
            self._put(f"HEAD.json.damaged-{stamp}", old)
        except Exception:  # nothing there to keep
            pass
        try:  # (conditional: a publish that lands meanwhile is not dropped; repair again then)
            self._put("HEAD.json", json.dumps(head, indent=1, ensure_ascii=False).encode("utf-8"),
                      **({"IfMatch": etag} if etag else {"IfNoneMatch": "*"}))
        except ClientError as exc:
            if _precondition_failed(exc):
                raise StoreError(_("HEAD.json changed while it was being rebuilt; run the repair again")) from exc
            raise
        self._head_cache = None
        listed = {v.id for v in found}
        unlisted = [n for n in self._numbers() if n not in listed]
        self.log("repair_head", version=head["current"], note=f"HEAD.json rebuilt from {len(found)} versions")
        return {**head, "unlisted": sorted(unlisted)}
