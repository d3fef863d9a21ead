"""Column meanings of the model outputs (``netanalysis model``, ``qap``, ``cug``, ``core-periphery`` and the
report's Models section). :mod:`netanalysis.columns` merges :data:`MODEL_TABLES` into its registry."""

from __future__ import annotations

__all__ = ["MODEL_TABLES", "MODEL_TERMS", "MODEL_BLOCKS", "MODEL_FIT", "QAP_REGRESSION", "QAP_CORRELATIONS",
           "QAP_FIT", "CUG", "CORE_PERIPHERY_NODES", "CORE_PERIPHERY_SECTORS", "CORE_PERIPHERY"]

_P_SHARES = ("Share of the {what} whose {stat} is {rel} the observed one (R sna's convention: no +1 "
             "correction; 0 means none of them).")

MODEL_TERMS = {
    "term": "Coefficient name as R ergm names it: edges, nodematch.ATTR[.LEVEL], mix.ATTR.A.B (A = sender when "
            "directed), nodefactor.ATTR.LEVEL, nodecov.ATTR, absdiff.ATTR, edgecov.NAME …",
    "formula_term": "The formula term the coefficient comes from.",
    "coefficient": "Maximum-likelihood estimate (log-odds of a tie), from the exact logistic regression over "
                   "dyads. ±inf when the term's dyads have no ties (or only ties); such terms leave the fit.",
    "std_error": "Standard error from the inverse Fisher information (statsmodels GLM, binomial).",
    "z": "coefficient / std_error (Wald).",
    "p_value": "Two-sided Wald p-value, 2·(1 − Φ(|z|)), as ergm's summary.",
    "odds_ratio": "exp(coefficient): how many times larger the odds of a tie are per unit of the term "
                  "(for nodemix: compared with the base sector pair).",
    "or_low": "Lower end of the 95 % interval of the odds ratio, exp(coefficient − 1.96·SE).",
    "or_high": "Upper end of the 95 % interval of the odds ratio.",
}
MODEL_BLOCKS = {
    "attribute": "The nodemix attribute (e.g. sector).",
    "level_a": "First level (the sender when directed).",
    "level_b": "Second level (the receiver when directed; undirected pairs are listed once, a ≤ b).",
    "ties": "Ties (arcs when directed) between the two levels.",
    "dyads": "Possible ties between them (self-pairs excluded).",
    "density": "ties / dyads (empty when there is no dyad).",
    "fitted": "Mean tie probability the model gives these dyads (equals density in the saturated model).",
}
MODEL_FIT = {
    "formula": "The formula as given.",
    "relation": "Tie type modelled (all = every tie).",
    "directed": "Whether dyads are ordered pairs.",
    "dyads": "Pairs of organisations in the regression: n(n−1) directed, n(n−1)/2 undirected.",
    "ties": "Ties among them (the ones of the response).",
    "loglik": "Log-likelihood at the estimate.",
    "deviance": "−2 · loglik.",
    "null_deviance": "Deviance of the model with a constant only.",
    "aic": "−2·loglik + 2·df.",
    "bic": "−2·loglik + df·log(dyads) (as ergm).",
    "df": "Estimated (finite) coefficients.",
    "converged": "Whether the IRLS fit converged.",
    "infinite_terms": "Terms with ±inf coefficients (no ties, or only ties, among their dyads).",
}
QAP_REGRESSION = {
    "term": "(intercept), then one row per dyad matrix of the formula (edgecov.NAME, nodematch.ATTR, …).",
    "coefficient": "Least-squares (linear, = sna netlm) or maximum-likelihood logistic (= sna netlogit) "
                   "coefficient over dyads (directed: ordered pairs; undirected: each pair once; no self-pairs).",
    "std_error": "Classical standard error (only for the statistic; significance comes from the QAP p-values).",
    "statistic": "t-value (linear) or z-value (logistic): the test statistic permuted, as sna's default.",
    "p_le": _P_SHARES.format(what="permutations", stat="statistic", rel="at most"),
    "p_ge": _P_SHARES.format(what="permutations", stat="statistic", rel="at least"),
    "p_abs": "Two-sided QAP p-value: share of permutations with |statistic| ≥ |observed| (sna's Pr(>=|b|)).",
    "odds_ratio": "Logistic only: exp(coefficient).",
}
QAP_CORRELATIONS = {
    "network_a": "The response (a relation, or 'ties' for all ties).",
    "network_b": "The other dyad matrix (a term of the formula or another tie type).",
    "correlation": "Pearson correlation of the two matrices' dyad values (sna gcor; diagonal excluded).",
    "p_ge": _P_SHARES.format(what="QAP relabellings", stat="correlation", rel="at least"),
    "p_le": _P_SHARES.format(what="QAP relabellings", stat="correlation", rel="at most"),
    "p_abs": "Share of relabellings with |correlation| ≥ |observed| (two-sided).",
    "dyads": "Number of dyad values correlated.",
    "permutations": "QAP relabellings drawn.",
    "seed": "Seed of the relabellings.",
}
QAP_FIT = {
    "formula": "The predictors as given.", "relation": "Response tie type (all = every tie).",
    "family": "linear (netlm) or logistic (netlogit).",
    "null": "dsp (double semi-partialling, sna nullhyp 'qap') or y (permuting the response, 'qapy'); y is used "
            "whenever there is only one term, as sna does.",
    "permutations": "QAP permutations.", "seed": "Their seed.", "directed": "Ordered pairs or not.",
    "n_dyads": "Dyads in the regression.", "rank": "Coefficients (intercept included).",
    "df_residual": "n_dyads − rank.", "r_squared": "Linear: 1 − RSS/TSS.",
    "adj_r_squared": "Linear: adjusted R².", "residual_se": "Linear: √(RSS/df_residual).",
    "deviance": "Logistic: residual deviance.", "null_deviance": "Logistic: deviance of the constant model.",
    "aic": "Logistic: deviance + 2·rank.", "bic": "Logistic: deviance + rank·log(n_dyads) (as netlogit).",
    "converged": "Logistic: whether the fit converged.",
    "permutations_failed": "Logistic: permutations whose refit gave no finite statistic (left out of the shares).",
}
CUG = {
    "statistic": "density, reciprocity, transitivity (sna gtrans 'weak'), centralization (Freeman degree, as sna "
                 "centralization(g, degree)), ei (E-I index of the groups), assortativity (nominal, of the groups).",
    "observed": "Value on the network (ties present/absent; weights ignored).",
    "null": "Random graphs: edges (same number of ties), size (each tie with probability ½) or dyad_census "
            "(same mutual/asymmetric/null dyad counts); as sna cug.test cmode.",
    "replicates": "Random graphs drawn.",
    "null_mean": "Mean of the statistic over the random graphs.",
    "null_sd": "Its standard deviation (0: fixed by the null, e.g. density under edges).",
    "p_le": _P_SHARES.format(what="random graphs", stat="statistic", rel="at most"),
    "p_ge": _P_SHARES.format(what="random graphs", stat="statistic", rel="at least"),
    "seed": "Seed of the random graphs.",
}
CORE_PERIPHERY_NODES = {
    "id": "Organisation id.", "name": "Organisation name.", "sector": "Sector (or the --groups attribute).",
    "coreness": "Continuous coreness c (Σc² = 1): c maximises the correlation of the ties with c_i·c_j.",
    "core": "In the core of the best discrete partition.",
}
CORE_PERIPHERY_SECTORS = {
    "sector": "Sector.", "organisations": "Organisations of the sector.",
    "in_core": "Of them in the core.", "share_in_core": "in_core / organisations.",
    "share_of_core": "in_core / core size.", "mean_coreness": "Mean continuous coreness of the sector.",
}
CORE_PERIPHERY = {
    "fit": "Correlation of the ties with the ideal pattern of the best partition (core–core 1, "
           "periphery–periphery 0, core–periphery left out or 1 per --between).",
    "continuous_fit": "Correlation of the ties with c_i·c_j.",
    "p_value": "(b + 1)/(R + 1), b = random graphs with as many ties whose best fit is at least as high.",
    "replicates": "R.", "seed": "Seed of the search and the random graphs.", "between": "missing or ones.",
    "core_size": "Organisations in the core.", "organisations": "All organisations.",
    "directed": "Ordered pairs or not.",
}

MODEL_TABLES = {
    "model_terms.csv": MODEL_TERMS, "model_blocks.csv": MODEL_BLOCKS, "model_fit.json": MODEL_FIT,
    "qap_regression.csv": QAP_REGRESSION, "qap_correlations.csv": QAP_CORRELATIONS, "qap_fit.json": QAP_FIT,
    "cug.csv": CUG, "core_periphery_nodes.csv": CORE_PERIPHERY_NODES,
    "core_periphery_sectors.csv": CORE_PERIPHERY_SECTORS, "core_periphery.json": CORE_PERIPHERY,
}
