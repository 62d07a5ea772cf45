#!/usr/bin/python3
"""Reference values for test/diff/cluster_sklearn.sh on the bench CRM's RFM.

The bench and demo CRM generator (test/lib/crm.sql) at 20,000 customers as
of 2026-06-30; the RFM features of every customer who ordered (recency in
days, orders, spend), as test/diff/cluster_sklearn.sh computes them.  Reads
them from a database where crm.sql was loaded (psql on PGHOST/PGPORT/PGUSER,
database given as argument 1) and prints test/diff/cluster_reference_crm.sql:
the inertia of scikit-learn's KMeans(n_clusters=k, n_init=10,
random_state=0) on StandardScaler features and on log1p then StandardScaler
features, k = 3..8.  Not run by make test: its output is kept as data.

    python3 test/diff/cluster_reference_crm.py DB > test/diff/cluster_reference_crm.sql
"""
import subprocess
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

FEATURES = """SELECT customer_id, DATE '2026-06-30' - max(ordered_at)::date, count(*), sum(amount)
FROM orders WHERE ordered_at < '2026-07-01' GROUP BY customer_id ORDER BY customer_id"""


def main():
    out = subprocess.run(["psql", "-qAtX", "-F", ",", "-d", sys.argv[1], "-c", FEATURES],
                         check=True, capture_output=True, text=True).stdout
    x = np.array([[float(v) for v in line.split(",")[1:]] for line in out.splitlines()])
    print("-- scikit-learn %s, numpy %s: test/diff/cluster_reference_crm.py on the RFM"
          % (sklearn.__version__, np.__version__))
    print("-- features (recency, orders, spend) of the %d customers who ordered in" % len(x))
    print("-- test/lib/crm.sql at 20,000 customers as of 2026-06-30.  Inertia of")
    print("-- KMeans(n_clusters=k, n_init=10, random_state=0) on StandardScaler features,")
    print("-- or on log1p then StandardScaler.")
    print("CREATE TABLE cluster_reference_crm (scaling text, k int, wcss float8, customers int);")
    rows = []
    for scaling in ("zscore", "log1p"):
        xs = StandardScaler().fit_transform(np.log1p(x) if scaling == "log1p" else x)
        for k in range(3, 9):
            km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(xs)
            rows.append("\t('%s', %d, %r, %d)" % (scaling, k, float(km.inertia_), len(x)))
    print("INSERT INTO cluster_reference_crm VALUES\n" + ",\n".join(rows) + ";")


if __name__ == "__main__":
    main()
