"""The layout: every import between the project's folders runs one way, spiders -> archive -> scraper.

Each module's imports are read with `ast` (those inside functions and `if TYPE_CHECKING:` blocks too), so the
test needs no import to succeed. bench/ and tests/ may import anything, but nothing imports the command line.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each folder may import of the project, besides itself (README, "How it works").
ALLOWED = {
    "scraper": set(),
    "archive": {"scraper"},
    "spiders": {"archive", "scraper"},
    "replica": {"archive"},  # the registry format, owned by archive.registry; never the readers in scraper/
}
PROJECT = {*ALLOWED, "bench", "tests"}
CLI = "archive.cli"


def modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The project modules `path` imports, by dotted name (`from archive import db` names `archive.db`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:  # a relative import stays in its own folder
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] in PROJECT}


def against_direction(path: Path) -> list[str]:
    """The imports of `path` that run against spiders -> archive -> scraper (or into the Datasette side)."""
    own = module_name(path)
    folder = own.split(".")[0]
    wrong = []
    for name in sorted(imported(path)):
        target = name.split(".")[0]
        if target != folder and target not in ALLOWED[folder]:
            wrong.append(f"{own} imports {name}")
        # Inside archive/, the store never reaches up into what runs inside Datasette: only the CLI starts it.
        inside_web = own == "archive.web" or own.startswith("archive.web.")
        if folder == "archive" and not inside_web and own != CLI and name.startswith("archive.web"):
            wrong.append(f"{own} imports {name}")
    return wrong


@pytest.mark.parametrize("path", modules(*ALLOWED), ids=lambda path: module_name(path))
def test_imports_run_one_way(path):
    assert against_direction(path) == []


def test_nothing_imports_the_command_line():
    importers = [module_name(path) for path in modules(*PROJECT) if CLI in imported(path)]
    assert importers == []


def test_the_check_sees_an_import_against_the_direction(tmp_path, monkeypatch):
    """The test itself: a scraper module importing the archive is caught, however it is written."""
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "scraper").mkdir()
    cases = {
        "a.py": "import archive\n",
        "b.py": "from archive.db import open_db\n",
        "c.py": "def f():\n    from spiders import portal\n",
        "d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from archive import db\n",
    }
    for name, source in cases.items():
        (tmp_path / "scraper" / name).write_text(source)
        assert against_direction(tmp_path / "scraper" / name), source
    (tmp_path / "scraper" / "ok.py").write_text("import json\nfrom scraper import text\n")
    assert against_direction(tmp_path / "scraper" / "ok.py") == []
