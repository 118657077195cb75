"""The user documentation stays true to the code."""
import re

from factories import ROOT
from swgdash import site
from swgdash.contract import TABLES, markdown_tables
from swgdash.settings import SETTINGS, markdown_table


def test_extract_format_doc_tables_match_the_contract():
    doc = (ROOT / "docs" / "extract-format.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- tables:start[^>]*-->\n(.*)<!-- tables:end -->", doc, re.S).group(1)
    assert block.strip() == markdown_tables().strip(), "run `make docs` to regenerate the tables"


def test_every_contract_column_is_documented():
    doc = (ROOT / "docs" / "extract-format.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        assert f"### {table.name} " in doc
        for column in table.column_names:
            assert f"`{column}`" in doc


def test_readme_names_the_two_setup_commands_and_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "docs/extract-format.md" in readme
    for page in site.PAGES:  # every page's address, from the site map
        assert f"`{page.example_url.split('=')[0] + '=' if page.example else page.url}" in readme, page.url


def test_readme_settings_table_matches_the_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- settings:start[^>]*-->\n(.*)<!-- settings:end -->", readme, re.S).group(1)
    assert block.strip() == markdown_table().strip(), "run `make docs` to regenerate the settings table"
    assert all(f"`{name}`" in block for name in SETTINGS)


def test_the_demo_generator_remakes_the_bundled_demo(tmp_path):
    """scripts/make_demo.py, from its facts in scripts/demo_facts/, writes data/demo/ byte for byte."""
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_demo.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    demo = ROOT / "data" / "demo"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in demo.iterdir())
    for path in demo.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def module_table_rows() -> list[str]:
    """The first cell of each row of the README's module table (section "How it is built")."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## How it is built\n", 1)[1].split("\n## ", 1)[0]
    return [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]


def modules_missing_from(rows: list[str], package) -> list[str]:
    """The module files of `package` (a folder) that no row names: a top-level module by its path
    (`swgdash/fmt.py`), one in a stage folder by its path or by its file name in the folder's row
    (`swgdash/query/`: `db.py`, ...); a folder's __init__.py by the folder's row."""
    missing = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        folder, name = rel.rsplit("/", 1)
        if folder == package.name:
            named = name == "__init__.py" or any(f"`{rel}`" in row for row in rows)
        else:
            folder_rows = [row for row in rows if f"`{folder}/`" in row]
            named = any(f"`{rel}`" in row for row in rows) or (
                bool(folder_rows) and (name == "__init__.py" or any(f"`{name}`" in row for row in folder_rows)))
        if not named:
            missing.append(rel)
    return missing


def test_the_readme_module_table_names_every_module(tmp_path):
    """Every module file under swgdash/ is in the README's module table (a module added, moved or
    renamed without its row fails here); checked first on a made-up package with one module left out."""
    made_up = tmp_path / "swgdash"
    for rel in ("__init__.py", "fmt.py", "cli.py", "query/__init__.py", "query/db.py", "query/diff.py"):
        (made_up / rel).parent.mkdir(parents=True, exist_ok=True)
        (made_up / rel).touch()
    rows = [" `swgdash/fmt.py` ", " `swgdash/query/`: `db.py`, `metrics.py` "]
    assert modules_missing_from(rows, made_up) == ["swgdash/cli.py", "swgdash/query/diff.py"]
    assert modules_missing_from(module_table_rows(), ROOT / "swgdash") == [], \
        "add these to the README's module table (section 'How it is built')"


def test_the_readme_diagram_names_every_module_in_its_stage():
    """The diagram in 'How it is built' draws each module under its stage's folder (and the top-level
    ones by name): a module added to a stage without its place in the diagram fails here."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## How it is built"):]
    block = block[block.index("```") + 3:]
    block = block[:block.index("```")]
    lines = block.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith(" ingest/ "))  # the stages' row
    columns = {stage: lines[row].index(f"{stage}/ ") for stage in ("ingest", "store", "query", "present", "app")}
    edges = sorted(columns.values()) + [10_000]
    missing = []
    for path in sorted((ROOT / "swgdash").rglob("*.py")):
        rel = path.relative_to(ROOT / "swgdash")
        if path.name == "__init__.py" or "__pycache__" in rel.parts:
            continue
        if len(rel.parts) == 1:
            if not re.search(rf"(?<![\w/]){re.escape(path.name)}", block):
                missing.append(str(rel))
            continue
        start = columns[rel.parts[0]]
        end = edges[edges.index(start) + 1]
        cells = " ".join(line[start:end] for line in lines[row + 1:])
        if not re.search(rf"(?<![\w/]){re.escape(path.name)}", cells):
            missing.append(str(rel))
    assert missing == [], "draw these in the README's diagram, under their stage"
