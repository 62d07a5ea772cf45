#!/usr/bin/python3
"""scikit-learn's time for the fit of test/bench/70_cluster.sql, on the same data.

Reads the features that 70_cluster.sql writes with BENCH_KMEANS_CSV=FILE
(six columns per customer) and times what segment_kmeans(f, 5, 'log1p')
does: log1p, StandardScaler, KMeans(n_clusters=5, n_init=10) (k-means++,
Lloyd), on every row (segment_kmeans fits a 20,000-row sample).  Prints
the time, the inertia, and the load average beside them.

    BENCH_KMEANS_CSV=/tmp/km.csv BENCH_ONLY=70_cluster make bench   (the server writes it)
    /usr/bin/python3 test/bench/cluster_sklearn.py /tmp/km.csv
"""
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

x = np.loadtxt(sys.argv[1], delimiter=",")
start = time.perf_counter()
xs = StandardScaler().fit_transform(np.log1p(x))
km = KMeans(n_clusters=5, n_init=10, random_state=0).fit(xs)
elapsed = time.perf_counter() - start
print("scikit-learn %s: log1p + StandardScaler + KMeans(5, n_init=10) on %d x %d: %.1f s, inertia %.1f, load average %s"
      % (sklearn.__version__, x.shape[0], x.shape[1], elapsed, km.inertia_,
         " ".join("%.2f" % v for v in os.getloadavg())))
