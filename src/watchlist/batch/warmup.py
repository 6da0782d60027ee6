"""What batch workers would each build on their first rows, built once before they are forked.

`warm()` loads the matcher and its reference data, and builds the ICU transliterators of each name
kind (tens of MB of rule data), the name tables, and the territory names: the table of their Latin
spellings and rigour's own lookup (every country name normalised: 1-2 CPU-seconds and a few MB, paid
by every worker on the first country it could not find in the table before this). Workers forked
after it share those pages with the process that built them (read, not written) instead of each
building a copy: the batch parent on Linux (`watchlist.batch.local`), else the fork server
(`watchlist.batch.preload`).
"""

from __future__ import annotations

import watchlist.engine  # noqa: F401 - the matcher, imported once for every worker
from watchlist.text.countries import latin_country_code, to_country_code
from watchlist.text.tokens import tokenize_name

# A name in each script the transliterators handle, for each kind of name.
SAMPLES = ("Владимир Путин", "金正恩", "김정은", "محمد علي", "علی رضایی", "Ελένη Παπαδοπούλου", "राहुल शर्मा",
           "Müller Straße", "ООО Ромашка")


def warm() -> None:
    for kind in ("person", "org", "vessel", "any"):
        for sample in SAMPLES:
            tokenize_name(sample, kind)
    latin_country_code("North Korea")  # the table of territory names in Latin letters, asked first
    to_country_code("Северная Корея")  # not in that table: rigour's lookup, every territory name normalised
    to_country_code.cache_clear()
