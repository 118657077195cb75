"""A visitor who never signs in, speaking Streamlit's own websocket protocol (as bench/protocol.py
does): open any page with any address, send any value for any widget, upload to the upload
endpoint. Used by tests/browser/test_browser_visitor.py against a running `streamlit run server.py`."""
from __future__ import annotations

import asyncio
import http.client
import math
from urllib.parse import urlencode, urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# swgdash's own failure messages: a page that shows one blamed the store or broke
APP_ERRORS = ("could not be drawn", "could not open its data", "has no version it can read")
WIDGETS = {"number_input", "date_input", "selectbox", "button_group", "checkbox", "text_input", "text_area",
           "button", "multiselect", "radio", "slider", "color_picker", "time_input", "file_uploader"}

# Address values a page must read as "not this" (the default, with a plain notice)
HOSTILE_VALUES = ["1800-01-01", "9999-12-31", "²", "٣", "9" * 5000, "-1", "NaN", "'; DROP TABLE groups;--",
                  "../../etc/passwd", "\u202eevil\u0000", "x" * 20000, "2026-02-30"]


class Run:
    """What one run of the script showed."""

    def __init__(self):
        self.headings: list[str] = []
        self.alerts: list[str] = []
        self.exceptions: list[str] = []
        self.widgets: dict[str, tuple[str, object]] = {}  # id -> (type, element proto)
        self.session_id = ""

    @property
    def errors(self) -> list[str]:
        return self.exceptions + [a for a in self.alerts if any(e in a for e in APP_ERRORS)]


class Visitor:
    """One tab's conversation with the server; `run` asks for a page with an address and widget values."""

    def __init__(self, url: str, ws):
        self.url, self.ws = url, ws
        self.hashes: dict[str, str] = {}
        self.states: dict[str, WidgetState] = {}
        self.session_id = ""

    @classmethod
    async def connect(cls, url: str, **connect):
        ws = await websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=30, **connect)
        v = cls(url, ws)
        await v.run("/")
        return v

    async def run(self, path: str, query: str = "", widgets: list[WidgetState] | None = None) -> Run:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_script_hash = self.hashes.get(path, "")
        msg.rerun_script.page_name = path.strip("/")
        msg.rerun_script.context_info.url = self.url + path + (f"?{query}" if query else "")
        msg.rerun_script.context_info.timezone = "Asia/Vientiane"
        msg.rerun_script.context_info.locale = "en-GB"
        for state in widgets or []:
            msg.rerun_script.widget_states.widgets.append(state)
        await self.ws.send(msg.SerializeToString())
        seen = Run()
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), 60))
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "navigation":
                self.hashes = {"/" + p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                what = el.WhichOneof("type")
                if what == "heading":
                    seen.headings.append(el.heading.body)
                elif what == "exception":
                    seen.exceptions.append(el.exception.message[:300])
                elif what == "alert":
                    seen.alerts.append(el.alert.body)
                elif what in WIDGETS:
                    proto = getattr(el, what)
                    if getattr(proto, "id", ""):
                        seen.widgets[proto.id] = (what, proto)
            elif kind == "script_finished" and fwd.script_finished in (0, 3):
                break
        seen.session_id = self.session_id
        return seen

    async def close(self):
        await self.ws.close()


def widget_state(widget_id: str, **value) -> WidgetState:
    """A widget value as the browser sends it: widget_state(id, double_value=2.0)."""
    s = WidgetState(id=widget_id)
    for field, v in value.items():
        if field.endswith("_array_value"):
            getattr(s, field).data.extend(v)
        else:
            setattr(s, field, v)
    return s


def crafted(kind: str, widget_id: str) -> list[WidgetState]:
    """Values no browser would send for a widget of this kind (and of other kinds: a crafted
    message need not match the widget)."""
    out = []

    def state(**value):
        return widget_state(widget_id, **value)

    if kind in ("number_input", "slider"):
        out += [state(double_value=math.nan), state(double_value=math.inf), state(double_value=-math.inf),
                state(double_value=1e308), state(int_value=10**18), state(int_value=-7), state(double_value=2.5)]
    if kind == "date_input":
        out += [state(string_array_value=["1800/01/01"]), state(string_array_value=["9999/12/31"]),
                state(string_array_value=["not a date"]), state(string_array_value=[])]
    if kind in ("selectbox", "radio"):
        out += [state(int_value=999_999), state(int_value=-1), state(string_value="x" * 20000),
                state(string_value="\u202enot an option")]
    if kind in ("button_group", "multiselect"):
        out += [state(int_array_value=[99]), state(string_array_value=["zz", "\u0000"]),
                state(string_array_value=["x" * 20000])]
    if kind == "checkbox":
        out += [state(bool_value=True), state(string_value="yes")]
    if kind in ("text_input", "text_area"):
        out += [state(string_value="\u202e" + "x" * 100_000), state(string_value="\u0000\u0001")]
    out += [state(json_value="{not json"), state(double_value=math.nan)]
    return out


def rss_mb(url: str) -> float:
    """The resident memory of the `streamlit run` serving `url` (on this machine), in MB."""
    from pathlib import Path

    port = url.rsplit(":", 1)[1].encode()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in args and port in args:
            for line in (cmdline.parent / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    raise RuntimeError(f"no streamlit process for {url}")


def _set_cookie(url: str, path: str, name: str) -> str:
    """The value of the cookie `name` that a GET of `path` sets, or ''."""
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith(name + "="):
                return v.split(";", 1)[0].split("=", 1)[1]
        return ""
    finally:
        conn.close()


def route_cookie(url: str) -> str:
    """The balancer's sticky-route cookie (tests/cluster.py), as `name=value`, or ''."""
    value = _set_cookie(url, "/", "swgroute")
    return f"swgroute={value}" if value else ""


def xsrf_cookie(url: str) -> str:
    """A valid XSRF cookie value, as Streamlit sets it on its health route (any well-formed pair passes
    Streamlit's own check: the token is the client's, sent twice)."""
    value = _set_cookie(url, "/_stcore/health", "_streamlit_xsrf")
    assert value, f"{url} set no XSRF cookie"
    return value


def put_upload(url: str, session_id: str, size: int, source: str | None = None, path_prefix: str = "",
               cookie: str = "", xsrf: str | None = None) -> int:
    """PUT one file of `size` bytes to Streamlit's upload endpoint for `session_id`, with a valid XSRF
    pair (the cookie the index page sets); the HTTP status, or 0 when the server cut the connection."""
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60, source_address=(source, 0) if source else None)
    try:
        conn.request("GET", "/_stcore/health", headers={"Cookie": cookie} if cookie else {})  # (sets the XSRF cookie)
        r = conn.getresponse()
        r.read()
        for k, v in r.getheaders():
            if xsrf is None and k.lower() == "set-cookie" and v.startswith("_streamlit_xsrf="):
                xsrf = v.split(";", 1)[0].split("=", 1)[1]
        assert xsrf, "no XSRF cookie: the upload would be refused by Streamlit's own check, not by the guard"
        boundary = "swgdashboundary"
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        body = head + b"x" * size + tail
        conn.request("PUT", f"{path_prefix}/_stcore/upload_file/{session_id}/f{size}", body=body,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                              "X-Xsrftoken": xsrf, "Cookie": "; ".join(c for c in (f"_streamlit_xsrf={xsrf}", cookie) if c)})
        r = conn.getresponse()
        r.read()
        return r.status
    except (ConnectionError, OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def query(**values) -> str:
    return urlencode(values)
