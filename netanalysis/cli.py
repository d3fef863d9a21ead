"""The command line: ``netanalysis COMMAND`` (also ``python cli.py COMMAND``).

Thin by design: each command parses options, makes one library call, prints a short summary and
turns library errors into one line on stderr with exit code 2 (bad input or options). Any other
failure exits 1 with the error (``--debug`` shows the traceback).
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .errors import NetAnalysisError

EXIT_INPUT, EXIT_UNEXPECTED = 2, 1


def _progress_printer():
    """A callable showing stage names on stderr when it is a terminal (nothing otherwise).

    With ``NETANALYSIS_PROGRESS=plain`` (the web app's worker processes) every stage is one
    ``progress: NAME`` line on stderr.
    """
    if os.environ.get("NETANALYSIS_PROGRESS") == "plain":
        return lambda name: print(f"progress: {name}", file=sys.stderr, flush=True)
    if not sys.stderr.isatty():
        return None
    import time

    from rich.console import Console

    console = Console(stderr=True)
    state: dict = {"name": None, "t": 0.0}

    def show(name: str) -> None:
        now = time.perf_counter()
        if state["name"] is not None:     # the stage that just ended, with its time
            console.print(f"[dim]✓ {state['name']} ({now - state['t']:.1f} s)[/dim]")
        state.update(name=name, t=now)
        console.print(f"[dim]… {name}[/dim]")

    return show


def handle_errors(fn):
    """Library errors → one line + exit 2; unexpected ones → one line + exit 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = fn(*args, **kwargs)
            for msg in dict.fromkeys(str(w.message) for w in caught):    # once each (per-relation runs repeat)
                click.echo(f"warning: {msg}", err=True)
            return result
        except NetAnalysisError as ex:
            if debug:
                raise
            click.echo(f"error: {ex}", err=True)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as ex:  # noqa: BLE001 — the one place that reports unexpected failures
            if debug:
                raise
            click.echo(f"unexpected error ({type(ex).__name__}): {ex} — rerun with --debug for details",
                       err=True)
            sys.exit(EXIT_UNEXPECTED)

    return wrapper


def input_options(fn):
    """Options shared by every command that reads a network from tables."""
    opts = [
        click.option("--ties", "ties", type=click.Path(dir_okay=False, path_type=Path),
                     help="Ties table (CSV, TSV or XLSX): one row per tie (required unless the command "
                          "reads another input, e.g. --survey)."),
        click.option("--nodes", "nodes", type=click.Path(dir_okay=False, path_type=Path),
                     help="Nodes table: one row per organisation (optional)."),
        click.option("--id-column", default="id", show_default=True, help="Nodes: id column."),
        click.option("--name-column", default=None, help="Nodes: name column [default: name, if present]."),
        click.option("--source-column", default="source", show_default=True, help="Ties: first end."),
        click.option("--target-column", default="target", show_default=True, help="Ties: second end."),
        click.option("--sector-column", default=None,
                     help="Nodes: sector or any categorical attribute [default: sector, if present]."),
        click.option("--weight-column", default=None,
                     help="Ties: strength, larger = stronger [default: weight, if present; else 1]."),
        click.option("--relation-column", default=None,
                     help="Ties/survey: relation type (information, joint project, …); cells such as "
                          "'info; project' give one tie per relation [default: relation or type, if present]."),
        click.option("--type-column", default=None, help="Old name of --relation-column."),
        click.option("--relation", "relation", default=None,
                     help="Analyse only the ties of this relation (a value of the relation column)."),
        click.option("--wave-column", default=None, help="Ties: survey wave [default: wave, if present]."),
        click.option("--directed/--undirected", default=False, show_default=True,
                     help="Treat ties as directed (A→B) or undirected."),
        click.option("--scheme", default="standard", show_default=True,
                     help="Sector scheme: standard, cordis, none, or a CSV file with label,sector "
                          "(sectors: government, business, science, civil_society, other, unknown)."),
        click.option("--scheme-mode", type=click.Choice(["extend", "replace"]), default="extend",
                     show_default=True, help="A --scheme file extends the standard rules (its labels "
                     "first) or replaces them."),
        click.option("--merge", type=click.Choice(["sum", "max", "mean", "first"]), default="sum",
                     show_default=True, help="Rule for merging duplicate ties; also the weight of a pair "
                     "in the combined network when it has ties of several relations."),
        click.option("--strict", is_flag=True,
                     help="Error on ties or participations naming ids missing from --nodes (default: add "
                          "them as 'unknown')."),
        click.option("--na-values", default=None,
                     help="Comma-separated cell values read as missing [default: NA,N/A,NULL,None,#N/A,nan,-"
                          " and blanks; case-insensitive]."),
        click.option("--where", "where", multiple=True, metavar="COLUMN=VALUE[,VALUE]",
                     help="Keep only nodes whose COLUMN is one of the values (repeatable; all must hold); "
                          "ties touching other nodes are dropped and counted."),
        click.option("--through", default=None, metavar="COLUMN=VALUE[,VALUE]",
                     help="Nodes matching are events/projects: organisation–event ties become "
                          "co-participation ties (a projection of organisation–event participations)."),
        click.option("--name-template", default=None,
                     help="Nodes: display names from columns, e.g. '{orgname} – {suborg}'."),
        click.option("--encoding", default=None, help="Override encoding detection (e.g. cp1251)."),
        click.option("--sheet", default=None,
                     help="Workbook sheet of the ties/survey/participations file [default: the active "
                          "visible sheet; a warning names other sheets holding data]."),
        click.option("--nodes-sheet", default=None, help="Workbook sheet of the --nodes file [default: as --sheet]."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def scale_options() -> list:
    """Projection engine options (see netanalysis.io.engines and docs/scale.md)."""
    return [
        click.option("--engine", type=click.Choice(["auto", "pandas", "duckdb", "spark"]), default="auto",
                     show_default=True, help="Participations: who projects the records: pandas (in "
                     "memory), duckdb (SQL, spills to disk; auto above 200 MB), spark (pyspark)."),
        click.option("--max-unit-size", type=click.IntRange(2), default=1000, show_default=True,
                     help="Participations: leave out (and name) projects/events with more organisations."),
        click.option("--spark-master", default=None,
                     help="Spark master URL for --engine spark [default: local[*]]."),
    ]


def with_scale_options(fn):
    for opt in reversed(scale_options()):
        fn = opt(fn)
    return fn


def participation_options(fn):
    """Two-mode participation records (organisation × project/event) as input instead of --ties."""
    opts = [
        click.option("--participations", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Participation records (one row per organisation × project/event), "
                          "projected to organisation ties; with --nodes names and sectors come from the "
                          "nodes table; with --ties both become relations of one network."),
        click.option("--unit-column", default="unit", show_default=True,
                     help="Participations: project/event column (e.g. rcn)."),
        click.option("--org-column", default="org", show_default=True,
                     help="Participations: organisation column (e.g. pic)."),
        click.option("--projection", type=click.Choice(["count", "newman", "jaccard"]), default="count",
                     show_default=True, help="Participations: tie weight = shared projects (count), "
                     "Newman's sum of 1/(n-1), or Jaccard overlap."),
    ] + scale_options()
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def survey_options(fn):
    """Survey input (name-generator, roster or partnership register) instead of --ties; --nodes is the
    roster whose names partner names are matched against (see netanalysis.io.survey)."""
    opts = [
        click.option("--survey", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Survey or partnership register (CSV, TSV or XLSX); use instead of --ties, "
                          "with --nodes as the roster."),
        click.option("--survey-format", type=click.Choice(["name-generator", "roster", "register", "kobo", "odk"]),
                     default="name-generator", show_default=True,
                     help="Long (respondent × named partner), wide (one column per organisation), "
                          "register (one row per agreement, partners in one cell), or the KoboToolbox XLSX / "
                          "ODK Central CSV-zip export of a form made by survey-form (with --form)."),
        click.option("--form", "form", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="kobo/odk: the form.xlsx written by survey-form (its form.toml must be next to it)."),
        click.option("--respondent-column", default="respondent", show_default=True,
                     help="Survey: respondent (roster id) column."),
        click.option("--partner-column", default=None,
                     help="Survey: named-partner column [default: partner; register: partners]."),
        click.option("--rating-column", default=None,
                     help="Survey: rating column [default: strength, rating or weight, if present; else 1]."),
        click.option("--symmetrize", type=click.Choice(["max", "min", "mean", "respondent"]), default=None,
                     help="Survey: undirected tie from both sides' reports: max (either side), min "
                          "(confirmed only), mean, respondent [default: max; none with --directed]."),
        click.option("--dichotomize", type=float, default=None,
                     help="Survey: reports rated below this are not ties; the rest weigh 1."),
        click.option("--aliases", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Alias table (raw_name,id), e.g. an edited name_matches.csv."),
        click.option("--match-threshold", type=click.FloatRange(0, 100), default=90.0, show_default=True,
                     help="Survey: minimum fuzzy score (0-100) for matching a partner name to the roster."),
        click.option("--survey-mapping", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Roster format: mapping file (column,id,role) for survey-tool exports."),
        click.option("--header-rows", type=click.IntRange(0), default=0, show_default=True,
                     help="Roster format: extra header rows under the column names (Qualtrics: 2)."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _build_options(kw: dict):
    from .network import NA_VALUES, BuildOptions, parse_filter
    from .sectors import get_scheme

    na = NA_VALUES if kw.get("na_values") is None else \
        tuple(["", *(v.strip() for v in kw["na_values"].split(",") if v.strip())])
    return BuildOptions(
        directed=bool(kw.get("directed")), scheme=get_scheme(kw.get("scheme"), mode=kw.get("scheme_mode")),
        merge=kw.get("merge") or "sum", strict=bool(kw.get("strict")), na_values=na,
        where=tuple(parse_filter(w) for w in kw.get("where") or ()),
        through=parse_filter(kw["through"], option="--through") if kw.get("through") else None,
        projection=kw.get("projection") or "count")


def report_workflow_options(fn):
    """report: the Word file, its language and the stakeholder grid's columns (netanalysis.cli_workflow)."""
    from .cli_workflow import report_options

    return report_options(fn)


def workflow_report_options(own: dict) -> dict:
    """report: the ReportOptions of the workflow options (netanalysis.cli_workflow)."""
    return {k: own[k] for k in ("docx", "lang", "influence_column", "interest_column") if k in own}


def load_input(kw: dict):
    """The network from the parsed input options (for commands defined in other CLI modules)."""
    return _load(kw)


def _load(kw: dict):
    """Read the network the options describe (the sheet choices apply to workbooks read meanwhile);
    ``--relation`` keeps one relation's ties."""
    from .io.tables import use_sheets

    main_file = next((kw[k] for k in ("ties", "participations", "survey") if kw.get(k) is not None), None)
    with use_sheets({main_file: kw.pop("sheet", None), kw.get("nodes"): kw.pop("nodes_sheet", None)}):
        net = _load_network(kw)
    if kw.get("relation"):
        net = net.view(relation=kw["relation"])
    return net


def _load_participations(kw: dict, opts):
    from .io.load import read_nodes, read_ties
    from .io.participation import participation_network, read_participations

    p = read_participations(kw["participations"], unit_column=kw["unit_column"], org_column=kw["org_column"],
                            sector_column=None if kw.get("nodes") else kw["sector_column"],
                            name_column=None if kw.get("nodes") else kw["name_column"], scheme=opts.scheme,
                            encoding=kw["encoding"])
    roster = None if kw.get("nodes") is None else read_nodes(
        kw["nodes"], id_column=kw["id_column"], name_column=kw["name_column"], sector_column=kw["sector_column"],
        name_template=kw.get("name_template"), encoding=kw["encoding"], na_values=opts.na_values)
    ties = None if kw.get("ties") is None else read_ties(
        kw["ties"], source_column=kw["source_column"], target_column=kw["target_column"],
        weight_column=kw["weight_column"], relation_column=kw.get("relation_column") or kw.get("type_column"),
        wave_column=kw["wave_column"], encoding=kw["encoding"], na_values=opts.na_values)
    from .io.engines import choose_engine

    return participation_network(p, roster=roster, ties=ties, weighting=kw["projection"], options=opts,
                                 max_unit_size=kw.get("max_unit_size"),
                                 engine=choose_engine(kw.get("engine") or "auto", kw["participations"]),
                                 spark_master=kw.get("spark_master"))


def _load_network(kw: dict):
    from .errors import OptionError
    from .io import load_network

    given = [f"--{k}" for k in ("ties", "participations", "survey") if kw.get(k) is not None]
    if len(given) != 1 and given != ["--ties", "--participations"]:
        offered = ["--ties"] + [f"--{k}" for k in ("participations", "survey") if k in kw]
        raise OptionError(f"give exactly one input: {' or '.join(offered)} (or --ties with --participations)"
                          + (f" (got {', '.join(given)})" if given else " (got none)"))
    opts = _build_options(kw)
    if kw.get("participations") is not None:
        if kw.get("directed"):
            raise OptionError("--participations cannot be combined with --directed: the projection is undirected")
        return _load_participations(kw, opts)
    if kw.get("survey") is not None:
        from .survey_diagnostics import load_survey

        if opts.where or opts.through:
            raise OptionError("--where and --through work with --ties or --participations, not --survey")

        return load_survey(
            kw["survey"], kw["nodes"], format=kw["survey_format"], symmetrize=kw["symmetrize"],
            directed=kw["directed"], dichotomize=kw["dichotomize"], scheme=opts.scheme,
            respondent_column=kw["respondent_column"], partner_column=kw["partner_column"],
            rating_column=kw["rating_column"], type_column=kw.get("relation_column") or kw.get("type_column"),
            wave_column=kw["wave_column"],
            id_column=kw["id_column"], name_column=kw["name_column"], sector_column=kw["sector_column"],
            aliases=kw["aliases"], threshold=kw["match_threshold"], strict=kw["strict"],
            mapping=kw["survey_mapping"], header_rows=kw["header_rows"], encoding=kw["encoding"],
            form=kw.get("form"))
    return load_network(
        kw["ties"], kw["nodes"], id_column=kw["id_column"],
        name_column=kw["name_column"], source_column=kw["source_column"],
        target_column=kw["target_column"], sector_column=kw["sector_column"],
        weight_column=kw["weight_column"], relation_column=kw.get("relation_column") or kw.get("type_column"),
        wave_column=kw["wave_column"], name_template=kw.get("name_template"), encoding=kw["encoding"],
        options=opts)


def _rows_text(d: dict, limit: int = 10) -> str:
    rows = d.get("rows", [])
    shown = ", ".join(map(str, rows[:limit]))
    n = d.get("count", len(rows))
    return f"rows {shown}" + (f" … (first {min(limit, len(rows))} of {n})" if n > limit else "")


def _account_lines(net) -> list[str]:
    lines = []
    prov = net.provenance
    for acc in prov.get("files", []):
        if acc.get("file") is None:
            continue
        lines.append(f"{acc['role']}: {acc['file']} — {acc['read']} rows read, {acc['used']} used, "
                     f"{acc['merged']} merged, {acc['dropped']} dropped"
                     + (f" [{acc['encoding']}, {acc['delimiter']!r}]" if acc.get("encoding") else ""))
        for d in acc.get("drops", []):
            lines.append(f"  dropped {d['count']}: {d['reason']} ({_rows_text(d)})")
        for m in acc.get("merges", []):
            lines.append(f"  merged {m.get('count', len(m['rows']))}: {m['reason']}")
        split = acc.get("relations_split")
        if split:
            lines.append(f"  {split['rows']} rows naming several relations gave {split['ties']} ties")
    lines += _extra_lines(prov)
    matches = net.provenance.get("name_matches")
    if matches:
        from collections import Counter

        n = Counter(m["method"] for m in matches)
        lines.append("partner names: " + ", ".join(f"{n[k]} {k}" for k in ("exact", "alias", "normalised", "acronym", "fuzzy",
                                                                          "unmatched") if n[k])
                     + (" (review name_matches.csv)" if n["fuzzy"] or n["unmatched"] else ""))
    from .io.survey import rates_for_view

    rates, wave = rates_for_view(net.provenance)
    if rates:
        ov = rates["overall"]
        lines.append(f"response rate: {ov['rate']:.0%} ({ov['respondents']} of {ov['roster']} roster "
                     f"organisations" + (f", wave {wave}" if wave else ", any wave" if "by_wave" in rates else "")
                     + ")")
    lines += _sector_lines(prov.get("sectors", {}))
    return lines


def _extra_lines(prov: dict) -> list[str]:
    """What the reader added, removed, renamed or read as missing (one line each)."""
    lines = []
    added = prov.get("nodes_added_from_ties")
    if added:
        lines.append(f"  {added['count']} ids named in ties but not in the nodes file were added as 'unknown'")
    added = prov.get("organisations_added_from_participations")
    if added:
        ids = ", ".join(added["ids"][:5]) + (f" … (first 5 of {added['count']})" if added["count"] > 5 else "")
        lines.append(f"  {added['count']} organisations in the participations but not in the nodes file were "
                     f"added as 'unknown': {ids}")
    w = prov.get("where")
    if w:
        lines.append(f"where: {w['nodes_kept']} nodes kept, {w['nodes_removed']} removed, "
                     f"{w['ties_dropped']} ties dropped with them")
    th = prov.get("through")
    if th:
        lines.append(f"through {th['column']}={','.join(th['values'])}: {th['events']} events, "
                     f"{th['participation_records']} participation records → {th['co_participation_ties']} "
                     f"'{th['relation']}' ties ({th['weighting']}); {th['organisation_ties_kept']} "
                     "organisation ties kept")
    miss = prov.get("missing_values", {}).get("columns", {})
    parts = [f"{c} {n}" for role in ("nodes", "ties") for c, n in miss.get(role, {}).items()]
    if parts:
        lines.append("missing values: " + ", ".join(parts[:10]) + (" …" if len(parts) > 10 else ""))
    dup = prov.get("duplicate_names")
    if dup:
        shown = "; ".join(x["shown_as"] for x in dup["nodes"][:6])
        lines.append(f"repeated names: {dup['count']} organisations share {dup['names']} name(s), shown as "
                     f"'name (id)': {shown}" + (f" … (first 6 of {dup['count']})" if dup["count"] > 6 else ""))
    rel = prov.get("network", {}).get("relations") or []
    if rel:
        lines.append(f"relations: {', '.join(rel)}")
    view = prov.get("view", {})
    if view.get("relation"):
        lines.append(f"analysing relation {', '.join(view['relation'])} only: {view['ties_in_view']} of "
                     f"{view['ties_in_network']} ties")
    return lines


def _sector_lines(sectors: dict, limit: int = 12) -> list[str]:
    lines = []
    renamed = sectors.get("renamed", [])
    if renamed:
        shown = ", ".join(f"{r['label']} → {r['sector']} ({r['count']})" for r in renamed[:limit])
        more = f" … (first {limit} of {len(renamed)}; all in data_quality.json)" if len(renamed) > limit else ""
        lines.append(f"sector labels mapped by scheme '{sectors.get('scheme')}': {shown}{more}")
    unmapped = sectors.get("unmapped_labels", [])
    if unmapped:
        shown = ", ".join(unmapped[:8]) + (f" … (first 8 of {len(unmapped)})" if len(unmapped) > 8 else "")
        lines.append(f"sector labels kept as their own groups: {shown}")
    return lines


class _OneLineErrors(click.Group):
    """Usage errors (unknown option, bad value) as one line ``error: …`` with exit code 2, like every
    other error of the command line (click prints usage and a hint on three lines otherwise)."""

    def main(self, *args, **kwargs):
        standalone = kwargs.pop("standalone_mode", True)
        if not standalone:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as ex:
            ex.show()
            sys.exit(ex.exit_code)
        except click.ClickException as ex:
            msg = " ".join(ex.format_message().split())
            ctx = getattr(ex, "ctx", None)
            hint = f" (see {ctx.command_path} --help)" if isinstance(ex, click.UsageError) and ctx else ""
            click.echo(f"error: {msg}{hint}", err=True)
            sys.exit(ex.exit_code)
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=_OneLineErrors,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="netanalysis")
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
def main(debug):
    """Stakeholder network analysis: from survey and partnership records to centralities,
    sector gaps, communities and interactive maps."""


@main.command()
@input_options
@participation_options
@survey_options
@handle_errors
def validate(**kw):
    """Read and check the input tables; print what happened to every row."""
    net = _load(kw)
    for line in _account_lines(net):
        click.echo(line)
    click.echo(f"network: {net.n_nodes} organisations, {net.n_ties} ties "
               f"({'directed' if net.directed else 'undirected'})")


def _seed_option(fn):
    return click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=42, show_default=True,
                        help="Seed for every random step (a whole number ≥ 0).")(fn)


def _analysis_options(fn):
    fn = click.option("--permutations", type=click.IntRange(0, 1_000_000), default=1000, show_default=True,
                      help="Label permutations for significance tests.")(fn)
    return _seed_option(fn)


def _force_option(fn):
    return click.option("--force", is_flag=True,
                        help="Write into --out even if it is neither empty nor a previous netanalysis output "
                             "(its other files are kept unless netanalysis writes a file of the same name).")(fn)


def _writing(out: Path, command: str, force: bool):
    """The one output-folder rule (netanalysis.outdir): yields a temporary folder to write into."""
    from .outdir import output_folder

    return output_folder(out, command=command, force=force)


def _network_line(net, m) -> str:
    return (f"network: {m['nodes']} organisations, {m['ties']} ties, density {m['density']:.4f}"
            + (f", reciprocity {m['reciprocity']:.3f}" if net.directed else "")
            + f", {m['components']} components")


def _run_analyze(net, out: Path, seed: int, permutations: int, force: bool = False):
    from .outdir import check_output_folder
    from .outputs import write_outputs
    from .pipeline import AnalysisOptions, analyze

    check_output_folder(out, force=force)          # fail before the analysis, not after
    res = analyze(net, AnalysisOptions(seed=seed, permutations=permutations), progress=_progress_printer())
    with _writing(out, "analyze", force) as folder:
        write_outputs(res, folder, command="analyze")
    for line in _account_lines(net):
        click.echo(line)
    click.echo(_network_line(net, res.network_metrics))
    for line in _relation_lines(res.multiplex, net.directed):
        click.echo(line)
    click.echo(f"wrote {out}")
    return res


def _relation_lines(multi, directed: bool) -> list[str]:
    """Per relation: ties and weak pairs; the gaps found in some relations only."""
    if multi is None:
        return []
    arrow = "→" if directed else "–"
    t = multi.summary.table.set_index("relation")
    parts = []
    for r, m in multi.mixing.items():
        if r == "all":
            continue
        w = m.weak
        parts.append(f"{r}: {int(t.loc[r, 'ties'])} ties, {len(w)} weak pair(s)"
                     + (" (" + ", ".join(f"{a}{arrow}{b} {x:.2f}×" for a, b, x in
                                         zip(w["sector_a"], w["sector_b"], w["ratio"])) + ")" if len(w) else ""))
    lines = ["per relation — " + "; ".join(parts)]
    for f in multi.findings:
        lines.append(f"gap in one relation: {f.statement}")
    return lines


@main.command()
@input_options
@participation_options
@survey_options
@_analysis_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder: new, empty or a previous netanalysis output (else --force).")
@_force_option
@handle_errors
def analyze(out, seed, permutations, force, **kw):
    """Run every analysis and write the output contract into --out."""
    from .outdir import check_output_folder

    check_output_folder(out, force=force)
    _run_analyze(_load(kw), out, seed, permutations, force)


@main.command()
@_analysis_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/demo"),
              show_default=True, help="Output folder.")
@_force_option
@handle_errors
def demo(out, seed, permutations, force):
    """Make the full report on the bundled default dataset (writes reports/demo/index.html)."""
    from .datasets import load_default

    net = load_default()
    click.echo(f"dataset: {net.provenance.get('dataset', 'bundled default')}")
    _run_report(net, out=out, name="demo", title=f"Demo: {net.provenance.get('dataset', 'bundled dataset')}",
                seed=seed, permutations=permutations, force=force)


@main.command()
@input_options
@survey_options
@_seed_option
@click.option("--method", type=click.Choice(["leiden", "louvain", "label_propagation", "infomap", "walktrap",
                                             "greedy"]), default="leiden", show_default=True,
              help="Community detection method (Leiden uses the modularity objective).")
@click.option("--runs", type=click.IntRange(1), default=25, show_default=True,
              help="Runs combined into a consensus partition (1 = a single run, no stability figures).")
@click.option("--resolution", type=float, default=None,
              help="Resolution (Leiden, Louvain): higher gives more, smaller communities [default: 1].")
@click.option("--unweighted", is_flag=True, help="Count every tie as 1 instead of using tie strengths.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder: new, empty or a previous netanalysis output (else --force).")
@_force_option
@handle_errors
def communities(out, seed, method, runs, resolution, unweighted, force, **kw):
    """Find communities (consensus of seeded runs) and their sector make-up; writes communities.csv,
    community_members.csv, community_links.csv and communities.json into --out."""
    from .outdir import check_output_folder
    from .outputs import write_outputs
    from .pipeline import find_communities

    check_output_folder(out, force=force)
    net = _load(kw)
    opts = {"resolution": resolution} if resolution is not None else {}
    res = find_communities(net, method=method, runs=runs, weights=not unweighted, seed=seed, **opts)
    with _writing(out, "communities", force) as folder:
        write_outputs(res, folder, command="communities")
    part = res.partition
    for line in _account_lines(net):
        click.echo(line)
    st = part.stability or {}
    stab = st.get("nmi_mean", float("nan"))
    click.echo(f"{part.n_communities} communities, {int((part.sizes >= 2).sum())} of two or more organisations "
               f"({part.method}, {runs} runs, seed {seed}), "
               f"modularity {part.modularity:.4f}"
               + (f", stability NMI {stab:.3f}" if stab == stab else ""))
    click.echo(f"wrote {out}")


@main.command()
@click.option("--participations", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Participation records: one row per organisation × project/event.")
@click.option("--unit-column", default="unit", show_default=True, help="Project/event column (e.g. rcn).")
@click.option("--org-column", default="org", show_default=True, help="Organisation column (e.g. pic).")
@click.option("--sector-column", default=None,
              help="Organisation type column (e.g. type) [default: sector, if present].")
@click.option("--scheme", default="standard", show_default=True,
              help="Sector scheme: standard, cordis, none, or a CSV file with label,sector.")
@click.option("--year-column", default=None, help="Year of the project (e.g. start_year): adds per-year values.")
@click.option("--sectors", default="science,business,government", show_default=True,
              help="Sectors playing U, I, G (and optionally C), comma-separated, e.g. "
                   "science,business,government,civil_society.")
@click.option("--bootstrap", type=click.IntRange(0), default=1000, show_default=True,
              help="Bootstrap resamples of projects for the intervals (0 = none).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=42, show_default=True, help="Seed of the bootstrap.")
@click.option("--drop-empty", is_flag=True, help="Leave out projects with none of the sectors.")
@click.option("--encoding", default=None, help="Override encoding detection (e.g. cp1251).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder (new, empty or a previous netanalysis output, else --force); writes helix.json.")
@_force_option
@handle_errors
def helix(participations, unit_column, org_column, sector_column, scheme, year_column, sectors, bootstrap,
          seed, drop_empty, encoding, out, force):
    """Triple/Quadruple Helix synergy (mutual information in bits; negative T_UIG = synergy) of the
    sectors taking part in each project; writes helix.json into --out."""
    from .io.participation import read_participations
    from .outdir import check_output_folder
    from .outputs import write_outputs
    from .pipeline import helix as helix_run

    check_output_folder(out, force=force)
    p = read_participations(participations, unit_column=unit_column, org_column=org_column,
                            sector_column=sector_column, year_column=year_column, scheme=scheme,
                            encoding=encoding)
    res = helix_run(p, sectors=[x.strip() for x in sectors.split(",") if x.strip()],
                    bootstrap=bootstrap, seed=seed, drop_empty=drop_empty)
    with _writing(out, "helix", force) as folder:
        write_outputs(res, folder, command="helix")
    click.echo(_helix_summary(res.synergy))
    click.echo(f"wrote {out / 'helix.json'}")


@main.command("project")
@click.option("--participations", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Participation records (CSV, CSV.gz or Parquet): one row per organisation × project/event.")
@click.option("--unit-column", default="unit", show_default=True, help="Project/event column (e.g. rcn).")
@click.option("--org-column", default="org", show_default=True, help="Organisation column (e.g. pic).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Ties file to write: .csv (UTF-8 with BOM) or .parquet.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@with_scale_options
@handle_errors
def project_command(participations, unit_column, org_column, out, force, engine, max_unit_size, spark_master):
    """Project participation records onto organisations and write the ties (source, target,
    shared_units, newman, jaccard) for use elsewhere; no analysis."""
    from .errors import OptionError
    from .io.engines import project_file

    if out.exists() and not force:
        raise OptionError(f"{out} exists: use --force to replace it")
    if out.suffix.lower() not in (".csv", ".parquet", ".pq"):
        raise OptionError(f"--out must end in .csv or .parquet, got '{out.name}'")
    res = project_file(participations, unit_column=unit_column, org_column=org_column, engine=engine,
                       max_unit_size=max_unit_size, out=out, spark_master=spark_master)
    click.echo(f"{res.n_ties:,} ties projected with {res.engine}"
               + (f"; {len(res.skipped)} unit(s) over {max_unit_size:,} organisations left out" if len(res.skipped)
                  else ""))
    click.echo(f"wrote {out}")


def _helix_summary(res) -> str:
    roles = ", ".join(f"{k} = {v}" for k, v in res.sectors.items())
    iv = res.intervals

    def fmt(name):
        v = res.values[name]
        if name in iv:
            return f"{name} = {v:.4f} bits ({100 * res.confidence:.0f}% interval {iv[name][0]:.4f} to {iv[name][1]:.4f})"
        return f"{name} = {v:.4f} bits"

    if not res.informative:
        verdict = (f"uninformative: {', '.join(res.constant_sectors)} take(s) part in every project or in none, "
                   "so the measure cannot show synergy or its absence")
    elif res.synergy:
        verdict = "synergy: joint participation reduces uncertainty beyond the pairwise relations"
    elif res.T_UIG < 0:
        verdict = "negative, but the interval includes 0: no clear synergy"
    else:
        verdict = "no synergy"
    text = (f"Helix synergy over {res.n_units} projects ({roles}; {res.n_empty_units} projects with none of "
            f"them): {fmt('T_UIG')}, where negative = synergy — {verdict}. Two-way mutual information: "
            f"{fmt('T_UI')}, {fmt('T_UG')}, {fmt('T_IG')}.")
    if res.T_UIGC is not None:
        text += f" Four-way: {fmt('T_UIGC')} (= T_UIG − T_UIG|C; sign convention in helix.json)."
    if res.by_year is not None and len(res.by_year):
        yrs = ", ".join(f"{int(r.year)}: {r.T_UIG:+.3f}" for r in res.by_year.itertuples())
        text += f" T_UIG per year: {yrs}."
    text += f" Bootstrap: {res.bootstrap} resamples of projects, seed {res.seed}."
    return text


# ---- reports (reports issue): `report`, `init`; `demo` above runs the report on the bundled data ----
_REPORT_OWN = ("study", "name", "title", "out", "force", "anonymize", "min_cell_size", "seed", "permutations",
               "models", "docx", "lang", "influence_column", "interest_column")


def _report_name(kw: dict) -> str:
    import re

    src = next((Path(kw[k]) for k in ("ties", "participations", "survey") if kw.get(k) is not None), None)
    if src is None:
        return "report"
    stem = src.parent.name if src.stem.lower() in ("ties", "edges", "links", "survey") and src.parent.name \
        else src.stem
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "report"


def _run_report(net, *, out, name, title=None, seed=42, permutations=1000, force=False, anonymize=False,
                min_cell_size=0, analysis_extra=None, inputs=None, parameters=None, models=False, workflow=None):
    from .pipeline import AnalysisOptions
    from .report import ReportOptions, build_report

    rep = build_report(net, out, analysis_options=AnalysisOptions(seed=seed, permutations=permutations,
                                                                  **(analysis_extra or {})),
                       options=ReportOptions(name=name, title=title, anonymize=anonymize,
                                             min_cell_size=min_cell_size, force=force, models=models,
                                             **(workflow or {})),
                       inputs=inputs, parameters=parameters, progress=_progress_printer())
    for line in _account_lines(net):
        click.echo(line)
    click.echo(_network_line(net, rep.analysis.network_metrics))
    for line in _relation_lines(rep.analysis.multiplex, net.directed):
        click.echo(line)
    click.echo(f"wrote {rep.path / 'index.html'} (and tables/, figures/, network.graphml, network.gexf, "
               "manifest.json)")
    return rep


@main.command()
@click.option("--study", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Study file (TOML; `netanalysis init` writes one). Options given here override it.")
@input_options
@participation_options
@survey_options
@_analysis_options
@click.option("--name", default=None, help="Report name [default: the study's name, else the input file's].")
@click.option("--title", default=None, help="Heading of the report page [default: the name].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Report folder [default: reports/<name>].")
@click.option("--force", is_flag=True,
              help="Replace --out even if it is not a previous netanalysis report.")
@click.option("--anonymize", is_flag=True,
              help="Keyed pseudonyms instead of ids and names (key: $NETANALYSIS_PSEUDONYM_KEY).")
@click.option("--min-cell-size", type=click.IntRange(0), default=0, show_default=True,
              help="Show organisation counts per sector below this as '<k'.")
@click.option("--models", is_flag=True,
              help="Add a Models section: sector ERGM, CUG tests, core–periphery, QAP between tie types.")
@report_workflow_options
@handle_errors
def report(**kw):
    """Analyse and write a shareable report folder: index.html (offline), tables/ (CSV + XLSX),
    figures/, network.graphml/.gexf, the stakeholder grid when influence and interest are known,
    report.docx with --docx, and manifest.json."""
    from click.core import ParameterSource

    from .study import load_study

    ctx = click.get_current_context()
    study = kw.pop("study")
    analysis_extra, inputs, st = {}, None, None
    if study is not None:
        input_keys = [p.name for p in ctx.command.params if p.name not in _REPORT_OWN]
        st = load_study(study, input_keys=input_keys)
        given = {**st.input, **st.analysis, **st.report, "name": st.name, "title": st.title}
        for k, v in given.items():
            if v is None:
                continue
            if k not in kw:
                analysis_extra[k] = v
            elif ctx.get_parameter_source(k) not in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
                kw[k] = v
    own = {k: kw.pop(k) for k in _REPORT_OWN if k in kw}
    net = _load(kw)
    from .report import default_out

    name = own["name"] or _report_name(kw)
    out = own["out"] or default_out(name)
    if st is not None:
        inputs = {"study": st.path, **{k: Path(kw[k]) for k in ("nodes", "ties", "participations", "survey",
                                                                "aliases", "survey_mapping")
                                       if kw.get(k) is not None}}
    params = {"input": {k: (str(v) if isinstance(v, Path) else v) for k, v in kw.items()},
              "study": str(st.path) if st is not None else None}
    rep = _run_report(net, out=out, name=name, title=own["title"], seed=own["seed"],
                      permutations=own["permutations"], force=own["force"], anonymize=own["anonymize"],
                      min_cell_size=own["min_cell_size"], analysis_extra=analysis_extra, inputs=inputs,
                      parameters=params, models=own["models"], workflow=workflow_report_options(own))
    from .cli_workflow import finish_report

    finish_report(rep, own)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("study.toml"))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def init(path, force):
    """Write a commented study file template (default study.toml) for `netanalysis report --study`."""
    from .study import write_template

    write_template(path, force=force)
    click.echo(f"wrote {path}: edit it, then run `netanalysis report --study {path}`")



@main.command()
@input_options
@survey_options
@_analysis_options
@click.option("--adjust", type=click.Choice(["holm", "bh"]), default="holm", show_default=True,
              help="p-value adjustment across sector pairs: Holm (family-wise) or Benjamini–Hochberg (FDR).")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True), default=0.05, show_default=True,
              help="A pair is weak when its adjusted p ≤ alpha …")
@click.option("--max-ratio", type=click.FloatRange(0), default=0.75, show_default=True,
              help="… and observed / expected ties ≤ max-ratio.")
@click.option("--link-score", type=click.Choice(["adamic_adar", "resource_allocation", "common_neighbours"]),
              default="adamic_adar", show_default=True, help="Score ranking the recommended partnerships.")
@click.option("--per-pair", type=click.IntRange(1), default=10, show_default=True,
              help="Recommendations per weak sector pair.")
@click.option("--wave", default=None,
              help="Analyse only the ties of this survey wave (its response rates are used, when known).")
@click.option("--min-group", type=click.IntRange(1), default=5, show_default=True,
              help="Sectors with fewer organisations (and pairs with fewer than 5 expected ties) are 'too few "
                   "to judge': never reported as gaps.")
@click.option("--imputations", type=click.IntRange(0), default=50, show_default=True,
              help="Survey input with non-respondents: seeded multiple imputations of the unanswered ties "
                   "(missing_data_sensitivity.csv); 0 = none.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder: new, empty or a previous netanalysis output (else --force).")
@_force_option
@handle_errors
def gaps(out, seed, permutations, adjust, alpha, max_ratio, link_score, per_pair, wave, min_group, imputations,
         force, **kw):
    """Sector gap diagnosis alone: writes sector_mixing.csv, boundary_spanners.csv, recommendations.csv,
    findings.json and findings.md (and missing_data_sensitivity.csv for survey input with
    non-respondents) into --out."""
    from .outdir import check_output_folder
    from .outputs import write_outputs
    from .pipeline import gaps as gap_diagnosis

    check_output_folder(out, force=force)
    net = _load(kw)
    if wave is not None:
        net = net.view(wave=wave)
    res = gap_diagnosis(net, permutations=permutations, seed=seed, adjust=adjust, alpha=alpha,
                        max_ratio=max_ratio, method=link_score, per_pair=per_pair, wave=wave,
                        min_group=min_group, imputations=imputations)
    with _writing(out, "gaps", force) as folder:
        write_outputs(res, folder, command="gaps")
    for line in _account_lines(net):
        click.echo(line)
    s = res.mixing.summary
    weak = res.mixing.weak
    arrow = "→" if net.directed else "–"
    click.echo(f"E-I {s['ei_index']:+.3f} (random mixing {s['ei_index_expected']:+.3f}, p {s['ei_index_p_value']:.3g}); "
               f"{len(weak)} weak sector pair(s)"
               + (": " + ", ".join(f"{a}{arrow}{b} {r:.2f}×" for a, b, r in
                                   zip(weak["sector_a"], weak["sector_b"], weak["ratio"])) if len(weak) else "")
               + f"; {len(res.recommendations)} recommendation(s)")
    if res.missing_data is not None:
        t = res.missing_data.table[res.missing_data.table["weak_observed"]]
        click.echo(f"non-response ({res.missing_data.parameters['imputations']} imputations of the unanswered ties): "
                   + (", ".join(f"{a}{arrow}{b} weak in {x:.0%}" for a, b, x in
                                zip(t["sector_a"], t["sector_b"], t["weak_share_imputed"])) or "no weak pair")
                   + "; see missing_data_sensitivity.csv")
    for line in _relation_lines(res.multiplex, net.directed):
        click.echo(line)
    click.echo(f"wrote {out}")



@main.command("map")
@input_options
@survey_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("map.html"),
              show_default=True, help="HTML file to write (one offline page).")
@click.option("--size-by", default="degree", show_default=True,
              help="Node measure (degree, strength, betweenness, pagerank, …) or numeric node column "
                   "that sets node size and label priority.")
@click.option("--color-by", default="sector", show_default=True,
              help="Initial node colouring: sector, community or any categorical node column "
                   "(the page can switch).")
@click.option("--anonymize", is_flag=True,
              help="Replace names by keyed pseudonyms (key: $NETANALYSIS_PSEUDONYM_KEY) and show only "
                   "sector, status and network measures.")
@click.option("--title", default=None, help="Page title.")
@click.option("--permutations", type=click.IntRange(0), default=1000, show_default=True,
              help="Label permutations for the sector mixing test (weak pairs).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=42, show_default=True, help="Seed for layout and tests.")
@handle_errors
def map_command(out, size_by, color_by, anonymize, title, permutations, seed, **kw):
    """Write the interactive network map (one offline HTML file) to --out."""
    from .outputs import write_outputs
    from .pipeline import map_data

    net = _load(kw)
    res = map_data(net, size_by=size_by, color_by=color_by, anonymize=anonymize, seed=seed,
                   permutations=permutations, title=title)
    written = write_outputs(res, out.parent, command="map", names={"map.html": out.name})
    click.echo(f"network: {net.n_nodes} organisations, {net.n_ties} ties")
    click.echo(f"wrote {out} ({written[0].stat().st_size / 1e6:.1f} MB)")


# ------------------------------------------------------------------------------ compare (waves)
@main.command()
@input_options
@survey_options
@_analysis_options
@click.option("--from", "wave_from", required=True, help="First (earlier) wave, a value of the wave column.")
@click.option("--to", "wave_to", required=True, help="Second (later) wave.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Output folder: new, empty or a previous netanalysis output (else --force).")
@_force_option
@handle_errors
def compare(out, wave_from, wave_to, seed, permutations, force, **kw):
    """Compare two waves: ties formed, kept and dissolved, organisations joining and leaving, and the
    change of density, E-I and sector mixing with permutation tests. Writes compare_ties.csv,
    compare_organisations.csv, compare_sector_pairs.csv, compare_positions.csv (shared map
    positions), compare.json and compare.md. With tidy ties, --symmetrize max|min|mean turns
    directed reports into undirected ties within each wave first."""
    from .outdir import check_output_folder
    from .outputs import write_outputs
    from .pipeline import compare as compare_run

    check_output_folder(out, force=force)
    net = _load(kw)
    rule = None if kw.get("survey") is not None else kw.get("symmetrize")   # a survey is symmetrised on reading
    result = compare_run(net, waves=(wave_from, wave_to), symmetrize=rule, permutations=permutations, seed=seed)
    with _writing(out, "compare", force) as folder:
        write_outputs(result, folder, command="compare")
    res = result.comparison
    s = res.summary
    click.echo(f"wave {s['wave_a']} → {s['wave_b']}: {s['ties_a']} → {s['ties_b']} ties: {s['formed']} formed, "
               f"{s['kept']} kept, {s['dissolved']} dissolved ({s['stronger']} stronger, {s['weaker']} weaker); "
               f"{s['joined']} organisations joined, {s['left']} left")
    click.echo(f"density {s['density_a']:.4f} → {s['density_b']:.4f} (p {s['density_p_value']:.3g}); "
               f"E-I {s['ei_index_a']:+.3f} → {s['ei_index_b']:+.3f} (p {s['ei_index_p_value']:.3g})")
    sp = res.sector_pairs
    sig = sp[sp["p_adjusted"] <= 0.05]
    arrow = "→" if s["directed"] else "–"
    click.echo(f"{len(sig)} sector pair(s) changed significantly (Holm-adjusted p ≤ 0.05)"
               + (": " + ", ".join(f"{a}{arrow}{b} {x:.2f}× → {y:.2f}×" for a, b, x, y in
                                   zip(sig["sector_a"], sig["sector_b"], sig["ratio_a"], sig["ratio_b"]))
                  if len(sig) else ""))
    click.echo(f"wrote {out}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --allow-remote.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("netanalysis-data"),
              show_default=True, help="Folder where uploads and reports of the analyses are kept.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a non-loopback --host (other machines could then reach the partner data).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in the browser.")
@click.option("--max-upload-mb", type=click.FloatRange(0, min_open=True), default=200, show_default=True,
              help="Largest upload (all files of one request together), in MB.")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="Analyses that run at the same time (the rest wait in a queue).")
@handle_errors
def serve(host, port, data_dir, allow_remote, no_browser, max_upload_mb, workers):
    """Start the local web app: upload files, choose columns, run, read and download the report."""
    from .webapp import is_loopback
    from .webapp import serve as run_server

    if allow_remote and not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can upload and read "
                   "analyses (protect it with a firewall or a reverse proxy with authentication)", err=True)
    click.echo(f"netanalysis web app on http://{host}:{port}/ (data in {data_dir}); Ctrl+C stops it")
    run_server(host=host, port=port, data_dir=data_dir, allow_remote=allow_remote, open_browser=not no_browser,
               max_upload_mb=max_upload_mb, workers=workers)


# ---- models (issue 16): model, qap, cug, core-periphery live in cli_models.py ----
from .cli_models import register as _register_models  # noqa: E402

_register_models(main, load=_load)

from . import cli_workflow as _cli_workflow  # noqa: E402,F401 — registers survey-form, stakeholder-grid, profiles

if __name__ == "__main__":  # pragma: no cover
    main()

