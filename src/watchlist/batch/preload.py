"""What the batch fork server imports before it forks workers (where workers are not forked from
the batch parent itself: see `watchlist.batch.local`): the warmed tables of `watchlist.batch.warmup`,
then its heap frozen out of the garbage collector's rounds, so that its workers' collections do not
write to the pages they share with it.
"""

from __future__ import annotations

import gc

from watchlist.batch.warmup import warm

warm()
gc.collect()
gc.freeze()
