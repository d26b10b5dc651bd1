"""Ranking metrics with binary relevance (Järvelin & Kekäläinen 2002 for nDCG)."""

from __future__ import annotations

import math


def recall_at(found: list[set[int]], n_relevant: int, k: int = 10) -> float:
    """Returns the share of relevant items found in the first ``k`` hits.

    Args:
        found: per hit, the indices of the relevant items it covers.
        n_relevant: how many relevant items the query has.
        k: the cut-off.
    """
    if n_relevant == 0:
        return 0.0
    covered: set[int] = set().union(*found[:k]) if found[:k] else set()
    return len(covered) / n_relevant


def mrr_at(found: list[set[int]], k: int = 10) -> float:
    """Returns 1 / rank of the first hit covering a relevant item (0 when none in ``k``)."""
    for rank, items in enumerate(found[:k], start=1):
        if items:
            return 1.0 / rank
    return 0.0


def ndcg_at(found: list[set[int]], n_relevant: int, k: int = 10) -> float:
    """Returns nDCG@k; a hit gains 1 when it covers a relevant item not credited before."""
    if n_relevant == 0:
        return 0.0
    seen: set[int] = set()
    dcg = 0.0
    for rank, items in enumerate(found[:k], start=1):
        new = items - seen
        if new:
            dcg += 1.0 / math.log2(rank + 1)
            seen |= new
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(n_relevant, k) + 1))
    return dcg / ideal
