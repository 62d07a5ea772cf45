#!/usr/bin/env bash
# The README workflows through real client drivers, as BI tools and notebooks
# run them: the PostgreSQL JDBC driver (Clients.java: server-side prepared
# statements from the first execution, rules bound by setString and
# setObject, then the same with binary transfer) and psycopg2 (clients.py).
# Every value query's rows are compared with the same query with literals
# through psql (reference.sql); the result metadata BI tools read, the errors
# and the plans of a prepared rule after its sixth execution are checked by
# the clients themselves.
#
# JDBC speaks TCP only, so the suite starts its own throwaway cluster on a
# free port of 127.0.0.1 (with the installation of test/run.sh).  The drivers
# are Debian's (test/lib/deps.sh installs them); python3 is /usr/bin/python3,
# whose dist-packages hold python3-psycopg2, not whatever python3 is first on
# PATH.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/test/clients
. "$top/test/lib/cluster.sh"
jar=/usr/share/java/postgresql.jar
py=/usr/bin/python3

missing=()
[ -f "$jar" ] || missing+=("libpostgresql-jdbc-java")
command -v java >/dev/null || missing+=("default-jdk-headless")
"$py" -c 'import psycopg2' 2>/dev/null || missing+=("python3-psycopg2")
if [ ${#missing[@]} -gt 0 ]; then
	echo "not ok - the client drivers are missing: ${missing[*]} (make deps installs them)"
	exit 1
fi

work=$(mktemp -d /tmp/segmentation-clients.XXXXXX)
chmod 755 "$work"
trap 'cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SEG_CLUSTER_CONF="listen_addresses = '127.0.0.1'
port = $port
shared_buffers = '64MB'" cluster_start "$work/cluster" "${SEG_BINDIR:-$(pg_config --bindir)}" ||
	{ echo "not ok - the TCP cluster for the clients did not start"; exit 1; }
export PGPORT=$port PGOPTIONS='-c client_min_messages=warning'

psql -qX -v ON_ERROR_STOP=1 -c 'CREATE DATABASE clients' >/dev/null &&
	psql -qX -v ON_ERROR_STOP=1 -d clients -c 'CREATE EXTENSION segmentation' -v customers=2000 \
		-v as_of=2026-06-30 -f "$top/test/lib/crm.sql" >/dev/null &&
	psql -qX -v ON_ERROR_STOP=1 -d clients -f "$here/setup.sql" >/dev/null ||
	{ echo "not ok - loading the sample CRM and the workflows' tables"; exit 1; }
mkdir -p "$work/psql" "$work/jdbc1" "$work/jdbc2" "$work/py"
psql -qX -d clients -v out="$work/psql" -f "$here/reference.sql" ||
	{ echo "not ok - the literal queries through psql"; exit 1; }

# one JVM: the source file compiled in memory and run, for both settings
url="jdbc:postgresql://127.0.0.1:$port/clients?user=$PGUSER"
java -cp "$jar" "$here/Clients.java" "$url&prepareThreshold=1" "$work/jdbc1" \
	"$url&prepareThreshold=-1" "$work/jdbc2" 2>&1 || echo "# Clients.java exited with status $?"
for d in jdbc1 jdbc2; do
	"$py" "$here/compare.py" "$work/psql" "$work/$d" \
		"jdbc (prepareThreshold=$([ $d = jdbc1 ] && echo 1 || echo -1))" \
		segment_rows_other=segment_rows segment_rows_op=segment_rows
done

"$py" "$here/clients.py" "host=127.0.0.1 port=$port dbname=clients user=$PGUSER" "$work/py" 2>&1 ||
	echo "# clients.py exited with status $?"
"$py" "$here/compare.py" "$work/psql" "$work/py" psycopg2 segment_rows_op=segment_rows
exit 0
