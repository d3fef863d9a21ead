"""Loaders for the bundled sample data in the repository's ``datasets/`` folder.

Each dataset folder has a README (source, licence, how it was made) and the script that made it.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OptionError
from .network import StakeholderNetwork

__all__ = ["DATASETS_DIR", "dataset_path", "load_cordis_slovenia", "load_default", "DEFAULT_DATASET"]

#: The repository's ``datasets/`` folder (the package is installed in editable mode).
DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
DEFAULT_DATASET = "cordis_slovenia"


def dataset_path(name: str, filename: str = "") -> Path:
    """Path of a bundled dataset folder (or a file in it)."""
    folder = DATASETS_DIR / name
    if not folder.is_dir():
        raise OptionError(f"bundled dataset '{name}' not found in {DATASETS_DIR} "
                          "(install netanalysis from its repository with `pip install -e .`)")
    return folder / filename if filename else folder


def load_cordis_slovenia() -> StakeholderNetwork:
    """CORDIS Horizon 2020: Slovenian organisations tied by co-participation in projects.

    347 organisations, 390 undirected ties weighted by the number of shared projects; sectors from
    CORDIS activity types (scheme ``cordis``). Source: CORDIS, European Commission (CC BY 4.0).
    """
    from .io import load_network

    net = load_network(dataset_path("cordis_slovenia", "ties.csv"),
                       dataset_path("cordis_slovenia", "nodes.csv"), scheme="cordis")
    net.provenance["dataset"] = "CORDIS H2020 Slovenia co-participation (bundled)"
    return net


def load_default() -> StakeholderNetwork:
    """The dataset that ``netanalysis demo`` analyses."""
    return load_cordis_slovenia()
