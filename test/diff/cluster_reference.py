#!/usr/bin/python3
"""Reference values for test/diff/cluster_sklearn.sh, from scikit-learn.

Reads the data of test/diff/cluster_data.sql from a database where it was
loaded (psql on PGHOST/PGPORT/PGUSER, database given as argument 1) and
prints test/diff/cluster_reference.sql: scikit-learn's KMeans
(n_clusters=k, n_init=10, random_state=0, the default Lloyd algorithm and
tol) on StandardScaler-scaled features, and its silhouette_score and
davies_bouldin_score.  Not run by make test: its output is kept as data.

    python3 test/diff/cluster_reference.py DB > test/diff/cluster_reference.sql
"""
import subprocess
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler


def fetch(db, sql):
    out = subprocess.run(["psql", "-qAtX", "-F", ",", "-d", db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return np.array([[float(v) for v in line.split(",")] for line in out.splitlines()])


def main():
    db = sys.argv[1]
    blobs = fetch(db, "SELECT id, label, f[1], f[2], f[3] FROM cluster_blobs ORDER BY id")
    rfm = fetch(db, "SELECT id, f[1], f[2], f[3] FROM cluster_rfm ORDER BY id")
    print("-- scikit-learn %s, numpy %s: test/diff/cluster_reference.py on the data of"
          % (sklearn.__version__, np.__version__))
    print("-- test/diff/cluster_data.sql.  KMeans(n_clusters=k, n_init=10, random_state=0)")
    print("-- on StandardScaler (z-score, population sd) features, or on log1p then")
    print("-- StandardScaler; silhouette_score and davies_bouldin_score of its labels.")
    print("CREATE TABLE cluster_reference (data text, scaling text, k int, wcss float8,")
    print("\tsilhouette float8, davies_bouldin float8, ari_truth float8);")
    print("CREATE TABLE cluster_reference_labels (data text, k int, id int, label int);")
    rows = []
    xb = StandardScaler().fit_transform(blobs[:, 2:])
    truth = blobs[:, 1].astype(int)
    for k in range(2, 7):
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(xb)
        rows.append(("blobs", "zscore", k, km.inertia_, silhouette_score(xb, km.labels_),
                     davies_bouldin_score(xb, km.labels_), adjusted_rand_score(truth, km.labels_)))
        if k == 4:
            labels = km.labels_
    for scaling in ("zscore", "log1p"):
        x = rfm[:, 1:]
        if scaling == "log1p":
            x = np.log1p(x)
        x = StandardScaler().fit_transform(x)
        for k in range(3, 9):
            km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
            rows.append(("rfm", scaling, k, km.inertia_, silhouette_score(x, km.labels_),
                         davies_bouldin_score(x, km.labels_), None))
    print("INSERT INTO cluster_reference VALUES")
    print(",\n".join("\t('%s', '%s', %d, %r, %r, %r, %s)" % (r[0], r[1], r[2], float(r[3]), float(r[4]),
                                                         float(r[5]), "NULL" if r[6] is None else repr(float(r[6])))
                     for r in rows) + ";")
    print("INSERT INTO cluster_reference_labels SELECT 'blobs', 4, i - 1, (ARRAY[%s])[i]"
          % ", ".join(str(int(v)) for v in labels))
    print("FROM generate_series(1, %d) i;" % len(labels))


main()
