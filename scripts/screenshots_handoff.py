"""Screenshots of the secretariat's hand-off (issue 28): python scripts/screenshots_handoff.py [OUT_DIR]

Signs in on /upload, uploads the current data with one action id reused for another action and a
meeting scheduled, and writes the preview, the templates tab, /meetings (upcoming meetings and the
calendar) and a group profile, in English and in Lao, at a phone's and a laptop's size
(docs/screenshots/handoff/ by default).
"""
import io
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]
import openpyxl  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from serve import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_page  # noqa: E402
from swgdash.present import excel  # noqa: E402
from swgdash.store import open_store  # noqa: E402

PASSWORD = "screenshots only"
SIZES = {"phone": (390, 844), "laptop": (1440, 900)}


def reused_id_workbook(home: Path, path: Path) -> None:
    """The current data, with its first action's id reused for another action under another recommendation."""
    v = open_store(home).current()
    wb = openpyxl.load_workbook(io.BytesIO(excel.version_workbook({n: v.read(n) for n in v.tables}, v.as_of)))
    actions = wb["actions"]
    head = [c.value for c in actions[1]]
    row = actions[2]
    row[head.index("description")].value = "Capacity building for SWG secretariats"
    row[head.index("description_lo")].value = "ການສ້າງຄວາມອາດສາມາດໃຫ້ກອງເລຂາ SWG"
    recs = [r[0].value for r in wb["recommendations"].iter_rows(min_row=2)]
    row[head.index("rec_id")].value = next(r for r in recs if r != row[head.index("rec_id")].value)
    wb.save(path)


def full(page, out: Path, width: int, height: int) -> None:
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(tall) + 40, 6000)})
    wait_for_page(page)
    page.screenshot(path=str(out))
    page.set_viewport_size({"width": width, "height": height})
    print(out)


out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/handoff")
out.mkdir(parents=True, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp, \
        streamlit_server(Path(tmp) / "home", env={"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD}) as url, \
        sync_playwright() as pw:
    home = Path(tmp) / "home"
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    for lang in ("en", "lo"):
        for size, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            page.goto(f"{url}/upload?lang={lang}")
            wait_for_page(page)
            page.locator('[data-testid="stForm"] input[type="text"]').first.fill("Screenshot Officer")
            page.locator('[data-testid="stForm"] input[type="password"]').fill(PASSWORD)
            page.locator('[data-testid="stForm"] [data-testid="stBaseButton-primaryFormSubmit"]').click()
            page.wait_for_timeout(500)
            wait_for_page(page)
            workbook = Path(tmp) / "update.xlsx"
            reused_id_workbook(home, workbook)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(workbook))
            page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60000)
            wait_for_page(page)
            full(page, out / f"upload-preview-{lang}-{size}.png", w, h)
            page.locator('[role="tab"]').nth(2).click()
            wait_for_page(page)
            page.screenshot(path=str(out / f"upload-templates-{lang}-{size}.png"))
            print(out / f"upload-templates-{lang}-{size}.png")
            page.close()
            page = browser.new_page(viewport={"width": w, "height": h})
            for name, path in (("meetings", "/meetings"), ("group", "/group?id=SWG-NRE")):
                page.goto(f"{url}{path}{'&' if '?' in path else '?'}lang={lang}")
                wait_for_page(page)
                full(page, out / f"{name}-{lang}-{size}.png", w, h)
            page.close()
