# Reference SBM / super-SBM scores from R deaR 1.5.3 (Coll-Serrano, Bolos, Benitez), for
# tests/efficiency/test_sbm.py. Not part of the build: rerun by hand after installing the peers,
#   bash /work/shared/peers/install.sh ~/r-peers   (or install.packages("deaR") from CRAN)
#   R_PEERS=~/r-peers Rscript tests/efficiency/reference/sbm_deaR.R
# which rewrites sbm_deaR.csv beside this script (columns: case, dmu, score).
.libPaths(c(Sys.getenv("R_PEERS", "~/r-peers"), .libPaths()))
suppressPackageStartupMessages(library(deaR))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
rows <- list()
add <- function(case, dmus, scores) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, dmu = dmus, score = unname(scores))
}
data("Tone2001")  # Tone (2001), p. 505: 5 DMUs, 2 inputs, 2 outputs
d01 <- make_deadata(Tone2001, ni = 2, no = 2)
for (o in c("no", "io", "oo")) for (r in c("crs", "vrs")) {
  add(paste("tone2001", o, r, sep = "_"), Tone2001[[1]],
      efficiencies(model_sbmeff(d01, orientation = o, rts = r)))
  add(paste("tone2001_super", o, r, sep = "_"), Tone2001[[1]],
      efficiencies(model_sbmsupereff(d01, orientation = o, rts = r)))
}
data("Tone2003")  # Tone (2003): 9 DMUs, 1 input, a good and a bad output
d03 <- make_deadata(Tone2003, ni = 1, no = 2, ud_outputs = 2)
for (r in c("crs", "vrs")) {
  add(paste("tone2003", "no", r, sep = "_"), Tone2003[[1]],
      efficiencies(model_sbmeff(d03, orientation = "no", rts = r)))
}
data("Power_plants")  # Tone (2002), p. 39: super-SBM, input orientation, CRS
dpp <- make_deadata(Power_plants, ni = 4, no = 2)
for (o in c("no", "io", "oo")) for (r in c("crs", "vrs")) {
  add(paste("power_plants", o, r, sep = "_"), Power_plants[[1]],
      efficiencies(model_sbmeff(dpp, orientation = o, rts = r)))
  add(paste("power_plants_super", o, r, sep = "_"), Power_plants[[1]],
      efficiencies(model_sbmsupereff(dpp, orientation = o, rts = r)))
}
# Zeros (Tone 2001's convention as deaR implements it): zero inputs and outputs.
zeros <- data.frame(DMU = c("A", "B", "C", "D", "E", "F"),
                    x1 = c(2, 4, 3, 5, 1, 6), x2 = c(0, 2, 1, 3, 2, 4),
                    y1 = c(1, 2, 3, 1, 0, 4), y2 = c(3, 0, 2, 1, 1, 2))
dz <- make_deadata(zeros, ni = 2, no = 2)
for (o in c("no", "io", "oo")) for (r in c("crs", "vrs")) {
  add(paste("zeros", o, r, sep = "_"), zeros$DMU,
      efficiencies(model_sbmeff(dz, orientation = o, rts = r)))
  add(paste("zeros_super", o, r, sep = "_"), zeros$DMU,
      efficiencies(model_sbmsupereff(dz, orientation = o, rts = r)))
}
out <- do.call(rbind, rows)
write.csv(out, file.path(here, "sbm_deaR.csv"), row.names = FALSE)
# The data sets themselves, so the Python test needs no R.
write.csv(Tone2001, file.path(here, "tone2001.csv"), row.names = FALSE)
write.csv(Tone2003, file.path(here, "tone2003.csv"), row.names = FALSE)
write.csv(Power_plants, file.path(here, "power_plants.csv"), row.names = FALSE)
write.csv(zeros, file.path(here, "sbm_zeros.csv"), row.names = FALSE)
