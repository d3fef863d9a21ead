# Oracle values for tests/test_metrics.py and tests/test_brokerage.py, computed with R sna.
#
# Provenance: run from the repository root with
#   Rscript tests/data/r_sna/make_oracle.R ../shared/datasets/classic-sna tests/data/r_sna
# (R 4.x, sna 2.7-1 from the Debian package r-cran-sna). R is NOT needed to run the tests: they read
# the CSV files written here. Networks: Lazega law firm advice (groups = office) and Krackhardt
# high-tech managers advice (groups = dept), both directed, from schochastics/networkdata.
# Vertex order = the nodes file's id order (1..n, the same order netanalysis uses).
suppressMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
src <- if (length(args) >= 1) args[1] else "../shared/datasets/classic-sna"
dst <- if (length(args) >= 2) args[2] else "tests/data/r_sna"

one <- function(name, group) {
  nodes <- read.csv(file.path(src, paste0(name, "_nodes.csv")))
  edges <- read.csv(file.path(src, paste0(name, "_edges.csv")))
  ids <- nodes$id
  n <- length(ids)
  g <- matrix(0, n, n)
  g[cbind(match(edges$from, ids), match(edges$to, ids))] <- 1
  diag(g) <- 0
  cl <- nodes[[group]]
  b <- brokerage(g, cl)
  node <- data.frame(
    id = ids,
    group = cl,
    in_degree = degree(g, gmode = "digraph", cmode = "indegree"),
    out_degree = degree(g, gmode = "digraph", cmode = "outdegree"),
    betweenness = betweenness(g, gmode = "digraph", cmode = "directed"),
    coordinator = b$raw.nli[, "w_I"], itinerant = b$raw.nli[, "w_O"],
    representative = b$raw.nli[, "b_IO"], gatekeeper = b$raw.nli[, "b_OI"],
    liaison = b$raw.nli[, "b_O"], total = b$raw.nli[, "t"],
    exp_coordinator = b$exp.nli[, "w_I"], exp_itinerant = b$exp.nli[, "w_O"],
    exp_representative = b$exp.nli[, "b_IO"], exp_gatekeeper = b$exp.nli[, "b_OI"],
    exp_liaison = b$exp.nli[, "b_O"], exp_total = b$exp.nli[, "t"],
    z_coordinator = b$z.nli[, "w_I"], z_itinerant = b$z.nli[, "w_O"],
    z_representative = b$z.nli[, "b_IO"], z_gatekeeper = b$z.nli[, "b_OI"],
    z_liaison = b$z.nli[, "b_O"], z_total = b$z.nli[, "t"]
  )
  write.csv(node, file.path(dst, paste0(name, "_nodes.csv")), row.names = FALSE)
  roles <- c("coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total")
  glob <- data.frame(role = roles, raw = unname(b$raw.gli), expected = unname(b$exp.gli),
                     sd = unname(b$sd.gli), z = unname(b$z.gli))
  write.csv(glob, file.path(dst, paste0(name, "_brokerage_network.csv")), row.names = FALSE)
  net <- data.frame(n = n, arcs = sum(g), density = gden(g, mode = "digraph"),
                    reciprocity_edgewise = grecip(g, measure = "edgewise"),
                    sna_version = as.character(packageVersion("sna")),
                    r_version = paste(R.version$major, R.version$minor, sep = "."))
  write.csv(net, file.path(dst, paste0(name, "_network.csv")), row.names = FALSE)
}
one("law_advice", "office")
one("ht_advice", "dept")

# The hand-checkable brokerage example (Gould & Fernandez 1989 roles; arcs A->B, A->C, B->C, B->D, C->D, D->A; groups 1,1,2,2).
g <- matrix(0, 4, 4, dimnames = list(LETTERS[1:4], LETTERS[1:4]))
g["A", "B"] <- g["A", "C"] <- g["B", "C"] <- g["B", "D"] <- g["C", "D"] <- g["D", "A"] <- 1
b <- brokerage(g, c(1, 1, 2, 2))
write.csv(data.frame(id = LETTERS[1:4], b$raw.nli, check.names = FALSE),
          file.path(dst, "example_nodes.csv"), row.names = FALSE)
