#!/usr/bin/env perl
# Random segment rules with behavioural conditions, and the native SQL each
# one means, for test/diff/behaviour.sh.  Prints one line per rule:
#   rule text <TAB> native SQL boolean expression over the customer row c
# The native SQL is the contract of doc/rules.md written by hand, one
# correlated scalar subquery per aggregate:
#   (SELECT agg FROM relation e WHERE e.key = c.cust_ref
#      AND e.time <= as_of [AND window] [AND (filter)])
# with count(*) / count(e.col) / count(DISTINCT e.col), coalesce(sum, 0),
# avg, min, max, first and last as array_agg ordered by time then value
# (min / max of the time itself), exists as count(*) > 0; the tail applied to
# it as SQL applies it to a column.  The sources are those of
# behaviour_data.sql; the customer columns are those of its customers table.
#
# usage: behaviourgen.pl COUNT SEED AS_OF
use strict;
use warnings;

my ($count, $seed, $as_of) = @ARGV;
srand($seed);
my $asof = "'$as_of'::timestamptz";

sub pick { return $_[int(rand(scalar @_))]; }
sub chance { return rand() < $_[0]; }

# the windows' spans: those behaviour_data.sql puts events on the boundaries of
my @spans = ([0, 'days'], [1, 'days'], [7, 'days'], [30, 'days'], [90, 'days'], [365, 'days'],
	[1, 'weeks'], [2, 'weeks'], [4, 'weeks'], [52, 'weeks'],
	[1, 'months'], [3, 'months'], [6, 'months'], [12, 'months']);

# the unit as the rule writes it: plural but for 1, now and then the other
sub unit_word {
	my ($n, $u) = @_;
	my $w = $n == 1 ? ($u =~ s/s$//r) : $u;
	$w = $w =~ /s$/ ? ($w =~ s/s$//r) : "${w}s" if chance(0.1);
	return $w;
}

# ---- sources: relation, time column, event key, columns by kind ----
my %orders_cols = (id => 'int', ordered_at => 'ts', amount => 'num', status => 'text',
	category => 'text', coupon => 'text');
my %sources = (
	orders      => { rel => 'orders', time => 'ordered_at', cols => \%orders_cols },
	paid_orders => { rel => 'paid_orders', time => 'ordered_at', cols => \%orders_cols },
	events      => { rel => 'events', time => 'occurred_at',
					 cols => { id => 'int', occurred_at => 'ts', name => 'text', url => 'text' } },
	visits      => { rel => 'visits', time => 'visited_at',
					 cols => { id => 'int', visited_at => 'ts', url => 'text' } },
	tickets     => { rel => 'support."Tickets"', time => 'opened_on',
					 cols => { id => 'int', opened_on => 'date', priority => 'int', topic => 'text' } },
);
my @source_names = ('orders', 'orders', 'events', 'events', 'paid_orders', 'visits', 'tickets', 'tickets');

# literals by column (as written in both languages)
my %text_lits = (
	status   => ["'paid'", "'refunded'", "'pending'", "'Paid'"],
	category => ["'books'", "'toys'", "'garden'", "'Food'", "'food'"],
	coupon   => ["'SUMMER10'", "'WELCOME'", "'x%_y'", "'VIP\\5'", "'summer20'", "''"],
	name     => ["'page_view'", "'cart_add'", "'email_open'", "'email_click'"],
	url      => ["'/home'", "'/cart'", "'/product/12'", "'/sale/50%_off'", "'/Home'", "'/blog/x_y'"],
	topic    => ["'billing'", "'login'", "'refund'", "'Billing'"],
);
my %patterns = (
	status   => ["'p%'", "'%d'", "'_aid'", "'%'", "'P%'"],
	category => ["'f%'", "'%o%'", "'_oo_'", "'F%'"],
	coupon   => ["'S%'", "'%10'", "'x\\%%'", "'%\\_%'", "'%'", "'VIP\\\\%'"],
	name     => ["'email%'", "'%view'", "'cart\\_add'", "'%_%'"],
	url      => ["'/product/%'", "'%50\\%%'", "'/h%'", "'%x\\_y'"],
	topic    => ["'b%'", "'%in%'", "'B%'"],
);
my %regexes = (
	status   => ["'^p'", "'d\$'", "'^(paid|pending)\$'", "'[A-Z]'"],
	category => ["'^f'", "'o{2}'", "'^[a-z]+\$'", "'[[:upper:]]'"],
	coupon   => ["'^S'", "'[0-9]+\$'", "'%'", "'\\\\'", "'^\$'"],
	name     => ["'^email_'", "'view\$'", "'_(add|open)'"],
	url      => ["'^/product/[0-9]+\$'", "'%_'", "'^/[a-z]+\$'", "'H'"],
	topic    => ["'^b'", "'in'", "'^[A-Z]'"],
);
my %affixes = (
	status   => ["'pa'", "'id'", "'P'", "'ed'"],
	category => ["'f'", "'oo'", "'Fo'", "'s'"],
	coupon   => ["'S'", "'x%'", "'%_y'", "'VIP\\'", "'10'", "''"],
	name     => ["'email'", "'_view'", "'add'"],
	url      => ["'/product/'", "'/sale/50%'", "'_off'", "'x_y'", "'12'"],
	topic    => ["'b'", "'ing'", "'B'"],
);
my %num_lits = (
	amount   => ['10', '50', '99.5', '150', "'120.25'", '0', '200'],
	priority => ['1', '2', '3', '5', "'4'"],
	id       => ['100', '5000', '20000', "'7000'"],
);
my @ts_lits = ("'2026-06-30 12:00:00+00'", "'2026-06-01'", "'2026-05-31 14:00:00+02'",
	"'2025-12-30 13:00:00+00'", "'2026-07-01'", "'2026-06-29 12:00:00.000001+00'");
my @date_lits = ("'2026-06-30'", "'2026-06-01'", "'2026-05-31'", "'2025-06-30'", "'2026-07-02'");

# LIKE-escape an affix the way starts with / ends with mean it
sub like_escape {
	my $l = shift;
	$l =~ s/^'//; $l =~ s/'$//;
	$l =~ s/([\\%_])/\\$1/g;
	return $l;
}

sub list_of { my ($src, $n) = @_; return join(', ', map { pick(@$src) } 1 .. $n); }

# a literal list with a null now and then
sub lits_with_null {
	my ($src, $n) = @_;
	return join(', ', map { chance(0.08) ? 'null' : pick(@$src) } 1 .. $n);
}

# ---- tails: a predicate over subject S (rule text R, SQL N) of a kind ----
# kinds: count (bigint), num, text (with its column for literals), ts, date
sub tail {
	my ($kind, $col, $R, $N) = @_;
	my $neg = chance(0.3) ? 'not ' : '';
	my $r = rand();
	if ($r < 0.07) {
		my $nn = chance(0.5) ? 'not ' : '';
		return ("$R is ${nn}null", "($N is ${nn}null)");
	}
	my @l;
	if ($kind eq 'count') { @l = ('0', '1', '2', '3', '5', '8', '12', "'3'"); }
	elsif ($kind eq 'num') { @l = @{ $num_lits{$col} }; }
	elsif ($kind eq 'sum') { @l = ('0', '50', '100', '333.33', '600', '1500', "'250'"); }
	elsif ($kind eq 'avg') { @l = $col eq 'priority' ? ('2', '2.5', '3', "'3.5'") : ('60', '100', '104.5', '140', "'90'"); }
	elsif ($kind eq 'text') { @l = @{ $text_lits{$col} }; }
	elsif ($kind eq 'ts') { @l = @ts_lits; }
	elsif ($kind eq 'date') { @l = @date_lits; }
	my $lit = chance(0.04) ? 'null' : pick(@l);
	if ($kind eq 'text') {
		my $k = rand();
		if ($k < 0.15) { my $p = pick(@{ $patterns{$col} }); return ("$R ${neg}like $p", "($N ${neg}like $p)"); }
		if ($k < 0.22) {
			my $p = pick(@{ $patterns{$col} });
			return ("$R ${neg}ilike $p",
				"(${neg}(lower($N collate \"und-x-icu\") like lower($p collate \"und-x-icu\")))");
		}
		if ($k < 0.37) {
			my $p = pick(@{ $regexes{$col} });
			return ("$R ${neg}matches $p", "($N " . ($neg ? '!~' : '~') . " $p)");
		}
		if ($k < 0.52) {
			my $a = pick(@{ $affixes{$col} });
			my $start = chance(0.5);
			my $e = like_escape($a);
			return ("$R " . ($start ? 'starts' : 'ends') . " with $a",
				"($N like '" . ($start ? "$e%" : "%$e") . "')");
		}
	}
	if (($kind eq 'ts' || $kind eq 'date') && $r < 0.4) {
		my ($n, $u) = @{ pick(@spans) };
		return ("$R within $n " . unit_word($n, $u),
			"($N >= $asof - interval '$n $u' and $N <= $asof)");
	}
	my $k = rand();
	$k = 0 if $kind eq 'avg' && $k > 0.3 && $k < 0.7;	# avg: comparisons, between
	if ($k < 0.5) {
		my $op = pick('=', '<>', '<', '<=', '>', '>=');
		my $rop = $op eq '<>' && chance(0.3) ? '!=' : $op;
		return ("$R $rop $lit", "($N $op $lit)");
	}
	if ($k < 0.75) {
		my $l = lits_with_null(\@l, 1 + int(rand(4)));
		return ("$R ${neg}in ($l)", "($N ${neg}in ($l))");
	}
	my ($a, $b) = (pick(@l), pick(@l));
	$a = 'null' if chance(0.03);
	return ("$R ${neg}between $a and $b", "($N ${neg}between $a and $b)");
}

# ---- event filters: a row rule over the event's columns ----
sub filter_leaf {
	my ($s) = @_;
	my %cols = %{ $sources{$s}{cols} };
	my @names = grep { $cols{$_} eq 'text' || $cols{$_} eq 'num' || $cols{$_} eq 'int' } sort keys %cols;
	my $col = pick(@names);
	my $kind = $cols{$col};
	my $q = "e.$col";
	my $neg = chance(0.3) ? 'not ' : '';
	my $r = rand();
	if ($r < 0.12) {
		my $nn = chance(0.5) ? 'not ' : '';
		return ("$col is ${nn}null", "($q is ${nn}null)");
	}
	my @l = $kind eq 'text' ? @{ $text_lits{$col} } : @{ $num_lits{$col} };
	if ($kind eq 'text' && $r < 0.3) {
		my $p = pick(@{ $patterns{$col} });
		return ("$col ${neg}like $p", "($q ${neg}like $p)");
	}
	if ($r < 0.6) {
		my $op = pick('=', '=', '<>', '<', '>=');
		my $l = pick(@l);
		return ("$col $op $l", "($q $op $l)");
	}
	if ($r < 0.85) {
		my $l = list_of(\@l, 1 + int(rand(3)));
		return ("$col ${neg}in ($l)", "($q ${neg}in ($l))");
	}
	my ($a, $b) = (pick(@l), pick(@l));
	return ("$col ${neg}between $a and $b", "($q ${neg}between $a and $b)");
}

# the outermost and / or of a filter unparenthesised now and then:
# where status = 'paid' and amount > 50 within 30 days
sub filter {
	my ($s, $depth, $top) = @_;
	my $r = rand();
	if ($depth > 0 && $r < 0.3) {
		my $op = chance(0.5) ? 'and' : 'or';
		my @k = map { [filter($s, $depth - 1)] } 1 .. 2;
		my $t = "$k[0][0] $op $k[1][0]";
		return ($top && chance(0.5) ? $t : "($t)", "($k[0][1] $op $k[1][1])");
	}
	if ($depth > 0 && $r < 0.4) {
		my ($a, $b) = filter($s, $depth - 1);
		return ("not ($a)", "(not $b)");
	}
	return filter_leaf($s);
}

# ---- aggregates: rule text, native SQL, kind of value, column ----
sub events_part {
	my ($s, $col) = @_;
	my $src = $sources{$s};
	my $t = "e.$src->{time}";
	my $R = $col ? "$s.$col" : $s;
	my @where = ("e.customer_id = c.cust_ref");
	if (chance(0.4)) {
		my ($fr, $fn) = filter($s, 1, 1);
		$R .= " where $fr";
		push @where, $fn;
	}
	my $w = rand();
	if ($w < 0.25) {
		push @where, "$t <= $asof";
	} elsif ($w < 0.7) {
		my ($n, $u) = @{ pick(@spans) };
		$R .= " within $n " . unit_word($n, $u);
		push @where, "$t >= $asof - interval '$n $u'", "$t <= $asof";
	} else {
		my ($u) = pick('days', 'weeks', 'months');
		my @ns = map { $_->[0] } grep { $_->[1] eq $u } @spans;
		my ($a, $b) = (pick(@ns), pick(@ns));
		($a, $b) = ($b, $a) if $a < $b;
		$R .= " between $a and $b " . unit_word($b == 1 && $a == 1 ? 1 : 2, $u) . " ago";
		push @where, "$t >= $asof - interval '$a $u'", "$t <= $asof - interval '$b $u'";
	}
	return ($R, "FROM $src->{rel} e WHERE " . join(' AND ', @where));
}

sub aggregate {
	my $s = pick(@source_names);
	my $src = $sources{$s};
	my %cols = %{ $src->{cols} };
	my @numeric = grep { $cols{$_} eq 'num' || $cols{$_} eq 'int' } sort keys %cols;
	my $agg = pick('count', 'count', 'count_col', 'count_distinct', 'min', 'max',
		'first', 'last', 'first', 'last', 'exists', (@numeric > 1 ? ('sum', 'avg', 'sum') : ()));
	my $col;
	if ($agg eq 'count' || $agg eq 'exists') { $col = undef; }
	elsif ($agg eq 'sum' || $agg eq 'avg') { $col = pick(grep { $_ ne 'id' } @numeric); }
	else { $col = pick(sort keys %cols); }
	my ($R, $from) = events_part($s, $col);
	my $ec = $col ? "e.$col" : undef;
	my $t = "e.$src->{time}";
	my ($rule, $sql, $kind);
	if ($agg eq 'exists') {
		return ("exists($R)", "((SELECT count(*) $from) > 0)", 'exists', undef);
	}
	if ($agg eq 'count') { ($rule, $sql, $kind) = ("count($R)", "count(*)", 'count'); }
	elsif ($agg eq 'count_col') { ($rule, $sql, $kind) = ("count($R)", "count($ec)", 'count'); }
	elsif ($agg eq 'count_distinct') { ($rule, $sql, $kind) = ("count(distinct $R)", "count(DISTINCT $ec)", 'count'); }
	elsif ($agg eq 'sum') { ($rule, $sql, $kind) = ("sum($R)", "coalesce(sum($ec), 0)", 'sum'); }
	elsif ($agg eq 'avg') { ($rule, $sql, $kind) = ("avg($R)", "avg($ec)", 'avg'); }
	else {
		$rule = "$agg($R)";
		$kind = $cols{$col};
		$kind = 'num' if $kind eq 'int';
		if ($agg eq 'min' || $agg eq 'max') { $sql = "$agg($ec)"; }
		elsif ($col eq $src->{time}) { $sql = ($agg eq 'first' ? 'min' : 'max') . "($ec)"; }
		elsif ($agg eq 'first') { $sql = "(array_agg($ec ORDER BY $t, $ec NULLS LAST))[1]"; }
		else { $sql = "(array_agg($ec ORDER BY $t DESC, $ec DESC NULLS LAST))[1]"; }
	}
	return ($rule, "(SELECT $sql $from)", $kind, $col);
}

sub behaviour_predicate {
	my ($R, $N, $kind, $col) = aggregate();
	return ($R, $N) if $kind eq 'exists';
	return tail($kind, $col, $R, $N);
}

# ---- row conditions on the customer ----
my %cust = (
	country => ["'DE'", "'AT'", "'FR'", "'US'", "'de'"],
	plan    => ["'free'", "'pro'", "'team'", "'Pro'"],
	age     => ['18', '30', '42', '65', "'50'"],
	signup  => ["'2025-01-01'", "'2026-06-01'", "'2023-06-15'"],
);
sub row_predicate {
	my $col = pick('country', 'plan', 'age', 'vip', 'signup');
	my $neg = chance(0.3) ? 'not ' : '';
	if ($col eq 'vip') { return chance(0.5) ? ('vip', '(c.vip)') : ('vip = false', '(c.vip = false)'); }
	my $r = rand();
	if ($r < 0.12) {
		my $nn = chance(0.5) ? 'not ' : '';
		return ("$col is ${nn}null", "(c.$col is ${nn}null)");
	}
	if ($col eq 'signup' && $r < 0.4) {
		my $n = pick(30, 365, 1000);
		return ("signup within $n days", "(c.signup >= $asof - interval '$n days' and c.signup <= $asof)");
	}
	my @l = @{ $cust{$col} };
	if ($r < 0.6) {
		my $op = pick('=', '<>', '<', '>=');
		my $l = pick(@l);
		return ("$col $op $l", "(c.$col $op $l)");
	}
	my $l = list_of(\@l, 1 + int(rand(3)));
	return ("$col ${neg}in ($l)", "(c.$col ${neg}in ($l))");
}

# ---- trees: and / or / not over behavioural and row conditions ----
my $behavioural;
sub tree {
	my ($depth) = @_;
	my $r = rand();
	if ($depth > 0 && $r < 0.4) {
		my $op = chance(0.5) ? 'and' : 'or';
		my @k = map { [tree($depth - 1)] } 1 .. (2 + int(rand(1.3)));
		return ('(' . join(") $op (", map { $_->[0] } @k) . ')',
			'(' . join(" $op ", map { $_->[1] } @k) . ')');
	}
	if ($depth > 0 && $r < 0.5) {
		my ($a, $b) = tree($depth - 1);
		return ("not ($a)", "(not $b)");
	}
	if (chance(0.7)) {
		$behavioural = 1;
		return behaviour_predicate();
	}
	return row_predicate();
}

for my $i (1 .. $count) {
	my ($rule, $sql);
	do { $behavioural = 0; ($rule, $sql) = tree(2); } until $behavioural;
	print "$rule\t$sql\n";
}
