"""Build the matcher's hot modules as C extensions with mypyc; everything else stays pure Python.

The compiled modules are the same source, type-checked by mypy --strict: normalising,
aligning and scoring names run about 1.5x faster compiled. The project's metadata lives in
pyproject.toml; this file only names what to compile.

An editable install (`pip install -e .`) puts the compiled modules beside their sources,
where Python imports them first: after editing one of them, install again (the tests fail
on a compiled module older than its source). WATCHLIST_PURE_PYTHON=1 installs without
compiling, for a machine with no C compiler; results are the same, only slower.
"""

from __future__ import annotations

import os

from setuptools import Extension, setup

# The per-name path of screen, batch and compare: normalise, retrieve, align, score.
COMPILED_MODULES = [
    "watchlist/text/tokens.py",
    "watchlist/text/folding.py",
    "watchlist/text/forms.py",
    "watchlist/text/weights.py",
    "watchlist/text/hangul.py",
    "watchlist/text/dates.py",
    "watchlist/text/wade_giles.py",
    "watchlist/text/nicknames.py",
    "watchlist/text/symbols.py",
    "watchlist/index/retrieval.py",
    "watchlist/index/hits.py",
    "watchlist/index/spelling.py",
    "watchlist/match/align.py",
    "watchlist/match/spans.py",
    "watchlist/match/similarity.py",
    "watchlist/match/logic_v1.py",
    "watchlist/match/penalties.py",
    "watchlist/match/features.py",
    "watchlist/match/types.py",
    "watchlist/match/algorithm.py",
    "watchlist/match/candidates.py",
    "watchlist/match/evidence.py",
    "watchlist/match/logic_v2.py",
    "watchlist/match/variants.py",
    "watchlist/match/abjad.py",
    "watchlist/match/partners.py",
    "watchlist/engine.py",
    "watchlist/index/mapfile.py",
    "watchlist/index/storage.py",
    "watchlist/match/native.py",
]


def extensions() -> list[Extension]:
    if os.environ.get("WATCHLIST_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    # The build checks types without the project's strict settings: its isolated environment
    # lacks the runtime libraries' stubs (CI runs mypy --strict on the installed project).
    options = ["--config-file=", "--ignore-missing-imports"]
    return mypycify([*options, *(f"src/{path}" for path in COMPILED_MODULES)], opt_level="3", debug_level="0")


setup(ext_modules=extensions())
