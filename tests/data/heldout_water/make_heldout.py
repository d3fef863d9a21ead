"""Make the held-out water-governance test data (run from this folder; seeded, deterministic).

Built for issue 13's acceptance check, independent of ``../messy_multiplex``: the shape of a published
water-governance survey network (organisations tied to each other by several relation types and to
"action situations"), exported from R (``write.csv``: a numeric row-number ``id`` column beside the text
key ``org_key``, literal ``NA``, blank cells), with sector labels as people type them.

Files
- ``actors.csv``: 51 organisations + 6 action situations. Columns ``id`` (numeric), ``org_key`` (text key,
  ``W01``… / ``AS1``…), ``label`` (display name), ``actor_type`` (``organisation`` / ``action_situation``),
  ``sector_raw`` (``Gov``, ``government agency``, ``firm``, ``Private``, ``university``, ``Research``,
  ``NGO``, ``civil society``; missing as ``NA``, blank, ``N/A``, ``NULL``). Three organisations share the
  display name "Water Board" (two government, one civil society); two share "Basin Council".
  W41 is «Акимат города Алматы» (``Gov``). Sectors: 13 government, 12 business, 12 science, 7 civil
  society, 4 missing (W45–W48), and two small groups the standard scheme does not know: ``media`` (W49,
  one organisation) and ``Farmer`` (W50, W51).
- ``ties.csv``: ``ego``, ``alter``, ``tie_type``, ``value``. Six relation types: ``info``, ``collab``,
  ``funding``, ``advice``, ``conflict`` (organisation–organisation) and ``participates``
  (organisation–action situation). Planted: in ``collab`` no business–science pair is tied while every
  other organisation pair is tied with probability 0.35; in ``info`` every pair with probability 0.3 (so
  business–science as expected); ``funding``, ``advice``, ``conflict`` sparse and uniform. Some ``value``
  cells and one ``tie_type`` cell are ``NA``; one tie joins two action situations (an R artefact).
- ``meetings.csv``: participations ``org_key``, ``meeting`` (long format); 8 organisations (W44–W51)
  attend nothing.
"""

import csv
import random

rng = random.Random(2026)
RAW = {"g": ["Gov", "government agency", "Gov", "GOV"], "b": ["firm", "Private", "firm"],
       "s": ["university", "Research", "University"], "c": ["NGO", "civil society"], "m": ["media"],
       "f": ["Farmer"]}
plan = ["g"] * 12 + ["b"] * 12 + ["s"] * 12 + ["c"] * 8 + ["?"] * 4 + ["m"] + ["f"] * 2
missing = ["NA", "", "N/A", "NULL"]
actors = []
for i, s in enumerate(plan, start=1):
    raw = missing[i % 4] if s == "?" else RAW[s][i % len(RAW[s])]
    actors.append({"org_key": f"W{i:02d}", "label": f"Agency {i:02d}", "actor_type": "organisation",
                   "sector_raw": raw, "group": s})
for i in (2, 7):            # two government organisations called Water Board
    actors[i - 1]["label"] = "Water Board"
actors[38]["label"] = "Water Board"         # W39, civil society
actors[14]["label"] = actors[27]["label"] = "Basin Council"   # W15 business, W28 science
actors[40]["label"] = "Акимат города Алматы"                  # W41, a civil society slot made government
actors[40]["sector_raw"] = "Gov"
situations = [{"org_key": f"AS{k}", "label": f"Action situation {k}", "actor_type": "action_situation",
               "sector_raw": "NA", "group": "e"} for k in range(1, 7)]

orgs = [a["org_key"] for a in actors]
group = {a["org_key"]: a["group"] for a in actors}
ties = []
for x_i, x in enumerate(orgs):
    for y in orgs[x_i + 1:]:
        bs = {group[x], group[y]} == {"b", "s"}
        if rng.random() < 0.3:
            ties.append([x, y, "info"])
        if not bs and rng.random() < 0.35:
            ties.append([x, y, "collab"])
        if rng.random() < 0.08:
            ties.append([x, y, "funding"])
        if rng.random() < 0.08:
            ties.append([x, y, "advice"])
        if rng.random() < 0.04:
            ties.append([x, y, "conflict"])
for x in orgs:
    for s in rng.sample([s["org_key"] for s in situations], k=rng.choice([1, 2, 3])):
        ties.append([x, s, "participates"])
ties.append(["AS1", "AS2", "participates"])
for k, t in enumerate(ties):
    t.append("NA" if k % 37 == 5 else str(rng.choice([1, 2, 3])))
ties[11][2] = "NA"

with open("actors.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
    w.writerow(["id", "org_key", "label", "actor_type", "sector_raw"])
    for i, a in enumerate(actors + situations, start=1):
        w.writerow([i, a["org_key"], a["label"], a["actor_type"], a["sector_raw"]])
with open("ties.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
    w.writerow(["ego", "alter", "tie_type", "value"])
    w.writerows(ties)
with open("meetings.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    w.writerow(["org_key", "meeting"])
    for x in orgs[:43]:
        for m in rng.sample(range(1, 9), k=rng.choice([1, 2, 3])):
            w.writerow([x, f"M{m}"])
