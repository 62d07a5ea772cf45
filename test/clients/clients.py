"""The README workflows through psycopg2, as a notebook or Superset runs them.

usage: /usr/bin/python3 clients.py DSN OUT_DIR

psycopg2 interpolates its parameters on the client (a rule bound by %s
arrives as an untyped literal); an application that prepares on the server
uses PREPARE and EXECUTE, which this runs too.  Each value query writes its
rows, unaligned (col|col, NULL empty, as psql -At prints them), to
OUT_DIR/NAME.txt for test/clients/compare.py; the checks of what a client
reads (cursor.description, adapted Python values, plans) print TAP lines.
"""
import datetime
import decimal
import os
import sys

import psycopg2
import psycopg2.extras

failed = 0
SEGMENT_RULE = "country in ('DE', 'AT') and plan = 'pro' and age between 25 and 54"
INDEXED_RULE = "city = 'Leeds' and age < 40"


def ok(cond, name, got):
    global failed
    if cond:
        print("ok - psycopg2: " + name)
    else:
        print("not ok - psycopg2: %s: got %r" % (name, got))
        failed += 1


def text(v):
    """a value as psql prints it"""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list):
        return "{" + ",".join(text(e) for e in v) + "}"
    return str(v)


def write(out, name, cur, sql, args=None):
    cur.execute(sql, args)
    with open(os.path.join(out, name + ".txt"), "w") as f:
        for row in cur.fetchall():
            f.write("|".join(text(v) for v in row) + "\n")


def types(cur):
    """the description's columns with their type names"""
    oids = [d.type_code for d in cur.description]
    c = cur.connection.cursor()
    c.execute("SELECT array_agg(format_type(o, NULL) ORDER BY n) FROM unnest(%s::oid[]) WITH ORDINALITY u(o, n)", (oids,))
    names = c.fetchone()[0]
    return ",".join("%s %s" % (d.name, t) for d, t in zip(cur.description, names))


def main():
    dsn, out = sys.argv[1:3]
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    cur = conn.cursor()

    # 1. RFM
    write(out, "rfm_report", cur,
          "SELECT (s).segment, count(*), round(avg(monetary), 2) AS avg_spend "
          "FROM (SELECT rfm_score(recency, frequency, monetary, %s) OVER () AS s, monetary FROM customer_totals) x "
          "GROUP BY 1 ORDER BY 3 DESC, 1", (5,))
    write(out, "rfm_rows", cur, "SELECT customer_id, (rfm_score(recency, frequency, monetary) OVER ()).* "
          "FROM customer_totals ORDER BY customer_id LIMIT %s", (50,))
    ok(types(cur) == "customer_id bigint,recency integer,frequency integer,monetary numeric,r smallint,f smallint,"
       "m smallint,cell text,segment text", "cursor.description of rfm_score(...).*", types(cur))
    cur.execute("SELECT rfm_score(recency, frequency, monetary) OVER () AS score, monetary "
                "FROM customer_totals ORDER BY customer_id LIMIT 1")
    score, monetary = cur.fetchone()
    ok(types(cur) == "score rfm,monetary numeric" and isinstance(score, str) and score.startswith("("),
       "an rfm column: type rfm, a string (recency,...) until registered", (types(cur), score))
    psycopg2.extras.register_composite("rfm", cur)
    cur.execute("SELECT rfm_score(recency, frequency, monetary) OVER () AS score, monetary "
                "FROM customer_totals ORDER BY customer_id LIMIT 1")
    score, monetary = cur.fetchone()
    ok(score._fields == ("recency", "frequency", "monetary", "r", "f", "m", "cell", "segment")
       and isinstance(score.monetary, decimal.Decimal) and score.monetary == monetary
       and score.cell == "%d%d%d" % (score.r, score.f, score.m),
       "register_composite('rfm') reads the score as a named tuple of typed fields", score)
    write(out, "rfm_stored", cur,
          "SELECT c.customer_id, (rfm_score(c.recency, c.frequency, c.monetary, b.th)).segment "
          "FROM customer_totals c, rfm_breakpoints b WHERE c.customer_id <= %s ORDER BY 1", (300,))

    # 2. lifecycle, as_of a timezone-aware datetime
    write(out, "lifecycle", cur,
          "SELECT stage, count(*) FROM (SELECT lifecycle_stage(o.ordered_at, %s) AS stage "
          "FROM customers c LEFT JOIN orders o USING (customer_id) GROUP BY c.customer_id) s "
          "GROUP BY stage ORDER BY stage",
          (datetime.datetime(2026, 7, 1, tzinfo=datetime.timezone.utc),))
    ok(types(cur) == "stage lifecycle_stage,count bigint", "cursor.description: a lifecycle_stage column", types(cur))

    # 3. a saved segment: the rule bound by %s, into segment_match and @@
    write(out, "segment_rows", cur, "SELECT customer_id FROM customers c WHERE segment_match(%s, c) ORDER BY 1",
          (SEGMENT_RULE,))
    write(out, "segment_rows_op", cur, "SELECT customer_id FROM customers c WHERE c @@ %s ORDER BY 1", (SEGMENT_RULE,))
    # a server-side prepared statement with the rule as a varchar parameter,
    # executed ten times, then its plan and plan counts
    cur.execute("PREPARE seg(varchar) AS SELECT customer_id FROM customers c WHERE segment_match($1, c) ORDER BY 1")
    results = []
    for _ in range(10):
        cur.execute("EXECUTE seg(%s)", (INDEXED_RULE,))
        results.append(cur.fetchall())
    with open(os.path.join(out, "segment_indexed.txt"), "w") as f:
        f.write("".join("%d\n" % r[0] for r in results[0]))
    ok(all(r == results[0] for r in results), "EXECUTE of the prepared rule: the same rows ten times", len(results))
    cur.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'seg'")
    counts = cur.fetchone()
    ok(counts == (0, 10), "PostgreSQL keeps the custom plan past the fifth execution (generic, custom)", counts)
    cur.execute("EXPLAIN (COSTS OFF) EXECUTE seg(%s)", (INDEXED_RULE,))
    plan = " / ".join(r[0] for r in cur.fetchall())
    ok("customers_city" in plan and "segment_match" not in plan,
       "EXPLAIN EXECUTE after ten executions: the rule inlined, the city index used", plan)
    cur.execute("DEALLOCATE seg")

    cur.execute("SELECT name, rule FROM segments ORDER BY priority LIMIT 1")
    name, rule = cur.fetchone()
    ok(types(cur) == "name text,rule segment_rule" and rule.startswith("country in ("),
       "a segment_rule column: type segment_rule, read as its text", (types(cur), rule))
    write(out, "segment_saved", cur, "SELECT s.name, count(*) FROM segments s JOIN customers c ON c @@ s.rule "
          "WHERE s.name <> %s GROUP BY s.name ORDER BY 1", ("none",))
    write(out, "segment_sql", cur, "SELECT segment_sql(%s, 'customers'), segment_estimate(%s, %s) > 0",
          (INDEXED_RULE, INDEXED_RULE, "customers"))
    try:
        cur.execute("SELECT count(*) FROM customers c WHERE segment_match(%s, c)", ("contry = 'DE'",))
        got = "no error"
    except psycopg2.Error as e:
        got = (e.pgcode, e.diag.message_primary, e.diag.message_hint)
    ok(got[0] == "42703" and '"contry"' in got[1] and '"country"' in (got[2] or ""),
       "a misspelt attribute: 42703 with a hint naming the column", got)

    # 4. a catalogue from Python lists
    names = ["dach_pro", "leeds", "young", "reachable"]
    rules = ["country in ('DE', 'AT') and plan = 'pro' and not unsubscribed", "city = 'Leeds'", "age < 25",
             "consent_email and not unsubscribed"]
    write(out, "catalogue", cur, "SELECT segment_classify(%s, %s, c) AS segment, count(*) FROM customers c "
          "GROUP BY 1 ORDER BY 1", (names, rules))
    write(out, "memberships", cur, "SELECT customer_id, segment_memberships(%s, %s, c) FROM customers c "
          "WHERE customer_id <= %s ORDER BY 1", (names, rules, 200))

    # an experiment's lift per plan, the experiment and weights bound; k-means with k bound
    write(out, "experiment", cur,
          "SELECT plan, (r).variant, (r).n, (r).mean, (r).p_value "
          "FROM (SELECT plan, unnest(segment_lift_mean(segment_variant(customer_id, %s, %s), age::float8)) AS r "
          "FROM customers GROUP BY plan) s ORDER BY 1, 2", ("spring-sale", [0.5, 0.5]))
    write(out, "kmeans", cur,
          "SELECT segment_cluster(m.model, ARRAY[age, extract(year FROM signup_date)]::float8[]) AS cluster, count(*) "
          "FROM customers, (SELECT segment_kmeans(ARRAY[age, extract(year FROM signup_date)]::float8[], %s) AS model "
          "FROM customers) m GROUP BY 1 ORDER BY 1", (3,))

    # 5. CLV: the unit a timedelta, the horizon a float
    write(out, "clv_fit", cur, "SELECT clv_fit(s, %s, %s) FROM clv_summaries", (0.0, datetime.timedelta(days=7)))
    ok(types(cur) == "clv_fit clv_model", "cursor.description: a clv_model column", types(cur))
    write(out, "clv_scores", cur,
          "SELECT customer_id, clv_p_alive(m.model, s), clv_expected_purchases(m.model, s, %s), "
          "clv_expected_spend(m.model, s), clv_estimate(m.model, s, %s, %s) "
          "FROM clv_summaries, clv_models m WHERE customer_id <= %s ORDER BY 1", (52.0, 12, 0.01, 200))
    cur.execute("SELECT model::jsonb AS j FROM clv_models")
    j = cur.fetchone()[0]
    ok(types(cur) == "j jsonb" and isinstance(j, dict) and j["bgnbd"]["converged"] is True
       and isinstance(j["bgnbd"]["r"], float) and j["unit_days"] == 7,
       "model::jsonb arrives as a Python dict: parameters as floats, convergence as a bool", (types(cur), j))

    # 6. the object listing
    cur.execute("SELECT name, kind, signature, description FROM segmentation_objects WHERE kind = %s", ("aggregate",))
    rows = cur.fetchall()
    ok(types(cur) == "name text,kind text,signature text,description text" and len(rows) > 5
       and all(r[3] for r in rows), "segmentation_objects: the aggregates, each described", (types(cur), len(rows)))
    conn.close()
    return 1 if failed else 0


sys.exit(main())
