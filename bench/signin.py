"""Sign-in on /upload as the secretariat does it (issue 31): python -m bench.signin [RUNS]

A `streamlit run` server on the demo store, Chromium at 1280x900; each run a fresh browser context:
open /upload, fill the name and password, then time from the click on "Sign in" to "Signed in as"
on the page, and to the page settled (Streamlit's script state back to not running, the upload
tabs drawn). The first run is the server's first sign-in. Prints JSON.
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
from swgdash import publishing  # noqa: E402
from swgdash.store import FolderStore  # noqa: E402

PASSWORD = "bench sign-in"


def main(runs: int = 5) -> dict:
    home = Path(tempfile.mkdtemp(prefix="swgsignin-")) / "home"
    publishing.ensure_demo(FolderStore(home))  # (as a first start leaves it: the IATI sample too)
    signed, settled = [], []
    with streamlit_server(home, env={"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD}) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url + "/upload")
            wait_for_page(page)
            page.get_by_role("textbox", name="Your name").fill("Officer")
            page.get_by_role("textbox", name="Secretariat password").fill(PASSWORD)
            t = time.perf_counter()
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("Signed in as").first.wait_for(timeout=30000)
            signed.append(time.perf_counter() - t)
            wait_for_page(page)
            settled.append(time.perf_counter() - t)
            context.close()
        browser.close()
    return {"first_signed_in_s": signed[0], "first_settled_s": settled[0],
            "signed_in_median_s": statistics.median(signed[1:]), "settled_median_s": statistics.median(settled[1:]),
            "runs": runs}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
