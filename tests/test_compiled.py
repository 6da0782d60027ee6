"""The hot modules setup.py compiles with mypyc: installed compiled, and never older than their source."""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def compiled_modules() -> list[str]:
    """COMPILED_MODULES as setup.py lists them (read, not imported: importing setup.py runs the build)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMPILED_MODULES" for t in node.targets):
            paths: list[str] = ast.literal_eval(node.value)
            return [path.removesuffix(".py").replace("/", ".") for path in paths]
    raise AssertionError("setup.py names no COMPILED_MODULES")


pure_python = pytest.mark.skipif(
    bool(os.environ.get("WATCHLIST_PURE_PYTHON")), reason="installed without compiling (WATCHLIST_PURE_PYTHON)"
)


def test_setup_names_existing_modules() -> None:
    for module in compiled_modules():
        assert (ROOT / "src" / (module.replace(".", "/") + ".py")).is_file(), module


@pure_python
@pytest.mark.parametrize("module", compiled_modules())
def test_hot_module_is_compiled_and_current(module: str) -> None:
    loaded = importlib.import_module(module)
    path = Path(loaded.__file__ or "")
    assert path.name.endswith(tuple(EXTENSION_SUFFIXES)), (
        f"{module} runs as pure Python ({path}): install the project with `pip install -e .` to compile it"
    )
    source = ROOT / "src" / (module.replace(".", "/") + ".py")
    if path.parent == source.parent:  # an editable install: the compiled module shadows its source
        assert path.stat().st_mtime >= source.stat().st_mtime, (
            f"{path.name} is older than {source.name}: the tests would run the old code; "
            "rebuild with `pip install -e .`"
        )


_NAMES = ["Kim Jong Un", "KIM, Jong-un", "김정은", "Ri Chun Song", "Rhee Choon-sung", "Хуснуллин Марат",
          "Khusnullin Marat", "Mohammed bin Salman", "Muhammad Ibn Salman", "محمد بن سلمان", "张利", "Zhang Li",
          "Korea Mining Development Trading Corporation", "KOMID", "Mansudae Art Studio", "OOO Romashka",
          "Romashka LLC", "Svetlana Petrovna GORYACHEVA", "Svetlana Petrova", "Abdul Rahman Al-Haj"]

# Scores every pair of _NAMES with the modules read from source, never from a compiled file.
_PURE_SCORES = """
import importlib.machinery as machinery, json, sys
src = sys.argv[1]
def source_only(path):
    if not path.startswith(src):
        raise ImportError(path)
    return machinery.FileFinder(path, (machinery.SourceFileLoader, machinery.SOURCE_SUFFIXES))
sys.path_hooks.insert(0, source_only)
sys.path_importer_cache.clear()
sys.path.insert(0, src)
from watchlist.engine import compare
import watchlist.match.align
assert watchlist.match.align.__file__.endswith(".py"), watchlist.match.align.__file__
names = json.loads(sys.stdin.read())
print(json.dumps([compare(a, b).score for a in names for b in names]))
"""


@pure_python
def test_compiled_and_pure_python_score_alike() -> None:
    from watchlist.engine import compare

    compiled = [compare(a, b).score for a in _NAMES for b in _NAMES]
    pure = subprocess.run(
        [sys.executable, "-c", _PURE_SCORES, str(ROOT / "src")],
        input=json.dumps(_NAMES), capture_output=True, text=True, check=True,
    )
    assert json.loads(pure.stdout) == compiled
