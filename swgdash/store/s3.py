"""The store in S3-compatible object storage (issue 20): `SWGDASH_HOME=s3://bucket/prefix`.

The same contract as the folder store (swgdash.store.protocol), in objects under the prefix:

    HEAD.json                          the one commit point, replaced only by a conditional write
                                       (If-Match on the ETag read; If-None-Match: * for the first)
    versions/000003/manifest.json      written first, with If-None-Match: *: the claim on number 3
    versions/000003/<table>.parquet    then the tables
    versions/000003/finished           then this marker: the version is whole (before HEAD names it)
    audit/<time>-<id>.json             one object per entry (no appending, so no races)

Two publishers on two servers never both get one number (the claim), and a HEAD written by
another in between is read again and the new version added to it (both are kept, the later
current: HEAD never moves to a lower number). A publisher killed at any moment leaves HEAD naming
the old version or the new one; a claim without its marker is an unfinished publish, never a
version (`verify --all` names it; `verify --repair-head` does not adopt it; a publish an hour
later sweeps it).

Each server keeps a local folder (SWGDASH_CACHE, else the system's temporary folder) with the
files it has read, a copy of HEAD, and each version's query database, all derived: safe to
delete. Every call to the store has short timeouts and two attempts. Pages never wait on it: HEAD
is read again in the background every HEAD_SECONDS, and while the store cannot be reached the
version held locally is served (`outage` says since when). The client is boto3, configured by the
standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL),
so any S3-compatible store works.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from swgdash import settings
from swgdash.i18n import _
from swgdash.ingest.validate import Result
from swgdash.store.protocol import (
    Derive,
    HeadUnreadable,
    StoreError,
    StoreUnreachable,
    Version,
    VersionStore,
    build_manifest,
    busy,
    head_missing,
    log,
    not_written,
    parse_head,
    read_only,
    series_name,
    sha256,
    unreachable,
    write_tables,
)

HEAD_SECONDS = 5.0  # how long a server trusts the HEAD it read before asking again (a new version shows within it)
WAIT_SECONDS = 1.0  # the longest a reader waits for the store when it holds a copy of HEAD
CLAIMS = 20  # numbers tried before a publish gives up (as many publishers at once)
FINISHED = "finished"  # the marker of a whole version
SWEEP_AFTER = 3600  # seconds after which an unfinished claim is a leftover, swept by the next publish
CONNECT_SECONDS, READ_SECONDS = 2, 5  # each call's timeouts, per attempt (two attempts)


def parse(url: str) -> tuple[str, str]:
    """'s3://bucket/some/prefix' -> ('bucket', 'some/prefix')."""
    rest = url[len("s3://"):]
    bucket, _sep, prefix = rest.partition("/")
    if not bucket:
        raise StoreError(_("'{url}' names no bucket: write s3://bucket/prefix").format(url=url))
    return bucket, prefix.strip("/")


def opened(url: str) -> "S3Store":
    """One S3Store per address, endpoint and key in a process: the sessions of a server share its
    client and the HEAD it last read (what keeps pages from asking the store on every run)."""
    return _opened(url, os.environ.get("AWS_ENDPOINT_URL"), os.environ.get("AWS_ACCESS_KEY_ID"))


@functools.lru_cache(maxsize=8)
def _opened(url: str, endpoint: str | None, key: str | None) -> "S3Store":
    return S3Store(url)


opened.cache_clear = _opened.cache_clear  # type: ignore[attr-defined]  # (tests: a server restarted)


def _client():
    import boto3
    from botocore.config import Config

    return boto3.client("s3", config=Config(retries={"total_max_attempts": 2, "mode": "standard"},
                                            connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS))


def _code(exc) -> str | None:
    return getattr(exc, "response", {}).get("Error", {}).get("Code")


def _precondition_failed(exc) -> bool:
    return _code(exc) in ("PreconditionFailed", "ConditionalRequestConflict", "412")


def _missing(exc) -> bool:
    return _code(exc) in ("NoSuchKey", "404", "NotFound")


def _denied(exc) -> bool:
    return _code(exc) in ("AccessDenied", "403", "AllAccessDisabled")


def _down(exc) -> bool:
    """Whether an error means the store does not answer (not that it answered no)."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        return str(_code(exc)) in ("500", "502", "503", "504", "InternalError", "ServiceUnavailable", "SlowDown")
    return isinstance(exc, BotoCoreError)


class S3Store(VersionStore):
    archivable = False  # the bucket's versioning or replication keeps its copies (docs/deploy.md)

    def __init__(self, url: str, root: Path | None = None):
        """`root`: its local folder (default: under SWGDASH_CACHE, one per address)."""
        self.url = url.rstrip("/")
        self.bucket, self.prefix = parse(self.url)
        cache = settings.get("SWGDASH_CACHE") or Path(tempfile.gettempdir()) / "swgdash-s3"
        self.root = root or Path(cache) / hashlib.sha256(self.url.encode()).hexdigest()[:16]
        self.root.mkdir(parents=True, exist_ok=True)
        self.s3 = _client()
        self._head_cache: tuple[float, str | None, dict] | None = None
        self._reading: threading.Thread | None = None
        self._outage: dt.datetime | None = None
        self._writes = 0  # HEAD writes by this process: a read begun before one is not kept
        self._guard = threading.Lock()  # the HEAD cache and the reader thread
        self._publishing = threading.Lock()  # publishes of this process (the conditional writes serialise servers)
        self._series: dict[str, S3Store] = {}  # the reference series under it (series), one each
        self._checked: dict[tuple, bool] = {}  # (local file, size, mtime) -> whether it matches its checksum

    @property
    def location(self) -> str:
        return self.url

    def series(self, name: str) -> "S3Store":
        with self._guard:
            found = self._series.get(name)
            if found is None:
                found = self._series[name] = S3Store(f"{self.url}/reference/{series_name(name)}",
                                                     root=self.root / "reference" / series_name(name))
        return found

    @property
    def outage(self) -> dt.datetime | None:
        return self._outage

    def _key(self, *parts: str) -> str:
        return "/".join(p for p in (self.prefix, *parts) if p)

    @contextmanager
    def _calls(self, *, writing: bool = False):
        """Errors of the calls inside, in the officer's words: the store down or hanging
        (StoreUnreachable, and `outage` set), or refusing writes (StoreReadOnly)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError) as exc:
            if _down(exc):
                self._outage = self._outage or dt.datetime.now(dt.timezone.utc)
                raise unreachable(exc) from exc
            if writing and _denied(exc):
                raise read_only(self.location, exc) from exc
            if not writing:  # (expired keys, no such bucket: nothing can be read, as when it is down)
                self._outage = self._outage or dt.datetime.now(dt.timezone.utc)
                raise unreachable(exc) from exc
            raise StoreError(_("the store refused the request ({code}); nothing changed").format(
                code=_code(exc) or exc)) from exc

    # -- reading -----------------------------------------------------------
    def _get(self, key: str) -> tuple[bytes, str]:
        obj = self.s3.get_object(Bucket=self.bucket, Key=self._key(key))
        return obj["Body"].read(), obj["ETag"]

    def _read_head(self) -> tuple[str | None, dict]:
        """(ETag, HEAD) as the store holds it now; no HEAD yet: (None, an empty one). (The first publish
        writes an empty HEAD before it claims a number: a claim with no HEAD is damage, as in a folder.)"""
        from botocore.exceptions import ClientError

        with self._calls():
            try:
                body, etag = self._get("HEAD.json")
            except ClientError as exc:
                if not _missing(exc):
                    raise
                if self._finished_numbers():
                    raise head_missing() from None
                return None, {"current": None, "versions": []}
        return etag, parse_head(body)

    def _refresh(self) -> dict:
        """Read HEAD now: cached for this process, and copied to the local folder (what is served
        while the store cannot be reached)."""
        writes = self._writes
        etag, head = self._read_head()
        self._outage = None
        self._keep(etag, head, writes)
        return head

    def _keep(self, etag: str | None, head: dict, writes: int | None = None) -> None:
        """HEAD as read (`writes`: this process's HEAD writes when the read began) or as written now:
        cached for this process, and copied to the local folder. A read begun before a write of
        this process is older than what the write cached: it is dropped."""
        with self._guard:
            if writes is not None and writes != self._writes:
                return
            if writes is None:
                self._writes += 1
            changed = self._head_cache is None or self._head_cache[1] != etag
            self._head_cache = (time.monotonic(), etag, head)
        if changed:
            tmp = self.root / f".HEAD.json.{uuid.uuid4().hex}.tmp"
            try:
                tmp.write_text(json.dumps({"etag": etag, "head": head}, ensure_ascii=False), encoding="utf-8")
                tmp.replace(self.root / "HEAD.json")
            except OSError as exc:  # the local copy is a convenience
                tmp.unlink(missing_ok=True)
                log.warning("the local copy of HEAD could not be written: %s", exc)

    def _read_in_background(self) -> threading.Thread:
        with self._guard:
            if self._reading is None or not self._reading.is_alive():
                self._reading = threading.Thread(target=self._quietly_refresh, daemon=True, name="swgdash-head")
                self._reading.start()
            return self._reading

    def _quietly_refresh(self) -> None:
        try:
            self._refresh()
        except StoreError as exc:
            log.warning("HEAD of %s not read again: %s", self.url, exc)
        except Exception:  # the thread must not die loudly; the next reader asks again
            log.exception("HEAD of %s not read again", self.url)

    def _held(self) -> dict | None:
        """The copy of HEAD in the local folder, if any."""
        try:
            return json.loads((self.root / "HEAD.json").read_text(encoding="utf-8"))["head"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def head(self) -> dict:
        """HEAD as last read; asked again in the background after HEAD_SECONDS, never waited on for more
        than WAIT_SECONDS when a copy is held (in memory or in the local folder). Nothing held: read now."""
        cached = self._head_cache
        if cached is not None:
            if time.monotonic() - cached[0] > HEAD_SECONDS:
                self._read_in_background()
            return cached[2]
        held = self._held()
        if held is None:
            return self._refresh()
        reader = self._read_in_background()
        reader.join(WAIT_SECONDS)
        if self._head_cache is not None:
            return self._head_cache[2]
        if reader.is_alive():  # the store is slow to answer: serve the copy held, and say so
            self._outage = self._outage or dt.datetime.now(dt.timezone.utc)
        if self._outage is None:  # it answered, and HEAD could not be read (damage): say why
            return self._refresh()
        with self._guard:  # served from now on without waiting; read again in the background
            if self._head_cache is None:
                self._head_cache = (time.monotonic(), None, held)
            return self._head_cache[2]

    def head_stamp(self) -> tuple:
        try:
            self.head()
        except Exception:  # unreadable or missing: publishing.serving says so, and falls back
            return ("unreadable", int(time.monotonic() // HEAD_SECONDS))
        cached = self._head_cache
        return (cached[1] if cached else "held", self._outage is not None)

    def _list(self, prefix: str) -> list[dict]:
        """The objects under the prefix (Key, LastModified, ...)."""
        objects, token = [], None
        with self._calls():
            while True:
                kwargs = {"Bucket": self.bucket, "Prefix": self._key(prefix) + "/"}
                if token:
                    kwargs["ContinuationToken"] = token
                page = self.s3.list_objects_v2(**kwargs)
                objects += page.get("Contents", [])
                if not page.get("IsTruncated"):
                    return objects
                token = page["NextContinuationToken"]

    def _claims(self) -> dict[int, dict[str, dict]]:
        """Every number claimed: {number: {file name: object}}."""
        out: dict[int, dict[str, dict]] = {}
        base = len(self._key("versions")) + 1
        for obj in self._list("versions"):
            number, _sep, name = obj["Key"][base:].partition("/")
            if number.isdigit():
                out.setdefault(int(number), {})[name] = obj
        return out

    def _finished_numbers(self) -> list[int]:
        claims = self._claims()
        return sorted(n for n in claims if self._whole(n, claims))

    def _whole(self, number: int, claims: dict[int, dict[str, dict]]) -> bool:
        """A claim is a version once its marker is written. (Versions published before the marker
        existed, below the store's first marked one, are whole when every table their manifest
        names is there.)"""
        files = claims[number]
        if FINISHED in files:
            return True
        first_marked = min((n for n, f in claims.items() if FINISHED in f), default=None)
        if "manifest.json" not in files or (first_marked is not None and number > first_marked):
            return False
        try:
            with self._calls():
                manifest = json.loads(self._get(f"versions/{number:06d}/manifest.json")[0].decode("utf-8"))
            return bool(manifest["tables"]) and all(f"{t}.parquet" in files for t in manifest["tables"])
        except StoreUnreachable:
            raise
        except Exception:  # garbage: not whole
            return False

    def versions_on_disk(self) -> list[Version]:
        out = []
        for n in self._finished_numbers():
            try:
                with self._calls():
                    manifest = json.loads(self._get(f"versions/{n:06d}/manifest.json")[0].decode("utf-8"))
                if manifest.get("version") == n:
                    out.append(self.version_of(manifest))
            except StoreUnreachable:
                raise
            except Exception:  # a manifest that cannot be read: unlisted, kept
                continue
        return out

    def unlisted_folders(self) -> list[int]:
        named = {m["version"] for m in self.head()["versions"]}
        top = max(named, default=0)
        listed = {v.id for v in self.versions_on_disk()}
        kept = set(self.head().get("unlisted", []))
        return [n for n in self._finished_numbers() if n not in named and (n < top or n in kept) and n not in listed]

    def unfinished(self) -> list[str]:
        head = self.head()
        named = {m["version"] for m in head["versions"]}
        top = max(named, default=0)
        claims = self._claims()
        return [f"versions/{n:06d}" for n in sorted(claims) if n not in named and n not in head.get("unlisted", [])
                and (n > top or not self._whole(n, claims))]

    def local(self, version: Version) -> Version:
        """The version's files fetched into its local folder (once: a version never changes)."""
        from botocore.exceptions import ClientError

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
                with self._calls():
                    self.s3.download_file(self.bucket, self._key(f"versions/{version.id:06d}/{name}"), str(tmp))
                tmp.replace(target)
            except ClientError as exc:
                if not _missing(exc):
                    raise
            finally:
                tmp.unlink(missing_ok=True)
        return version

    def _known(self, path: Path, digest: str) -> bool:
        """Whether a local copy is the version's file (its checksum, worked out once per file and size)."""
        stamp = (str(path), path.stat().st_size, path.stat().st_mtime_ns)
        if stamp not in self._checked:
            self._checked[stamp] = sha256(path) == digest
        return self._checked[stamp]

    @contextmanager
    def for_checking(self):
        """The store as `verify` reads it: every file fetched afresh into a folder of its own (the
        server's copies, shared on this machine, are neither trusted nor touched)."""
        folder = Path(tempfile.mkdtemp(prefix="swgdash-verify-"))
        try:
            yield S3Store(self.url, root=folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def audit(self, last: int | None = None) -> list[dict]:
        """(One object each, named by time; with `last`, only the last ones are fetched.)"""
        entries = []
        keys = sorted(o["Key"] for o in self._list("audit"))
        for key in keys if last is None else keys[-last:]:
            try:
                with self._calls():
                    entries.append(json.loads(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()))
            except StoreUnreachable:
                raise
            except Exception:  # an entry that cannot be read is left out
                continue
        return entries

    # -- writing -----------------------------------------------------------
    def append_audit(self, entry: dict) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        with self._calls(writing=True):
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
        raise busy()

    def _current_in(self, etag: str | None, head: dict) -> Version:
        """The current version of a HEAD just read (kept, so what this process serves is not older)."""
        self._keep(etag, head)
        return self.get(head["current"])

    def _switch(self, manifest: dict, only_if_empty: bool = False) -> Version | None:
        """Add the version to HEAD and make it current unless a later one is (as in a folder), by a
        conditional write; when another server wrote HEAD in between, read it again and add to that.
        With `only_if_empty`, when another has made a version current meanwhile: that one (nothing written)."""
        from botocore.exceptions import ClientError

        for _try in range(CLAIMS):
            etag, head = self._read_head()
            if only_if_empty and head["current"] is not None:
                return self._current_in(etag, head)
            versions = [m for m in head["versions"] if m["version"] != manifest["version"]] + [manifest]
            versions.sort(key=lambda m: m["version"])
            # HEAD never moves to a lower number than it holds: a slower publisher's version is kept
            # in the list, and the later one stays current
            current = max(manifest["version"], head["current"] or 0)
            new_head = {**head, "current": current, "versions": versions}
            body = json.dumps(new_head, indent=1, ensure_ascii=False).encode()
            try:
                new = self._put("HEAD.json", body, **({"IfMatch": etag} if etag else {"IfNoneMatch": "*"}))
                self._keep(new, new_head)
                return None
            except ClientError as exc:
                if not _precondition_failed(exc):
                    raise
        raise busy()

    def _sweep(self, claims: dict[int, dict[str, dict]], named: set[int]) -> None:
        """Remove claims of publishes that did not finish, an hour or more old, and stale local files."""
        now = dt.datetime.now(dt.timezone.utc)
        top = max(named, default=0)
        for n, files in claims.items():
            if n in named or (n < top and self._whole(n, claims)):  # (a whole one below: kept, unlisted)
                continue
            if all((now - o["LastModified"]).total_seconds() > SWEEP_AFTER for o in files.values()):
                for o in files.values():
                    self.s3.delete_object(Bucket=self.bucket, Key=o["Key"])
        for stale in [*self.root.glob(".publish-*"), *self.root.glob("cache/.*.tmp*")]:
            try:
                if time.time() - stale.stat().st_mtime > SWEEP_AFTER:
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
            except OSError:
                pass

    def publish(self, result: Result, as_of: dt.date, note: str = "", by: str | None = None,
                demo: bool = False, rollback_of: int | None = None,
                only_if_empty: bool = False, derive: Derive | None = None) -> Version:
        from botocore.exceptions import ClientError

        self.refuse_invalid(result, note, by)
        with self._publishing:
            with self._calls(writing=True):
                etag, head = self._read_head()
                if etag is None:  # the first publish: an empty HEAD before any claim (a claim without HEAD is damage)
                    try:
                        self._put("HEAD.json", json.dumps({"current": None, "versions": []}).encode(),
                                  IfNoneMatch="*")
                    except ClientError as exc:
                        if not _precondition_failed(exc):
                            raise
                    etag, head = self._read_head()
            if only_if_empty and head["current"] is not None:
                return self._current_in(etag, head)
            builder = derive(result, as_of) if derive else None
            tmp = Path(tempfile.mkdtemp(prefix=".publish-", dir=self.root))
            switched = switching = False
            number: int | None = None
            try:
                with self._calls(writing=True):
                    claims = self._claims()
                    self._sweep(claims, {m["version"] for m in head["versions"]} | set(head.get("unlisted", [])))
                    files = write_tables(tmp, result)
                    manifest = build_manifest(0, result, as_of, note, by, demo, rollback_of, files)
                    start = max([m["version"] for m in head["versions"]] + list(claims) + [0]) + 1
                    number = self._claim(manifest, start)
                    for name in files:
                        self.s3.upload_file(str(tmp / f"{name}.parquet"), self.bucket,
                                            self._key(f"versions/{number:06d}/{name}.parquet"))
                    if builder:
                        builder.ready()  # a version the pages cannot open never becomes current
                    self._put(f"versions/{number:06d}/{FINISHED}", b"")
                    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                                       encoding="utf-8")
                    switching = True
                    other = self._switch(manifest, only_if_empty)
                if other is not None:  # another server published first (the demo on a first start): that one
                    if builder:
                        builder.discard()
                    self._withdraw(number)
                    return other
                switched = True
                final = self.folder_of(number)
                try:
                    final.parent.mkdir(parents=True, exist_ok=True)
                    tmp.rename(final)
                except OSError:  # another session fetched it meanwhile: that copy is the same
                    pass
            except BaseException as exc:
                if builder:
                    builder.discard()
                if switching and not switched and isinstance(exc, StoreUnreachable):
                    # the conditional write may have been applied: its files stay, and HEAD says
                    raise StoreError(_("the store stopped answering while version {n} was being made current, so "
                                       "it is not known whether it is; `python -m swgdash verify --all` tells, "
                                       "and publishing again is safe").format(n=number)) from exc
                if not switched and number is not None and isinstance(exc, Exception):
                    self._withdraw(number)  # (a process killed here leaves the claim: an unfinished publish)
                if switched or isinstance(exc, StoreError) or not isinstance(exc, Exception):
                    raise
                raise not_written(exc) from exc
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        return self.published(number, result, as_of, note, by, rollback_of, builder)

    def _withdraw(self, number: int) -> None:
        """Remove what a failed publish wrote under its number (best effort: what is left is an
        unfinished publish, swept an hour later)."""
        try:
            for obj in self._list(f"versions/{number:06d}"):
                self.s3.delete_object(Bucket=self.bucket, Key=obj["Key"])
        except Exception as exc:
            log.warning("the objects of unfinished version %s are left for the next publish: %s", number, exc)

    def repair_head(self) -> dict:
        from botocore.exceptions import ClientError

        with self._calls(writing=True):
            try:
                etag = self.s3.head_object(Bucket=self.bucket, Key=self._key("HEAD.json"))["ETag"]
            except ClientError as exc:
                if _down(exc):
                    raise
                etag = None
            found = self.versions_on_disk()  # whole versions only: an unfinished claim is never adopted
            intact = [v for v in found if not self.check(v)]
            listed = {v.id for v in found}
            unlisted = [n for n in self._finished_numbers() if n not in listed]
            # (named in HEAD as kept: no publish sweeps them or takes their numbers)
            head = {"current": intact[-1].id if intact else None, "versions": [v.manifest for v in found],
                    **({"unlisted": unlisted} if unlisted else {})}
            try:
                old = self._get("HEAD.json")[0]
                stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
                self._put(f"HEAD.json.damaged-{stamp}", old)
            except ClientError as exc:  # nothing there to keep
                if _down(exc):
                    raise
            try:  # (conditional: a publish that lands meanwhile is not dropped; repair again then)
                self._put("HEAD.json", json.dumps(head, indent=1, ensure_ascii=False).encode("utf-8"),
                          **({"IfMatch": etag} if etag else {"IfNoneMatch": "*"}))
            except ClientError as exc:
                if _precondition_failed(exc):
                    raise StoreError(_("HEAD.json changed while it was being rebuilt; run the repair again")) from exc
                raise
        with self._guard:
            self._head_cache = None
        self.log("repair_head", version=head["current"], note=f"HEAD.json rebuilt from {len(found)} versions")
        return {**head, "unlisted": sorted(unlisted)}


__all__ = ["S3Store", "opened", "parse", "HEAD_SECONDS", "HeadUnreadable"]
