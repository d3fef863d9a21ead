"""Commands of the evaluator's workflow: ``survey-form``, ``stakeholder-grid``, ``profiles``, and the
``report`` options ``--docx``, ``--lang``, ``--influence-column``, ``--interest-column``.

Registered on :data:`netanalysis.cli.main` when :mod:`netanalysis.cli` is imported.
"""

from __future__ import annotations

from pathlib import Path

import click

# Defined before importing .cli: cli.py applies report_options while it is being imported.
LANG = click.Choice(["en", "ru"])


def _grid_options(fn):
    fn = click.option("--interest-column", default=None,
                      help="Node column for the grid's interest axis [default: interest, if present — the "
                           "self-reported interest of a survey form].")(fn)
    fn = click.option("--influence-column", default=None,
                      help="Node column for the grid's influence axis [default: influence, if present — "
                           "the influence attributed by partners in a survey form].")(fn)
    return fn


def report_options(fn):
    """Options that ``report`` takes from this module."""
    fn = _grid_options(fn)
    fn = click.option("--lang", type=LANG, default="en", show_default=True,
                      help="Language of report.docx (headings, tables, findings where translated).")(fn)
    fn = click.option("--docx", is_flag=True, help="Also write report.docx (Word; needs python-docx).")(fn)
    return fn



from .cli import handle_errors, input_options, load_input, main, survey_options  # noqa: E402

__all__ = ["report_options", "finish_report", "survey_form_command", "stakeholder_grid_command",
           "profiles_command"]

def _grid(net, node_metrics, influence_column, interest_column, *, required: bool):
    """The grid when both axes are known (given, or the survey form's columns), else None."""
    from .stakeholder_grid import stakeholder_grid

    inf, itr = influence_column or "influence", interest_column or "interest"
    present = inf in net.nodes.columns and itr in net.nodes.columns
    if not present and not (required or influence_column or interest_column):
        return None
    return stakeholder_grid(net, influence=inf, interest=itr, node_metrics=node_metrics)


def finish_report(rep, own: dict) -> None:
    """After ``report`` wrote its folder: the stakeholder grid (when known) and ``report.docx``."""
    from .export import atomic_write_bytes, write_csv
    from .stakeholder_grid import grid_figure

    res = rep.analysis
    grid = _grid(res.network, res.node_metrics, own.get("influence_column"), own.get("interest_column"),
                 required=False)
    png = None
    if grid is not None:
        write_csv(rep.path / "tables" / "stakeholder_grid.csv", grid)
        fig = grid_figure(grid, fmt="png", dpi=200, lang=own.get("lang", "en"))
        png = fig if isinstance(fig, bytes) else fig.encode("utf-8")
        atomic_write_bytes(rep.path / "figures" / "stakeholder_grid.png", png)
        click.echo(f"wrote {rep.path / 'tables' / 'stakeholder_grid.csv'} and figures/stakeholder_grid.png")
    if own.get("docx"):
        from .docx_report import write_docx_report

        path = write_docx_report(rep, lang=own.get("lang", "en"), title=own.get("title"), grid=grid,
                                 grid_figure=png, anonymize=own.get("anonymize", False))
        click.echo(f"wrote {path}")


@main.command("survey-form")
@click.option("--nodes", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Roster: id, name (Russian), name_kk, name_en (CSV, TSV or XLSX).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The XLSForm to write (.xlsx); form.toml is written next to it.")
@click.option("--lang", type=click.Choice(["ru", "en", "kk"]), default="ru", show_default=True,
              help="Default language of the form (Russian, Kazakh and English labels are always in it).")
@click.option("--relations", default="information,joint_project,resources,agreement,advice", show_default=True,
              help="Comma-separated relation types to ask about (other text becomes its own label).")
@click.option("--form-id", default="partnership_survey", show_default=True, help="XLSForm form_id.")
@click.option("--title", default=None, help="Form title [default: 'Partnership survey' in --lang].")
@click.option("--id-column", default="id", show_default=True, help="Roster: id column.")
@click.option("--name-column", default=None, help="Roster: name column [default: name].")
@click.option("--encoding", default=None, help="Override encoding detection (e.g. cp1251).")
@handle_errors
def survey_form_command(nodes, out, lang, relations, form_id, title, id_column, name_column, encoding):
    """Write a partnership survey form (XLSForm for KoboToolbox / ODK) from the roster, and form.toml
    that maps its answers back (read them with --survey-format kobo|odk --form FORM.xlsx)."""
    from .forms import survey_form, write_survey_form

    form = survey_form(nodes, relations=[r for r in relations.split(",") if r.strip()], lang=lang,
                       form_id=form_id, title=title, id_column=id_column, name_column=name_column,
                       encoding=encoding)
    files = write_survey_form(form, out)
    n = len(form.mapping["choices"]["org"])
    click.echo(f"wrote {files[0]} ({n} organisations, {len(form.mapping['relations'])} relation types) and {files[1]}")


@main.command("stakeholder-grid")
@input_options
@survey_options
@_grid_options
@click.option("--split", default="median", show_default=True,
              help="Where 'high' starts on both axes: median, or a number (strictly above).")
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the figure.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder.")
@handle_errors
def stakeholder_grid_command(influence_column, interest_column, split, lang, out, **kw):
    """Influence × interest quadrants crossed with network position: stakeholder_grid.csv and
    stakeholder_grid.png/.svg (engagement priorities, hidden brokers)."""
    from .errors import OptionError
    from .export import atomic_write_bytes, write_csv, write_text
    from .stakeholder_grid import grid_figure, stakeholder_grid

    try:
        split_v = split if split == "median" else float(split)
    except ValueError:
        raise OptionError(f"--split must be 'median' or a number, not '{split}'") from None
    net = load_input(kw)
    grid = stakeholder_grid(net, influence=influence_column or "influence", interest=interest_column or "interest",
                            split=split_v)
    write_csv(out / "stakeholder_grid.csv", grid)
    png, svg = grid_figure(grid, fmt="png", lang=lang), grid_figure(grid, fmt="svg", lang=lang)
    atomic_write_bytes(out / "stakeholder_grid.png", png if isinstance(png, bytes) else png.encode("utf-8"))
    write_text(out / "stakeholder_grid.svg", svg if isinstance(svg, str) else svg.decode("utf-8"))
    counts = grid["group"].value_counts()
    click.echo("groups: " + ", ".join(f"{g} {int(counts[g])}" for g in counts.index))
    click.echo(f"wrote {out / 'stakeholder_grid.csv'} and stakeholder_grid.png/.svg")


@main.command("profiles")
@input_options
@survey_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for index.html and one page per organisation.")
@click.option("--lang", type=LANG, default="en", show_default=True, help="Language of the pages.")
@click.option("--anonymize", is_flag=True,
              help="Keyed pseudonyms instead of ids and names (key: $NETANALYSIS_PSEUDONYM_KEY).")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed for every random step.")
@click.option("--permutations", type=click.IntRange(0), default=0, show_default=True,
              help="Label permutations for the brokerage test (0: roles only).")
@handle_errors
def profiles_command(out, lang, anonymize, seed, permutations, **kw):
    """One offline page per organisation (partners by sector and relation, its measures against the
    network, brokerage roles, recommended partners and who could introduce them) and an index page."""
    from .profiles import write_profiles

    net = load_input(kw)
    files = write_profiles(net, out, lang=lang, anonymize=anonymize, seed=seed, permutations=permutations)
    click.echo(f"wrote {out / 'index.html'} and {len(files) - 1} profile pages")
