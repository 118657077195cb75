"""The first page after `make run` (issue 31): python -m bench.first_page [RUNS]

A `streamlit run server.py` on a new, empty store (as `make run` starts it on a fresh clone), waited
for until healthy; then, in Chromium at 1280x900, each run a fresh browser context (a first visit):
the time from opening / to the page drawn (Streamlit's script state back to not running and the
page's heading shown). The first run is the new store's first page, which before issue 31 waited
for the demo to be published. Prints JSON.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402

from serve import streamlit_server, wait_for_page  # noqa: E402


def main(runs: int = 5) -> dict:
    home = Path(tempfile.mkdtemp(prefix="swgfirst-")) / "home"
    home.mkdir()
    times = []
    with streamlit_server(home) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            t = time.perf_counter()
            page.goto(url + "/")
            wait_for_page(page)
            page.get_by_role("heading").first.wait_for()
            times.append(time.perf_counter() - t)
            context.close()
        browser.close()
    return {"new_store_first_page_s": times[0], "first_visit_median_s": statistics.median(times[1:]), "runs": runs}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
