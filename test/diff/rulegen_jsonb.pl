#!/usr/bin/env perl
# Random segment rules for test/diff/rule_jsonb.sh: only the (column type,
# predicate, literal kind) combinations for which README's jsonb typing says a
# rule means the same over a row and over to_jsonb of that row.  The header of
# rule_jsonb.sh lists what is left out and why.  Prints one rule a line.
#
# usage: rulegen_jsonb.pl COUNT SEED
use strict;
use warnings;

my ($count, $seed) = @ARGV;
srand($seed);

sub pick { return $_[int(rand(scalar @_))]; }
sub list_of { my ($src, $n) = @_; return join(', ', map { pick(@$src) } 1 .. $n); }

# string literals for text columns: none reads as an ISO date (README: two
# ISO strings compare as timestamptz in a document, as text in a text column)
my @text = ("'DE'", "'de'", "'AT'", "'Ü'", "''", "'Zoë'", "'zoe'", "'ZOË'", "'O''Brien'", "'30'",
	"'5'", "'yes'", "'true'", "'München'", "'M'", "'Z'", "'a'", "'Jo_e'", "'2024'", "'2024/01/05'");
my @patterns = ("'%e%'", "'Z%'", "'_o%'", "'%ë'", "'J%'", "'%\\_%'", "'%'", "'M%'", "''", "'%2%'", "'Mo\\%e'");
my @ipatterns = ("'zoë%'", "'%JOSÉ%'", "'ørsted'", "'%ж%'", "'%E'", "'m_nchen'", "'%Ü%'", "'I%'", "'%i%'");
my @icu = ("'zoe'", "'JOSE'", "'orsted'", "'munchen'", "'MÜNCHEN'", "'москва'", "'ÆRØ'", "'aero'", "'de'", "'ISTANBUL'");
my @regex = ("'^Z'", "'ë\$'", "'[[:upper:]]{2}'", "'o'", "'^\$'", "'_'", "'[0-9]'", "'^.{3}\$'", "'(?i)zo'", "'ü|Ü'", "'\\.'");
my @affix = ("'Z'", "'M'", "'%'", "'_'", "'e'", "'ë'", "''", "'Mo%'", "'Jo_'", "'20'", "'DE'");
my @subs = ("'o'", "'ë'", "'Mü'", "'e'", "'x'", "'%'", "'_'", "''", "'0'", '5', '0');

my %lits = (
	int4    => ['18', '25', '30', '42', '-1', '0', '2.5', '1e2', '3000000000', "'30'", "'42'", "'-1'", "'+42'", "' 30'"],
	int8    => ['0', '5', '9007199254740993', '-5', '1.5', "'9007199254740993'", "'7'"],
	numeric => ['10.5', '100', '0', '99.99', '1e2', '42.125', "'250.25'", '-3', "'1e2'", "'42.1250'", "'.5'", "'NaN'", "' 42.125 '"],
	float8  => ['0.5', '1', '0.25', "'0.75'", '2', '0', '-0.5', "'1e0'", '0.1', '0.3', '0.30000000000000004',
		'0.10000000000000001', "'Infinity'", "'-Infinity'", "'NaN'"],
	bool    => ['true', 'false', "'yes'", "'no'", "'t'", "'off'", "'1'", "'TRUE'", "'On'", "' yes '"],
	date    => ["'2024-01-01'", "'2023-06-15'", "'2025-06-01'", "'2025-06-30'", "'2024-02-29'"],
	timestamptz => ["'2025-06-01 00:00:00+00'", "'2025-05-01'", "'2025-06-29 12:00:00+02'",
		"'2025-06-29T10:00:00Z'", "'2025-03-30 02:30'", "'2025-01-15 10:00:00.5'", "'2025-03-01T00:00+05:30'",
		"'2025-06-30 12:00:00+00'", "'2025-02-10 07:00'", "'2025-06-29 12:00:00+0530'", "'2025-05-04T08:00+05'",
		"'2025-07-01t00:00+02'", "'2025-06-30 22:00z'", "'2025-10-26 02:30'", "'2025-06-30 24:00:00'", "'2025-06-29 23:59:60'"],
	timestamp => ["'2025-06-01 08:00'", "'2024-12-31 23:59:59'", "'2025-06-30'", "'2025-01-20T06:30:00'",
		"'2025-03-15 12:00:00.25'"],
);

# name, kind
my @columns = (
	['country', 'text'], ['name', 'text'], ['code', 'text'], ['addr.city', 'text'], ['addr.zip', 'text'],
	['age', 'int4'], ['big', 'int8'], ['score', 'numeric'], ['ratio', 'float8'],
	['unsubscribed', 'bool'], ['consent', 'bool'],
	['signup_date', 'date'], ['last_order_at', 'timestamptz'], ['seen_at', 'timestamp'],
	['tags', 'textarr'], ['nums', 'intarr'], ['profile', 'jsonb'],
);

sub cmp_pred {
	my ($col, $l, $neg) = @_;
	my $k = rand();
	my @ln = (@$l, 'null');
	if ($k < 0.45) { return "$col " . pick('=', '<>', '!=', '<', '<=', '>', '>=') . ' ' . pick(@$l); }
	if ($k < 0.55) { return "$col = null"; }
	if ($k < 0.8) { return "$col ${neg}in (" . list_of(rand() < 0.15 ? \@ln : $l, 1 + int(rand(4))) . ')'; }
	return "$col ${neg}between " . pick(@$l) . ' and ' . pick(@$l);
}

sub predicate {
	my ($col, $kind) = @{ pick(@columns) };
	my $neg = rand() < 0.3 ? 'not ' : '';
	if (rand() < 0.07 && $col ne 'addr') {
		return "$col is " . (rand() < 0.5 ? 'not ' : '') . 'null';
	}
	if ($kind eq 'jsonb') {
		my @p = (['plan', "'pro'"], ['n', '5'], ['n', "'30'"], ['city', "'München'"], ['since', "'2025-06-01'"]);
		my $p = pick(@p);
		return rand() < 0.3 ? 'profile.vip' : "profile.$p->[0] " . pick('=', '<>', '<', '>=') . " $p->[1]";
	}
	if ($kind eq 'bool') {
		my $r = rand();
		return $col if $r < 0.35;
		return cmp_pred($col, $lits{bool}, $neg);
	}
	if ($kind eq 'textarr' || $kind eq 'intarr') {
		my @el = $kind eq 'textarr' ? ("'vip'", "'b2b'", "'newsletter'", "'Zoë'", "'x'", "'30'", "''")
			: ('1', '2', '3', '5', "'2'", '-7');
		my $k = rand();
		return "$col contains " . pick(@el) if $k < 0.45;
		return "$col contains " . ($k < 0.75 ? 'any' : 'all') . ' (' . list_of(\@el, 1 + int(rand(3))) . ')';
	}
	if ($kind =~ /^(date|timestamp|timestamptz)$/) {
		if (rand() < 0.3) {
			my $n = int(rand(400));
			my $u = pick('days', 'weeks', 'months');
			$u =~ s/s$// if $n == 1 && rand() < 0.5;
			return "$col within $n $u";
		}
		return cmp_pred($col, $lits{$kind}, $neg);
	}
	if ($kind eq 'text') {
		my $k = rand();
		if ($k < 0.1) { return "$col ${neg}like " . pick(@patterns); }
		if ($k < 0.2) { return "$col ${neg}ilike " . pick(@ipatterns) . (rand() < 0.2 ? " collate 'tr'" : ''); }
		if ($k < 0.3) { return "$col ~= " . pick(@icu) . (rand() < 0.2 ? " collate 'de'" : ''); }
		if ($k < 0.38) { return "$col ${neg}matches " . pick(@regex); }
		if ($k < 0.46) { return "$col " . pick('starts', 'ends') . ' with ' . pick(@affix); }
		if ($k < 0.56) {
			my $k2 = rand();
			return "$col contains " . pick(@subs) if $k2 < 0.5;
			return "$col contains " . ($k2 < 0.75 ? 'all' : 'any') . ' (' . list_of(\@subs, 1 + int(rand(3))) . ')';
		}
		return cmp_pred($col, \@text, $neg);
	}
	return cmp_pred($col, $lits{$kind}, $neg);
}

sub tree {
	my ($depth) = @_;
	my $r = rand();
	if ($depth > 0 && $r < 0.4) {
		my $op = rand() < 0.5 ? 'and' : 'or';
		return '(' . join(") $op (", map { tree($depth - 1) } 1 .. (2 + int(rand(2)))) . ')';
	}
	return 'not (' . tree($depth - 1) . ')' if $depth > 0 && $r < 0.5;
	return predicate();
}

print tree(2), "\n" for 1 .. $count;
