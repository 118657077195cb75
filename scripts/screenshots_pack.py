"""The briefing pack of the large register, every page as a PNG: python scripts/screenshots_pack.py [OUT_DIR]

Builds the pack of tests/factories.py's large register (60 groups, 40 partners, 30 overdue
actions, names of 120 characters) in English and in Lao with the CLI (`deck --pdf`), and writes
each PDF page with poppler's pdftoppm at 60 dpi (800 x 450 pixels), in 256 colours, under
OUT_DIR/en/ and OUT_DIR/lo/ (default docs/screenshots/pack), with each page's slide on a contact
sheet (sheet.png) to look at the whole pack at once.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from PIL import Image  # noqa: E402

from factories import large_home, run_cli  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "pack")
with tempfile.TemporaryDirectory() as tmp:
    home = large_home(Path(tmp))
    for lang in ("en", "lo"):
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        pdf = Path(tmp) / f"{lang}.pdf"
        code, said = run_cli("--home", str(home), "deck", "--lang", lang, "--out", str(Path(tmp) / f"{lang}.pptx"),
                             "--pdf", str(pdf))
        assert code == 0, said
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / "slide")], check=True)
        pages = sorted(folder.glob("slide-*.png"))
        for page in pages:  # 256 colours: a third of the bytes, the text as sharp
            Image.open(page).convert("RGB").quantize(256).save(page, optimize=True)
        thumbs = [Image.open(p).convert("RGB").resize((320, 180)) for p in pages]
        sheet = Image.new("RGB", (320 * 4, 180 * ((len(thumbs) + 3) // 4)), "white")
        for i, t in enumerate(thumbs):
            sheet.paste(t, ((i % 4) * 320, (i // 4) * 180))
        sheet.quantize(256).save(folder / "sheet.png", optimize=True)
        print(f"{lang}: {len(pages)} pages in {folder}")
