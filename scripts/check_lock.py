"""The lock (requirements.txt) agrees with pyproject.toml: every direct dependency, of the app and of its
test and dev groups, is pinned (==) there and locked at that same version, and every locked package
carries its hashes. Run by `make lint`; `make lock` writes the lock again after pyproject.toml changed."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def direct(pyproject: dict) -> list[Requirement]:
    """The app's dependencies and those of every dependency group."""
    groups = pyproject.get("dependency-groups", {})
    return [Requirement(r) for r in [*pyproject["project"]["dependencies"], *(r for g in groups.values() for r in g)]
            if isinstance(r, str)]


def locked(text: str) -> tuple[dict[str, str], list[str]]:
    """name -> version of every package in the lock, and the names locked without a hash."""
    pins: dict[str, str] = {}
    unhashed = []
    for entry in re.split(r"\n(?=\S)", text):  # one package: its pin and its continuation lines
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", entry)
        if m:
            pins[canonicalize_name(m[1])] = m[2]
            if "--hash=sha256:" not in entry:
                unhashed.append(m[1])
    return pins, unhashed


def problems(root: Path = ROOT) -> list[str]:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    pins, unhashed = locked((root / "requirements.txt").read_text(encoding="utf-8"))
    found = [f"{name} is locked without a hash" for name in unhashed]
    for req in direct(pyproject):
        exact = [s.version for s in req.specifier if s.operator == "=="]
        have = pins.get(canonicalize_name(req.name))
        if not exact:
            found.append(f"pyproject.toml: pin {req.name} to one version (==)")
        elif have is None:
            found.append(f"{req.name} is not in requirements.txt")
        elif have != exact[0]:
            found.append(f"{req.name}: {exact[0]} in pyproject.toml, {have} in requirements.txt")
    return found


if __name__ == "__main__":
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if found:
        sys.exit("requirements.txt does not follow pyproject.toml: run `make lock`, then `make venv`")
