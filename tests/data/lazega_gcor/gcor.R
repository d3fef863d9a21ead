library(sna)
d <- "/work/shared/datasets/classic-sna/"
n <- nrow(read.csv(paste0(d, "law_advice_nodes.csv")))
adj <- function(rel) { e <- read.csv(paste0(d, "law_", rel, "_edges.csv")); m <- matrix(0, n, n); m[cbind(e$from, e$to)] <- 1; diag(m) <- 0; m }
rels <- c("advice", "cowork", "friends")
A <- lapply(rels, adj)
out <- data.frame()
for (i in 1:2) for (j in (i+1):3) {
  out <- rbind(out, data.frame(relation_a = rels[i], relation_b = rels[j],
      ties_a = sum(A[[i]]), ties_b = sum(A[[j]]), shared = sum(A[[i]] * A[[j]]),
      gcor = gcor(A[[i]], A[[j]], mode = "digraph", diag = FALSE)))
}
write.csv(out, "lazega_gcor.csv", row.names = FALSE)
print(out, digits = 12)
