"""The server's HTTP guard (swgdash/app/guard.py) as ASGI: what a visitor who never signed in can
make the server keep, the ceiling on uploads, Streamlit's metrics, the sign-in cookie's routes; and
the Streamlit seams it stands on, pinned (an upgrade that moves them fails here)."""
import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from swgdash import auth
from swgdash.app import guard


def call(handler, method="PUT", path="/_stcore/upload_file/SESSION/FILE", body=b"x" * 1000, client="203.0.113.9",
         headers=()):
    """Run one request through `handler`; (status, response body, whether the app behind was reached,
    bytes the app read)."""
    reached, read = [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])
        while True:
            message = await receive()
            read.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    chunks = [body[i:i + 256] for i in range(0, len(body), 256)] or [b""]
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "client": (client, 5555),
             "headers": [(k.encode(), v.encode()) for k, v in headers]}
    wall = handler(app) if isinstance(handler, type) else handler
    arun(wall(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return status, text, bool(reached), sum(read)


def arun(coro):
    """asyncio.run in a thread of its own (in `make test`, a browser test's event loop may hold this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(60)  # noqa


@pytest.fixture(autouse=True)
def clean_registry(monkeypatch):
    monkeypatch.setattr(guard, "_signed_in", {})
    monkeypatch.setattr(guard, "_revoked", {})
    monkeypatch.setattr(guard, "current_credential", lambda: "CRED")
    monkeypatch.setattr(guard, "cookie_secret", lambda: "secret")
    monkeypatch.setattr(guard, "_held_bytes", lambda: 0)
    monkeypatch.delenv("SWGDASH_UPLOAD_CEILING_MB", raising=False)
    monkeypatch.delenv("SWGDASH_TRUSTED_PROXY", raising=False)


def test_an_upload_for_a_session_not_signed_in_is_refused_before_its_body_is_read():
    status, text, reached, read = call(guard.UploadWall, body=b"x" * 45 * 1024 * 1024,
                                       headers=[("content-length", str(45 * 1024 * 1024))])
    assert (status, reached, read) == (403, False, 0)
    assert "secretariat" in text


def test_a_signed_in_sessions_upload_passes_and_a_deletion_is_never_stopped():
    guard.register("SESSION", "203.0.113.9", "CRED")
    status, _text, reached, read = call(guard.UploadWall)
    assert (status, reached, read) == (204, True, 1000)
    guard.forget("SESSION")
    assert call(guard.UploadWall, method="DELETE", body=b"")[2] is True


def test_uploads_beyond_the_ceiling_are_refused_declared_or_chunked(monkeypatch):
    guard.register("SESSION", "203.0.113.9", "CRED")
    monkeypatch.setenv("SWGDASH_UPLOAD_CEILING_MB", "1")
    monkeypatch.setattr(guard, "_held_bytes", lambda: 700 * 1024)
    status, text, reached, _read = call(guard.UploadWall, body=b"x" * 400 * 1024,
                                        headers=[("content-length", str(400 * 1024))])
    assert (status, reached) == (413, False) and "remove a file" in text
    status, _text, reached, read = call(guard.UploadWall, body=b"x" * 400 * 1024)  # no length said: counted
    assert status == 413 and read < 400 * 1024
    assert guard._in_flight == 0
    assert call(guard.UploadWall, body=b"x" * 200 * 1024)[0] == 204  # within the ceiling


def test_streamlits_metrics_answer_this_machine_only():
    assert call(guard.UploadWall, method="GET", path="/_stcore/metrics", body=b"")[0] == 404
    assert call(guard.UploadWall, method="GET", path="/_stcore/metrics", body=b"", client="127.0.0.1")[2] is True
    assert call(guard.UploadWall, method="GET", path="/", body=b"")[2] is True


def test_the_client_is_the_connection_unless_the_trusted_proxy_names_it(monkeypatch):
    assert guard.client_from("198.51.100.7", "10.9.9.9") == "198.51.100.7"  # anyone can write the header
    monkeypatch.setenv("SWGDASH_TRUSTED_PROXY", "127.0.0.1")
    assert guard.client_from("127.0.0.1", "10.9.9.9, 198.51.100.7") == "198.51.100.7"  # what the proxy appended
    assert guard.client_from("198.51.100.8", "10.9.9.9") == "198.51.100.8"
    assert guard.client_from(None, None) == "local"


def test_the_sign_in_cookie_is_httponly_strict_and_given_once():
    token = auth.make_token("Officer", "local", "secret", auth.credential("pw"))
    nonce = guard.offer(token)
    body = json.dumps({"nonce": nonce}).encode()
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": guard.SIGN_IN_PATH, "headers": []}
    arun(guard.sign_in_route(scope, receive, send))
    cookie = dict(sent[0]["headers"])[b"set-cookie"].decode()
    assert sent[0]["status"] == 200 and cookie.startswith(f"{auth.COOKIE}={token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age" not in cookie  # (gone with the browser)
    sent.clear()
    arun(guard.sign_in_route(scope, receive, send))  # the same offer again
    assert sent[0]["status"] == 403 and b"set-cookie" not in dict(sent[0]["headers"])


def test_signing_out_revokes_the_token():
    cred = "CRED"
    token = auth.make_token("Officer", "local", "secret", cred)
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": guard.SIGN_OUT_PATH,
             "headers": [(b"cookie", f"other=1; {auth.COOKIE}={token}".encode())]}
    assert auth.read_token(token, "local", "secret", cred, revoked=guard.revoked()) is not None
    arun(guard.sign_out_route(scope, receive, send))
    assert "Max-Age=0" in dict(sent[0]["headers"])[b"set-cookie"].decode()
    assert auth.read_token(token, "local", "secret", cred, revoked=guard.revoked()) is None


@pytest.mark.parametrize("what", ["other client", "other password", "expired", "tampered", "other secret", "junk"])
def test_a_token_is_read_only_by_its_client_under_its_credential_before_it_expires(what):
    cred, now = auth.credential("pw"), time.time()
    token = auth.make_token("Officer", "198.51.100.7", "secret", cred, now=now)
    assert auth.read_token(token, "198.51.100.7", "secret", cred, now=now + 60)[0] == "Officer"  # as made: read
    client, secret, when = "198.51.100.7", "secret", now + 60
    if what == "other client":
        client = "198.51.100.8"
    elif what == "other password":
        cred = auth.credential("pw2")
    elif what == "expired":
        when = now + auth.SIGN_IN_MINUTES * 60
    elif what == "tampered":
        token = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    elif what == "other secret":
        secret = "another"
    else:
        token = "x" * 5000
    assert auth.read_token(token, client, secret, cred, now=when) is None


def test_the_streamlit_seams_the_guard_stands_on():
    """An upgrade that moves the upload address or the upload manager's storage fails here."""
    import inspect

    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec
    from streamlit.web.server.starlette import starlette_routes

    source = inspect.getsource(starlette_routes.create_upload_routes)
    assert "upload_file/{session_id}/{file_id}" in source or "upload_file" in source
    routes = starlette_routes.create_upload_routes(runtime=None, upload_mgr=MemoryUploadedFileManager("/x"),
                                                   base_url=None)
    assert any(r.path.endswith("/_stcore/upload_file/{session_id}/{file_id}") for r in routes), [r.path for r in routes]
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    manager.add_file("S1", UploadedFileRec("F1", "a.csv", "text/csv", b"12345"))
    assert sum(len(r.data) for files in manager.file_storage.values() for r in files.values()) == 5
    assert guard.UPLOAD_PREFIX == "/_stcore/upload_file/"


def test_an_upload_for_a_signed_in_session_from_another_address_is_refused():
    guard.register("SESSION", "198.51.100.7", "CRED")  # signed in there
    status, _text, reached, _read = call(guard.UploadWall, client="203.0.113.9")  # the id presented from here
    assert (status, reached) == (403, False)
    assert call(guard.UploadWall, client="198.51.100.7")[0] == 204


def test_the_browser_key_is_the_xsrf_token_not_the_cookies_text():
    """Streamlit writes its XSRF cookie anew at each page load (a new mask, the same token): the key
    a sign-in is bound to must survive a reload and differ between browsers. Pins Streamlit's seam."""
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    token, other = b"a" * 16, b"b" * 16
    first, reloaded = generate_xsrf_token_string(token, 1700000000), generate_xsrf_token_string(token, 1700000000)
    assert first != reloaded  # (masked differently each time)
    assert guard.browser_key(first) == guard.browser_key(reloaded) != ""
    assert guard.browser_key(generate_xsrf_token_string(other, 1700000000)) != guard.browser_key(first)
    assert guard.browser_key(None) == "" and guard.browser_key("garbage") == "?"


def test_a_password_changed_since_the_sign_in_closes_the_wall(monkeypatch):
    guard.register("SESSION", "203.0.113.9", "CRED")
    monkeypatch.setattr(guard, "current_credential", lambda: "NEW")
    assert call(guard.UploadWall)[0] == 403


def test_the_wall_and_the_metrics_hold_below_a_base_path(monkeypatch):
    monkeypatch.setattr(guard, "base_path", lambda: "/swg")
    assert call(guard.UploadWall, path="/swg/_stcore/upload_file/SESSION/F1")[:2][0] == 403
    assert call(guard.UploadWall, method="GET", path="/swg/_stcore/metrics", body=b"")[0] == 404
    guard.register("SESSION", "203.0.113.9", "CRED")
    assert call(guard.UploadWall, path="/swg/_stcore/upload_file/SESSION/F1")[0] == 204
    assert guard.url(guard.SIGN_IN_PATH) == "/swg/_swg/sign-in"


def test_an_ipv4_address_written_as_ipv6_is_the_same_address(monkeypatch):
    assert call(guard.UploadWall, method="GET", path="/_stcore/metrics", body=b"", client="::ffff:127.0.0.1")[2]
    monkeypatch.setenv("SWGDASH_TRUSTED_PROXY", "127.0.0.1")
    assert guard.client_from("::ffff:127.0.0.1", "198.51.100.7") == "198.51.100.7"


def test_only_our_own_tokens_are_remembered_as_revoked():
    for i in range(50):  # strangers' cookies: not signed by us, nothing kept
        guard.revoke_token(auth._b64(json.dumps({"n": "x", "c": "y", "e": 2**40, "i": "z" * 6000 + str(i)}).encode())
                           + ".c2ln")
    assert guard.revoked() == frozenset()
    token = auth.make_token("Officer", "local", "secret", "CRED")
    guard.revoke_token(token)
    assert len(guard.revoked()) == 1


def test_deeply_nested_json_is_refused_plainly():
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"[" * 4000, "more_body": False}

    async def send(message):
        sent.append(message)

    arun(guard.sign_in_route({"type": "http", "method": "POST", "path": guard.SIGN_IN_PATH, "headers": []},
                                    receive, send))
    assert sent[0]["status"] == 403
    nested = auth._b64(b"[" * 3000) + ".c2ln"
    assert auth.read_token(nested, None, "secret", "CRED") is None
