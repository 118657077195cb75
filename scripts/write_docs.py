"""Regenerate the generated parts of the docs: the column tables of docs/extract-format.md
(from swgdash/contract.py) and the settings table of README.md (from swgdash/settings.py)."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from swgdash.contract import markdown_tables  # noqa: E402
from swgdash.settings import markdown_table  # noqa: E402

for path, marker, text in ((ROOT / "docs" / "extract-format.md", "tables", markdown_tables()),
                           (ROOT / "README.md", "settings", markdown_table())):
    doc = path.read_text(encoding="utf-8")
    new = re.sub(rf"(<!-- {marker}:start[^>]*-->\n).*(<!-- {marker}:end -->)",
                 lambda m, text=text: m.group(1) + text + m.group(2), doc, flags=re.S)
    path.write_text(new, encoding="utf-8")
    print("updated", path)
