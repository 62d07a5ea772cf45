#!/usr/bin/env bash
# make bench: the synthetic CRM of test/lib/crm.sql at 1,000,000 customers
# (about 10 million orders) in a throwaway cluster running this checkout's
# build, with the events of test/lib/events.sql (about 22 million), then
# every test/bench/[0-9]*.sql in order.  Each section times the
# extension and its baseline in the same run, with bench_time() from
# test/bench/lib.sql (best of N runs, in the server, no client transfer),
# and prints the ratio.  BENCH_CUSTOMERS=100000 makes a quick run;
# BENCH_ONLY=50 runs only the sections whose names start with 50.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. test/lib/cluster.sh
work=$(mktemp -d /tmp/segmentation-bench.XXXXXX)
chmod 755 "$work"
trap 'cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
bindir=$(bash test/lib/pgtree.sh "$work/root")
# The CRM (about 2 GB with its copies) stays in shared_buffers, in huge
# pages when the machine has them reserved: a parallel worker is a fresh
# process that maps every page of shared memory it touches anew, and on this
# virtual machine those page faults, 4 kB at a time, cost more than the scan
# (a parallel sum over the orders: 1,318 ms serial, 2 workers no faster with
# 4 kB pages, 799 ms with huge pages).  pagefault.c prints what one costs.
# See README "Performance".
SEG_CLUSTER_CONF="jit = off
shared_buffers = '4GB'
huge_pages = try" cluster_start "$work/cluster" "$bindir"
n=${BENCH_CUSTOMERS:-1000000}
AS_OF=2026-06-30
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(postgres -V)"
cc -O2 -o "$work/pagefault" test/bench/pagefault.c && "$work/pagefault"
echo "huge pages: $(awk '/HugePages_Rsvd/ { r = $2 } /HugePages_Total/ { t = $2 } END { print r " of " t " reserved by the server (sysctl vm.nr_hugepages)" }' /proc/meminfo),\
 transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION segmentation' -f test/bench/lib.sql
start=$(date +%s)
psql -qX -v ON_ERROR_STOP=1 -v customers="$n" -v as_of="$AS_OF" -f test/lib/crm.sql
# what the customers did besides ordering (page views, cart adds, email
# opens and clicks; about 22 a customer), and the sources `orders` and
# `events` that behavioural rules read (60_behaviour.sql)
psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -f test/lib/events.sql >/dev/null
psql -qX -c 'VACUUM ANALYZE'
echo "CRM: $(psql -AtX -c 'SELECT count(*) FROM customers') customers, $(psql -AtX -c 'SELECT count(*) FROM orders') orders, $(psql -AtX -c 'SELECT count(*) FROM events') events, generated in $(( $(date +%s) - start )) s"
for section in test/bench/${BENCH_ONLY:-[0-9]}*.sql; do
	[ -f "$section" ] || continue
	echo
	psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -P footer=off -f "$section"
done
