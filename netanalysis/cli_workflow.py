"""Commands of the evaluator's workflow: ``survey-form``, ``stakeholder-grid``, ``profiles``, and the
``report`` options ``--docx``, ``--lang``, ``--influence-column``, ``--interest-column``.

Registered on :data:`netanalysis.cli.main` when :mod:`netanalysis.cli` is imported.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

# Defined before importing .cli: cli.py applies report_options while it is being imported.
LANG = click.Choice(["en", "ru"])


def _grid_options(fn):
    fn = click.option("--interest-column", default=None,
                      help="Node column for the stakeholder grid's interest axis [default: interest, if present "
                           "— the self-reported interest of a survey form].")(fn)
    fn = click.option("--influence-column", default=None,
                      help="Node column for the stakeholder grid's influence axis [default: influence, if "
                           "present — the influence attributed by partners in a survey form]. report: the grid "
                           "(tables/stakeholder_grid.csv, figures/stakeholder_grid.png) is made when both "
                           "columns exist, with --anonymize too (pseudonyms).")(fn)
    return fn


def report_options(fn):
    """Options that ``report`` takes from this module."""
    fn = _grid_options(fn)
    fn = click.option("--lang", type=LANG, default="en", show_default=True,
                      help="Language of report.docx and of the stakeholder-grid figure (headings, tables, "
                           "findings).")(fn)
    fn = click.option("--docx", is_flag=True,
                      help="Also write report.docx (Word; needs python-docx), listed in manifest.json.")(fn)
    return fn


from .cli import handle_errors, input_options, load_input, main, survey_options  # noqa: E402

__all__ = ["report_options", "finish_report", "survey_form_command", "stakeholder_grid_command",
           "profiles_command"]


def finish_report(rep, own: dict) -> None:
    """After ``report`` wrote its folder (with the grid and ``report.docx`` in it): say what they hold."""
    names = {p.relative_to(rep.path).as_posix() for p in rep.files}
    if "tables/stakeholder_grid.csv" in names:
        grid = pd.read_csv(rep.path / "tables" / "stakeholder_grid.csv", encoding="utf-8-sig", usecols=["group"])
        click.echo("stakeholder grid: " + _groups_line(grid["group"]))
    elif own.get("docx"):
        click.echo("stakeholder grid: not drawn (no influence and interest columns; see --influence-column, "
                   "--interest-column)")
    if "report.docx" in names:
        click.echo(f"wrote {rep.path / 'report.docx'} ({own.get('lang', 'en')})")


def _groups_line(groups) -> str:
    from .stakeholder_grid import group_counts

    return ", ".join(f"{g} {n}" for g, n in group_counts(groups).items())


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
@click.option("--force", is_flag=True, help="Replace --out even if it is not a previous netanalysis output folder.")
@handle_errors
def stakeholder_grid_command(influence_column, interest_column, split, lang, out, force, **kw):
    """Influence × interest quadrants crossed with network position: stakeholder_grid.csv and
    stakeholder_grid.png/.svg (engagement priorities: influential but peripheral; hidden brokers: brokers
    with little influence). --out follows the output-folder rule of every command."""
    from .errors import OptionError
    from .outdir import output_folder
    from .outputs import write_outputs
    from .stakeholder_grid import grid_columns, grid_result

    try:
        split_v = split if split == "median" else float(split)
    except ValueError:
        raise OptionError(f"--split must be 'median' or a number, not '{split}'") from None
    net = load_input(kw)
    inf, itr = grid_columns(net, influence_column, interest_column, required=True) or ("influence", "interest")
    with output_folder(out, command="stakeholder-grid", force=force) as folder:
        grid = grid_result(net, influence=inf, interest=itr, split=split_v, lang=lang, formats=("png", "svg"))
        write_outputs(grid, folder, command="stakeholder-grid")
    click.echo("groups: " + _groups_line(grid.table["group"]))
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
@click.option("--force", is_flag=True, help="Replace --out even if it is not a previous netanalysis output folder.")
@handle_errors
def profiles_command(out, lang, anonymize, seed, force, **kw):
    """One offline page per organisation (partners by sector and relation, its measures against the
    network, brokerage roles, recommended partners and who could introduce them) and an index page;
    --out follows the output-folder rule of every command."""
    from .outdir import output_folder
    from .outputs import write_outputs
    from .profiles import profile_pages

    net = load_input(kw)
    with output_folder(out, command="profiles", force=force) as folder:
        res = profile_pages(net, lang=lang, anonymize=anonymize, seed=seed)
        write_outputs(res, folder, command="profiles")
    click.echo(f"wrote {out / 'index.html'} and {len(res.pages) - 1} profile pages")
