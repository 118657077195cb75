"""What a visitor who never signs in can do (issue 34), against `streamlit run server.py` on loopback,
speaking Streamlit's own protocol (tests/hostile.py): fill the server's memory through the upload
endpoint (no), lock the secretariat out (no), act as a signed-in officer with a session id seen
elsewhere (no), crash a page with a crafted widget value or address (no)."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from hostile import HOSTILE_VALUES, Visitor, crafted, put_upload, query, rss_mb
from serve import module_server
from swgdash import site
from swgdash.app.state import URL_KEYS

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "visitor", {"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD})


def run(coro):
    """asyncio.run in a thread of its own (Playwright's sync API may hold this thread's event loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(900)


def flood(url: str, session_ids: list[str], uploads: int = 40, size: int = 45 * MB, cookie: str = "") -> list[int]:
    """`uploads` files of `size` bytes posted at once (8 at a time) for the visitors' sessions."""
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda k: put_upload(url, session_ids[k % len(session_ids)], size, cookie=cookie),
                             range(uploads)))


def test_forty_anonymous_uploads_of_45_mb_leave_the_servers_memory_as_it_was(server):
    url, _home = server

    async def scene():
        visitors = [await Visitor.connect(url) for _ in range(4)]
        ids = [v.session_id for v in visitors]
        assert all(ids)
        before = rss_mb(url)
        served, done = [], asyncio.Event()

        async def member():  # a committee member browsing meanwhile
            v = await Visitor.connect(url)
            while not done.is_set():
                for path in ("/dormant", "/meetings", "/"):
                    r = await v.run(path)
                    served.append((path, not r.errors and bool(r.headings)))
            await v.close()

        browsing = asyncio.create_task(member())
        statuses = await asyncio.get_running_loop().run_in_executor(None, flood, url, ids)
        done.set()
        await browsing
        await asyncio.sleep(2)
        after = rss_mb(url)
        for v in visitors:
            await v.close()
        return statuses, before, after, served

    statuses, before, after, served = run(scene())
    assert set(statuses) <= {403, 0}, statuses  # refused (or cut off) before the body was kept
    assert after - before < 100, (before, after)
    assert served and all(ok for _p, ok in served), served


def test_the_officer_signs_in_while_an_attacker_hammers_from_another_address(server):
    """Wrong passwords are counted per address: the officer's correct one from another is not refused."""
    url, _home = server

    async def attempt(source: str, password: str, n: int = 1) -> list[str]:
        v = await Visitor.connect(url, local_addr=(source, 0))
        said = []
        for _ in range(n):
            r = await v.run("/upload")
            form = {p.label: (kind, wid) for wid, (kind, p) in r.widgets.items() if hasattr(p, "label")}
            name, secret = form["Your name"][1], form["Secretariat password"][1]
            submit = [wid for wid, (kind, p) in r.widgets.items() if kind == "button" and p.is_form_submitter][0]
            from streamlit.proto.WidgetStates_pb2 import WidgetState

            states = [WidgetState(id=name, string_value="someone"), WidgetState(id=secret, string_value=password),
                      WidgetState(id=submit, trigger_value=True)]
            out = await v.run("/upload", widgets=states)
            after = await v.run("/upload")  # (a sign-in reruns the page: then the upload is there)
            signed = any(kind == "file_uploader" for kind, _p in after.widgets.values())
            said.append(" ".join(out.alerts) + (" SIGNED-IN" if signed else ""))
        await v.close()
        return said

    async def both():
        attacker = asyncio.create_task(attempt("127.0.0.2", "guess", 8))
        await asyncio.sleep(6)  # well into the attacker's throttling
        started = time.monotonic()
        officer = await attempt("127.0.0.3", PASSWORD)
        return await attacker, officer, time.monotonic() - started

    attacker, officer, seconds = run(both())
    assert any("Too many wrong passwords" in a for a in attacker), attacker
    assert officer[0].endswith("SIGNED-IN") and "Too many wrong passwords" not in officer[0], officer
    assert seconds < 15, seconds


def test_crafted_widget_values_and_addresses_show_no_error_and_never_blame_the_store(server):
    url, _home = server

    async def probe():
        v = await Visitor.connect(url)
        failures = []
        # every page, with every address key hostile at once
        for page in site.PAGES:
            for value in ("9" * 5000, "\u202e" + "x" * 20000, "1800-01-01"):
                r = await v.run("/" + page.path, query(**{k: value for k in (*URL_KEYS, "id", "slide")}))
                failures += [(page.path, "address", e[:120]) for e in r.errors]
        # each key alone, with each hostile value (on one page: the sidebar reads them the same on every page)
        for key in (*URL_KEYS, "id", "slide"):
            path = {"id": "/group", "slide": "/present"}.get(key, "/dormant")
            for value in HOSTILE_VALUES:
                r = await v.run(path, query(**{key: value}))
                failures += [(path, key, e[:120]) for e in r.errors]
                notices = [a for a in r.alerts if "The address asks for" in a or "There is no group" in a]
                assert all(len(a) < 800 and "\u202e" not in a for a in notices), notices
        # every widget of the sidebar (on /dormant) and of /upload, with values no browser sends
        for path in ("/dormant", "/upload"):
            shown = await v.run(path)
            for wid, (kind, _proto) in shown.widgets.items():
                for state in crafted(kind, wid):
                    r = await v.run(path, widgets=[state])
                    failures += [(path, f"{kind} {state.WhichOneof('value')}", e[:120]) for e in r.errors]
                    again = await v.run(path)  # and the next run, with what the server kept
                    failures += [(path, f"{kind} then", e[:120]) for e in again.errors]
        await v.close()
        return failures

    failures = run(probe())
    assert failures == [], "\n".join(map(str, failures[:80]))


def test_a_session_id_presented_from_another_address_is_not_signed_in(server, browser):
    """A second client presenting the officer's session id (as Streamlit's reconnection does) is
    attached to the session, but its sign-in is bound to the client that made it."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from serve import new_page, secretariat_sign_in

    url, _home = server
    page = new_page(browser)
    ids = []

    def frames(ws):
        def read(payload):
            if isinstance(payload, bytes):
                fwd = ForwardMsg()
                try:
                    fwd.ParseFromString(payload)
                except Exception:
                    return
                if fwd.WhichOneof("type") == "new_session":
                    ids.append(fwd.new_session.initialize.session_id)
        ws.on("framereceived", read)

    page.on("websocket", frames)  # (the session id, as the browser's own websocket receives it)
    secretariat_sign_in(page, url, PASSWORD, "Bound Officer")
    assert "Signed in as Bound Officer" in page.inner_text("body")
    session_id = ids[-1] if ids else ""
    assert session_id

    # before anyone takes the session over: from this address with another browser's XSRF token,
    # refused; with the officer's own browser's, taken (the control: the wall is what refuses)
    officers = [c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf"][0]
    controls = [put_upload(url, session_id, 1000), put_upload(url, session_id, 1000, xsrf=officers)]

    async def reattach():
        import websockets

        ws = await websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream",
                                      subprotocols=["streamlit", "none", session_id],
                                      max_size=None, open_timeout=30, local_addr=("127.0.0.4", 0))
        v = Visitor(url, ws)
        r = await v.run("/upload")
        await v.close()
        return r

    r = run(reattach())
    assert r.session_id in ("", session_id)
    assert not any(k == "file_uploader" for k, _p in r.widgets.values())
    assert "Sign in" in str([p.label for k, p in r.widgets.values() if k == "button"])
    # and the upload endpoint, presented the session id from another address, refuses it (the session
    # taken over has also ended the officer's sign-in: the control below ran before the takeover)
    assert put_upload(url, session_id, 1000, source="127.0.0.4") == 403
    assert controls == [403, 204], controls
    page.context.close()


def test_streamlits_metrics_are_not_served_to_another_address(server):
    import http.client
    from urllib.parse import urlparse

    u = urlparse(server[0])
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10, source_address=("127.0.0.5", 0))
    conn.request("GET", "/_stcore/metrics")
    assert conn.getresponse().status == 404


def test_a_member_still_changes_a_threshold_in_the_browser(server, browser):
    """The guard leaves a real browser's values alone: a whole number typed into a number input (sent
    as int_value for a widget Streamlit registers as double_value) reaches the page."""
    from serve import app_run, new_page, wait_for_page

    url, _home = server
    page = new_page(browser)
    page.goto(url + "/dormant")
    wait_for_page(page)
    page.get_by_text("Activity thresholds").click()
    box = page.get_by_role("spinbutton", name="Active: met within (months)")
    box.fill("3")
    with app_run(page):
        box.press("Enter")
    page.wait_for_function("() => location.search.includes('at_risk_months=3')", timeout=20000)
    assert "3 months" in page.inner_text("body") or "at_risk_months=3" in page.url
    page.context.close()
