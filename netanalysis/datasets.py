"""Loaders for the bundled sample data in the repository's ``datasets/`` folder.

Each dataset folder has a README (source, licence, how it was made) and the script that made it.
"""

from __future__ import annotations

from pathlib import Path

from .errors import OptionError
from .network import StakeholderNetwork

__all__ = ["DATASETS_DIR", "dataset_path", "load_cordis_slovenia", "load_almaty_survey", "load_default",
           "DEFAULT_DATASET"]

#: The repository's ``datasets/`` folder (the package is installed in editable mode).
DATASETS_DIR = Path(__file__).resolve().parent.parent / "datasets"
DEFAULT_DATASET = "almaty_survey"


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


def load_almaty_survey(*, symmetrize: str | None = None, source: str = "survey",
                       reviewed: bool = True) -> StakeholderNetwork:
    """SYNTHETIC Almaty smart-community partnership survey: 68 organisations, two waves.

    A seeded, made-up example (``datasets/almaty_survey``, see its README for the planted truths): a
    name-generator survey of akimat departments, universities, research institutes, companies and
    NGOs, run twice; business responds least; the science–business gap of wave 1 narrows in wave 2.

    Parameters
    ----------
    symmetrize : {"max", "min", "mean", "respondent"} or None
        ``None`` (default): directed reports respondent → partner, weight = strength (1–5). A rule:
        undirected ties, symmetrised within each wave.
    source : {"survey", "truth"}
        ``survey`` reads ``survey.csv`` with the survey reader (name reconciliation, respondents,
        response rates, PARTNER scores) — falling back to ``truth`` when the reader is not available;
        ``truth`` builds the network from the answer key ``truth/ties.csv`` (partners already
        resolved; names not on the roster left out).
    reviewed : bool
        ``survey`` only: pass ``truth/aliases.csv`` as the reviewed alias table (what an evaluator
        has after checking ``name_matches.csv``). ``False`` shows raw reconciliation (English and
        Kazakh names then stay unmatched ``named_only`` organisations).

    Returns
    -------
    StakeholderNetwork
        Ties carry ``wave`` ``"1"`` / ``"2"``; compare them with
        ``netanalysis.compare.compare_waves(net, waves=("1", "2"))``.
    """
    import warnings

    import pandas as pd

    from .network import build_network

    if source not in ("survey", "truth"):
        raise OptionError(f"unknown source '{source}': use survey or truth")
    folder = dataset_path("almaty_survey")
    if source == "survey":
        try:
            from .survey_diagnostics import load_survey
        except ImportError:
            source = "truth"
    if source == "survey":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # low business response: reported in provenance
            net = load_survey(folder / "survey.csv", folder / "organisations.csv", symmetrize=symmetrize,
                              directed=symmetrize is None,
                              aliases=folder / "truth" / "aliases.csv" if reviewed else None)
    else:
        nodes = pd.read_csv(folder / "organisations.csv", dtype=str, keep_default_na=False)
        survey = pd.read_csv(folder / "survey.csv", dtype=str, keep_default_na=False,
                             usecols=["respondent", "wave"])
        waves = survey.drop_duplicates().groupby("respondent")["wave"].agg(lambda w: ";".join(sorted(w)))
        nodes["responded_waves"] = nodes["id"].map(waves).fillna("").to_numpy()
        nodes["status"] = ["respondent" if w else "non_respondent" for w in nodes["responded_waves"]]
        ties = pd.read_csv(folder / "truth" / "ties.csv", dtype=str, keep_default_na=False)
        ties = ties.rename(columns={"strength": "weight"})
        ties["weight"] = ties["weight"].astype(float)
        net = build_network(nodes, ties, directed=True, scheme="standard", merge="max")
        if symmetrize is not None:
            if symmetrize not in ("max", "min", "mean"):
                raise OptionError(f"source='truth' symmetrises with max, min or mean, not '{symmetrize}'")
            parts = [net.view(wave=w).as_undirected(symmetrize).ties.assign(wave=w) for w in ("1", "2")]
            net = StakeholderNetwork(net.nodes, pd.concat(parts, ignore_index=True), False,
                                     net.provenance, net.merge)
    net.provenance["dataset"] = ("Almaty smart-community partnership survey, two waves "
                                 f"(SYNTHETIC, bundled; from {'survey.csv' if source == 'survey' else 'truth/ties.csv'})")
    return net


def load_default() -> StakeholderNetwork:
    """The dataset that ``netanalysis demo`` analyses: the SYNTHETIC Almaty survey, wave 1 (baseline).

    Ties reported by either side count (``symmetrize="max"``); the reviewed alias table resolves the
    partner names. Wave 1 shows what the toolkit is for: a science–business gap, a sector with low
    response, and who could bridge the gap (``netanalysis compare`` shows how wave 2 changed it).
    """
    net = load_almaty_survey(symmetrize="max").view(wave="1")
    net.provenance["dataset"] = "Almaty smart-community partnership survey, wave 1 (SYNTHETIC example)"
    return net
