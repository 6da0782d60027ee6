"""watchlist: sanctions screening engine.

    from watchlist import Engine, Query
    engine = Engine.open()
    for hit in engine.screen(Query.build("Kim Jong Un", schema="Person")):
        print(hit.entity.id, hit.score, hit.explanation)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Engine", "Entity", "MatchResult", "Query", "Schema", "Settings", "__version__", "compare"]

if TYPE_CHECKING:
    from watchlist.engine import Engine, compare
    from watchlist.match.types import MatchResult, Query
    from watchlist.model import Entity, Schema
    from watchlist.settings import Settings

_LAZY = {
    "Engine": "watchlist.engine",
    "compare": "watchlist.engine",
    "Query": "watchlist.match.types",
    "MatchResult": "watchlist.match.types",
    "Entity": "watchlist.model",
    "Schema": "watchlist.model",
    "Settings": "watchlist.settings",
}


def __getattr__(name: str) -> Any:
    # Lazy, so `import watchlist` stays cheap for the CLI's cold start.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'watchlist' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
