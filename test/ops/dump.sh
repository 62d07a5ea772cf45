#!/usr/bin/env bash
# Dump and restore: tables holding every type of the extension survive
# pg_dump | pg_restore (custom format), and text and binary COPY out and back
# in, value for value.  Each type contributes a table to
# test/lib/typed_values.sql; a new type adds its own there.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
src=seg_dump_src
dst=seg_dump_dst
work=$(mktemp -d /tmp/seg-dump.XXXXXX)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
export PGOPTIONS="-c client_min_messages=warning"
. "$top/test/lib/suite.sh"
fresh_db $src
fresh_db $dst

# every table t_<type> (id int primary key, v <type>) of test/lib/typed_values.sql
out=$(run -d $src -c "CREATE EXTENSION segmentation" -f "$top/test/lib/typed_values.sql" 2>&1 >/dev/null) ||
	{ echo "not ok - setting up $src: $out"; exit 1; }
tables=$(run -d $src -c "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
	WHERE relname LIKE 't\_%' AND relkind = 'r' AND relnamespace = 'public'::regnamespace")

# a declared source of events and a behavioural rule that reads it: the
# declaration (segment_source, a configuration table) must travel with the dump
run -d $src -c "CREATE TABLE customers (id int PRIMARY KEY)" \
	-c "CREATE TABLE orders (customer_id int REFERENCES customers, at timestamptz)" \
	-c "INSERT INTO customers VALUES (1), (2)" \
	-c "INSERT INTO orders VALUES (1, '2026-06-01'), (1, '2026-06-02')" \
	-c "SELECT segment_source_add('orders', 'orders', 'at')" >/dev/null
# an experiment's split stored in a table: after the restore, recomputing it
# in the other database must give every stored variant again (text keys with
# non-ASCII characters, bigint keys, weights and a coverage)
run -d $src -c "CREATE TABLE experiment_split AS
	SELECT i AS id, 'kunde-' || i || CASE WHEN i % 7 = 0 THEN '-Jürgen-😀' ELSE '' END AS key,
		   segment_variant('kunde-' || i || CASE WHEN i % 7 = 0 THEN '-Jürgen-😀' ELSE '' END, 'dump-exp', '{0.2,0.3,0.5}') AS v_text,
		   segment_variant(i::bigint, 'dump-exp', '{0.5,0.5}', 0.8) AS v_int
	FROM generate_series(1, 100000) i" >/dev/null
split_differences() {
	run -d "$1" -c "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE v_text IS DISTINCT FROM segment_variant(key, 'dump-exp', '{0.2,0.3,0.5}')
		OR v_int IS DISTINCT FROM segment_variant(id::bigint, 'dump-exp', '{0.5,0.5}', 0.8)) || ' differences, '
		|| count(DISTINCT v_text) || ' and ' || count(DISTINCT v_int) || ' variants' FROM experiment_split"
}
behaviour() { run -d "$1" -c "SELECT string_agg(id || ':' || segment_match('count(orders) >= 2', c, '2026-06-30'), ' ' ORDER BY id) FROM customers c"; }
want_behaviour=$(behaviour $src 2>&1)

fingerprint() { run -d "$1" -c "SELECT count(*) || ':' || md5(coalesce(string_agg(v::text, '|' ORDER BY id), '')) FROM $2"; }
declare -A want				# each source table's fingerprint
for t in $tables; do want[$t]=$(fingerprint $src $t); done

# pg_dump (custom format) | pg_restore into another database
if pg_dump -Fc -f "$work/src.dump" $src 2>"$work/dump.err" && pg_restore -d $dst "$work/src.dump" 2>"$work/restore.err"; then
	for t in $tables; do
		result "pg_dump and pg_restore keep every value of $t" "$(fingerprint $dst $t)" "${want[$t]}"
	done
	result "pg_dump and pg_restore keep the declared sources of behavioural rules" \
		"$(run -d $dst -c "SELECT string_agg(name || ' ' || relation || ' ' || event_key || ' ' || event_time || ' ' || customer_key, ',') FROM segment_source")" \
		"orders orders customer_id at id"
	result "an experiment split stored before pg_dump is recomputed identically after pg_restore" \
		"$(split_differences $dst)" "100000 rows, 0 differences, 3 and 2 variants"
	result "a behavioural rule reads the same after pg_restore" "$(behaviour $dst) / $want_behaviour" "1:true 2:false / 1:true 2:false"
else
	echo "not ok - pg_dump | pg_restore: $(cat "$work/dump.err" "$work/restore.err")"
fi

# COPY out and back in, text and binary
for t in $tables; do
	for format in text binary; do
		run -d $src -c "DROP TABLE IF EXISTS copy_back" -c "CREATE TABLE copy_back (LIKE $t)" \
			-c "\\copy $t TO '$work/$t.$format' (FORMAT $format)" \
			-c "\\copy copy_back FROM '$work/$t.$format' (FORMAT $format)"
		result "COPY $t out and back in, $format format" "$(fingerprint $src copy_back)" "${want[$t]}"
	done
done

# a value received in binary reads back from its own text form: rfm_thresholds
# counts are int64 in both (2^53 + 1 and 2^63 - 1 are no doubles)
run -d $src -c "CREATE TABLE big_counts (id int, v rfm_thresholds)" \
	-c "INSERT INTO big_counts VALUES
		(1, '{\"bins\": 2, \"n\": [9007199254740993, 1, 0], \"recency\": [1], \"frequency\": [2], \"monetary\": []}'),
		(2, '{\"bins\": 2, \"n\": [9223372036854775807, 0, 1], \"recency\": [NaN], \"frequency\": [], \"monetary\": [-Infinity]}')" \
	-c "CREATE TABLE from_binary (LIKE big_counts)" -c "CREATE TABLE from_text (LIKE big_counts)" \
	-c "\\copy big_counts TO '$work/big.binary' (FORMAT binary)" \
	-c "\\copy from_binary FROM '$work/big.binary' (FORMAT binary)" \
	-c "\\copy from_binary TO '$work/big.text'" \
	-c "\\copy from_text FROM '$work/big.text'"
sent() { run -d $src -c "SELECT count(*) || ':' || string_agg(rfm_thresholds_send(v)::text, ',' ORDER BY id) FROM $1"; }
result "rfm_thresholds counts beyond 2^53 received in binary read back from text" \
	"$(sent from_text)" "$(sent big_counts | grep '^2:' || echo 'big_counts missing')"

drop_db $src
drop_db $dst
