"""Screenshots of every page in headless Chromium: python scripts/screenshots.py [OUT_DIR]

Runs the app on a throwaway store (the demo extract) and writes one PNG per
page, full length, at 1440 px wide, plus the overview at projector size; then every
page in Lao (?lang=lo) under lo/, full length at 1280 and 1920 px wide, and the slides;
then every page at the four sizes a member uses (phone, tablet, projector, full HD) under
sizes/, full length up to 6000 pixels, in 256 colours (a tenth of the bytes).
"""
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]
from playwright.sync_api import sync_playwright  # noqa: E402

from serve import CHROMIUM, CHROMIUM_ARGS, OTHER_PAGES, PAGES, SIZES, streamlit_server, wait_for_page  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
out.mkdir(parents=True, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp, streamlit_server(Path(tmp) / "home") as url, sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    for size, suffix in (((1440, 900), ""), ((1280, 720), "-720p")):
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        for path in ({**PAGES, **OTHER_PAGES} if not suffix else ["/"]):
            page.goto(url + path)
            wait_for_page(page)
            name = (path.strip("/").split("?")[0] or "overview") + suffix
            if not suffix:  # Streamlit scrolls an inner container: grow the window to its height
                height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                page.set_viewport_size({"width": size[0], "height": min(int(height) + 40, 12000)})
                wait_for_page(page)
            page.screenshot(path=str(out / f"{name}.png"))
            page.set_viewport_size({"width": size[0], "height": size[1]})
            print(out / f"{name}.png")
        page.close()
    for size in ((1280, 720), (1920, 1080)):  # presentation mode at projector sizes
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        for n in (1, 2, 3, 5):
            page.goto(f"{url}/present?slide={n}")
            wait_for_page(page)
            page.screenshot(path=str(out / f"present-slide{n}-{size[1]}p.png"))
        page.close()
    lao = out / "lo"
    lao.mkdir(exist_ok=True)
    for size in ((1280, 720), (1920, 1080)):  # every page in Lao, at a projector's and a full-HD width
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        for path in {**PAGES, **OTHER_PAGES, "/present?slide=1": None}:
            page.goto(url + path + ("&" if "?" in path else "?") + "lang=lo")
            wait_for_page(page)
            name = (path.strip("/").split("?")[0] or "overview") + f"-{size[0]}"
            height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
            page.set_viewport_size({"width": size[0], "height": min(max(int(height) + 40, size[1]), 12000)})
            wait_for_page(page)
            page.screenshot(path=str(lao / f"{name}.png"))
            page.set_viewport_size({"width": size[0], "height": size[1]})
            print(lao / f"{name}.png")
        for n in (2, 3, 5):
            page.goto(f"{url}/present?slide={n}&lang=lo")
            wait_for_page(page)
            page.screenshot(path=str(lao / f"present-slide{n}-{size[1]}p.png"))
        page.close()
    sizes = out / "sizes"
    sizes.mkdir(exist_ok=True)
    from PIL import Image

    for size, (width, height) in SIZES.items():  # every page as a member sees it on each screen
        touch = size in ("phone", "tablet")
        page = browser.new_context(viewport={"width": width, "height": height}, is_mobile=size == "phone",
                                   has_touch=touch).new_page()
        for path in {**PAGES, **OTHER_PAGES, "/present?slide=2": None, "/present?slide=4": None}:
            page.goto(url + path)
            wait_for_page(page)
            page.wait_for_timeout(1500)  # a narrow screen is measured, and the page drawn again for it
            wait_for_page(page)
            name = (path.strip("/").split("?")[0] or "overview") + (f"-slide{path[-1]}" if "slide=" in path else "")
            full = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
            page.set_viewport_size({"width": width, "height": min(max(int(full) + 40, height), 6000)})
            wait_for_page(page)
            target = sizes / f"{name}-{size}.png"
            page.screenshot(path=str(target))
            Image.open(target).convert("RGB").quantize(256).save(target, optimize=True)
            page.set_viewport_size({"width": width, "height": height})
            print(target)
        page.context.close()
    browser.close()
