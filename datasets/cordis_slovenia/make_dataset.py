"""Build the bundled CORDIS Horizon 2020 Slovenia partnership network.

Run from the repository root:  python datasets/cordis_slovenia/make_dataset.py [SHARED_DATASETS]

Input: ../shared/datasets/cordis-h2020 (CORDIS H2020 dump of 2020-12-14 as processed by
zambujo/eunets; names from the 2017 CORDIS organisations table). Output, beside this script:

- nodes.csv: one row per Slovenian organisation (pic) with name (where known), activity type
  (HES/REC/PRC/PUB/OTH), city and number of participations.
- ties.csv: two Slovenian organisations are tied when they took part in the same H2020 project;
  weight = number of shared projects; first_year = first start year of a shared project.
- participations.csv: organisation × project records of the Slovenian organisations (two-mode
  data, for helix synergy and projections): rcn, pic, type, role, start_year, programme_part.
"""

from __future__ import annotations

import itertools
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
COUNTRY = "SI"


def main(shared: Path) -> None:
    src = shared / "cordis-h2020"
    part = pd.read_csv(src / "h2020.csv.gz", dtype=str, keep_default_na=False)
    parts = pd.read_csv(src / "programme_parts.csv.gz", dtype=str, keep_default_na=False)
    names = pd.read_csv(src / "organisation_names.csv", dtype=str, keep_default_na=False)
    si = part[part["country"] == COUNTRY].drop_duplicates(["rcn", "pic"])
    prog = parts.drop_duplicates("rcn").set_index("rcn")["programme_part"]
    records = si[["rcn", "pic", "type", "role", "start_year"]].copy()
    records["programme_part"] = records["rcn"].map(prog).fillna("")
    records = records.sort_values(["rcn", "pic"]).reset_index(drop=True)

    org = (records.groupby("pic").agg(type=("type", "first"), n_participations=("rcn", "nunique"))
           .reset_index())
    nm = names.set_index("pic")
    org["name"] = org["pic"].map(nm["name_from_odfest2017"]).fillna("")
    org["city"] = org["pic"].map(nm["city_from_odfest2017"]).fillna("")
    nodes = org.rename(columns={"pic": "id", "type": "sector"})[
        ["id", "name", "sector", "city", "n_participations"]].sort_values("id")

    weight, first = defaultdict(int), {}
    for _rcn, g in records.groupby("rcn"):
        year = g["start_year"].iloc[0]
        for a, b in itertools.combinations(sorted(g["pic"]), 2):
            weight[a, b] += 1
            first[a, b] = min(first.get((a, b), year), year)
    ties = pd.DataFrame([{"source": a, "target": b, "weight": w, "first_year": first[a, b]}
                         for (a, b), w in sorted(weight.items())])
    nodes.to_csv(HERE / "nodes.csv", index=False)
    ties.to_csv(HERE / "ties.csv", index=False)
    records.to_csv(HERE / "participations.csv", index=False)
    print(f"{len(nodes)} organisations, {len(ties)} ties, {len(records)} participations")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "datasets")
