"""Regenerate the generated parts of docs/extract-format.md from swgdash/contract.py."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from swgdash.contract import markdown_tables  # noqa: E402

path = ROOT / "docs" / "extract-format.md"
doc = path.read_text(encoding="utf-8")
new = re.sub(r"(<!-- tables:start[^>]*-->\n).*(<!-- tables:end -->)",
             lambda m: m.group(1) + markdown_tables() + m.group(2), doc, flags=re.S)
path.write_text(new, encoding="utf-8")
print("updated", path)
