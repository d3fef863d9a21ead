"""Command-line commands of the models (``netanalysis model``, ``qap``, ``cug``, ``core-periphery``).

Registered on the main group by :func:`register` (one line in :mod:`netanalysis.cli`). Each command
reads the network like every other command, makes one library call from :mod:`netanalysis.models`,
writes its tables into ``--out`` and prints a short summary.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli import handle_errors, input_options, participation_options, survey_options
from .outdir import check_output_folder

__all__ = ["register"]


def _write(result, out: Path, command: str, force: bool) -> None:
    """Write a model command's files under the one output-folder rule (netanalysis.outdir)."""
    from .outdir import output_folder
    from .outputs import write_outputs

    with output_folder(out, command=command, force=force) as folder:
        write_outputs(result, folder, command=command)


def _model_options(fn):
    opts = [
        click.option("--relation", default=None,
                     help="Model only the ties of this type (a value of the type column); the other types "
                          "stay available as edgecov(TYPE) [default: all ties]."),
        click.option("--dyad-covariate", "dyad_covariates", multiple=True, metavar="NAME=FILE",
                     help="A table of organisation pairs (source,target[,value]) usable as edgecov(NAME); "
                          "a bare FILE is named after the file. Repeatable. Unlisted pairs are 0; the pair "
                          "columns are named as in --ties (--source-column, --target-column)."),
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
                     help="Output folder: new, empty or a previous netanalysis output (else --force)."),
        click.option("--force", is_flag=True,
                     help="Write into --out even if it holds other files (they are kept)."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _covariates(net, items, kw: dict) -> dict:
    from .errors import OptionError
    from .models.covariates import parse_covariate_option, read_dyad_covariate

    out = {}
    for text in items:
        name, path = parse_covariate_option(text)
        if name in out:
            raise OptionError(f"--dyad-covariate: the name '{name}' is given twice")
        out[name] = read_dyad_covariate(path, net, source_column=kw.get("source_column") or "source",
                                        target_column=kw.get("target_column") or "target", encoding=kw.get("encoding"))
    return out


def _fmt(x: float, nd: int = 3) -> str:
    return "n/a" if x != x else (f"{x:.{nd}g}" if abs(x) < 1e-3 or abs(x) >= 1e4 else f"{x:.{nd}f}")


def register(main: click.Group, *, load) -> None:
    """Add the model commands to ``main``; ``load(kw)`` reads the network from the input options."""
    for add in (_register_model, _register_qap, _register_cug, _register_core_periphery):
        add(main, load)


def _register_model(main: click.Group, load) -> None:
    @main.command("model")
    @input_options
    @participation_options
    @survey_options
    @_model_options
    @click.option("--formula", required=True,
                  help='ERGM terms, e.g. "edges + nodemix(sector) + absdiff(age) + edgecov(info)". Terms: edges, '
                       "nodematch, nodemix, nodefactor, nodeofactor, nodeifactor, nodecov, nodeocov, nodeicov, "
                       "absdiff, edgecov (dyad-dependent terms such as mutual or gwesp are not provided).")
    @handle_errors
    def model(formula, relation, dyad_covariates, out, force, **kw):
        """Dyad-independent ERGM fitted exactly as logistic regression over dyads: writes model_terms.csv,
        model_blocks.csv (nodemix terms) and model_fit.json into --out."""
        from .models.ergm import fit_ergm

        check_output_folder(out, force=force)          # fail before the analysis, not after
        net = load(kw)
        res = fit_ergm(net, formula, relation=relation, covariates=_covariates(net, dyad_covariates, kw))
        _write(res, out, "model", force)
        f = res.fit
        click.echo(f"ERGM on {f['dyads']} dyads ({f['ties']} ties): log-likelihood {f['loglik']:.3f}, "
                   f"AIC {f['aic']:.2f}, BIC {f['bic']:.2f}")
        for r in res.terms.itertuples():
            click.echo(f"  {r.term:<32} {_fmt(r.coefficient):>9} (SE {_fmt(r.std_error)}, p {_fmt(r.p_value)}, "
                       f"odds ratio {_fmt(r.odds_ratio)})")
        click.echo(f"wrote {out}")


def _register_qap(main: click.Group, load) -> None:
    @main.command("qap")
    @input_options
    @participation_options
    @survey_options
    @_model_options
    @click.option("--formula", required=True,
                  help='Predictors as formula terms, e.g. "edgecov(funding) + nodematch(sector) + absdiff(age)"; '
                       "the intercept is always included.")
    @click.option("--family", type=click.Choice(["linear", "logistic"]), default="linear", show_default=True,
                  help="netlm (least squares) or netlogit (logistic regression on 0/1 ties).")
    @click.option("--null", "null", type=click.Choice(["dsp", "y"]), default="dsp", show_default=True,
                  help="Double semi-partialling (Dekker, Krackhardt & Snijders) or permutation of the response.")
    @click.option("--weighted", is_flag=True, help="Linear model of tie weights instead of 0/1 ties.")
    @click.option("--permutations", type=click.IntRange(0), default=2000, show_default=True,
                  help="QAP permutations.")
    @click.option("--seed", type=int, default=42, show_default=True, help="Seed of the permutations.")
    @handle_errors
    def qap(formula, relation, dyad_covariates, out, force, family, null, weighted, permutations, seed, **kw):
        """MRQAP regression (as R sna netlm/netlogit) and QAP correlations of the ties with each predictor
        (as gcor + qaptest): writes qap_regression.csv, qap_correlations.csv and qap_fit.json into --out."""
        from .models.qap import qap_analysis

        check_output_folder(out, force=force)          # fail before the analysis, not after
        net = load(kw)
        run = qap_analysis(net, formula, relation=relation, family=family, null=null, weighted=weighted,
                           permutations=permutations, seed=seed, covariates=_covariates(net, dyad_covariates, kw))
        _write(run, out, "qap", force)
        res = run.regression
        stat = "t" if family == "linear" else "z"
        click.echo(f"MRQAP ({family}, {'double semi-partialling' if res.null == 'dsp' else 'y-permutation'}, "
                   f"{permutations} permutations, seed {seed}) on {res.fit['n_dyads']} dyads"
                   + (f": R² {res.fit['r_squared']:.3f}" if family == "linear" else f": AIC {res.fit['aic']:.2f}"))
        for r in res.coefficients.itertuples():
            click.echo(f"  {r.term:<32} {_fmt(r.coefficient):>9} ({stat} {_fmt(r.statistic)}, "
                       f"QAP p two-sided {_fmt(r.p_abs)})")
        click.echo(f"wrote {out}")


def _register_cug(main: click.Group, load) -> None:
    @main.command("cug")
    @input_options
    @participation_options
    @survey_options
    @_model_options
    @click.option("--statistics", default="density,transitivity,centralization,ei,assortativity", show_default=True,
                  help="Comma-separated: density, transitivity, centralization, ei, assortativity.")
    @click.option("--null", "null", type=click.Choice(["edges", "size", "dyad_census"]), default="edges",
                  show_default=True, help="Random graphs with the same number of ties, the same size only "
                                          "(tie probability ½), or the same dyad census (as sna cug.test cmode).")
    @click.option("--groups", default="sector", show_default=True,
                  help="Node column whose values are the groups of ei and assortativity.")
    @click.option("--replicates", type=click.IntRange(1), default=1000, show_default=True, help="Random graphs.")
    @click.option("--seed", type=int, default=42, show_default=True, help="Seed of the random graphs.")
    @handle_errors
    def cug(relation, dyad_covariates, out, force, statistics, null, groups, replicates, seed, **kw):
        """Conditional uniform graph tests (as R sna cug.test): writes cug.csv into --out."""
        from .models.cug import cug_test

        check_output_folder(out, force=force)          # fail before the analysis, not after
        net = load(kw)
        if relation:
            net = net.view(relation=relation)
        res = cug_test(net, statistics=[s.strip() for s in statistics.split(",") if s.strip()], null=null,
                       replicates=replicates, seed=seed, groups=groups)
        _write(res, out, "cug", force)
        click.echo(f"CUG tests against {replicates} random graphs ({null}), seed {seed}:")
        for r in res.table.itertuples():
            click.echo(f"  {r.statistic:<15} observed {_fmt(r.observed)}, random {_fmt(r.null_mean)} ± {_fmt(r.null_sd)}; "
                       f"P(X ≤ obs) {_fmt(r.p_le)}, P(X ≥ obs) {_fmt(r.p_ge)}")
        click.echo(f"wrote {out}")


def _register_core_periphery(main: click.Group, load) -> None:
    @main.command("core-periphery")
    @input_options
    @participation_options
    @survey_options
    @_model_options
    @click.option("--between", type=click.Choice(["missing", "ones"]), default="missing", show_default=True,
                  help="Ideal pattern for core–periphery pairs: left out, or expected ties.")
    @click.option("--replicates", type=click.IntRange(0), default=200, show_default=True,
                  help="Random graphs with as many ties for the p-value of the fit (0 = no test).")
    @click.option("--seed", type=int, default=42, show_default=True, help="Seed of the search and the test.")
    @handle_errors
    def core_periphery_cmd(relation, dyad_covariates, out, force, between, replicates, seed, **kw):
        """Borgatti–Everett core–periphery: writes core_periphery_nodes.csv, core_periphery_sectors.csv and
        core_periphery.json into --out."""
        from .models.core_periphery import core_periphery

        check_output_folder(out, force=force)          # fail before the analysis, not after
        net = load(kw)
        if relation:
            net = net.view(relation=relation)
        res = core_periphery(net, between=between, replicates=replicates, seed=seed)
        _write(res, out, "core-periphery", force)
        click.echo(f"core: {int(res.nodes['core'].sum())} of {net.n_nodes} organisations; fit {res.fit:.3f} "
                   f"(p {_fmt(res.p_value)} against {replicates} random graphs with as many ties); "
                   f"continuous fit {res.continuous_fit:.3f}")
        for r in res.sectors.itertuples():
            click.echo(f"  {r.sector:<15} {r.in_core} of {r.organisations} in the core ({r.share_in_core:.0%})")
        click.echo(f"wrote {out}")
