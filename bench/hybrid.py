"""The load run with the members' browsers off the server's cores: a few sessions in real
Chromium, the rest speaking Streamlit's protocol, all at once against one server.

    python bench/hybrid.py load HOME [BROWSERS] [SESSIONS] [SECONDS] [THINK] [ROUNDS] [SERVERS]

Twenty committee members each draw the dashboard on their own computer; the server is
the one machine they share. bench/browser.py `load` puts all twenty Chromiums on the
server's two cores, where they mostly queue behind each other (the floor app, a heading
and one small chart per page, already needs a third of a core for its browsers). Here
BROWSERS (4) of the SESSIONS (20) are fresh Chromium contexts, timed from the click to
the page drawn as in bench/browser.py; the others are bench/protocol.py sessions, which
ask the server for the same pages in the same way and cost the machine little. This is
the hybrid load test of k6 and other load tools: the server carries the full load, and
real browsers measure what a member waits for. Each of ROUNDS (3) rounds of SECONDS
opens new sessions (so every browser starts cold) with other sessions in Chromium; page
times are pooled over the rounds. With SERVERS 2, two servers share the store behind nginx with
sticky sessions (tests/cluster.py), the same sessions spread over both; the server figures are
both servers' together. The JSON result is the last line of stdout.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import protocol  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

import browser  # noqa: E402
from browser import _pct, load_report, measure_load, run_log_for  # noqa: E402


def in_browser(round_: int, browsers: int, sessions: int) -> list[int]:
    """The sessions drawn in Chromium in a round: a different block of sessions each round,
    so they start on different pages (a session starts on the page after its number)."""
    return [(round_ * browsers + j) % sessions for j in range(browsers)]


async def _round(url: str, pid: int, run_log: Path, chromium, round_: int, browsers: int, sessions: int,
                 seconds: float, think: float, times: dict, proto_times: dict, errors: list) -> dict:
    drawn = in_browser(round_, browsers, sessions)

    async def start():  # one after another, as in the other load runs; not timed
        return {k: await browser._open(chromium, url, k, errors) if k in drawn
                else await protocol.open_session(url, k, errors) for k in range(sessions)}

    async def click(opened, until):
        await asyncio.gather(*(
            browser._clicks(s[0], url, k, s[1], until, times, errors, think) if k in drawn
            else protocol._clicks(url, s, k, until, proto_times, errors, think) for k, s in opened.items()))

    measured = await measure_load(pid, run_log, start, click, seconds)
    for k in drawn:
        await measured["opened"][k][0].context.close()
    return measured


async def _load_run(home: Path, browsers: int, sessions: int, seconds: float, think: float, rounds: int,
                    servers: int = 1) -> dict:
    times: dict[str, list[float]] = {}
    proto_times: dict[str, list[float]] = {}
    errors: list[tuple[str, str]] = []
    run_log = run_log_for(home)
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(browser.streamlit_server(home, env={"SWGDASH_RUN_LOG": str(run_log)}))
                for _ in range(servers)]
        if servers == 1:
            url = urls[0]
        else:  # the same sessions spread over the servers by nginx, each member kept on one
            from cluster import nginx

            url = stack.enter_context(nginx(urls, Path(home).parent / f"nginx-{servers}"))
        port = int(urls[0].rsplit(":", 1)[1])
        pid = [browser._server_pid(int(u.rsplit(":", 1)[1])) for u in urls]
        async with async_playwright() as p:
            chromium = await p.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
            each = [await _round(url, pid, run_log, chromium, r, browsers, sessions, seconds, think,
                                 times, proto_times, errors) for r in range(rounds)]
            await chromium.close()
    measured = {"server_runs": [x for m in each for x in m["server_runs"]],
                "server_idle_mb": each[0]["server_idle_mb"],
                "server_peak_mb": max(m["server_peak_mb"] for m in each), "cores": each[0]["cores"],
                **{k: round(sum(m[k] for m in each) / rounds)
                   for k in ("server_cpu_pct", "client_cpu_pct", "machine_cpu_pct")}}
    every = [t for ts in proto_times.values() for t in ts]
    return {**load_report(sessions, seconds, think, times, errors, measured,
                          Path(home).parent / f"streamlit-{port}.log"),
            "client": f"{browsers} sessions in headless Chromium, {sessions - browsers} Streamlit protocol",
            "browsers": browsers, "rounds": rounds, "warm": False, "app": "dashboard", "servers": servers,
            "protocol_switches": len(every), "protocol_median_s": _pct(every, 0.5),
            "protocol_p95_s": _pct(every, 0.95)}


def load_run(home: Path, browsers: int = 4, sessions: int = 20, seconds: float = 60, think: float = 20.0,
             rounds: int = 3, servers: int = 1) -> dict:
    """`sessions` sessions at once against one server for `seconds`, reading each page for
    `think` seconds on average, `browsers` of them in Chromium (fresh contexts), the rest
    speaking the protocol; `rounds` times, with new sessions. The page times (switches,
    median, p95, per page) are the Chromium sessions'; errors count every session."""
    if not 0 < browsers <= sessions or rounds < 1:
        raise ValueError("need 0 < browsers <= sessions and at least one round")
    return asyncio.run(_load_run(Path(home), browsers, sessions, seconds, think, rounds, servers))


if __name__ == "__main__":
    cmd, args = (sys.argv[1:2] or [""])[0], sys.argv[2:]
    if cmd == "load" and 1 <= len(args) <= 7:
        print(json.dumps(load_run(Path(args[0]), *map(int, args[1:3]), *map(float, args[3:5]),
                                  *map(int, args[5:7]))))
    else:
        sys.exit(__doc__)
