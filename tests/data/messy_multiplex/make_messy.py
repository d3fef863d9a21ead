"""Make the messy multi-relational test data (run from this folder; seeded, deterministic).

Written the way an R ``write.csv`` export of a stakeholder survey looks: quoted header, a row-number
``id`` column (numeric) beside the text key ``code``, the literal ``NA`` for missing values, blank
cells, a multi-select relation cell (``info; project``), organisations and events in one nodes table,
two organisations sharing the display name "Vermont DEC".

Planted structure (the tests check it): in relation ``project`` no business–science pair is tied,
while every other pair of sectors is tied with probability 0.3; in relation ``info`` every pair of
organisations is tied with probability 0.25. Organisation–event ties have relation ``attends``.
"""

import csv
import random

rng = random.Random(13)
SECTORS = ["Government"] * 10 + ["Business"] * 10 + ["University"] * 10 + ["NGO"] * 8 + ["NA", ""]
orgs = []
for i, sec in enumerate(SECTORS, start=1):
    code = f"VT-{i:03d}"
    orgs.append({"code": code, "orgname": f"Org {i}", "suborg": "NA" if i % 3 else f"Unit {i % 7}",
                 "kind": "org", "sector": sec})
orgs[16]["orgname"], orgs[16]["suborg"] = "Vermont DEC", "NA"     # VT-017 (business)
orgs[3]["orgname"], orgs[3]["suborg"] = "Vermont DEC", "NA"       # VT-004 (government)
events = [{"code": f"EV-{k}", "orgname": f"Action situation {k}", "suborg": "NA", "kind": "event",
           "sector": "NA"} for k in range(1, 6)]
canon = {"Government": "g", "Business": "b", "University": "s", "NGO": "c", "NA": "u", "": "u"}
ties = []
codes = [o["code"] for o in orgs]
kind = {o["code"]: canon[o["sector"]] for o in orgs}
for a in range(len(codes)):
    for b in range(a + 1, len(codes)):
        x, y = codes[a], codes[b]
        rels = []
        if rng.random() < 0.25:
            rels.append("info")
        if {kind[x], kind[y]} != {"b", "s"} and rng.random() < 0.3:
            rels.append("project")
        if rels:
            w = rng.choice(["1", "2", "3", "NA"]) if len(ties) % 11 == 0 else rng.choice(["1", "2", "3"])
            ties.append({"from": x, "to": y, "relation": "; ".join(rels), "strength": w, "wave": "1"})
for o in codes:
    for ev in rng.sample([e["code"] for e in events], k=rng.choice([1, 2])):
        ties.append({"from": o, "to": ev, "relation": "attends", "strength": "1", "wave": "1"})
ties.append({"from": "EV-1", "to": "EV-2", "relation": "NA", "strength": "1", "wave": "1"})

with open("nodes.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
    w.writerow(["id", "code", "orgname", "suborg", "kind", "sector"])
    for i, o in enumerate(orgs + events, start=1):
        w.writerow([i, o["code"], o["orgname"], o["suborg"], o["kind"], o["sector"]])
with open("ties.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
    w.writerow(["", "from", "to", "relation", "strength", "wave"])
    for i, t in enumerate(ties, start=1):
        w.writerow([i, t["from"], t["to"], t["relation"], t["strength"], t["wave"]])
