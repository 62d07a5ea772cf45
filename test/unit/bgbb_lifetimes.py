#!/usr/bin/python3
"""lifetimes' BG/BB predictions at the paper's parameters, for test_bgbb.c.

lifetimes (https://github.com/CamDavidsonPilon/lifetimes, commit 4f2833f) is
not installable here (autograd is not in Debian), but its prediction
functions need no gradients.  To run: put its lifetimes/ folder (git
archive) beside this file, with three stand-ins: autograd/__init__.py
defining value_and_grad and hessian (unused), autograd/numpy/__init__.py
with "from numpy import *" (plus numpy_boxes.py with class ArrayBox),
autograd/scipy/special.py with "from scipy.special import *", and an empty
dill.py; then /usr/bin/python3 bgbb_lifetimes.py.  Its output is pasted into
test_bgbb.c as data.
"""
import numpy as np, pandas as pd
from lifetimes import BetaGeoBetaBinomFitter
f = BetaGeoBetaBinomFitter()
f.params_ = pd.Series([1.204, 0.750, 0.657, 2.783], index=["alpha", "beta", "gamma", "delta"])
for x, tx, n in [(0, 0, 6), (1, 1, 6), (3, 5, 6), (6, 6, 6), (2, 3, 10), (5, 40, 60)]:
    X, TX, N = np.array([x]), np.array([tx]), np.array([n])
    print((x, tx, n), "alive m=0 %.17g m=1 %.17g E5 %.17g E1 %.17g" % (
        f.conditional_probability_alive(0, X, TX, N)[0], f.conditional_probability_alive(1, X, TX, N)[0],
        f.conditional_expected_number_of_purchases_up_to_time(5, X, TX, N)[0],
        f.conditional_expected_number_of_purchases_up_to_time(1, X, TX, N)[0]))
