"""Many sessions against one server without browsers: Streamlit's own websocket protocol.

    python bench/protocol.py load HOME [SESSIONS] [SECONDS] [THINK]

Each session is what a browser tab is to the server: a websocket to /_stcore/stream.
It asks for a page the way the sidebar link does (a `rerun_script` message with the
page's script hash and the address's query string) and receives everything the run
sends, until the run has finished. *Page time* is from the request to the run's last
message: what the server delivers. Drawing it is the browser's own work, done by each
committee member's own computer (bench/browser.py `switch` measures it, one browser
at a time). These sessions cost the client little CPU, so 20 of them measure the
server, where 20 Chromiums on the same two cores measure mostly the Chromiums
(bench/browser.py `load`). The JSON result is the last line of stdout.
"""
from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import APP_ERRORS, PAGES, TIMEOUT_S, _server_pid, load_report, measure_load, run_log_for  # noqa: E402
from serve import streamlit_server  # noqa: E402  (tests/, put on the path by browser.py)

FINISHED = {0, 3}  # ScriptFinishedStatus: FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY


class PageError(Exception):
    """A page run that failed, showed an error, or was not the page asked for."""


FAILURES = (OSError, asyncio.TimeoutError, websockets.WebSocketException, PageError)  # of a session


class Session:
    """One browser tab's conversation with the server, without drawing anything."""

    def __init__(self, ws, url: str):
        self.ws, self.url = ws, url
        self.hashes: dict[str, str] = {}  # url path -> page script hash, from the navigation message
        self.query = ""  # the address's query string, as the app last set it

    async def open(self, path: str) -> dict:
        """Run the page at path, as the sidebar link (or, first, the address bar) asks for it.
        Returns what the run showed: headings, element count; raises PageError."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.hashes.get(path, "")
        msg.rerun_script.page_name = path.strip("/")
        msg.rerun_script.context_info.url = self.url + path + (f"?{self.query}" if self.query else "")
        msg.rerun_script.context_info.timezone = "Asia/Vientiane"
        msg.rerun_script.context_info.locale = "en-GB"
        await self.ws.send(msg.SerializeToString())
        seen: dict = {"headings": [], "elements": 0, "errors": []}
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), TIMEOUT_S))
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.hashes = {"/" + p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                seen["errors"].append(f"page not found: {path}")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                what = el.WhichOneof("type")
                seen["elements"] += 1
                if what == "heading":
                    seen["headings"].append(el.heading.body)
                elif what == "exception":
                    seen["errors"].append(f"exception on {path}: {el.exception.message[:200]}")
                elif what == "alert" and any(t in el.alert.body for t in APP_ERRORS):
                    seen["errors"].append(f"error box on {path}: {el.alert.body[:200]}")
            elif kind == "script_finished" and fwd.script_finished in FINISHED:
                break  # FINISHED_EARLY_FOR_RERUN: the run started again; wait for its end
        title = PAGES[path]
        if not seen["errors"] and title is not None and title not in seen["headings"]:
            seen["errors"].append(f"{path} showed {seen['headings'][:3]}, not {title!r}")
        if seen["errors"]:
            raise PageError(seen["errors"][0])
        return seen


async def _connect(url: str, path: str = "/"):
    ws = await websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=TIMEOUT_S)
    session = Session(ws, url)
    await session.open(path)
    return session


async def open_session(url: str, k: int, errors: list) -> Session | None:
    """Session k on /, or None (its failure in errors): the start of a load run, not timed."""
    try:
        return await _connect(url)
    except FAILURES as e:
        errors.append(("first load failed", f"session {k}: {str(e)[:300]}"))
        return None


async def _clicks(url: str, session: Session | None, k: int, until: float, times: dict, errors: list,
                  think: float) -> None:
    """Session k, like bench/browser.py's: on / when the run starts, it clicks through the pages
    in the sidebar from a different page for each session, reading each for `think` seconds on
    average; after a failure it connects again (a reload of /)."""
    order, i, rng, current = list(PAGES), k, random.Random(k), "/"
    if think:
        await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < until:
        if session is None:
            try:
                session, current = await _connect(url), "/"
            except FAILURES as e:
                errors.append(("reload of / failed", f"session {k}: {str(e)[:300]}"))
                await asyncio.sleep(1)
                continue
        path, i = order[i % len(order)], i + 1
        if path == current:
            continue
        try:
            t = time.perf_counter()
            await session.open(path)
            times.setdefault(path, []).append(time.perf_counter() - t)
            current = path
            if think:
                await asyncio.sleep(min(think * rng.uniform(0.5, 1.5), max(0.0, until - time.monotonic())))
        except FAILURES as e:
            errors.append((f"switch to {path} failed", f"session {k}: {str(e)[:300]}"))
            await session.ws.close()
            session = None
    if session is not None:
        await session.ws.close()


async def _load_run(home: Path, sessions: int, seconds: float, think: float) -> dict:
    times: dict[str, list[float]] = {}
    errors: list[tuple[str, str]] = []
    run_log = run_log_for(home)
    with streamlit_server(home, env={"SWGDASH_RUN_LOG": str(run_log)}) as url:
        port = int(url.rsplit(":", 1)[1])

        async def start():  # every session on / before the clock starts, as in the browser run
            return [await open_session(url, k, errors) for k in range(sessions)]

        async def click(opened, until):
            await asyncio.gather(*(_clicks(url, s, k, until, times, errors, think) for k, s in enumerate(opened)))

        measured = await measure_load(_server_pid(port), run_log, start, click, seconds)
    return {**load_report(sessions, seconds, think, times, errors, measured,
                          Path(home).parent / f"streamlit-{port}.log"),
            "client": "Streamlit protocol (websocket), no browser"}


def load_run(home: Path, sessions: int = 20, seconds: float = 60, think: float = 0.0) -> dict:
    """`sessions` protocol sessions at once, each clicking through the pages for `seconds`,
    reading each page for `think` seconds on average."""
    return asyncio.run(_load_run(Path(home), sessions, seconds, think))


if __name__ == "__main__":
    cmd, args = (sys.argv[1:2] or [""])[0], sys.argv[2:]
    if cmd == "load" and 1 <= len(args) <= 4:
        print(json.dumps(load_run(Path(args[0]), *map(int, args[1:2]), *map(float, args[2:4]))))
    else:
        sys.exit(__doc__)
