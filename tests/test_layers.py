"""The layers of the tree: no package imports one above it, no library module reads the
environment.

    vntext      Vietnamese text (normalisation, lexicon, restoration, analysis)
    ingest      documents to passages, metadata and references
    index       storage and ranking (SQLite, FAISS, BM25, embedders, search)
    answers     what users ask of an index: answers, requirements, precedent, graph
    ui          the Gradio app
    search_api  the CLI and the HTTP API (it mounts the UI)

A module may import its own package and the ones listed before it. Settings are read
from the environment once, in ``search_api/settings.py``, and passed down.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("vntext", "ingest", "index", "answers", "ui", "search_api")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, top-level package) of every import, at module level or inside a function."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module.split(".")[0]))
    return out


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that touch ``os.environ`` or call ``os.getenv``/``os.putenv``."""
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in ("environ", "getenv", "putenv", "environb")
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv", "environb") for a in node.names)
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("package", LAYERS)
def test_no_import_goes_up(package: str) -> None:
    above = set(LAYERS[LAYERS.index(package) + 1 :])
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in _modules(package)
        for line, target in _imported(ast.parse(path.read_text(encoding="utf-8")))
        if target in above
    ]
    assert not wrong, "a lower layer imports a higher one:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", LAYERS[:-1])
def test_no_library_module_reads_the_environment(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules(package)
        for line in _reads_environment(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not wrong, "read settings in search_api/settings.py and pass them down:\n" + (
        "\n".join(wrong)
    )


@pytest.mark.parametrize("package", LAYERS)
def test_no_module_imports_another_modules_private_names(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name} from {node.module}"
        for path in _modules(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        for alias in node.names
        if alias.name.startswith("_") and node.module.split(".")[0] in LAYERS
    ]
    assert not wrong, "make the name public where it is defined:\n" + "\n".join(wrong)


def test_the_guard_sees_what_it_guards() -> None:
    """The checks find an upward import and an environment read when there is one."""
    tree = ast.parse(
        "import os\n"
        "def f():\n"
        "    from search_api.app import create_app\n"
        "    return os.environ.get('X'), os.getenv('Y')\n"
    )
    assert (3, "search_api") in _imported(tree)
    assert _reads_environment(tree) == [4, 4]
    assert all(_modules(p) for p in LAYERS)
