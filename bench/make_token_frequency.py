"""Regenerate src/watchlist/data/token_frequency.json from the shared official lists.

    python bench/make_token_frequency.py

The table holds, for the most common folded name tokens, how many listed names
contain them; `compare` uses it to weigh tokens when no lists are loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

from watchlist.index.retrieval import NameIndex
from watchlist.sources import load_paths

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
TOP = 5000


def main() -> None:
    paths = [LISTS / "un", LISTS / "ofac" / "sdn_2024-05-03", LISTS / "ofac" / "cons_2025-12", LISTS / "uk"]
    entities = [e for parsed in load_paths(paths) for e in parsed.entities()]
    index = NameIndex.build(entities)
    folds = {t.fold for n in index.names for t in n.tokens}
    frequency = sorted(((index.document_frequency.get(f, 0), f) for f in folds), reverse=True)[:TOP]
    out = {"names": len(index.names), "frequency": {f: df for df, f in frequency if df > 1}}
    target = ROOT / "src" / "watchlist" / "data" / "token_frequency.json"
    target.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(out['frequency'])} tokens from {out['names']} names -> {target}")


if __name__ == "__main__":
    main()
