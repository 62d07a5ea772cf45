#!/usr/bin/env bash
# Live membership: segment_membership_trigger keeps a membership table current
# while four sessions change customers concurrently (updates that move
# customers between segments, inserts, deletes, key changes), and NOTIFYs each
# entry and exit.  At the end the open memberships must equal a full
# recomputation with segment_memberships, and the notifications a listener
# received must match the membership table's entries and exits one for one
# (NOTIFY is delivered at commit: nothing for rolled-back work).
set -uo pipefail
db=live_membership
. "$(dirname "$0")/../lib/suite.sh"
workers=${LIVE_WORKERS:-4}
txns=${LIVE_TXNS:-400}
fresh_db
run -c 'CREATE EXTENSION segmentation' -c "
CREATE TABLE customers (customer_id int PRIMARY KEY, country text, score int, tags text[]);
CREATE TABLE segments (name text PRIMARY KEY, priority int NOT NULL,
					   rule segment_rule NOT NULL CHECK (segment_rule_check(rule, 'customers')));
INSERT INTO segments VALUES ('dach', 1, 'country in (''DE'', ''AT'', ''CH'')'), ('high', 2, 'score >= 70'),
	('vip', 3, 'tags contains ''vip'''), ('low_fr', 4, 'country = ''FR'' and score < 30');
CREATE TABLE segment_membership (customer_key text NOT NULL, segment text NOT NULL,
								 entered_at timestamptz NOT NULL, left_at timestamptz);
CREATE UNIQUE INDEX ON segment_membership (customer_key, segment) WHERE left_at IS NULL;
CREATE TRIGGER membership AFTER INSERT OR UPDATE OR DELETE ON customers
	FOR EACH ROW EXECUTE FUNCTION segment_membership_trigger('segments', 'segment_membership', 'customer_id', 'seg_live');" \
	>/dev/null || { echo "not ok - setting up $db"; exit 1; }

# the listener, before any change
coproc L { psql -qAtX -d $db 2>&1; }
echo "LISTEN seg_live; SELECT 'listening';" >&"${L[1]}"
read -r ready <&"${L[0]}"

run -c "INSERT INTO customers SELECT i, (ARRAY['DE', 'AT', 'FR', 'US'])[1 + i % 4], (i * 37) % 100,
		CASE WHEN i % 3 = 0 THEN ARRAY['vip'] END FROM generate_series(1, 400) i" >/dev/null

worker() {
	local w=$1
	for t in $(seq 1 "$txns"); do
		local id=$(( (RANDOM % 420) + 1 ))
		case $((RANDOM % 10)) in
			0) echo "BEGIN; DELETE FROM customers WHERE customer_id = $id; COMMIT;" ;;
			1) echo "INSERT INTO customers VALUES ($id, 'CH', $((RANDOM % 100)), NULL) ON CONFLICT (customer_id) DO UPDATE SET score = EXCLUDED.score;" ;;
			2) echo "BEGIN; UPDATE customers SET score = $((RANDOM % 100)) WHERE customer_id = $id; ROLLBACK;" ;;
			3) echo "UPDATE customers SET customer_id = customer_id + 1000 WHERE customer_id = $id AND NOT EXISTS (SELECT FROM customers WHERE customer_id = $id + 1000);" ;;
			*) echo "BEGIN; UPDATE customers SET score = $((RANDOM % 100)), country = (ARRAY['DE', 'AT', 'FR', 'US', 'CH'])[$((RANDOM % 5 + 1))],
					tags = CASE WHEN $((RANDOM % 2)) = 0 THEN ARRAY['vip'] END WHERE customer_id = $id; COMMIT;" ;;
		esac
	done | psql -qX -d $db -v ON_ERROR_STOP=0 >/dev/null 2>"$work/worker$w.err"
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pids=()
for w in $(seq 1 "$workers"); do
	worker "$w" &
	pids+=($!)
done
wait "${pids[@]}"

# collect what the listener received: psql prints pending notifications
# after the answer of the command it runs next, so a second command marks
# their end
echo "SELECT 'flush'; SELECT 'done';" >&"${L[1]}"
: >"$work/notes"
while read -r line <&"${L[0]}"; do
	[ "$line" = done ] && break
	echo "$line" >>"$work/notes"
done
echo '\q' >&"${L[1]}"
enters=$(grep -c '\\"event\\": \\"enter\\"\|"event": "enter"' "$work/notes")
leaves=$(grep -c '\\"event\\": \\"leave\\"\|"event": "leave"' "$work/notes")

check "the open memberships equal a full recomputation after $workers concurrent sessions of $txns transactions" 0 "
WITH now AS (SELECT c.customer_id::text AS k, s FROM customers c,
				  (SELECT array_agg(name ORDER BY priority, name) AS n, array_agg(rule ORDER BY priority, name) AS r FROM segments) g,
				  unnest(segment_memberships(g.n, g.r, c)) s),
	 open AS (SELECT customer_key AS k, segment AS s FROM segment_membership WHERE left_at IS NULL)
SELECT count(*) FROM ((SELECT * FROM now EXCEPT SELECT * FROM open) UNION ALL (SELECT * FROM open EXCEPT SELECT * FROM now)) d"
want=$(run -c "SELECT count(*) || ' ' || count(left_at) FROM segment_membership")
if [ "$enters $leaves" = "$want" ] && [ "$enters" -gt 400 ] && [ "$leaves" -gt 50 ]; then
	echo "ok - every committed entry and exit was notified once ($enters entries, $leaves exits)"
else
	echo "not ok - notifications: $enters entries, $leaves exits; the membership table has (entries exits) $want"
fi

# An event source: orders change the memberships of segments with
# behavioural conditions, through segment_membership_event_trigger.  Orders
# come and go (inserts, deletes, a change of customer); at the end the open
# memberships equal a full recomputation again.
run -c "
CREATE TABLE orders (order_id serial PRIMARY KEY, customer_id int, ordered_at timestamptz NOT NULL, amount numeric);
SELECT segment_source_add('orders', 'orders', 'ordered_at', 'customer_id', 'customer_id');
INSERT INTO segments VALUES ('buyer', 5, 'exists(orders within 30 days)'),
	('big_spender', 6, 'sum(orders.amount) > 100 and not country = ''US''');
CREATE TRIGGER membership AFTER INSERT OR UPDATE OR DELETE ON orders
	FOR EACH ROW EXECUTE FUNCTION segment_membership_event_trigger('customers', 'customer_id', 'customer_id',
																   'segments', 'segment_membership', 'seg_live');" \
	>/dev/null || echo "not ok - setting up the event source"
before=$(run -c "SELECT count(*) FROM segment_membership WHERE segment IN ('buyer', 'big_spender') AND left_at IS NULL")
run -c "INSERT INTO orders (customer_id, ordered_at, amount)
		SELECT 1 + (i * 7) % 430, now() - (i % 60) * interval '1 day', 10 + i % 90 FROM generate_series(1, 600) i" >/dev/null
run -c "DELETE FROM orders WHERE order_id % 5 = 0" >/dev/null
run -c "UPDATE orders SET customer_id = customer_id + 1 WHERE order_id % 7 = 0" >/dev/null
after=$(run -c "SELECT count(*) FROM segment_membership WHERE segment IN ('buyer', 'big_spender') AND left_at IS NULL")
if [ "$before" -eq 0 ] && [ "$after" -gt 100 ]; then
	echo "ok - orders moved customers into behavioural segments ($before open before, $after after)"
else
	echo "not ok - behavioural memberships: $before open before the orders, $after after"
fi
check "after orders came, went and changed customer, the open memberships equal a full recomputation" 0 "
WITH now AS (SELECT c.customer_id::text AS k, s FROM customers c,
				  (SELECT array_agg(name ORDER BY priority, name) AS n, array_agg(rule ORDER BY priority, name) AS r FROM segments) g,
				  unnest(segment_memberships(g.n, g.r, c)) s),
	 open AS (SELECT customer_key AS k, segment AS s FROM segment_membership WHERE left_at IS NULL)
SELECT count(*) FROM ((SELECT * FROM now EXCEPT SELECT * FROM open) UNION ALL (SELECT * FROM open EXCEPT SELECT * FROM now)) d"
psql -qX -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
