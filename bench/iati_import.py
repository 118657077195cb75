"""Importing a large IATI file (issue 33): python -m bench.iati_import [MB] [RUNS]

Writes an IATI 2.03 activity file of about MB megabytes (default 200) from the demo's sample
(scripts/make_demo_iati.py: its activities again and again under new identifiers, a tenth of them in
another country), then times `python -m swgdash iati import FILE` as a whole process into a new
folder store, RUNS times (default 3), with the process's peak memory (its maximum resident set, read
from wait4 by bench.cli_speed's small launcher, about 8 MB of which each figure includes). Prints JSON: the file's size and activities, each run's seconds and MB,
their medians, and the peak memory as a share of the file's size.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The peak memory of importing the 200 MB file, as bench/RESULTS.md records it (with room for one
# machine against another); tests/unit/test_iati.py holds every import to it.
RECORDED_PEAK_MB = 360  # measured: 286 MB (bench/RESULTS.md), with room for one machine against another
START, END = "<!-- iati-import:start -->", "<!-- iati-import:end -->"


def write_file(path: Path, megabytes: int) -> int:
    """An activity file of about `megabytes` MB; returns its number of activities."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_demo_iati as demo

    sample = demo.document()
    body = sample[sample.index("<iati-activity "):sample.rindex("</iati-activities>")]
    activities = re.findall(r"<iati-activity .*?</iati-activity>", body, flags=re.S)
    target, written, n = megabytes * 1024 * 1024, 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        head = f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="{demo.GENERATED}">\n'
        fh.write(head)
        written += len(head)
        while written < target:
            for a in activities:
                n += 1
                text = re.sub(r"<iati-identifier>(.*?)</iati-identifier>",
                              lambda m, n=n: f"<iati-identifier>{m.group(1)}-{n:07d}</iati-identifier>", a, count=1)
                if n % 10 == 0:
                    text = text.replace('<recipient-country code="LA"', '<recipient-country code="TH"')
                fh.write(text + "\n")
                written += len(text.encode("utf-8")) + 1
        fh.write("</iati-activities>\n")
    return n


def run_once(path: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one whole `iati import` process into a new store, started by
    bench.cli_speed's small launcher: Linux counts in a child's peak memory what its parent held
    before the exec, so a child of a test run's large process would report that process's memory."""
    from bench.cli_speed import measured

    home = Path(tempfile.mkdtemp(prefix="swgiati-")) / "home"
    seconds, mb, _printed = measured([sys.executable, "-m", "swgdash", "--home", str(home), "iati", "import", str(path)])
    return seconds, mb


def main(megabytes: int = 200, runs: int = 3) -> dict:
    folder = Path(tempfile.gettempdir()) / "swgdash-bench-iati"
    folder.mkdir(exist_ok=True)
    path = folder / f"activities-{megabytes}mb.xml"
    meta = path.with_suffix(".json")
    if not path.exists() or not meta.exists():
        meta.write_text(json.dumps({"activities": write_file(path, megabytes)}))
    activities = json.loads(meta.read_text())["activities"]
    size_mb = path.stat().st_size / 1024 / 1024
    results = [run_once(path) for _ in range(runs)]
    seconds, peaks = [r[0] for r in results], [r[1] for r in results]
    return {"file_mb": round(size_mb, 1), "activities": activities, "runs": runs,
            "seconds": [round(s, 2) for s in seconds], "peak_mb": [round(p) for p in peaks],
            "median_seconds": round(statistics.median(seconds), 2), "median_peak_mb": round(statistics.median(peaks)),
            "peak_share_of_file": round(statistics.median(peaks) / size_mb, 2)}


def table(r: dict) -> str:
    """The block of bench/RESULTS.md between the iati-import markers."""
    return (f"{START}\n\n| file | activities | runs | seconds (median) | peak MB (median) | peak / file size | each run: s, MB |\n"
            f"|---|---|---|---|---|---|---|\n"
            f"| {r['file_mb']} MB | {r['activities']:,} | {r['runs']} | {r['median_seconds']} | {r['median_peak_mb']} | "
            f"{r['peak_share_of_file']} | "
            + "; ".join(f"{s} s, {m} MB" for s, m in zip(r["seconds"], r["peak_mb"], strict=True)) + f" |\n\n{END}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    found = main(*args)
    print(json.dumps(found, indent=2))
    results = ROOT / "bench" / "RESULTS.md"
    doc = results.read_text(encoding="utf-8")
    if START in doc and END in doc:
        doc = doc[:doc.index(START)] + table(found) + doc[doc.index(END) + len(END):]
        results.write_text(doc, encoding="utf-8")
