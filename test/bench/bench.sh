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
# The cluster is configured as users run one (issue 22): shared_buffers
# 2 GB, work_mem 256 MB, jit off, and huge_pages off, since a default
# machine has no huge pages reserved; every figure in README and doc/ comes
# from this run.  A parallel worker is a fresh process that maps every page
# of shared memory it touches anew, and on these virtual machines a fresh
# 4 kB page costs about 15 us (pagefault.c prints it), which is part of
# what users get.  Where the machine has huge pages reserved (sysctl
# vm.nr_hugepages, enough for shared_buffers) and BENCH_HUGE_PAGES=1, the
# sections run a second time on the same data after a restart with
# huge_pages = on, labelled as such: a second column, never the headline.
# See doc/performance.md.
bench_conf="jit = off
shared_buffers = '2GB'
work_mem = '256MB'
huge_pages = off"
SEG_CLUSTER_CONF=$bench_conf cluster_start "$work/cluster" "$bindir"
n=${BENCH_CUSTOMERS:-1000000}
AS_OF=2026-06-30
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(postgres -V)"
cc -O2 -o "$work/pagefault" test/bench/pagefault.c && "$work/pagefault"
echo "cluster: $(psql -AtX -c "SELECT string_agg(name || ' = ' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', 'huge_pages', 'max_parallel_workers_per_gather')")"
echo "huge pages: $(awk '/HugePages_Total/ { t = $2 } /HugePages_Free/ { f = $2 } END { print t " reserved on the machine, " f " free (sysctl vm.nr_hugepages)" }' /proc/meminfo),\
 transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"
psql -qX -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION segmentation' -f test/bench/lib.sql
start=$(date +%s)
psql -qX -v ON_ERROR_STOP=1 -v customers="$n" -v as_of="$AS_OF" -f test/lib/crm.sql
# what the customers did besides ordering (page views, cart adds, email
# opens and clicks; about 22 a customer), and the sources `orders` and
# `events` that behavioural rules read (60_behaviour.sql); only when a
# section that reads them runs (they take minutes to generate at 1M)
if grep -lq events test/bench/${BENCH_ONLY:-[0-9]}*.sql 2>/dev/null; then
	psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -f test/lib/events.sql >/dev/null
fi
psql -qX -c 'VACUUM ANALYZE'
echo "CRM: $(psql -AtX -c 'SELECT count(*) FROM customers') customers, $(psql -AtX -c 'SELECT count(*) FROM orders') orders, $(psql -AtX -c "SELECT to_regclass('events') IS NOT NULL" | grep -q t && psql -AtX -c 'SELECT count(*) FROM events' || echo no) events, generated in $(( $(date +%s) - start )) s"
# the rows the sections emitted with bench_row() (test/bench/lib.sql) belong
# to the run that just ended
label_summary() {
	psql -qX -v ON_ERROR_STOP=1 -v label="$1" <<<"UPDATE bench_summary SET run = :'label' WHERE run IS NULL"
}
run_sections() {
	local label=$1 section
	for section in test/bench/${BENCH_ONLY:-[0-9]}*.sql; do
		[ -f "$section" ] || continue
		echo
		echo "== $(basename "$section") ($label), start: $(uptime)"
		psql -qX -v ON_ERROR_STOP=1 -v as_of="$AS_OF" -P footer=off -f "$section"
		echo "== $(basename "$section") ($label), end: $(uptime)"
	done
}
run_sections "default cluster, huge_pages = off"
label_summary "default cluster"

# the optional second run, in huge pages; only where they are reserved
if [ "${BENCH_HUGE_PAGES:-0}" = 1 ]; then
	free_mb=$(awk '/HugePages_Free/ { f = $2 } /Hugepagesize/ { s = $2 } END { print int(f * s / 1024) }' /proc/meminfo)
	if [ "$free_mb" -ge 2200 ]; then
		echo
		echo "huge pages: restarting with huge_pages = on ($free_mb MB of huge pages free)"
		printf "huge_pages = on\n" >>"$work/cluster/data/postgresql.conf"
		run=()
		[ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
		"${run[@]}" "$bindir/pg_ctl" -D "$work/cluster/data" -l "$work/cluster/server.log" -w restart >/dev/null
		run_sections "huge pages reserved, huge_pages = on; not the default"
		label_summary "huge_pages = on (not the default)"
	else
		echo
		echo "BENCH_HUGE_PAGES=1, but only $free_mb MB of huge pages are free (shared_buffers needs about 2,200): no huge-pages run"
	fi
fi

# the targets of issues 22 and 17 from this run: each row as a ratio (or figure) with its
# target and whether the target holds
echo
echo "== summary (the targets of issues 22 and 17), $(uptime)"
psql -X -v ON_ERROR_STOP=1 -P footer=off -c "
SELECT run, work, ratio,
	   coalesce(op || ' ' || target, '') || coalesce(CASE WHEN op IS NULL THEN '' ELSE ' ' END || note, '') AS target,
	   CASE WHEN op = '<=' THEN CASE WHEN ratio <= target THEN 'yes' ELSE 'NO' END
			WHEN op = '>=' THEN CASE WHEN ratio >= target THEN 'yes' ELSE 'NO' END
			ELSE '' END AS \"holds?\",
	   load AS \"load (1, 5, 15 min)\"
FROM bench_summary ORDER BY seq"
