"""What batch workers would each build on their first rows, built once before they are forked.

`warm()` loads the matcher and its reference data, and builds the ICU transliterators of each name
kind (tens of MB of rule data), the name tables, and the table of territory names in Latin letters.
Workers forked after it share those pages with the process that built them (read, not written)
instead of each building a copy: the batch parent on Linux (`watchlist.batch.local`), else the fork
server (`watchlist.batch.preload`).

rigour's full territory lookup (every country name normalised: about 1 CPU-second) is left to the
first country the Latin table cannot read: built here, it ran before any worker started on every
run, and a file of ISO codes or English names never needs it (100,000 rows, 2 workers: 4,064 ->
4,455 names/s, 98 -> 89 MB of PSS added by the second worker).
"""

from __future__ import annotations

import watchlist.engine  # noqa: F401 - the matcher, imported once for every worker
from watchlist.text.countries import latin_country_code
from watchlist.text.tokens import tokenize_name

# A name in each script the transliterators handle, for each kind of name.
SAMPLES = ("Владимир Путин", "金正恩", "김정은", "محمد علي", "علی رضایی", "Ελένη Παπαδοπούλου", "राहुल शर्मा",
           "Müller Straße", "ООО Ромашка")


def warm() -> None:
    for kind in ("person", "org", "vessel", "any"):
        for sample in SAMPLES:
            tokenize_name(sample, kind)
    latin_country_code("North Korea")  # the table of territory names in Latin letters, asked first
