"""The one place that turns a ``seed=`` argument into a random generator."""

from __future__ import annotations

import numpy as np

__all__ = ["rng", "DEFAULT_SEED"]

DEFAULT_SEED = 42


def rng(seed: int | np.random.Generator | None = DEFAULT_SEED) -> np.random.Generator:
    """``numpy.random.Generator`` from an int seed (``None`` → :data:`DEFAULT_SEED`, so runs repeat)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(DEFAULT_SEED if seed is None else int(seed))
