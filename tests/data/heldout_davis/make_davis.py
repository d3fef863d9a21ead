"""Make the held-out Davis Southern Women files (run from this folder; deterministic).

Source: networkx ``davis_southern_women_graph()`` (Davis, Gardner & Gardner 1941, *Deep South*; 18 women ×
14 events, 89 attendances). Written differently from ``../southern_women``: a ``;``-separated attendance
file with columns ``Participant;Event`` (events as networkx names them, E1…E14), and a separate women
table ``women.csv`` with a numeric ``id`` column, the text key ``woman`` (used via ``--id-column``), a
``clique`` attribute with R-style ``NA`` and one extra woman (``GUEST``) who attended nothing.

Known answer: the co-attendance counts are networkx
``bipartite.weighted_projected_graph(G, women)`` weights (139 pairs; Evelyn Jefferson–Theresa Anderson 7).
"""

import csv

import networkx as nx

G = nx.davis_southern_women_graph()
women = sorted(n for n, d in G.nodes(data=True) if d["bipartite"] == 0)
events = [n for n, d in G.nodes(data=True) if d["bipartite"] == 1]
with open("attendance.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, delimiter=";")
    w.writerow(["Participant", "Event"])
    for e in sorted(events, key=lambda x: int(x[1:])):
        for woman in sorted(G[e]):
            w.writerow([woman, e])
with open("women.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    w.writerow(["id", "woman", "clique", "sector"])
    for i, name in enumerate(women + ["GUEST"], start=1):
        w.writerow([i, name, "NA" if i % 4 == 0 else ("A" if i % 2 else "B"), "NA" if i % 3 else ""])
