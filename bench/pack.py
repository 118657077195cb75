"""The briefing pack's build time (issue 30): the slides, their charts, the PowerPoint deck and the
PDF, as /present's download builds them, at the demo scale and on the large register
(tests/factories.py large_register: 60 groups, 40 partners, 30 overdue actions, long names), in
English and Lao, each build in a fresh process's pack after a warm-up (the server's case: its
Chromium already started by an earlier pack). `python bench/pack.py [RUNS] [--tree DIR]` prints JSON:
{"demo en": [seconds...], ..., "first": seconds}; `--tree` measures the swgdash of another checkout
(the code before a change: `git worktree add DIR REV`), with this checkout's factories."""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve() if "--tree" in sys.argv else ROOT
sys.path[:0] = [str(TREE), str(ROOT / "tests")]


def build(home: Path, lang: str) -> tuple[bytes, bytes]:
    """The pack of the store's current version, as the page's download makes it."""
    from swgdash.app.present import _pack_now
    from swgdash.query import metrics
    from swgdash.store import FolderStore

    store = FolderStore(home)
    v = store.current()
    from swgdash.query.db import Database

    db = Database(v)
    plan = metrics.default_plan(metrics.plans(db.cursor()), v.as_of)
    db.close()
    p = metrics.Params(as_of=v.as_of, plan=plan)
    return _pack_now(str(store.root), v.fingerprint, p, "all groups", False, lang, False, v)


def main(runs: int = 3) -> dict[str, list[float]]:
    from factories import demo_home, large_home

    work = Path(tempfile.mkdtemp(prefix="swgpack-"))
    homes = {"demo": demo_home(work / "demo"), "large": large_home(work / "large")}
    out: dict = {}
    t = time.perf_counter()
    build(homes["demo"], "en")  # the first pack of the process: its Chromium started
    out["first"] = time.perf_counter() - t
    for scale, home in homes.items():
        for lang in ("en", "lo"):
            from swgdash import i18n

            with i18n.language(lang):
                build(home, lang)  # warm-up: the query database opened, fonts read
                times = []
                for _ in range(runs):
                    t = time.perf_counter()
                    pptx, pdf = build(home, lang)
                    times.append(time.perf_counter() - t)
                    assert pptx and pdf
            out[f"{scale} {lang}"] = times
            print(f"  pack {scale} {lang}: median {statistics.median(times):.2f} s", file=sys.stderr, flush=True)
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--tree" and (TREE == ROOT or a != sys.argv[sys.argv.index("--tree") + 1])]
    print(json.dumps(main(int(args[0]) if args else 3)))
