#!/usr/bin/env perl
# Random segment rules and the native SQL each one means, for
# test/diff/rule_match.sh.  Prints one line per rule:
#   target <TAB> rule text <TAB> native SQL boolean expression
# target is "row" (segment_match(rule, t, as_of)) or "doc" (segment_match(rule,
# t.profile, as_of)).  The native SQL is written independently of the binder:
# ~= as equality under a nondeterministic ICU collation (ci), ilike as LIKE
# over ICU lower(), substrings with strpos, and jsonb paths with #> and the
# typing rules of README spelled out as CASE over jsonb_typeof.
#
# usage: rulegen.pl COUNT SEED AS_OF
use strict;
use warnings;

my ($count, $seed, $as_of) = @ARGV;
srand($seed);
my $asof = "'$as_of'::timestamptz";

sub pick { return $_[int(rand(scalar @_))]; }
sub q { my $s = shift; $s =~ s/'/''/g; return "'$s'"; }

# typed columns: name, kind, literals (as written in both languages)
my %lits = (
	text      => ["'DE'", "'AT'", "'CH'", "'de'", "'Ü'", "''", "'Zoë'", "'zoe'", "'O''Brien'"],
	plan      => ["'free'", "'pro'", "'team'", "'Pro'"],
	int       => ['18', '25', '30', '42', '54', '-1', "'30'", "'42'", '0'],
	numeric   => ['10.5', '100', '0', '99.99', '1e2', "'250.25'", '-3'],
	float     => ['0.5', '1', '0.25', "'0.75'", '2'],
	date      => ["'2024-01-01'", "'2023-06-15'", "'2025-06-01'", "'2025-06-30'"],
	timestamptz => ["'2025-06-01 00:00:00+00'", "'2025-05-01'", "'2025-06-29 12:00:00+02'"],
	timestamp => ["'2025-06-01 08:00'", "'2024-12-31 23:59:59'", "'2025-06-30'"],
);
my @patterns = ("'%e%'", "'Z%'", "'_o%'", "'%ë'", "'J%'", "'%\\_%'", "'%'", "'M%'");
my @ipatterns = ("'zoë%'", "'%JOSÉ%'", "'ørsted'", "'%ж%'", "'%E'", "'m_nchen'", "'%Ü%'");
my @icu = ("'zoe'", "'JOSE'", "'orsted'", "'munchen'", "'MÜNCHEN'", "'москва'", "'ÆRØ'", "'aero'");
my @subs = ("'o'", "'ë'", "'Mü'", "'e'", "'x'", "'%'", "'_'");

my @columns = (
	['country', 'text', 'country'], ['plan', 'plan', 'plan'], ['name', 'name', 'name'],
	['city', 'name', 'city'], ['age', 'int', 'age'], ['score', 'numeric', 'score'],
	['ratio', 'float', 'ratio'], ['unsubscribed', 'bool', 'unsubscribed'],
	['consent', 'bool', 'consent'], ['signup_date', 'date', 'signup_date'],
	['last_order_at', 'timestamptz', 'last_order_at'], ['seen_at', 'timestamp', 'seen_at'],
	['tags', 'textarr', 'tags'], ['nums', 'intarr', 'nums'],
	['addr.city', 'name', '(addr).city'], ['addr.zip', 'text', '(addr).zip'],
);
my @jpaths = (['plan'], ['n'], ['vip'], ['since'], ['city'], ['tags'], ['a', 'b'], ['score']);

sub list_of { my ($src, $n) = @_; return join(', ', map { pick(@$src) } 1 .. $n); }

sub typed_predicate {
	my ($col, $kind, $nat) = @{ pick(@columns) };
	my $r = rand();
	my $neg = rand() < 0.3 ? 'not ' : '';
	if ($r < 0.08) {
		my $nn = rand() < 0.5 ? 'not ' : '';
		return ("$col is ${nn}null", "($nat is ${nn}null)");
	}
	if ($kind eq 'bool') {
		return rand() < 0.5 ? ($col, "($nat)")
			: ("$col = " . ($r < 0.7 ? 'true' : 'false'), "($nat = " . ($r < 0.7 ? 'true' : 'false') . ")");
	}
	if ($kind eq 'textarr' || $kind eq 'intarr') {
		my @el = $kind eq 'textarr' ? ("'vip'", "'b2b'", "'newsletter'", "'Zoë'", "'x'") : ('1', '2', '3', '5');
		my $t = $kind eq 'textarr' ? 'text[]' : 'int[]';
		my $k = rand();
		if ($k < 0.4) { my $l = pick(@el); return ("$col contains $l", "($nat @> ARRAY[$l]::$t)"); }
		my $l = list_of(\@el, 1 + int(rand(3)));
		return $k < 0.7 ? ("$col contains any ($l)", "($nat && ARRAY[$l]::$t)")
			: ("$col contains all ($l)", "($nat @> ARRAY[$l]::$t)");
	}
	my $lk = $kind eq 'name' ? 'text' : $kind;
	my @l = @{ $lits{$lk} };
	if ($kind =~ /^(date|timestamp|timestamptz)$/ && $r < 0.35) {
		my $n = int(rand(120));
		my $u = pick('days', 'weeks', 'months');
		my $ru = $n == 1 ? ($u =~ s/s$//r) : $u;
		return ("$col within $n $ru",
			"($nat >= $asof - interval '$n $u' and $nat <= $asof)");
	}
	if ($kind eq 'text' || $kind eq 'name' || $kind eq 'plan') {
		my $k = rand();
		if ($k < 0.12) { my $p = pick(@patterns); return ("$col ${neg}like $p", "($nat ${neg}like $p)"); }
		if ($k < 0.24) {
			my $p = pick(@ipatterns);
			return ("$col ${neg}ilike $p",
				"(${neg}(lower($nat collate \"und-x-icu\") like lower($p collate \"und-x-icu\")))");
		}
		if ($k < 0.36) { my $l = pick(@icu); return ("$col ~= $l", "($nat = $l collate ci)"); }
		if ($k < 0.48) {
			my $k2 = rand();
			if ($k2 < 0.5) { my $s = pick(@subs); return ("$col contains $s", "(strpos($nat, $s) > 0)"); }
			my @s = map { pick(@subs) } 1 .. (1 + int(rand(3)));
			my $all = $k2 < 0.75;
			return ("$col contains " . ($all ? 'all' : 'any') . ' (' . join(', ', @s) . ')',
				'(' . join($all ? ' and ' : ' or ', map { "strpos($nat, $_) > 0" } @s) . ')');
		}
	}
	my $k = rand();
	if ($k < 0.5) {
		my $op = pick('=', '<>', '<', '<=', '>', '>=');
		my $l = pick(@l);
		my $rop = $op;
		$rop = '!=' if $op eq '<>' && rand() < 0.3;
		return ("$col $rop $l", "($nat $op $l)");
	}
	if ($k < 0.75) {
		my $l = list_of(\@l, 1 + int(rand(4)));
		return ("$col ${neg}in ($l)", "($nat ${neg}in ($l))");
	}
	my ($a, $b) = (pick(@l), pick(@l));
	return ("$col ${neg}between $a and $b", "($nat ${neg}between $a and $b)");
}

# ---- jsonb: literals and the typing rules as SQL ----
my @jstr = ("'pro'", "'free'", "'Zoë'", "'München'", "'2024-01-01'", "'2025-06-01T10:00:00Z'",
	"'30'", "'5'", "'true'", "'x'", "''");
my @jnum = ('5', '30', '0', '2.5', '-1', '1e1');
my $iso = q{'^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$'};

sub unq { my $l = shift; $l =~ s/^'//; $l =~ s/'$//; $l =~ s/''/'/g; return $l; }
sub is_num { return $_[0] =~ /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/; }
sub is_iso { return $_[0] =~ /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$/; }
# the spellings PostgreSQL's parse_bool reads (no surrounding space)
sub is_bool { return $_[0] =~ /^(t|tr|tru|true|f|fa|fal|fals|false|y|ye|yes|n|no|on|off|1|0)$/i; }

# the comparison v op lit, NULL where the types do not meet
sub jcmp {
	my ($v, $op, $lit, $ltype) = @_;
	my $s = "($v #>> '{}')";
	my @w;
	if ($ltype eq 'num') { push @w, "when 'number' then ($v)::numeric $op $lit"; }
	elsif ($ltype eq 'bool') { push @w, "when 'boolean' then ($v)::boolean $op $lit"; }
	elsif ($ltype eq 'str') {
		my $u = unq($lit);
		push @w, "when 'number' then ($v)::numeric $op ${lit}::numeric" if is_num($u);
		push @w, "when 'boolean' then ($v)::boolean $op ${lit}::boolean" if is_bool($u);
		if (is_iso($u)) {
			push @w, "when 'string' then case when $s ~ $iso then ${s}::timestamptz $op ${lit}::timestamptz else $s $op $lit end";
		} else {
			push @w, "when 'string' then $s $op $lit";
		}
	}
	else { return 'NULL::boolean'; }
	return "(case jsonb_typeof($v) " . join(' ', @w) . " end)";
}

sub jlit {
	my $r = rand();
	return (pick(@jnum), 'num') if $r < 0.3;
	return (pick('true', 'false'), 'bool') if $r < 0.4;
	return ('null', 'null') if $r < 0.43;
	return (pick(@jstr), 'str');
}

sub jsonb_predicate {
	my ($base) = @_;				# the SQL of the document: t.profile
	my @p = @{ pick(@jpaths) };
	my $name = join('.', @p);
	my $v = "($base #> '{" . join(',', @p) . "}')";
	my $s = "($v #>> '{}')";
	my $str = "jsonb_typeof($v) = 'string'";
	my $neg = rand() < 0.3 ? 'not ' : '';
	my $r = rand();
	if ($r < 0.08) {
		my $nn = rand() < 0.5 ? 'not ' : '';
		return ("$name is ${nn}null", "(" . ($nn ? 'not ' : '') . "($v is null or $v = 'null'::jsonb))");
	}
	if ($r < 0.14) { return ($name, "(case when jsonb_typeof($v) = 'boolean' then ($v)::boolean end)"); }
	if ($r < 0.45) {
		my ($l, $t) = jlit();
		my $op = pick('=', '<>', '<', '<=', '>', '>=');
		return ("$name $op $l", jcmp($v, $op, $l, $t));
	}
	if ($r < 0.55) {
		my @ls = map { [jlit()] } 1 .. (1 + int(rand(3)));
		my $e = '(' . join(' or ', map { jcmp($v, '=', $_->[0], $_->[1]) } @ls) . ')';
		return ("$name ${neg}in (" . join(', ', map { $_->[0] } @ls) . ')', $neg ? "(not $e)" : $e);
	}
	if ($r < 0.62) {
		my ($a, $at) = jlit();
		my ($b, $bt) = jlit();
		my $e = '(' . jcmp($v, '>=', $a, $at) . ' and ' . jcmp($v, '<=', $b, $bt) . ')';
		return ("$name ${neg}between $a and $b", $neg ? "(not $e)" : $e);
	}
	if ($r < 0.67) {
		my $p = pick(@patterns);
		return ("$name ${neg}like $p", "(case when $str then $s ${neg}like $p end)");
	}
	if ($r < 0.72) {
		my $p = pick(@ipatterns);
		return ("$name ${neg}ilike $p",
			"(case when $str then ${neg}(lower($s collate \"und-x-icu\") like lower($p collate \"und-x-icu\")) end)");
	}
	if ($r < 0.77) {
		my $l = pick(@icu);
		return ("$name ~= $l", "(case when $str then $s = $l collate ci end)");
	}
	if ($r < 0.90) {
		# contains: literals that are plain strings or numbers
		my @ls = map { rand() < 0.7 ? pick("'vip'", "'b2b'", "'o'", "'Zoë'", "'x'", "'ü'") : pick('5', '2', '1.0') } 1 .. (1 + int(rand(3)));
		my $one = sub {
			my $l = shift;
			my $txt = $l =~ /^'/ ? $l : "'$l'";
			return "(case jsonb_typeof($v) when 'string' then strpos($s, $txt) > 0 "
				. "when 'array' then $v @> jsonb_build_array($l) end)";
		};
		my $k = rand();
		return ("$name contains $ls[0]", $one->($ls[0])) if $k < 0.4;
		my $all = $k < 0.7;
		return ("$name contains " . ($all ? 'all' : 'any') . ' (' . join(', ', @ls) . ')',
			'(' . join($all ? ' and ' : ' or ', map { $one->($_) } @ls) . ')');
	}
	my $n = int(rand(800));
	my $u = pick('days', 'weeks', 'months');
	my $ru = $n == 1 ? ($u =~ s/s$//r) : $u;
	return ("$name within $n $ru",
		"(case when $str and $s ~ $iso then ${s}::timestamptz >= $asof - interval '$n $u' and ${s}::timestamptz <= $asof end)");
}

# ---- trees ----
sub tree {
	my ($depth, $leaf) = @_;
	my $r = rand();
	if ($depth > 0 && $r < 0.45) {
		my $op = rand() < 0.5 ? 'and' : 'or';
		my @k = map { [tree($depth - 1, $leaf)] } 1 .. (2 + int(rand(2)));
		return ('(' . join(") $op (", map { $_->[0] } @k) . ')',
			'(' . join(" $op ", map { $_->[1] } @k) . ')');
	}
	if ($depth > 0 && $r < 0.55) {
		my ($a, $b) = tree($depth - 1, $leaf);
		return ("not ($a)", "(not $b)");
	}
	return $leaf->();
}

for my $i (1 .. $count) {
	my $doc = $i % 4 == 0;
	my ($rule, $sql);
	if ($doc) {
		($rule, $sql) = tree(3, sub { jsonb_predicate('t.profile') });
	} else {
		($rule, $sql) = tree(3, sub {
			if (rand() < 0.2) {
				my ($a, $b) = jsonb_predicate('t.profile');
				return ("profile.$a", $b);
			}
			return typed_predicate();
		});
	}
	print(($doc ? 'doc' : 'row'), "\t$rule\t$sql\n");
}
