"""A generator of hostile inputs (issue 19's classes), randomised by a seed.

``corpus(folder, seed)`` writes files into ``folder`` and returns :class:`Case` objects: the command
line to run and what must hold afterwards. Every case must end with exit 0 (everything accounted for)
or exit 2 with one line — never a traceback or exit 1 — and must write nothing outside its output
folder; CSV and XLSX outputs must hold no live formula, Markdown and HTML no live markup.

Classes: (1) formula injection through CR/LF and line starts, (2) ambiguous survey matches,
(3) study files with wrong types, (4) sizes, (5) workbook sheets and formulas, (6) control
characters, (7) output folders, (8) leftovers, links and odd options, (9) markup in names.
"""

from __future__ import annotations

import os
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FORMULA = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "\t=1"]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
          "&lt;b&gt;", "<a href='javascript:alert(1)'>x</a>", "[x](javascript:alert(1))"]
CONTROL = ["\x0b", "\x01", "\x1f", "\x0c", "\x08", "\x00"]
BREAKS = ["\r", "\n", "\r\n"]


@dataclass
class Case:
    name: str
    cls: int
    args: list[str]
    out: Path | None = None              # the output folder/file the command may write
    expect: set[int] = field(default_factory=lambda: {0, 2})
    env: dict[str, str] = field(default_factory=dict)
    setup: object = None                 # callable run just before the command


def hostile_name(rng: random.Random) -> str:
    """A name mixing letters with a line break, formula prefix, control character or markup."""
    base = rng.choice(["Alpha", "Акимат", "Қазақ Телеком", "ТОО «Алма»", "Beta & Co"])
    kind = rng.randrange(5)
    if kind == 0:
        return base + rng.choice(BREAKS) + rng.choice(FORMULA)
    if kind == 1:
        return rng.choice(FORMULA) + " " + base
    if kind == 2:
        return base + rng.choice(CONTROL[:-1]) + "x"
    if kind == 3:
        return base + " " + rng.choice(MARKUP)
    return rng.choice(BREAKS) + rng.choice(FORMULA) + rng.choice(MARKUP)


def _csv(path: Path, df: pd.DataFrame) -> Path:
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def _network(folder: Path, rng: random.Random, n: int = 8) -> tuple[Path, Path]:
    ids = [f"o{i}" for i in range(n)]
    names = [hostile_name(rng) for _ in ids]
    sectors = [rng.choice(["университет", "ТОО", "акимат", "NGO", "=1+1"]) for _ in ids]
    nodes = _csv(folder / "nodes.csv", pd.DataFrame({"id": ids, "name": names, "sector": sectors}))
    ties = {(rng.randrange(n), rng.randrange(n)) for _ in range(3 * n)}
    ties = [(ids[a], ids[b]) for a, b in ties if a != b]
    t = _csv(folder / "ties.csv", pd.DataFrame(ties, columns=["source", "target"]))
    return nodes, t


def _xlsx_bomb(path: Path, rng: random.Random) -> Path:
    """A small XLSX (zip) whose sheet unpacks to tens of MB of padding."""
    size = rng.randint(24, 40) * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return path


def corpus(folder: str | Path, seed: int = 0, *, permutations: int = 10) -> list[Case]:
    """Write a hostile corpus into ``folder``; returns the cases (see the module docs)."""
    folder = Path(folder).resolve()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    perm = ["--permutations", str(permutations)]
    cases: list[Case] = []
    nodes, ties = _network(folder, rng)

    # 1, 6, 9: names with line breaks, formula prefixes, control characters, markup through every writer
    cases.append(Case("hostile names: analyze", 1, ["analyze", "--nodes", str(nodes), "--ties", str(ties),
                                                      "--out", str(folder / "out_an"), *perm], folder / "out_an"))
    cases.append(Case("hostile names: report", 6, ["report", "--nodes", str(nodes), "--ties", str(ties),
                                                     "--out", str(folder / "out_rep"), *perm], folder / "out_rep"))
    cases.append(Case("hostile names: gaps", 9, ["gaps", "--nodes", str(nodes), "--ties", str(ties),
                                                   "--out", str(folder / "out_gaps"), *perm], folder / "out_gaps"))

    # 2: survey matching
    sv = folder / "survey"
    sv.mkdir(exist_ok=True)
    twin = rng.choice(["Акимат", "Smart City", "ТОО Алма"])
    _csv(sv / "roster.csv", pd.DataFrame({"id": ["1", "2", "3", "4"], "name": [twin, twin, "Gamma", "Delta"]}))
    _csv(sv / "long.csv", pd.DataFrame({"respondent": ["3", "4", "3"], "partner": [twin, "Gamma", "Delta"]}))
    cases.append(Case("roster twins", 2, ["analyze", "--survey", str(sv / "long.csv"), "--nodes", str(sv / "roster.csv"),
                                          "--out", str(sv / "o1"), *perm], sv / "o1"))
    _csv(sv / "resp_twin.csv", pd.DataFrame({"respondent": [twin, "4"], "partner": ["Gamma", "Gamma"]}))
    cases.append(Case("respondent twin", 2, ["validate", "--survey", str(sv / "resp_twin.csv"),
                                             "--nodes", str(sv / "roster.csv")], expect={2}))
    _csv(sv / "alias2.csv", pd.DataFrame({"raw_name": ["Gam", "Gam"], "id": ["3", "4"]}))
    cases.append(Case("alias to two ids", 2, ["validate", "--survey", str(sv / "long.csv"), "--nodes",
                                              str(sv / "roster.csv"), "--aliases", str(sv / "alias2.csv")], expect={2}))
    _csv(sv / "alias_over.csv", pd.DataFrame({"raw_name": ["Delta"], "id": ["3"]}))
    cases.append(Case("alias overriding a roster name", 2, ["validate", "--survey", str(sv / "long.csv"), "--nodes",
                                                            str(sv / "roster.csv"), "--aliases", str(sv / "alias_over.csv")]))
    _csv(sv / "wide.csv", pd.DataFrame({"respondent": ["3", "4"], "Gamma": ["", "1"], "Deltaa Corp": ["1", ""],
                                        "3": ["", "2"]}))
    cases.append(Case("roster column matching nothing", 2, ["validate", "--survey", str(sv / "wide.csv"), "--nodes",
                                                            str(sv / "roster.csv"), "--survey-format", "roster"]))
    _csv(sv / "map.csv", pd.DataFrame({"column": ["Gamma", "Gamma"], "id": ["3", "4"]}))
    cases.append(Case("mapping lists a column twice", 2, ["validate", "--survey", str(sv / "wide.csv"), "--nodes",
                                                          str(sv / "roster.csv"), "--survey-format", "roster",
                                                          "--survey-mapping", str(sv / "map.csv")], expect={2}))

    # 3: study files with wrong types
    bad = [("input", "directed", '"false"'), ("input", "header_rows", "-1"), ("input", "ties", "5"),
           ("analysis", "seed", '"abc"'), ("analysis", "permutations", "-5"), ("input", "dichotomize", '"high"'),
           ("input", "merge", '"avg"'), ("report", "anonymize", '"yes"'), ("input", "match_threshold", "1e9"),
           ("input", "scheme", "[" * 60 + "1" + "]" * 60), ("study", "title", "{a = 1}"),
           ("input", "encoding", '"no-such-codec"'), ("report", "min_cell_size", "2.5")]
    for k, (sec, key, val) in enumerate(rng.sample(bad, 6)):
        p = folder / f"study{k}.toml"
        body = {"study": 'name = "s"', "input": f'ties = "{ties.name}"\nnodes = "{nodes.name}"', "analysis": "",
                "report": ""}
        body[sec] = (body[sec] + "\n" if body[sec] and not body[sec].startswith(f"{key} ") else "") + f"{key} = {val}"
        if sec == "input" and key == "ties":
            body["input"] = f"ties = {val}"
        p.write_text("".join(f"[{s}]\n{b}\n" for s, b in body.items()), encoding="utf-8")
        cases.append(Case(f"study {sec}.{key} = {val[:20]}", 3, ["report", "--study", str(p), "--out",
                                                                  str(folder / f"out_st{k}")], folder / f"out_st{k}",
                          expect={2}))
    deep = folder / "deep.toml"
    deep.write_text("[input]\nties = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    cases.append(Case("study nested too deeply", 3, ["report", "--study", str(deep)], expect={2}))

    # 4: sizes
    big = rng.randint(7000, 9000)
    _csv(folder / "unit.csv", pd.DataFrame({"unit": ["u1"] * big + ["u2", "u2"],
                                            "org": [f"x{i}" for i in range(big)] + ["a", "b"]}))
    # over --max-unit-size (default 1000): left out with a warning naming it; raised past the guard: refused
    cases.append(Case("huge participation unit", 4, ["validate", "--participations", str(folder / "unit.csv")],
                      expect={0}))
    cases.append(Case("huge participation unit included", 4,
                      ["validate", "--participations", str(folder / "unit.csv"), "--max-unit-size", "100000"],
                      expect={2}))
    _csv(folder / "register.csv", pd.DataFrame({"partners": [";".join(f"p{i}" for i in range(big)), "a;b"]}))
    cases.append(Case("huge register row", 4, ["validate", "--survey", str(folder / "register.csv"),
                                               "--survey-format", "register"], expect={2}))
    cases.append(Case("xlsx bomb", 4, ["validate", "--ties", str(_xlsx_bomb(folder / "bomb.xlsx", rng))], expect={2}))

    # 5: workbooks
    import openpyxl

    wb = openpyxl.Workbook()
    stale = wb.active
    stale.title = "old"
    stale.append(["source", "target"])
    stale.append(["zz1", "zz2"])
    stale.sheet_state = "hidden"
    cur = wb.create_sheet("current")
    cur.append(["source", "target", "weight"])
    for a, b in [("a", "b"), ("b", "c"), ("c", "d")]:
        cur.append([a, b, rng.randint(1, 5)])
    more = wb.create_sheet("more")
    more.append(["source", "target", "weight"])
    more.append(["d", "e", 1])
    wb.active = 1
    wb.save(folder / "sheets.xlsx")
    cases.append(Case("hidden stale sheet, ties on two sheets", 5, ["validate", "--ties", str(folder / "sheets.xlsx")]))
    cases.append(Case("--sheet chooses", 5, ["validate", "--ties", str(folder / "sheets.xlsx"), "--sheet", "more"]))
    cases.append(Case("--sheet missing", 5, ["validate", "--ties", str(folder / "sheets.xlsx"), "--sheet", "nope"],
                      expect={2}))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["source", "target", "weight"])
    ws.append(["a", "b", "=1+1"])
    wb.save(folder / "formula.xlsx")
    cases.append(Case("formula without value", 5, ["validate", "--ties", str(folder / "formula.xlsx")], expect={2}))

    # 7, 8: output folders
    user = folder / "mine"
    user.mkdir(exist_ok=True)
    (user / "thesis.docx").write_text("precious")
    cases.append(Case("analyze into a user's folder", 7, ["analyze", "--nodes", str(nodes), "--ties", str(ties),
                                                          "--out", str(user), *perm], user, expect={2}))
    cases.append(Case("gaps into the current folder", 7, ["gaps", "--nodes", str(nodes), "--ties", str(ties),
                                                          "--out", ".", *perm], None, expect={2}))
    cases.append(Case("analyze into home", 7, ["analyze", "--nodes", str(nodes), "--ties", str(ties),
                                               "--out", str(Path.home()), *perm], None, expect={2}))
    dangling = folder / "dangling"
    if not dangling.is_symlink():
        os.symlink(folder / "nowhere", dangling)
    cases.append(Case("dangling link", 8, ["analyze", "--nodes", str(nodes), "--ties", str(ties), "--out",
                                           str(dangling), *perm], None, expect={2}))
    loop = folder / "loop"
    if not loop.is_symlink():
        os.symlink(loop, loop)
    cases.append(Case("looping link", 8, ["report", "--nodes", str(nodes), "--ties", str(ties), "--out", str(loop),
                                          *perm], None, expect={2}))
    long = folder / ("x" * rng.randint(256, 320))
    cases.append(Case("name too long", 8, ["analyze", "--nodes", str(nodes), "--ties", str(ties), "--out",
                                           str(long), *perm], None, expect={2}))
    cases.append(Case("map file name too long", 8, ["map", "--nodes", str(nodes), "--ties", str(ties), "--out",
                                                    str(folder / ("m" * 300 + ".html")), *perm], None, expect={2}))
    real = folder / "real_rep"
    link = folder / "link_rep"
    if not link.is_symlink():
        os.symlink(real, link)
    real.mkdir(exist_ok=True)
    cases.append(Case("report through a link", 8, ["report", "--nodes", str(nodes), "--ties", str(ties), "--out",
                                                   str(link), *perm], real, expect={0}))

    # 8: odd numbers and options
    _csv(sv / "huge.csv", pd.DataFrame({"respondent": ["3", "4"], "partner": ["Delta", "Gamma"],
                                        "strength": ["1e308", "1e308"]}))
    cases.append(Case("ratings 1e308, mean", 8, ["validate", "--survey", str(sv / "huge.csv"), "--nodes",
                                                 str(sv / "roster.csv"), "--symmetrize", "mean"]))
    _csv(sv / "rated.csv", pd.DataFrame({"respondent": ["3", "4"], "partner": ["Delta", "Gamma"],
                                         "strength": ["2", "5"]}))
    cases.append(Case("dichotomize nan", 8, ["validate", "--survey", str(sv / "rated.csv"), "--nodes",
                                             str(sv / "roster.csv"), "--dichotomize", "nan"], expect={2}))
    cases.append(Case("header rows 50", 8, ["validate", "--survey", str(sv / "wide.csv"), "--nodes",
                                            str(sv / "roster.csv"), "--survey-format", "roster",
                                            "--header-rows", "50"], expect={2}))
    cases.append(Case("header rows -1", 8, ["validate", "--survey", str(sv / "wide.csv"), "--nodes",
                                            str(sv / "roster.csv"), "--survey-format", "roster",
                                            "--header-rows", "-1"], expect={2}))
    _csv(sv / "roster_dup.csv", pd.DataFrame({"id": ["1", "1", "2"], "name": ["A", "B", "C"]}))
    _csv(sv / "reg.csv", pd.DataFrame({"partners": ["A;C", "B;C"]}))
    cases.append(Case("duplicate id in a register roster", 8, ["validate", "--survey", str(sv / "reg.csv"),
                                                               "--survey-format", "register", "--nodes",
                                                               str(sv / "roster_dup.csv")], expect={2}))
    (folder / "dupcol.csv").write_text("source,target,source\na,b,c\n", encoding="utf-8")
    cases.append(Case("a column named twice", 8, ["validate", "--ties", str(folder / "dupcol.csv")], expect={2}))
    if Path("/dev/zero").exists():
        cases.append(Case("a device as input", 8, ["validate", "--ties", "/dev/zero"], expect={2}))
    cases.append(Case("negative seed", 8, ["analyze", "--nodes", str(nodes), "--ties", str(ties), "--seed", "-3",
                                           "--out", str(folder / "o_seed")], None, expect={2}))
    return cases
