#!/usr/bin/python3
"""Independent reference values for test/unit/test_bgbb.c (BG/BB and sBG).

Run with Debian's python3-scipy and python3-mpmath:  /usr/bin/python3 test/unit/bgbb_reference.py
It writes nothing: its output was pasted into test_bgbb.c as data.  The
likelihoods here are written directly from the papers (every term of the
BG/BB sum from beta functions, no recurrences), evaluated with mpmath at
40 digits; the fits use scipy.optimize (Nelder-Mead on log-parameters,
then BFGS), not the extension's optimizer.
"""
import csv
import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln

mp.mp.dps = 40


def bgbb_lik_mp(p, x, tx, n):
    a, b, g, d = [mp.mpf(v) for v in p]
    B = mp.beta
    L = B(a + x, b + n - x) / B(a, b) * B(g, d + n) / B(g, d)
    for i in range(int(n - tx)):
        L += B(a + x, b + tx - x + i) / B(a, b) * B(g + 1, d + tx + i) / B(g, d)
    return L


def bgbb_ll_np(logp, rows):
    a, b, g, d = np.exp(logp)
    tot = 0.0
    for x, tx, n, w in rows:
        terms = [betaln(a + x, b + n - x) - betaln(a, b) + betaln(g, d + n) - betaln(g, d)]
        for i in range(int(n - tx)):
            terms.append(betaln(a + x, b + tx - x + i) - betaln(a, b)
                         + betaln(g + 1, d + tx + i) - betaln(g, d))
        tot += w * np.logaddexp.reduce(terms)
    return tot


def fit(ll, k, rows):
    f = lambda th: -ll(th, rows)
    r = minimize(f, np.zeros(k), method="Nelder-Mead",
                 options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000, "maxfev": 40000})
    r = minimize(f, r.x, method="BFGS", options={"gtol": 1e-8})
    return np.exp(r.x), -r.fun


def bgbb_p_alive_mp(p, x, tx, n, m):
    a, b, g, d = [mp.mpf(v) for v in p]
    B = mp.beta
    return B(a + x, b + n - x) / B(a, b) * B(g, d + n + m) / B(g, d) / bgbb_lik_mp(p, x, tx, n)


def bgbb_expected_mp(p, x, tx, n, nstar):
    # eq. 13 written as the sum over the next nstar opportunities of
    # P(alive at n+k) E[p | ...]: direct, no closed form
    a, b, g, d = [mp.mpf(v) for v in p]
    B = mp.beta
    s = sum(B(g, d + n + k) / B(g, d) for k in range(1, nstar + 1))
    return B(a + x + 1, b + n - x) / B(a, b) * s / bgbb_lik_mp(p, x, tx, n)


def sbg_ll_np(logp, rows):
    a, b = np.exp(logp)
    tot = 0.0
    for t, churned, w in rows:
        if churned:
            tot += w * (betaln(a + 1, b + t - 1) - betaln(a, b))
        else:
            tot += w * (betaln(a, b + t) - betaln(a, b))
    return tot


def cohort_rows(alive):
    rows = [(t, True, alive[t - 1] - alive[t]) for t in range(1, len(alive)) if alive[t - 1] > alive[t]]
    rows.append((len(alive) - 1, False, alive[-1]))
    return rows


def sbg_derl_mp(p, n, disc):
    # the definition: sum over j >= 0 of S(n+1+j)/S(n) / (1+d)^j
    a, b = [mp.mpf(v) for v in p]
    S = lambda t: mp.beta(a, b + t) / mp.beta(a, b)
    z = 1 / (1 + mp.mpf(disc))
    return mp.nsum(lambda j: S(n + 1 + j) / S(n) * z ** j, [0, mp.inf])


if __name__ == "__main__":
    rows = [(int(r["frequency"]), int(r["recency"]), int(r["periods"]), int(r["weights"]))
            for r in csv.DictReader(open("test/data/donations.csv"))]
    p, ll = fit(bgbb_ll_np, 4, rows)
    print("donations BG/BB fit (scipy):", repr(list(p)), "LL", repr(ll))
    pub = [1.204, 0.750, 0.657, 2.783]
    print("LL at the published parameters:", repr(bgbb_ll_np(np.log(pub), rows)))
    print("BG/BB at the published parameters (mpmath):")
    for x, tx, n in [(0, 0, 6), (1, 1, 6), (3, 5, 6), (6, 6, 6), (2, 3, 10), (5, 40, 60)]:
        print("  (%d,%d,%d) ll %.17g alive(m=0) %.17g alive(m=1) %.17g E5 %.17g E1 %.17g" % (
            x, tx, n, mp.log(bgbb_lik_mp(pub, x, tx, n)),
            bgbb_p_alive_mp(pub, x, tx, n, 0), bgbb_p_alive_mp(pub, x, tx, n, 1),
            bgbb_expected_mp(pub, x, tx, n, 5), bgbb_expected_mp(pub, x, tx, n, 1)))
    pg1 = [1.204, 0.750, 1.003, 2.783]
    print("gamma = 1.003: E10(2,3,6) %.17g" % bgbb_expected_mp(pg1, 2, 3, 6, 10))
    print("new customer E[X(6)] at published: %.17g" % (
        mp.mpf(1.204) / (mp.mpf(1.204) + mp.mpf(0.75)) *
        sum(mp.beta(0.657, 2.783 + t) / mp.beta(0.657, 2.783) for t in range(1, 7))))
    regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
    high = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394]
    for name, c in [("regular", regular), ("high end", high)]:
        q, l = fit(sbg_ll_np, 2, cohort_rows(c[:8]))
        print("sBG %s, years 1-7 (scipy):" % name, repr(list(q)), "LL", repr(l))
        print("   survivors years 8..12 projected: ",
              [round(float(1000 * mp.beta(q[0], q[1] + t) / mp.beta(q[0], q[1])), 3) for t in range(8, 13)])
    q = [0.668, 3.806]
    print("sBG at (0.668, 3.806): S(5) %.17g P(T=3) %.17g DERL(n=0,d=0.1) %.17g DERL(n=4,d=0.1) %.17g" % (
        mp.beta(q[0], q[1] + 5) / mp.beta(q[0], q[1]), mp.beta(q[0] + 1, q[1] + 2) / mp.beta(q[0], q[1]),
        sbg_derl_mp(q, 0, 0.1), sbg_derl_mp(q, 4, 0.1)))
