"""The store in object storage against the folder store (issue 20): publish, and a server's first page.

    python bench/objectstore.py EXTRACT [RUNS]

For each store (a folder; an S3 server on 127.0.0.1, moto, as in the tests): the median seconds of
RUNS publishes of EXTRACT (validate, write the version, switch HEAD; each into a fresh store), then
a fresh `streamlit run` server on the store and the seconds from opening / in Chromium to the
overview drawn (the version's files fetched and its query database built, or read). The JSON result
is the last line of stdout. Loopback S3 has no network latency: a real object store adds its
round trips (a publish makes about 15 requests, a first page 15).
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main(extract: str, runs: int = 3) -> dict:
    import boto3
    from moto.server import ThreadedMotoServer
    from playwright.sync_api import sync_playwright

    from cluster import s3_env
    from serve import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server, wait_for_page
    from swgdash import publishing, store as stores
    from swgdash.store import s3 as objectstore

    os.environ.update({"SWGDASH_MAX_FILE_MB": "4096", "SWGDASH_MAX_INFLATED_MB": "8192"})
    port = free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    s3.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(s3_env(endpoint))
    work = Path(tempfile.mkdtemp(prefix="swgbench-s3-"))
    os.environ["SWGDASH_CACHE"] = str(work / "cache")
    boto3.client("s3").create_bucket(Bucket="swg-bench")
    out: dict = {}
    try:
        for kind in ("folder", "s3"):
            homes = [str(work / f"folder-{n}") if kind == "folder" else f"s3://swg-bench/run-{n}"
                     for n in range(runs + 1)]
            seconds = []
            for home in homes:  # the first is the warm-up
                objectstore.opened.cache_clear()
                t = time.perf_counter()
                publishing.publish_paths(stores.open_store(home), [extract], None, "bench")
                seconds.append(time.perf_counter() - t)
            server_home = work / f"server-{kind}" / "home"
            server_home.parent.mkdir(parents=True)
            env = {"SWGDASH_CACHE": str(work / f"server-cache-{kind}")}
            served = (streamlit_server(server_home, env=env, store=homes[-1]) if kind == "s3"
                      else streamlit_server(Path(homes[-1]), env=env))  # (the last store published)
            with served as url, sync_playwright() as p:
                chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = chromium.new_page(viewport={"width": 1440, "height": 900})
                t = time.perf_counter()
                page.goto(url + "/")
                wait_for_page(page)
                first = time.perf_counter() - t
                t = time.perf_counter()
                page.goto(url + "/dormant")
                wait_for_page(page)
                second = time.perf_counter() - t
                chromium.close()
            out[kind] = {"publish_s": round(statistics.median(seconds[1:]), 3),
                         "first_page_s": round(first, 3), "next_page_s": round(second, 3)}
            print(kind, out[kind], file=sys.stderr, flush=True)
    finally:
        s3.stop()
    return out


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 3:
        sys.exit(__doc__)
    print(json.dumps(main(sys.argv[1], *map(int, sys.argv[2:3]))))
