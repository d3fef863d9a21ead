# Oracle for tests/test_models_ergm.py: dyad-independent ERGMs written out by hand as R glm logistic
# regressions over dyads (the ergm package is not needed: for these terms its MLE is this glm).
# Terms follow ergm's definitions: nodematch = same value; nodefactor(attr) = number of ends with each
# level but the first (levels sorted); absdiff = |x_i - x_j|; nodeicov = x of the receiver; edgecov =
# the covariate matrix. Directed: all ordered pairs i != j; undirected: pairs i > j.
#   Rscript tests/data/models/make_ergm_oracle.R tests/data/models
args <- commandArgs(trailingOnly = TRUE)
dst <- if (length(args) >= 1) args[1] else "tests/data/models"
src <- file.path(dst, "networks")
law <- read.csv(file.path(src, "law_nodes.csv")); n <- nrow(law)
adj <- function(name) {
  e <- read.csv(file.path(src, paste0(name, "_edges.csv"))); g <- matrix(0, n, n)
  g[cbind(e$from, e$to)] <- 1; diag(g) <- 0; g
}
advice <- adj("law_advice"); cowork <- adj("law_cowork")
sel_d <- row(advice) != col(advice)
out <- list()
fit <- function(case, y, X, sel) {
  d <- data.frame(lapply(X, function(m) m[sel])); d$y <- y[sel]
  g <- glm(y ~ . - 1, data = d, family = binomial(), control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(g)$coefficients
  data.frame(case = case, term = names(X), coefficient = sprintf("%.17g", s[, 1]),
             std_error = sprintf("%.17g", s[, 2]), loglik = sprintf("%.17g", as.numeric(logLik(g))),
             aic = sprintf("%.17g", AIC(g)), bic = sprintf("%.17g", BIC(g)),
             r_version = paste(R.version$major, R.version$minor, sep = "."))
}
one <- matrix(1, n, n)
X <- list(edges = one, nodematch.office = outer(law$office, law$office, "==") * 1,
          nodefactor.gender.2 = outer(law$gender == 2, law$gender == 2, "+"),
          absdiff.seniority = abs(outer(law$seniority, law$seniority, "-")),
          nodeicov.age = matrix(law$age, n, n, byrow = TRUE),
          nodeocov.age = matrix(law$age, n, n),
          edgecov.cowork = cowork)
out[[1]] <- fit("law_directed", advice, X, sel_d)
cw <- pmax(cowork, t(cowork))
sel_u <- row(cw) > col(cw)
X <- list(edges = one, nodematch.practice = outer(law$practice, law$practice, "==") * 1,
          nodefactor.office.2 = outer(law$office == 2, law$office == 2, "+"),
          nodefactor.office.3 = outer(law$office == 3, law$office == 3, "+"),
          nodecov.seniority = outer(law$seniority, law$seniority, "+"),
          absdiff.age = abs(outer(law$age, law$age, "-")))
out[[2]] <- fit("law_undirected", cw, X, sel_u)
write.csv(do.call(rbind, out), file.path(dst, "ergm_oracle.csv"), row.names = FALSE)
