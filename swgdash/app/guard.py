"""The server's own HTTP guard, around Streamlit (server.py mounts it: `make run` starts it).

Streamlit serves the pages, the websocket and its upload endpoint; this module adds what a page
script cannot do, in the same process:

* **Uploads only from a signed-in secretariat session.** Streamlit accepts a file for any live
  session at `/_stcore/upload_file/<session id>/<file id>` and keeps its bytes in memory until the
  session ends: anyone who can open a page could fill the server's memory. `UploadWall` refuses
  (403, before reading the body) an upload for a session that has not signed in (the registry
  below, written by swgdash.app.upload at sign-in), and keeps every session's uploads together
  under SWGDASH_UPLOAD_CEILING_MB (413, counted as the body arrives, so a chunked body cannot pass).
  tests/unit/test_guard.py pins the upload address and Streamlit's upload manager: a Streamlit
  upgrade that moves them fails that test.
* **A sign-in cookie the page's scripts cannot read.** After a password sign-in the page posts a
  one-time offer to `/_swg/sign-in`, which answers with the token (swgdash.auth.make_token) as an
  HttpOnly, SameSite=Strict cookie; `/_swg/sign-out` removes it and revokes its token.
* **Only widget values a widget can take.** A crafted websocket message could send NaN for a number,
  text that is not JSON, a value of another kind than the widget's: Streamlit would keep it, and every
  later run of that session would fail. Each value is checked against the widgets the session
  registered (their kind and deserializer) and left out when unreadable (`clean_back_message`).
* **Streamlit's metrics only for the machine itself** (`/_stcore/metrics`: 404 from elsewhere).

The client a request comes from is the connection's address, or, from SWGDASH_TRUSTED_PROXY only,
the address the proxy appended to X-Forwarded-For.
"""
from __future__ import annotations

import secrets
import threading
import time

from swgdash import auth, settings


def _streamlit_routes() -> tuple[str, str]:
    """Streamlit's own upload and metrics routes (tests/unit/test_guard.py pins them)."""
    from streamlit.web.server.starlette.starlette_routes import BASE_ROUTE_UPLOAD_FILE, ROUTE_METRICS

    return "/" + BASE_ROUTE_UPLOAD_FILE.strip("/") + "/", "/" + ROUTE_METRICS.strip("/")


UPLOAD_PREFIX, METRICS_PATH = _streamlit_routes()
SIGN_IN_PATH, SIGN_OUT_PATH = "/_swg/sign-in", "/_swg/sign-out"  # (below server.baseUrlPath, when set)
MOST_REVOKED = 10_000  # revoked tokens remembered at most (each only until it would have expired)
OFFER_SECONDS = 60  # a sign-in offer not taken up by then is void
LOOPBACK = {"127.0.0.1", "::1", "localhost"}

_lock = threading.Lock()
_signed_in: dict[str, tuple[str, str, str]] = {}  # session id -> (its address, its credential, its browser)
_offers: dict[str, tuple[str, float]] = {}  # one-time nonce -> (token, expiry)
_revoked: dict[str, float] = {}  # ids of tokens signed out before they expired -> when they expire
_held_refusals: dict[str, tuple[object, dict]] = {}  # session id -> (its store, the upload it left refused)
_in_flight = 0  # bytes of uploads being received now


# ---- the registry the pages write -----------------------------------------------------------

def base_path() -> str:
    """Streamlit's server.baseUrlPath, as '/base' (or '')."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + base if base else ""


def url(path: str) -> str:
    """An address of the app's own routes, below the base path."""
    return base_path() + path


def _route(path: str) -> str:
    """A request's path without the base path: the route it asks for."""
    base = base_path()
    if base and (path == base or path.startswith(base + "/")):
        return path[len(base):] or "/"
    return path


def plain_address(address: str | None) -> str | None:
    """An IPv4 address written as IPv6 (::ffff:127.0.0.1, as a dual-stack server sees it) as IPv4."""
    if address and address.lower().startswith("::ffff:") and "." in address:
        return address[7:]
    return address


def _secrets() -> dict:
    """st.secrets as a plain dict; empty when there is no secrets file."""
    try:
        import streamlit as st

        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets.toml
        return {}


def current_credential() -> str:
    """The fingerprint of what sign-ins are checked against now (auth.credential)."""
    secrets = _secrets()
    return auth.credential(auth.configured_password(secrets=secrets), auth.allowed_emails(secrets=secrets))


def register(session_id: str, address: str, cred: str, browser: str = "") -> None:
    """`session_id` signed in from `address` (and the browser whose XSRF token is `browser`,
    browser_key) under `cred`: its uploads are taken from that address and browser only, while the
    secretariat's credential is still that one."""
    with _lock:
        _signed_in[session_id] = (address, cred, browser)


def forget(session_id: str) -> None:
    with _lock:
        _signed_in.pop(session_id, None)


def is_signed_in(session_id: str, address: str | None = None, cred: str | None = None,
                 browser: str | None = None) -> bool:
    with _lock:
        found = _signed_in.get(session_id)
    return (found is not None and (address is None or found[0] == address) and (cred is None or found[1] == cred)
            and (browser is None or not found[2] or found[2] == browser))


def offer(token: str) -> str:
    """A one-time nonce the page posts to SIGN_IN_PATH to receive `token` as a cookie."""
    nonce = secrets.token_urlsafe(24)
    now = time.time()
    with _lock:
        for k in [k for k, (_t, exp) in _offers.items() if exp < now]:
            del _offers[k]
        _offers[nonce] = (token, now + OFFER_SECONDS)
    return nonce


def _take(nonce: str) -> str | None:
    with _lock:
        token, expiry = _offers.pop(nonce, (None, 0.0))
    return token if token and expiry >= time.time() else None


def revoke(token_id: str, expires: float) -> None:
    """Remember a signed-out token until it would have expired (at most MOST_REVOKED of them)."""
    now = time.time()
    with _lock:
        for k in [k for k, exp in _revoked.items() if exp <= now]:
            del _revoked[k]
        _revoked[token_id] = expires
        while len(_revoked) > MOST_REVOKED:
            del _revoked[next(iter(_revoked))]


def revoked() -> frozenset[str]:
    with _lock:
        return frozenset(_revoked)


def revoke_token(token: str | None) -> None:
    """Revoke a token of ours (its signature checked under the current credential: anything else
    is not remembered, so the list cannot be filled by strangers)."""
    found = auth.read_token(token, None, cookie_secret(), current_credential(), detail=True)
    if found:
        revoke(found["i"], found["e"])


# ---- uploads left refused, recorded when their session ends ----------------------------------

def hold_refusal(session_id: str, store, held: dict | None) -> None:
    with _lock:
        if held is None:
            _held_refusals.pop(session_id, None)
        else:
            _held_refusals[session_id] = (store, held)


def ended_refusals() -> list[tuple[object, dict]]:
    """The uploads left refused by sessions that have ended (a reload, a closed tab), taken once."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return []
    runtime = Runtime.instance()
    with _lock:
        ended = [sid for sid in _held_refusals if not runtime.is_active_session(sid)]
        return [_held_refusals.pop(sid) for sid in ended]


def cookie_secret() -> str:
    """What signs the sign-in cookie (SWGDASH_COOKIE_SECRET, else Streamlit's server.cookieSecret)."""
    configured = settings.get("SWGDASH_COOKIE_SECRET")
    if configured:
        return str(configured)
    from streamlit import config

    return str(config.get_option("server.cookieSecret"))


def client_from(peer: str | None, forwarded: str | None) -> str:
    """The client's address: the connection's, or (from the trusted proxy only) the last address
    in X-Forwarded-For, the one that proxy appended."""
    peer = plain_address(peer) or "local"
    proxy = settings.get("SWGDASH_TRUSTED_PROXY")
    if proxy and peer in {p.strip() for p in str(proxy).split(",")} and forwarded:
        last = plain_address(forwarded.split(",")[-1].strip())
        if last:
            return last[:64]
    return peer


def browser_key(xsrf_cookie: str | None) -> str:
    """A short fingerprint of the browser: the token inside Streamlit's XSRF cookie (the cookie's
    text changes at every page load, its token does not). Empty when there is none."""
    if not xsrf_cookie:
        return ""
    try:
        from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

        token, _when = decode_xsrf_token_string(xsrf_cookie)
    except Exception:  # not a token Streamlit made
        return "?"
    import hashlib

    return hashlib.sha256(token or b"").hexdigest()[:16] if token else "?"


def _scope_browser(scope) -> str:
    """browser_key of the request's XSRF cookie."""
    for key, value in scope.get("headers") or ():
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, v = part.strip().partition("=")
                if name == "_streamlit_xsrf":
                    return browser_key(v)
    return ""


def _scope_client(scope) -> str:
    peer = (scope.get("client") or (None,))[0]
    forwarded = None
    for key, value in scope.get("headers") or ():
        if key == b"x-forwarded-for":
            forwarded = value.decode("latin-1")
    return client_from(peer, forwarded)


def _held_bytes() -> int:
    """Bytes Streamlit's upload manager keeps now, every session's files together."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    manager = Runtime.instance().uploaded_file_mgr
    storage = getattr(manager, "file_storage", {})
    with getattr(manager, "_files_lock", threading.Lock()):
        return sum(len(rec.data) for files in list(storage.values()) for rec in list(files.values()))


def ceiling_bytes() -> int:
    return int(settings.get("SWGDASH_UPLOAD_CEILING_MB")) * 1024 * 1024


# ---- HTTP ------------------------------------------------------------------------------------

async def _send_plain(send, status: int, text: str, headers: list | None = None) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


# ---- widget values from the browser ----------------------------------------------------------

MOST_TEXT, MOST_ITEMS = 100_000, 1_000  # a text or list longer than this is no widget's value here
MOST_MESSAGE = 1024 * 1024  # bytes: a browser's message is a few kB (widget values); more closes the connection


def _readable(state, metadata) -> bool:
    """Whether a widget value sent by the browser is one its widget can take: of the kind the widget
    registered, finite, valid JSON, of a sane size, and read by the widget's own deserializer."""
    import json
    import math

    from streamlit.runtime.state.common import unpack_widget_state_value

    kind = state.WhichOneof("value")
    if kind is None:
        return True
    value = getattr(state, kind)
    if kind == "double_value" and not math.isfinite(value):
        return False
    if kind == "int_value" and abs(value) > 2**53:
        return False
    if kind in ("string_value", "string_trigger_value", "json_value", "json_trigger_value") and len(value) > MOST_TEXT:
        return False
    if kind.endswith("_array_value"):
        data = list(value.data)
        if len(data) > MOST_ITEMS or any(isinstance(v, float) and not math.isfinite(v) for v in data) \
                or any(isinstance(v, str) and len(v) > MOST_TEXT for v in data):
            return False
    if kind in ("json_value", "json_trigger_value"):
        try:
            json.loads(value)
        except ValueError:
            return False
    if metadata is None:
        return True
    # (a browser sends int_value for a number input of whole numbers that Streamlit registered as
    # double_value: the two kinds of number stand for each other)
    numbers = {"int_value", "double_value"}
    if kind != metadata.value_type and not {kind, metadata.value_type} <= numbers:
        return False
    try:
        metadata.deserializer(unpack_widget_state_value(state))
    except Exception:
        return False
    return True


def _metadata(session_id: str | None) -> dict:
    """The widgets a session registered (their kind of value and deserializer), by widget id."""
    if not session_id:
        return {}
    try:
        from streamlit.runtime import Runtime

        info = Runtime.instance()._session_mgr.get_session_info(session_id)
        return dict(info.session.session_state._new_widget_state.widget_metadata) if info else {}
    except Exception:  # (the runtime gone, or its layout moved: the checks without metadata still hold)
        return {}


def clean_back_message(data: bytes, session_id: str | None) -> bytes:
    """A browser's message with every widget value its widget cannot take left out (the widget keeps
    its value): a crafted NaN, a date in year 9999, text that is not JSON. Unchanged otherwise."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    try:
        msg.ParseFromString(data)
    except Exception:
        return data
    if msg.WhichOneof("type") != "rerun_script":
        return data
    states = msg.rerun_script.widget_states.widgets
    metadata = _metadata(session_id)
    keep = [w for w in states if _readable(w, metadata.get(w.id))]
    if len(keep) == len(states):
        return data
    kept = [type(w)() for w in keep]
    for new, old in zip(kept, keep, strict=True):
        new.CopyFrom(old)
    del states[:]
    states.extend(kept)
    return msg.SerializeToString()


class UploadWall:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and scope.get("path", "").endswith("/_stcore/stream"):
            return await self._stream(scope, receive, send)
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = _route(scope.get("path", ""))
        if path.rstrip("/") == METRICS_PATH and plain_address((scope.get("client") or ("",))[0]) not in LOOPBACK:
            return await _send_plain(send, 404, "Not found")
        if not path.startswith(UPLOAD_PREFIX) or scope.get("method") != "PUT":
            return await self.app(scope, receive, send)
        session_id = path[len(UPLOAD_PREFIX):].split("/", 1)[0]
        # (another computer presenting the id, or a sign-in made under a password since changed: refused)
        if not is_signed_in(session_id, _scope_client(scope), current_credential(), _scope_browser(scope)):
            return await _send_plain(send, 403, "Only the secretariat, signed in, can upload files.")
        declared = 0
        for key, value in scope.get("headers") or ():
            if key == b"content-length" and value.isdigit():
                declared = int(value)
        limit = ceiling_bytes()
        if _held_bytes() + _in_flight + declared > limit:
            return await _send_plain(send, 413, FULL)
        return await self._counted(scope, receive, send, limit)

    async def _stream(self, scope, receive, send):
        """The websocket: its session id read from the first message the server sends, and every
        widget value the browser sends checked against that session's widgets (clean_back_message)."""
        session: dict[str, str | None] = {"id": None}

        async def watching_send(message):
            if session["id"] is None and message.get("type") == "websocket.send" and message.get("bytes"):
                from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

                fwd = ForwardMsg()
                try:
                    fwd.ParseFromString(message["bytes"])
                    if fwd.WhichOneof("type") == "new_session":
                        session["id"] = fwd.new_session.initialize.session_id
                except Exception:
                    pass
            await send(message)

        async def checking_receive():
            message = await receive()
            if message.get("type") == "websocket.receive":
                data = message.get("bytes") or message.get("text") or b""
                if len(data) > MOST_MESSAGE:  # no browser sends this much: the connection is closed
                    await send({"type": "websocket.close", "code": 1009})
                    return {"type": "websocket.disconnect", "code": 1009}
                if message.get("bytes"):
                    message = {**message, "bytes": clean_back_message(message["bytes"], session["id"])}
            return message

        await self.app(scope, checking_receive, watching_send)

    async def _counted(self, scope, receive, send, limit: int):
        global _in_flight
        seen = 0
        held = _held_bytes()

        async def counting_receive():
            nonlocal seen
            global _in_flight
            message = await receive()
            if message.get("type") == "http.request":
                n = len(message.get("body", b""))
                seen += n
                with _lock:
                    _in_flight += n
                if held + _in_flight > limit:
                    raise _OverCeiling()
            return message

        started = False

        async def watching_send(message):
            nonlocal started
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _OverCeiling:
            if not started:
                await _send_plain(send, 413, FULL)
        finally:
            with _lock:
                _in_flight -= seen


class _OverCeiling(Exception):
    pass


FULL = "The server holds as many uploaded files as it may now; remove a file or try again later."


def _cookie_headers(value: str, scope, remove: bool = False) -> list:
    """The sign-in cookie: a session cookie (gone when the browser closes; the token inside expires
    after SIGN_IN_MINUTES anyway), HttpOnly, SameSite=Strict, Secure over HTTPS."""
    secure = "; Secure" if scope.get("scheme") == "https" or any(
        k == b"x-forwarded-proto" and v == b"https" for k, v in scope.get("headers") or ()) else ""
    cookie = f"{auth.COOKIE}={value}; Path=/{'; Max-Age=0' if remove else ''}; HttpOnly; SameSite=Strict{secure}"
    return [(b"set-cookie", cookie.encode("latin-1")), (b"cache-control", b"no-store")]


async def _body(receive, most: int = 4096) -> bytes:
    out = b""
    while True:
        message = await receive()
        out += message.get("body", b"")
        if len(out) > most or not message.get("more_body"):
            return out[: most + 1]


async def sign_in_route(scope, receive, send):
    """POST {nonce}: the token offered for it, as the HttpOnly cookie (once)."""
    import json

    try:
        nonce = json.loads(await _body(receive)).get("nonce", "")
    except (ValueError, AttributeError, RecursionError):
        nonce = ""
    token = _take(nonce) if isinstance(nonce, str) else None
    if token is None:
        return await _send_plain(send, 403, "No such sign-in.")
    await _send_plain(send, 200, "Signed in.", _cookie_headers(token, scope))


async def sign_out_route(scope, receive, send):
    """POST: the sign-in cookie removed, and its token revoked on this server."""
    await _body(receive)
    token = ""
    for key, value in scope.get("headers") or ():
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, _, v = part.strip().partition("=")
                if name == auth.COOKIE:
                    token = v
    revoke_token(token)
    await _send_plain(send, 200, "Signed out.", _cookie_headers("", scope, remove=True))


def routes() -> list:
    from starlette.routing import Route

    def asgi(handler):
        async def endpoint(request):  # (a plain ASGI handler under Starlette's request)
            from starlette.responses import Response

            sent: dict = {}

            async def capture(message):
                if message["type"] == "http.response.start":
                    sent["status"], sent["headers"] = message["status"], message["headers"]
                else:
                    sent["body"] = message.get("body", b"")

            await handler(request.scope, request.receive, capture)
            response = Response(sent.get("body", b""), status_code=sent["status"])
            response.raw_headers = [(k, v) for k, v in sent["headers"] if k != b"content-length"] + [
                (b"content-length", str(len(sent.get("body", b""))).encode())]
            return response
        return endpoint

    paths = {"", base_path()}  # (server.baseUrlPath is known when server.py is imported)
    return [Route(prefix + path, asgi(handler), methods=["POST"])
            for prefix in sorted(paths) for path, handler in ((SIGN_IN_PATH, sign_in_route),
                                                            (SIGN_OUT_PATH, sign_out_route))]


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(UploadWall)]
