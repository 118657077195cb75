"""The user documentation stays true to the code."""
import re

from swgdash.contract import TABLES, markdown_tables
from swgdash import site
from swgdash.settings import SETTINGS, markdown_table

from factories import ROOT


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
