"""List parsers: one module per official list format. bytes -> Iterator[Entity]."""

from watchlist.sources.base import SOURCE_NAMES, ParsedList

__all__ = ["SOURCE_NAMES", "ParsedList"]
