"""The one place that turns a ``seed=`` argument into a random generator (numpy's, and igraph's)."""

from __future__ import annotations

import random as _random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["rng", "DEFAULT_SEED", "seeded_igraph"]

#: igraph's random generator is global: one block at a time may seed it.
_IGRAPH_RNG_LOCK = threading.Lock()

DEFAULT_SEED = 42


def rng(seed: int | np.random.Generator | None = DEFAULT_SEED) -> np.random.Generator:
    """``numpy.random.Generator`` from an int seed (``None`` → :data:`DEFAULT_SEED`, so runs repeat)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(DEFAULT_SEED if seed is None else int(seed))


@contextmanager
def seeded_igraph(seed: int | None = DEFAULT_SEED) -> Iterator[None]:
    """Seed igraph's (global) random numbers for the block, then restore its default generator.

    Blocks are serialised by a lock, so two threads never interleave seeded igraph calls.
    """
    import igraph

    with _IGRAPH_RNG_LOCK:
        igraph.set_random_number_generator(_random.Random(DEFAULT_SEED if seed is None else int(seed)))
        try:
            yield
        finally:
            igraph.set_random_number_generator(_random)
