# Oracle values for tests/test_models_*.py, computed with R sna (netlm, netlogit, gcor, qaptest,
# cug.test). R is NOT needed to run the tests: they read the CSV files written here.
#
# Provenance: run from the repository root with
#   Rscript tests/data/models/make_oracle.R tests/data/models [PART]
# PART (default all) computes one piece into its own file, so pieces can run in parallel:
# "mrqap:CASE,CASE[:FAMILY[:NULL[:REPS]]]" → mrqap_oracle_<...>.csv, "gcor" → gcor_oracle.csv,
# "cug" → cug_oracle.csv. The tests read every mrqap_oracle*.csv and use its reps column.
# (R 4.2.2, sna 2.7-1 from the Debian package r-cran-sna; versions are written into every CSV).
# Networks (tests/data/models/networks/, copied from ../shared/datasets/classic-sna, from
# schochastics/networkdata, MIT): Lazega's law firm (71 lawyers: advice, cowork, friends; office,
# seniority) and Krackhardt's high-tech managers (21: advice, friends, reports; dept, age).
# Vertex order = the nodes file's id order 1..n (the order netanalysis uses).
suppressMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
dst <- if (length(args) >= 1) args[1] else "tests/data/models"
part <- if (length(args) >= 2) args[2] else "all"
src <- file.path(dst, "networks")
set.seed(20261130)
REPS <- 2000
ver <- list(sna_version = as.character(packageVersion("sna")),
            r_version = paste(R.version$major, R.version$minor, sep = "."))

adj <- function(name, n) {
  e <- read.csv(file.path(src, paste0(name, "_edges.csv")))
  g <- matrix(0, n, n)
  g[cbind(e$from, e$to)] <- 1
  diag(g) <- 0
  g
}
same <- function(v) outer(v, v, "==") * 1
absdiff <- function(v) abs(outer(v, v, "-"))
sym <- function(g) pmax(g, t(g))

# A random network whose tests are not all extreme (p-values between 0 and 1), written to networks/.
nr <- 30
rnd <- data.frame(id = 1:nr, group = sample(c("a", "b", "c"), nr, replace = TRUE),
                  size = round(runif(nr, 0, 10), 1))
ry <- rgraph(nr, tprob = 0.12)
rx1 <- ry * (runif(nr * nr) < 0.3) + rgraph(nr, tprob = 0.1); rx1[rx1 > 1] <- 1; diag(rx1) <- 0
rx2 <- rgraph(nr, tprob = 0.15)
if (part == "all") {
  for (nm in c("rand_y", "rand_x1", "rand_x2")) {
    g <- get(sub("rand_", "r", nm))
    w <- which(g == 1, arr.ind = TRUE)
    write.csv(data.frame(from = w[, 1], to = w[, 2]), file.path(src, paste0(nm, "_edges.csv")), row.names = FALSE)
  }
  write.csv(rnd, file.path(src, "rand_nodes.csv"), row.names = FALSE)
}

law <- read.csv(file.path(src, "law_nodes.csv")); nl <- nrow(law)
ht <- read.csv(file.path(src, "ht_nodes.csv")); nh <- nrow(ht)
cases <- list(
  rand_directed = list(y = ry, mode = "digraph",
                       x = list(x1 = rx1, x2 = rx2, same_group = same(rnd$group), absdiff_size = absdiff(rnd$size))),
  rand_undirected = list(y = sym(ry), mode = "graph",
                         x = list(x1 = sym(rx1), same_group = same(rnd$group), absdiff_size = absdiff(rnd$size))),
  law_directed = list(y = adj("law_advice", nl), mode = "digraph",
                      x = list(cowork = adj("law_cowork", nl), friends = adj("law_friends", nl),
                               same_office = same(law$office), absdiff_seniority = absdiff(law$seniority))),
  ht_directed = list(y = adj("ht_advice", nh), mode = "digraph",
                     x = list(friends = adj("ht_friends", nh), reports = adj("ht_reports", nh),
                              same_dept = same(ht$dept), absdiff_age = absdiff(ht$age))),
  law_undirected = list(y = sym(adj("law_cowork", nl)), mode = "graph",
                        x = list(friends = sym(adj("law_friends", nl)), same_office = same(law$office),
                                 absdiff_age = absdiff(law$age)))
)

pp <- strsplit(part, ":")[[1]]
mrqap_cases <- if (part == "all") names(cases) else if (pp[1] == "mrqap") strsplit(pp[2], ",")[[1]] else character(0)
families <- if (length(pp) >= 3 && pp[3] != "all") pp[3] else c("linear", "logistic")
nulls <- if (length(pp) >= 4 && pp[4] != "all") pp[4] else c("qap", "qapy")
if (length(pp) >= 5) REPS <- as.integer(pp[5])
rows <- list()
for (cn in mrqap_cases) {
  cs <- cases[[cn]]
  xs <- array(0, dim = c(length(cs$x), nrow(cs$y), nrow(cs$y)))
  for (k in seq_along(cs$x)) xs[k, , ] <- cs$x[[k]]
  for (fam in families) for (nh0 in nulls) {
    f <- if (fam == "linear") netlm else netlogit
    r <- f(cs$y, xs, mode = cs$mode, nullhyp = nh0, reps = REPS)
    se <- if (fam == "linear") r$coefficients / r$tstat else r$se
    rows[[length(rows) + 1]] <- data.frame(
      case = cn, family = fam, null = ifelse(nh0 == "qap", "dsp", "y"), mode = cs$mode,
      term = c("(intercept)", names(cs$x)), coefficient = sprintf("%.17g", r$coefficients),
      std_error = sprintf("%.17g", se), statistic = sprintf("%.17g", r$tstat),
      p_le = r$pleeq, p_ge = r$pgreq, p_abs = r$pgreqabs, reps = REPS,
      aic = if (fam == "logistic") sprintf("%.17g", r$aic) else NA,
      deviance = if (fam == "logistic") sprintf("%.17g", r$deviance) else NA, ver)
  }
}
if (length(rows)) write.csv(do.call(rbind, rows), file.path(dst, if (part == "all") "mrqap_oracle.csv" else
  paste0("mrqap_oracle_", gsub("[^A-Za-z0-9_]+", "_", sub("^mrqap:", "", part)), ".csv")), row.names = FALSE)

rows <- list()
for (cn in if (part %in% c("all", "gcor")) names(cases) else character(0)) {
  cs <- cases[[cn]]
  for (xn in names(cs$x)) {
    q <- qaptest(list(cs$y, cs$x[[xn]]), gcor, g1 = 1, g2 = 2, mode = cs$mode, reps = REPS)
    rows[[length(rows) + 1]] <- data.frame(case = cn, mode = cs$mode, x = xn,
      correlation = sprintf("%.17g", gcor(cs$y, cs$x[[xn]], mode = cs$mode)),
      p_ge = q$pgreq, p_le = q$pleeq, reps = REPS, ver)
  }
}
if (length(rows)) write.csv(do.call(rbind, rows), file.path(dst, "gcor_oracle.csv"), row.names = FALSE)

rows <- list()
degcent <- function(g, mode = "digraph", diag = FALSE) centralization(g, degree, mode = mode, diag = diag)
stats <- list(density = gden, transitivity = gtrans, centralization = degcent)
for (cn in if (part %in% c("all", "cug")) names(cases) else character(0)) {
  cs <- cases[[cn]]
  for (sn in names(stats)) for (cm in c("size", "edges", "dyad.census")) {
    r <- cug.test(cs$y, stats[[sn]], mode = cs$mode, cmode = cm, reps = REPS)
    rows[[length(rows) + 1]] <- data.frame(case = cn, mode = cs$mode, statistic = sn, cmode = cm,
      observed = sprintf("%.17g", r$obs.stat), p_le = r$plteobs, p_ge = r$pgteobs,
      null_mean = mean(r$rep.stat), reps = REPS, ver)
  }
}
if (length(rows)) write.csv(do.call(rbind, rows), file.path(dst, "cug_oracle.csv"), row.names = FALSE)
cat("done\n")
