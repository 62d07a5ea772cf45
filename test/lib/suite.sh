# Helpers for the SQL suites of test/diff and test/ops; source it after
# setting db (a database name of the suite's own).
#   fresh_db          drop and create $db
#   run ARGS...       psql on $db: unaligned, tuples only, stop on error
#   check NAME [WANT] QUERY
#                     "ok - NAME" when QUERY prints WANT (default 0)
export PGOPTIONS="${PGOPTIONS:--c client_min_messages=warning}"
fresh_db() { psql -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null; }
run() { psql -qAtX -v ON_ERROR_STOP=1 -d "$db" "$@"; }
check() {
	local name=$1 want=0 got
	if [ $# -ge 3 ]; then want=$2; shift; fi
	got=$(run -c "$2" 2>&1)
	if [ "$got" = "$want" ]; then echo "ok - $name"; else echo "not ok - $name: got $got, want $want"; fi
}
