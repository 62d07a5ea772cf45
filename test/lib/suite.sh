# Helpers for the SQL suites of test/diff and test/ops; source it after
# setting db (a database name of the suite's own), or leave db unset and name
# the database each time.
#   fresh_db [NAME]   drop and create NAME (default $db)
#   drop_db [NAME]    drop it
#   run ARGS...       psql (on $db when set): unaligned, tuples only, stop on
#                     error
#   check NAME [WANT] QUERY
#                     "ok - NAME" when QUERY prints WANT (default 0)
#   result NAME GOT WANT
#                     "ok - NAME" when GOT is WANT
export PGOPTIONS="${PGOPTIONS:--c client_min_messages=warning}"
fresh_db() { psql -qX -c "DROP DATABASE IF EXISTS ${1:-$db} WITH (FORCE)" -c "CREATE DATABASE ${1:-$db}" >/dev/null; }
drop_db() { psql -qX -c "DROP DATABASE IF EXISTS ${1:-$db} WITH (FORCE)" >/dev/null; }
run() { psql -qAtX -v ON_ERROR_STOP=1 ${db:+-d "$db"} "$@"; }
check() {
	local name=$1 want=0 got
	if [ $# -ge 3 ]; then want=$2; shift; fi
	got=$(run -c "$2" 2>&1)
	if [ "$got" = "$want" ]; then echo "ok - $name"; else echo "not ok - $name: got $got, want $want"; fi
}
result() { if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: got '$2', want '$3'"; fi; }
