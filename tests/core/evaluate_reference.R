# Reference values for tests/core/test_evaluate.c and test_matching.c,
# derived independently of tas with R's lm(), glm() and the sandwich package
# (and, for matching, R's own arithmetic on tests/core/data/matching_schools.csv):
#
#   Rscript tests/core/evaluate_reference.R [tests/core/data/evaluate_panel.csv]
#
# (Debian: apt-get install r-base-core r-cran-sandwich.)  Not part of the
# normal test run: the numbers it prints are kept in the C test and in
# tests/http/evaluate.test.mjs.  The years before TAS are 2021 and 2022,
# after are 2023 and 2024; the panel's 2020 row is outside both and left out.
suppressPackageStartupMessages(library(sandwich))

args <- commandArgs(trailingOnly = TRUE)
csv <- if (length(args) > 0) args[1] else "tests/core/data/evaluate_panel.csv"
pre <- c(2021, 2022)
post <- c(2023, 2024)

d <- read.csv(csv, stringsAsFactors = FALSE)
d <- d[d$year %in% c(pre, post), ]
d$rate <- 100 * d$count / d$pupils
d$treat <- as.numeric(d$group == "tas" & d$year %in% post)

# Two-way fixed effects, weighted by pupils; CR1 standard error clustered by
# school: type "HC1" gives (n-1)/(n-k), cadjust = TRUE gives G/(G-1).
fit <- lm(rate ~ treat + factor(school) + factor(year), data = d, weights = pupils)
v <- vcovCL(fit, cluster = ~school, type = "HC1", cadjust = TRUE)
est <- unname(coef(fit)["treat"])
se <- sqrt(v["treat", "treat"])
G <- length(unique(d$school))
tq <- qt(0.975, G - 1)

f <- function(x) formatC(x, digits = 17, format = "g")
cat("R ", R.version$major, ".", R.version$minor, ", sandwich ", as.character(packageVersion("sandwich")), "\n", sep = "")
cat("n", nrow(d), "k", length(coef(fit)), "G", G, "pupils", sum(d$pupils), "\n")
cat("estimate", f(est), "\n")
cat("se_cluster", f(se), "\n")
cat("t975", f(tq), "\n")
cat("ci95", f(est - tq * se), f(est + tq * se), "\n")

# The report's table: pupil-weighted rates per 100 per group and period.
for (g in c("tas", "comparison")) {
  for (p in list(pre, post)) {
    s <- d[d$group == g & d$year %in% p, ]
    cat("rate", g, paste(p, collapse = "+"), f(100 * sum(s$count) / sum(s$pupils)), "\n")
  }
}
# Student's t quantiles for the C test of ev_t_quantile.
for (df in c(1, 2, 5, 7, 30)) cat("qt975 df", df, f(qt(0.975, df)), "\n")

# The event study (pre-trend check) with the years before TAS taken as
# 2021-2023 and after as 2024: reference year 2023 (the last before), one
# column per other year for a TAS school in that year; the joint Wald test
# that the leads (2021, 2022) are 0 uses the clustered variance, F(2, G-1).
ref <- 2023
other <- setdiff(sort(unique(d$year)), ref)
for (y in other) d[[paste0("ev", y)]] <- as.numeric(d$group == "tas" & d$year == y)
es <- lm(as.formula(paste("rate ~", paste0("ev", other, collapse = " + "), "+ factor(school) + factor(year)")),
         data = d, weights = pupils)
ves <- vcovCL(es, cluster = ~school, type = "HC1", cadjust = TRUE)
for (y in other) {
  nm <- paste0("ev", y)
  cat("event", y, f(coef(es)[[nm]]), f(sqrt(ves[nm, nm])), "\n")
}
leads <- paste0("ev", other[other < ref])
b <- coef(es)[leads]
Fs <- drop(t(b) %*% solve(ves[leads, leads]) %*% b) / length(leads)
cat("pretrend F", f(Fs), "p", f(pf(Fs, length(leads), G - 1, lower.tail = FALSE)), "\n")

# The Poisson model of counts with pupils as exposure, on the same panel and
# years as the linear DiD (2021-2022 before, 2023-2024 after).  The
# convergence test is tightened from glm's 1e-8 so that the coefficients
# are good to rounding.  The standard error is vcovCL's default for a glm:
# type "HC0" (no (n-1)/(n-k)) with cadjust = TRUE (G/(G-1)).
pfit <- glm(count ~ treat + factor(school) + factor(year), family = poisson, offset = log(pupils), data = d,
          control = glm.control(epsilon = 1e-14, maxit = 200))
pv <- vcovCL(pfit, cluster = ~school, type = "HC0", cadjust = TRUE)
pest <- unname(coef(pfit)["treat"])
pse <- sqrt(pv["treat", "treat"])
cat("poisson converged", pfit$converged, "iterations", pfit$iter, "deviance", f(deviance(pfit)), "\n")
cat("poisson estimate", f(pest), "rate_ratio", f(exp(pest)), "\n")
cat("poisson se_cluster", f(pse), "\n")
cat("poisson ci95", f(pest - tq * pse), f(pest + tq * pse), "\n")
cat("poisson rate_ratio_ci95", f(exp(pest - tq * pse)), f(exp(pest + tq * pse)), "\n")
phc1 <- sqrt(vcovCL(pfit, cluster = ~school, type = "HC1", cadjust = TRUE)["treat", "treat"])
cat("poisson se_cluster HC1 (not used)", f(phc1), "\n")

# Matching (tests/core/test_matching.c, tests/http/evaluate.test.mjs), on
# tests/core/data/matching_schools.csv, computed again here from the
# definitions in docs/evaluation.md: Euclidean distance on covariates
# divided by the pooled SD sqrt((var_tas + var_comparison) / 2) (var with
# n-1, over all schools), same phase only; greedy, closest pair first (ties
# in file order), k per TAS school, with or without replacement, within the
# caliper; SMD = (mean TAS - mean comparison) / that SD, after matching
# over matched TAS schools and comparison schools weighted 1/k per pair.
m <- read.csv("tests/core/data/matching_schools.csv", stringsAsFactors = FALSE)
covs <- c("pupils", "fsm_pct", "sen_pct", "prior_rate")
tas <- m$group == "tas"
sdp <- sapply(covs, function(v) sqrt((var(m[[v]][tas]) + var(m[[v]][!tas])) / 2))
z <- sweep(as.matrix(m[covs]), 2, sdp, "/")
match_schools <- function(k, caliper, replace) {
  cand <- NULL
  for (i in which(tas)) for (j in which(!tas)) if (m$phase[i] == m$phase[j]) {
    dd <- sqrt(sum((z[i, ] - z[j, ])^2))
    if (dd <= caliper) cand <- rbind(cand, c(i, j, dd))
  }
  cand <- cand[order(cand[, 3], cand[, 1], cand[, 2]), , drop = FALSE]
  taken <- integer(nrow(m)); pairs <- NULL
  for (r in seq_len(nrow(cand))) {
    i <- cand[r, 1]; j <- cand[r, 2]
    if (taken[i] >= k || (!replace && taken[j] > 0)) next
    taken[i] <- taken[i] + 1; taken[j] <- taken[j] + 1
    pairs <- rbind(pairs, cand[r, ])
  }
  pairs
}
# Each school's weight after matching (mt_weights): a matched TAS school 1,
# a comparison school the sum over its pairs of 1 / its TAS school's matches.
match_weights <- function(pairs) {
  w <- numeric(nrow(m))
  per <- table(pairs[, 1])
  for (r in seq_len(nrow(pairs))) {
    w[pairs[r, 1]] <- 1
    w[pairs[r, 2]] <- w[pairs[r, 2]] + 1 / per[[as.character(pairs[r, 1])]]
  }
  w
}
balance <- function(pairs) {
  w <- match_weights(pairs)
  sapply(covs, function(v) (weighted.mean(m[[v]][tas], w[tas]) - weighted.mean(m[[v]][!tas], w[!tas])) / sdp[[v]])
}
for (v in covs) cat("match sd", v, f(sdp[[v]]), "smd_before",
                    f((mean(m[[v]][tas]) - mean(m[[v]][!tas])) / sdp[[v]]), "\n")
for (o in list(list(1, Inf, FALSE), list(2, Inf, TRUE), list(1, 0.5, FALSE))) {
  pr <- match_schools(o[[1]], o[[2]], o[[3]])
  cat("match k", o[[1]], "caliper", o[[2]], "replace", o[[3]], ":",
      paste(m$school[pr[, 1]], m$school[pr[, 2]], sep = "-"), "\n")
  cat("  distances", f(pr[, 3]), "\n")
  b <- balance(pr)
  for (v in covs) cat("  smd_after", v, f(b[[v]]), "\n")
}
for (o in list(list(2, Inf, TRUE), list(2, 0.5, FALSE))) {
  w <- match_weights(match_schools(o[[1]], o[[2]], o[[3]]))
  cat("match weights k", o[[1]], "caliper", o[[2]], "replace", o[[3]], ":", paste(m$school, w, sep = "="), "\n")
}

# A weighted panel (the matched comparison's figures with its options,
# docs/evaluation.md): the same panel and years as the first fit, each
# school weighted as matching with replacement might weigh it.  The rates
# are sum(w x count) / sum(w x pupils); the regression is lm with weights
# pupils x w, the Poisson model glm with prior weights w; both clustered by
# school as above (tests/core/test_evaluate.c, weighted_models_agree_with_r).
d <- read.csv(csv, stringsAsFactors = FALSE)
d <- d[d$year %in% c(pre, post), ]
d$rate <- 100 * d$count / d$pupils
d$treat <- as.numeric(d$group == "tas" & d$year %in% post)
wt <- c(S01 = 1, S02 = 1, S03 = 1, S04 = 1, S05 = 2, S06 = 0.5, S07 = 1, S08 = 1.5)
d$w <- unname(wt[d$school])
for (g in c("tas", "comparison")) {
  for (p in list(pre, post)) {
    s <- d[d$group == g & d$year %in% p, ]
    cat("weighted rate", g, paste(p, collapse = "+"), f(100 * sum(s$w * s$count) / sum(s$w * s$pupils)), "\n")
  }
}
wfit <- lm(rate ~ treat + factor(school) + factor(year), data = d, weights = pupils * w)
wv <- vcovCL(wfit, cluster = ~school, type = "HC1", cadjust = TRUE)
cat("weighted estimate", f(coef(wfit)[["treat"]]), "se_cluster", f(sqrt(wv["treat", "treat"])), "\n")
wp <- glm(count ~ treat + factor(school) + factor(year), family = poisson, offset = log(pupils), data = d,
          weights = w, control = glm.control(epsilon = 1e-14, maxit = 200))
wpv <- vcovCL(wp, cluster = ~school, type = "HC0", cadjust = TRUE)
cat("weighted poisson estimate", f(coef(wp)[["treat"]]), "se_cluster", f(sqrt(wpv["treat", "treat"])),
    "deviance", f(deviance(wp)), "\n")
for (y in other) d[[paste0("ev", y)]] <- as.numeric(d$group == "tas" & d$year == y)
wes <- lm(as.formula(paste("rate ~", paste0("ev", other, collapse = " + "), "+ factor(school) + factor(year)")),
          data = d, weights = pupils * w)
wves <- vcovCL(wes, cluster = ~school, type = "HC1", cadjust = TRUE)
for (y in other) {
  nm <- paste0("ev", y)
  cat("weighted event", y, f(coef(wes)[[nm]]), f(sqrt(wves[nm, nm])), "\n")
}
