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


# The stages, in the order data flows (README, "The code"): a module imports only from its own
# stage or an earlier one. The foundation (the contract, words, settings, errors) comes first; the
# publishing flow and the site map join the store and the queries; the Streamlit layer and the CLI last.
STAGES = [
    ["swgdash.contract", "swgdash.errors", "swgdash.settings", "swgdash.i18n", "swgdash.fmt", "swgdash.auth"],
    ["swgdash.ingest"],
    ["swgdash.store"],
    ["swgdash.query"],
    ["swgdash.present"],
    ["swgdash.publishing", "swgdash.site"],
    ["swgdash.app"],
    ["swgdash.cli", "swgdash.__main__"],
]


def stage(module: str) -> int:
    for i, members in enumerate(STAGES):
        if any(module == m or module.startswith(m + ".") for m in members):
            return i
    raise AssertionError(f"{module} is in no stage: add it to STAGES and to the README's module table")


def test_no_module_imports_one_that_imports_it_back():
    graph = imports()
    assert graph["swgdash.store.folder"] and "swgdash.query.db" in graph["swgdash.publishing"]  # the graph is read
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


def test_the_stages_run_one_way():
    """ingest -> store -> query -> present -> publishing and site -> app -> cli: every module is
    in a stage, imports nothing of a later one, and only the Streamlit layer imports Streamlit."""
    graph = imports()
    backwards = [(a, b) for a, targets in graph.items() for b in targets if a != "swgdash" and stage(b) > stage(a)]
    assert backwards == []
    for path in PACKAGE.rglob("*.py"):
        if "app" not in path.relative_to(PACKAGE).parts:
            assert not re.search(r"^\s*(import|from) streamlit", path.read_text(), re.M), path


def test_each_stage_is_a_folder_and_the_tree_holds_no_loose_module():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "auth.py", "cli.py", "contract.py", "errors.py", "fmt.py",
                     "i18n.py", "publishing.py", "settings.py", "site.py"]
    for folder in ("ingest", "store", "query", "present", "app"):
        assert (PACKAGE / folder / "__init__.py").exists(), folder


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
    assert "'co_chair', 'focal_point', 'vice_focal_point', 'active'" not in (PACKAGE / "query" / "sql" / "macros.sql").read_text()


def test_a_column_is_worded_with_every_domain_it_holds():
    assert contract.word("level", contract.LEVEL_NOT_RECORDED) == "Not recorded"  # /meetings' level pills
    assert contract.word("level", "vice_minister") == "Vice minister"
    assert contract.word("status", "in_progress") == "In progress" and contract.word("status", "merged") == "Merged"
    assert contract.word("activity", "at_risk") == "At risk" and contract.word("kind", None) == "—"
    assert contract.word("kind", "odd code") == "odd code"


def test_every_test_helper_is_imported_under_one_name():
    """A module under tests/ is imported by its own name only (`factories`, `serve`, `test_pages`:
    pyproject's pythonpath and pytest put their folders on the path), never as `tests.factories`:
    under two names Python would load it twice, and each copy would have its own state."""
    tests, two_names = ROOT / "tests", []
    modules = {p.stem for p in tests.rglob("*.py")}
    for path in [*tests.rglob("*.py"), *(ROOT / "scripts").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            two_names += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if name.split(".")[0] == "tests" or (name.split(".")[0] in ("unit", "app", "browser")
                                                               and name.split(".")[-1] in modules)]
    assert two_names == [], "import these by their own name (e.g. `from factories import ...`):\n" + "\n".join(two_names)
    # and in this process (every test module collected so far): no file loaded as two modules
    import sys

    by_file: dict[str, list[str]] = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve().is_relative_to(tests):
            by_file.setdefault(str(Path(file).resolve()), []).append(name)
    assert {f: n for f, n in by_file.items() if len(n) > 1} == {}
