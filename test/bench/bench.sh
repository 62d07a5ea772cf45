#!/usr/bin/env bash
# make bench: the synthetic CRM of test/lib/crm.sql at 1,000,000 customers
# (about 10 million orders) in a throwaway cluster running this checkout's
# build, then every test/bench/[0-9]*.sql in order.  Each section times the
# extension and its baseline in the same run, with bench_time() from
# test/bench/lib.sql (best of N runs, in the server, no client transfer),
# and prints the ratio.  BENCH_CUSTOMERS=100000 makes a quick run.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. test/lib/cluster.sh
work=$(mktemp -d /tmp/segmentation-bench.XXXXXX)
chmod 755 "$work"
trap 'cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
bindir=$(bash test/lib/pgtree.sh "$work/root")
SEG_CLUSTER_CONF="jit = off" cluster_start "$work/cluster" "$bindir"
n=${BENCH_CUSTOMERS:-1000000}
AS_OF=2026-06-30
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(postgres -V)"
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION segmentation' -f test/bench/lib.sql
start=$(date +%s)
psql -qX -v ON_ERROR_STOP=1 -v customers="$n" -v as_of="$AS_OF" -f test/lib/crm.sql
psql -qX -c 'VACUUM ANALYZE' 
echo "CRM: $(psql -AtX -c 'SELECT count(*) FROM customers') customers, $(psql -AtX -c 'SELECT count(*) FROM orders') orders, generated in $(( $(date +%s) - start )) s"
for section in test/bench/[0-9]*.sql; do
	[ -f "$section" ] || continue
	echo
	psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -P footer=off -f "$section"
done
