#!/usr/bin/env bash
# Throwaway PostgreSQL clusters for the test suites, the demo and the benchmark.
# Source this file; it defines:
#   cluster_start DIR [BINDIR]  initdb in DIR/data, start it listening only on a
#                               Unix socket in DIR, and export PGHOST, PGPORT,
#                               PGDATABASE, PGUSER and PATH for psql and friends
#   cluster_stop DIR            stop it (the caller removes DIR)
# Everything stays inside DIR: no TCP port, no system service is touched.
# Under make sanitize (test/sanitize/run.sh), SEG_SERVER_ENV is a list of
# VAR=VALUE words (no spaces inside a word) for the environment of the server
# alone, not of initdb, pg_ctl or the clients, and cluster_stop copies a server
# log with sanitizer reports into SEG_SANITIZE_REPORTS.  Unset, they do nothing.

cluster_start() {
	local dir=$1 bindir=${2:-$(pg_config --bindir)}
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	local user=${SEG_CLUSTER_USER:-}
	# postgres refuses to run as root: run it as the postgres system user.
	local run=()
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir" 2>/dev/null || true
		chmod 755 "$dir"
		run=(runuser -u postgres --)
		user=${user:-postgres}
	fi
	"${run[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U "${user:-$(id -un)}" \
		--locale=C.UTF-8 --encoding=UTF8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		return 1
	}
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '512MB'
work_mem = '64MB'
maintenance_work_mem = '256MB'
max_parallel_workers_per_gather = 2
max_worker_processes = 16
max_wal_size = '4GB'
timezone = 'UTC'
datestyle = 'ISO, MDY'
lc_messages = 'C'
CONF
	[ -n "${SEG_CLUSTER_CONF:-}" ] && printf '%s\n' "$SEG_CLUSTER_CONF" >>"$dir/data/postgresql.conf"
	local ctl=()
	if [ -n "${SEG_SERVER_ENV:-}" ]; then
		# pg_ctl starts this wrapper, which starts the real postgres binary
		# (by its path, so that it still finds its installation) in that environment
		local vars
		read -ra vars <<<"$SEG_SERVER_ENV"
		{
			printf '#!/bin/bash\nexec env'
			printf ' %q' "${vars[@]}" "$bindir/postgres"
			printf ' "$@"\n'
		} >"$dir/postgres-env"
		chmod 755 "$dir/postgres-env"
		ctl=(-p "$dir/postgres-env")
	fi
	"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" "${ctl[@]}" -w -t 60 start >/dev/null || {
		cat "$dir/server.log" >&2
		return 1
	}
	export PGHOST=$dir PGPORT=5432 PGUSER=${user:-$(id -un)} PGDATABASE=postgres
	export PATH=$bindir:$PATH
	export SEG_BINDIR=$bindir SEG_CLUSTER_DIR=$dir
}

cluster_stop() {
	local dir=$1 bindir=${SEG_BINDIR:-$(pg_config --bindir)}
	local run=()
	[ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
	[ -d "$dir/data" ] && "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	# make sanitize: UBSan reports into the server log, which goes with DIR;
	# keep a log that has any where test/run.sh looks for them
	if [ -n "${SEG_SANITIZE_REPORTS:-}" ] && grep -qE 'runtime error:|Sanitizer' "$dir/server.log" 2>/dev/null; then
		cp "$dir/server.log" "$SEG_SANITIZE_REPORTS/server.log.$(basename "$(dirname "$dir")")"
	fi
}
