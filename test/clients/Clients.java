/*
 * The README workflows through the PostgreSQL JDBC driver, as a BI tool
 * (Metabase, DBeaver, Tableau) runs them: prepared statements that the driver
 * prepares on the server from their first execution (prepareThreshold=1),
 * arguments bound with setString, setObject, setInt, setDouble and arrays.
 *
 * usage: java -cp postgresql.jar Clients.java JDBC_URL OUT_DIR [JDBC_URL OUT_DIR ...]
 *
 * Each pair runs every check once, so one JVM serves several connection
 * settings (prepareThreshold=1: server-side statements from the first
 * execution, text results; prepareThreshold=-1: binary transfer too).  Each
 * value query writes its rows, unaligned (col|col, NULL empty), to
 * OUT_DIR/NAME.txt, which test/clients/clients.sh compares with the same query
 * with literals through psql (reference.sql).  The checks of what BI tools
 * read (result metadata, plans, errors) print TAP lines here.  One JVM runs
 * them all.
 */
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

public class Clients {
	static int failed = 0;
	static Path out;
	static String label;

	static void ok(boolean cond, String name, Object got) {
		if (cond)
			System.out.println("ok - jdbc " + label + ": " + name);
		else {
			System.out.println("not ok - jdbc " + label + ": " + name + ": got " + got);
			failed++;
		}
	}

	/* the rows of a result, as psql -At prints them */
	static List<String> rows(ResultSet rs) throws SQLException {
		List<String> lines = new ArrayList<>();
		int n = rs.getMetaData().getColumnCount();
		while (rs.next()) {
			StringBuilder b = new StringBuilder();
			for (int i = 1; i <= n; i++) {
				String v = rs.getString(i);
				if (i > 1)
					b.append('|');
				b.append(v == null ? "" : v);
			}
			lines.add(b.toString());
		}
		rs.close();
		return lines;
	}

	static void write(String name, PreparedStatement ps) throws Exception {
		Files.write(out.resolve(name + ".txt"), rows(ps.executeQuery()));
	}

	static String one(Connection c, String sql) throws SQLException {
		try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	static String typeNames(ResultSetMetaData md) throws SQLException {
		StringBuilder b = new StringBuilder();
		for (int i = 1; i <= md.getColumnCount(); i++)
			b.append(i > 1 ? "," : "").append(md.getColumnName(i)).append(' ').append(md.getColumnTypeName(i));
		return b.toString();
	}

	static final String SEGMENT_RULE = "country in ('DE', 'AT') and plan = 'pro' and age between 25 and 54";
	static final String INDEXED_RULE = "city = 'Leeds' and age < 40";

	public static void main(String[] args) throws Exception {
		for (int i = 0; i + 1 < args.length; i += 2) {
			out = Path.of(args[i + 1]);
			label = "(" + args[i].replaceAll(".*[?&](prepareThreshold=[-0-9]+).*", "$1") + ")";
			try {
				run(args[i]);
			} catch (Exception e) {
				System.out.println("not ok - jdbc " + label + ": " + e);
				failed++;
			}
		}
		System.exit(failed == 0 ? 0 : 1);
	}

	static void run(String url) throws Exception {
		Connection c = DriverManager.getConnection(url);
		ok(one(c, "SELECT current_setting('server_version_num')").startsWith("15"), "connected to PostgreSQL 15",
		   one(c, "SELECT version()"));

		/* 1. RFM: the segment report, the rows, stored breakpoints */
		PreparedStatement ps = c.prepareStatement(
			"SELECT (s).segment, count(*), round(avg(monetary), 2) AS avg_spend " +
			"FROM (SELECT rfm_score(recency, frequency, monetary, ?) OVER () AS s, monetary FROM customer_totals) x " +
			"GROUP BY 1 ORDER BY 3 DESC, 1");
		ps.setInt(1, 5);
		write("rfm_report", ps);
		ps = c.prepareStatement("SELECT customer_id, (rfm_score(recency, frequency, monetary) OVER ()).* " +
								"FROM customer_totals ORDER BY customer_id LIMIT ?");
		ps.setInt(1, 50);
		write("rfm_rows", ps);
		ResultSetMetaData md = ps.getMetaData();
		ok(typeNames(md).equals("customer_id int8,recency int4,frequency int4,monetary numeric,r int2,f int2,m int2,cell text,segment text"),
		   "the fields of rfm_score(...).* have their SQL types", typeNames(md));
		ps = c.prepareStatement("SELECT rfm_score(recency, frequency, monetary) OVER () AS score FROM customer_totals " +
								"ORDER BY customer_id LIMIT 1");
		try (ResultSet rs = ps.executeQuery()) {
			rs.next();
			md = rs.getMetaData();
			ok(md.getColumnTypeName(1).equals("rfm") && rs.getString(1).matches("\\(\\d+,\\d+,[0-9.]+,[1-5],[1-5],[1-5],[1-5]{3},\"?[A-Za-z ]+\"?\\)"),
			   "a composite rfm column: type name rfm, text (recency,frequency,monetary,r,f,m,cell,segment)",
			   md.getColumnTypeName(1) + " " + rs.getString(1));
			Object o = rs.getObject(1);
			ok(o instanceof PGobject && ((PGobject) o).getType().equals("rfm"), "getObject of an rfm is a PGobject of type rfm",
			   o == null ? null : o.getClass() + " " + ((PGobject) o).getType());
		}
		ps = c.prepareStatement("SELECT c.customer_id, (rfm_score(c.recency, c.frequency, c.monetary, b.th)).segment " +
								"FROM customer_totals c, rfm_breakpoints b WHERE c.customer_id <= ? ORDER BY 1");
		ps.setLong(1, 300);
		write("rfm_stored", ps);

		/* 2. lifecycle, as_of bound as an OffsetDateTime */
		ps = c.prepareStatement("SELECT stage, count(*) " +
			"FROM (SELECT lifecycle_stage(o.ordered_at, ?) AS stage " +
			"      FROM customers c LEFT JOIN orders o USING (customer_id) GROUP BY c.customer_id) s " +
			"GROUP BY stage ORDER BY stage");
		ps.setObject(1, OffsetDateTime.of(2026, 7, 1, 0, 0, 0, 0, ZoneOffset.UTC));
		write("lifecycle", ps);
		md = ps.getMetaData();
		ok(md.getColumnTypeName(1).equals("lifecycle_stage") && md.getColumnClassName(1).equals("java.lang.String"),
		   "a lifecycle_stage column: type name lifecycle_stage, read as a String",
		   md.getColumnTypeName(1) + " " + md.getColumnClassName(1));

		/* 3. a saved segment: the rule bound by setString (varchar), setObject
		 *    with Types.OTHER (an untyped parameter), and into @@ */
		ps = c.prepareStatement("SELECT customer_id FROM customers c WHERE segment_match(?, c) ORDER BY 1");
		ps.setString(1, SEGMENT_RULE);
		write("segment_rows", ps);
		ps.setObject(1, SEGMENT_RULE, Types.OTHER);
		Files.write(out.resolve("segment_rows_other.txt"), rows(ps.executeQuery()));
		ps = c.prepareStatement("SELECT customer_id FROM customers c WHERE c @@ ? ORDER BY 1");
		ps.setString(1, SEGMENT_RULE);
		Files.write(out.resolve("segment_rows_op.txt"), rows(ps.executeQuery()));

		/* the indexed rule, executed ten times: past the fifth, PostgreSQL
		 * weighs the generic plan; the plan of the sixth and later is read
		 * through EXPLAIN EXECUTE of the driver's own server-side statement */
		ps = c.prepareStatement("SELECT customer_id FROM customers c WHERE segment_match(?, c) ORDER BY 1");
		List<String> first = null;
		boolean same = true;
		for (int i = 0; i < 10; i++) {
			ps.setString(1, INDEXED_RULE);
			List<String> r = rows(ps.executeQuery());
			if (first == null)
				first = r;
			else
				same &= r.equals(first);
		}
		Files.write(out.resolve("segment_indexed.txt"), first);
		ok(same, "the indexed rule returns the same rows in all ten executions", "different rows");
		String stmt = null, counts = null;
		try (Statement st = c.createStatement();
			 ResultSet rs = st.executeQuery("SELECT name, generic_plans || ' generic, ' || custom_plans || ' custom', " +
				"parameter_types::text FROM pg_prepared_statements " +
				"WHERE statement LIKE '%segment_match(%' AND statement LIKE '%customer_id FROM customers c%' " +
				"ORDER BY custom_plans + generic_plans DESC LIMIT 1")) {
			if (rs.next()) {
				stmt = rs.getString(1);
				counts = rs.getString(2) + " " + rs.getString(3);
			}
		}
		ok(stmt != null && counts.equals("0 generic, 10 custom {\"character varying\"}"),
		   "the driver's server-side statement (rule bound as varchar) kept the custom plan in all ten executions",
		   stmt + ": " + counts);
		if (stmt != null) {
			List<String> plan = rows(c.createStatement().executeQuery(
				"EXPLAIN (COSTS OFF) EXECUTE \"" + stmt + "\"('" + INDEXED_RULE.replace("'", "''") + "')"));
			String p = String.join(" / ", plan);
			ok(p.contains("customers_city") && p.contains("'Leeds'::text") && !p.contains("segment_match"),
			   "EXPLAIN EXECUTE of the driver's statement after ten executions: the rule inlined, the city index used", p);
		}

		/* a saved segment stored through the driver: setString into a
		 * segment_rule column, read back as text, matched in a join */
		c.setAutoCommit(false);
		ps = c.prepareStatement("INSERT INTO segments (name, priority, rule) VALUES (?, ?, ?)");
		ps.setString(1, "leeds_young");
		ps.setInt(2, 9);
		ps.setString(3, INDEXED_RULE.toUpperCase().replace("'LEEDS'", "'Leeds'"));
		ok(ps.executeUpdate() == 1, "INSERT of a rule bound by setString into a segment_rule column", "no row");
		ps = c.prepareStatement("SELECT rule FROM segments WHERE name = ?");
		ps.setString(1, "leeds_young");
		try (ResultSet rs = ps.executeQuery()) {
			rs.next();
			md = rs.getMetaData();
			ok(md.getColumnTypeName(1).equals("segment_rule") && rs.getString(1).equals(INDEXED_RULE),
			   "a segment_rule column reads as its canonical text", md.getColumnTypeName(1) + " " + rs.getString(1));
		}
		ps = c.prepareStatement("SELECT s.name, count(*) FROM segments s JOIN customers c ON c @@ s.rule " +
								"WHERE s.name <> ? GROUP BY s.name ORDER BY 1");
		ps.setString(1, "leeds_young");
		write("segment_saved", ps);
		c.rollback();
		c.setAutoCommit(true);

		/* a bad rule bound as a parameter: the literal's error and SQLSTATE */
		ps = c.prepareStatement("SELECT count(*) FROM customers c WHERE segment_match(?, c)");
		ps.setString(1, "contry = 'DE'");
		String state = null;
		try {
			ps.executeQuery().close();
		} catch (SQLException e) {
			state = e.getSQLState() + " " + e.getMessage().split("\n")[0];
		}
		ok(state != null && state.startsWith("42703 ") && state.contains("\"contry\""),
		   "a misspelt attribute in a bound rule is 42703, naming it", state);

		/* segment_sql and segment_estimate with the rule as a parameter */
		ps = c.prepareStatement("SELECT segment_sql(?, 'customers'), segment_estimate(?, ?::regclass) > 0");
		ps.setString(1, INDEXED_RULE);
		ps.setString(2, INDEXED_RULE);
		ps.setString(3, "customers");
		write("segment_sql", ps);
		ps = c.prepareStatement("SELECT segment_rule_check(?, 'customers')");
		ps.setString(1, INDEXED_RULE);
		try (ResultSet rs = ps.executeQuery()) {
			rs.next();
			ok(rs.getBoolean(1), "segment_rule_check with a rule bound by setString", rs.getString(1));
		}

		/* 4. a catalogue: names and rules bound as arrays */
		String[] names = {"dach_pro", "leeds", "young", "reachable"};
		String[] rules = {"country in ('DE', 'AT') and plan = 'pro' and not unsubscribed", "city = 'Leeds'", "age < 25",
						  "consent_email and not unsubscribed"};
		ps = c.prepareStatement("SELECT segment_classify(?, ?, c) AS segment, count(*) FROM customers c GROUP BY 1 ORDER BY 1");
		ps.setArray(1, c.createArrayOf("text", names));
		ps.setArray(2, c.createArrayOf("varchar", rules));
		write("catalogue", ps);
		ps = c.prepareStatement("SELECT customer_id, segment_memberships(?, ?, c) FROM customers c " +
								"WHERE customer_id <= ? ORDER BY 1");
		ps.setArray(1, c.createArrayOf("text", names));
		ps.setArray(2, c.createArrayOf("text", rules));
		ps.setInt(3, 200);
		write("memberships", ps);
		md = ps.getMetaData();
		ok(md.getColumnTypeName(2).equals("_text") && md.getColumnType(2) == Types.ARRAY,
		   "segment_memberships is a text array", md.getColumnTypeName(2) + " " + md.getColumnType(2));

		/* 5. CLV: the fit with the unit bound as an interval, scoring with
		 *    the horizon bound as a double, the model as text and jsonb */
		ps = c.prepareStatement("SELECT plan, (r).variant, (r).n, (r).mean, (r).p_value " +
			"FROM (SELECT plan, unnest(segment_lift_mean(segment_variant(customer_id, ?, ?), age::float8)) AS r " +
			"FROM customers GROUP BY plan) s ORDER BY 1, 2");
		ps.setString(1, "spring-sale");
		ps.setArray(2, c.createArrayOf("float8", new Double[] {0.5, 0.5}));
		write("experiment", ps);
		ps = c.prepareStatement("SELECT segment_cluster(m.model, ARRAY[age, extract(year FROM signup_date)]::float8[]) AS cluster, count(*) " +
			"FROM customers, (SELECT segment_kmeans(ARRAY[age, extract(year FROM signup_date)]::float8[], ?) AS model " +
			"FROM customers) m GROUP BY 1 ORDER BY 1");
		ps.setInt(1, 3);
		write("kmeans", ps);
		ps = c.prepareStatement("SELECT clv_fit(s, ?, ?) FROM clv_summaries");
		ps.setDouble(1, 0);
		ps.setObject(2, new PGInterval("7 days"));
		write("clv_fit", ps);
		md = ps.getMetaData();
		ok(md.getColumnTypeName(1).equals("clv_model"), "a clv_model column has type name clv_model", md.getColumnTypeName(1));
		ps = c.prepareStatement("SELECT customer_id, clv_p_alive(m.model, s), clv_expected_purchases(m.model, s, ?), " +
			"clv_expected_spend(m.model, s), clv_estimate(m.model, s, ?, ?) " +
			"FROM clv_summaries, clv_models m WHERE customer_id <= ? ORDER BY 1");
		ps.setDouble(1, 52);
		ps.setInt(2, 12);
		ps.setDouble(3, 0.01);
		ps.setInt(4, 200);
		write("clv_scores", ps);
		md = ps.getMetaData();
		ok(md.getColumnTypeName(2).equals("float8") && md.getColumnType(2) == Types.DOUBLE,
		   "CLV predictions are float8 (Types.DOUBLE)", md.getColumnTypeName(2));
		try (ResultSet rs = c.createStatement().executeQuery(
				"SELECT model::jsonb, model::text, model FROM clv_models")) {
			rs.next();
			md = rs.getMetaData();
			String j = rs.getString(1);
			ok(md.getColumnTypeName(1).equals("jsonb") && j.contains("\"converged\"") && j.contains("\"r\""),
			   "model::jsonb is a jsonb column holding the parameters and convergence", md.getColumnTypeName(1) + " " + j);
			ok(md.getColumnTypeName(2).equals("text") && rs.getString(2).equals(rs.getString(3)),
			   "a clv_model reads as its text", rs.getString(3));
		}

		/* 6. the object listing a BI tool's browser can show */
		try (ResultSet rs = c.createStatement().executeQuery(
				"SELECT name, kind, signature, description FROM segmentation_objects WHERE name = 'segment_match' ORDER BY 3")) {
			md = rs.getMetaData();
			int n = 0;
			boolean described = true;
			while (rs.next()) {
				n++;
				described &= rs.getString(4) != null && !rs.getString(4).isEmpty();
			}
			ok(typeNames(md).equals("name text,kind text,signature text,description text") && n == 4 && described,
			   "segmentation_objects: text columns, segment_match's four overloads described", typeNames(md) + " " + n);
		}
		/* the catalogue's comments, as DatabaseMetaData shows them */
		try (ResultSet rs = c.getMetaData().getFunctions(null, "public", "segment_sql")) {
			String remarks = null;
			while (rs.next())
				remarks = rs.getString("REMARKS");
			ok(remarks != null && remarks.contains("SQL"), "DatabaseMetaData.getFunctions shows segment_sql's comment", remarks);
		}
		c.close();
	}
}
