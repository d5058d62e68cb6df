"""BM25 with field boosts, quantised to integers so the command line and the browser agree exactly.

A document's score for a query is the sum over query terms of ``term_weight`` — an integer
computed once, in Python, by ``SearchIndex.term_weights`` (``index.py``) from the posting store,
for the command line and for the static export (``export.py``) alike; the browser only adds the
exported integers.  Ties are broken by date (newest first), then URL, in both.
"""

from __future__ import annotations

import math

K1 = 1.2
B = 0.75
SCALE = 100  # weights are round(SCALE * boost * bm25)
DEFAULT_BOOSTS = {"t": 3.0, "b": 1.0}


def idf(doc_count: int, doc_frequency: int) -> float:
    return math.log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def field_weight(tf: float, length: float, avg_length: float, doc_count: int, doc_frequency: int,
                 boost: float) -> int:
    if tf <= 0:
        return 0
    norm = (1 - B) + B * (length / avg_length if avg_length else 1.0)
    return round(SCALE * boost * idf(doc_count, doc_frequency) * (tf * (K1 + 1)) / (tf + K1 * norm))
