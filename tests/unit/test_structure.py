"""The code's shape: one-way imports, one site map, one place for each code's words."""
import ast
import re
from pathlib import Path

from factories import ROOT
from swgdash import contract, site

PACKAGE = ROOT / "swgdash"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every swgdash module and the swgdash modules it imports, anywhere in the file
    (inside functions too)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
                for alias in node.names:
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name and not name.startswith(m + ".")
                       and m != "swgdash"}
    return graph


def test_no_module_imports_one_that_imports_it_back():
    graph = imports()
    assert graph["swgdash.store"] and "swgdash.db" in graph["swgdash.publishing"]  # the graph is read
    seen, cycles = {}, []

    def visit(node, path):
        if seen.get(node) == "open":
            cycles.append(path[path.index(node):] + [node])
            return
        if seen.get(node) == "done":
            return
        seen[node] = "open"
        for nxt in sorted(graph[node]):
            visit(nxt, path + [node])
        seen[node] = "done"

    for node in sorted(graph):
        visit(node, [])
    assert cycles == []


def test_the_chain_runs_one_way():
    """extract -> validate -> store -> query database -> figures -> charts -> pages: nothing
    earlier in the chain imports anything later, and only the Streamlit layer imports Streamlit."""
    graph = imports()

    def reaches(a, b, seen=()):
        return b in graph[a] or any(reaches(n, b, seen + (a,)) for n in graph[a] if n not in seen)

    chain = ["swgdash.contract", "swgdash.extract", "swgdash.validate", "swgdash.store", "swgdash.db",
             "swgdash.metrics", "swgdash.charts", "swgdash.slides"]
    for i, earlier in enumerate(chain):
        for later in chain[i + 1:] + ["swgdash.publishing", "swgdash.site", "swgdash.cli", "swgdash.app.context"]:
            assert not reaches(earlier, later), f"{earlier} imports {later}"
    for path in PACKAGE.rglob("*.py"):
        if "app" not in path.relative_to(PACKAGE).parts:
            assert not re.search(r"^\s*(import|from) streamlit", path.read_text(), re.M), path


def test_the_site_map_lists_every_page_file_once():
    files = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert sorted(p.file for p in site.PAGES) == files
    assert len({p.path for p in site.PAGES}) == len(site.PAGES) and site.BY_PATH[""].title == "Overview"
    entry = (ROOT / "dashboard.py").read_text()
    assert "site.PAGES" in entry and "pages/" not in entry.replace('f"pages/{p.file}"', "")


def test_pages_hold_no_sql_and_no_page_list():
    for path in (ROOT / "pages").glob("*.py"):
        text = path.read_text()
        assert not re.search(r"\b(SELECT|FROM|WHERE)\b", text), path
        assert not re.search(r'st\.title\(|ui\.header\("[A-Z]', text), f"{path}: its heading is the site map's"


def test_every_code_has_its_words_once():
    """Each choice of the contract has words, and nothing else in the package words the codes."""
    for table in contract.TABLES.values():
        for column in table.columns:
            for code in column.choices:
                assert contract.word(column.name, code) != code, (table.name, column.name, code)
    for path in list(PACKAGE.rglob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "bench" / "baseline.py"]:
        if path.name == "contract.py":
            continue
        text = path.read_text()
        assert '"Sub-SWG"' not in text and '"Development partner"' not in text and '"Co-chair"' not in text, path
        assert 'replace("_", " ")' not in text and "replace('_', ' ')" not in text, path
        assert not re.search(r"ACTIVE_ROLES\s*=", text), path
    assert "'co_chair', 'focal_point', 'vice_focal_point', 'active'" not in (PACKAGE / "sql" / "macros.sql").read_text()


def test_a_column_is_worded_with_every_domain_it_holds():
    assert contract.word("level", contract.LEVEL_NOT_RECORDED) == "Not recorded"  # /meetings' level pills
    assert contract.word("level", "vice_minister") == "Vice minister"
    assert contract.word("status", "in_progress") == "In progress" and contract.word("status", "merged") == "Merged"
    assert contract.word("activity", "at_risk") == "At risk" and contract.word("kind", None) == "—"
    assert contract.word("kind", "odd code") == "odd code"
