#!/usr/bin/env bash
# The pure cores' messages are translatable formats, raised whole: extracts
# the message catalogue with the gettext triggers of nls.mk (as PostgreSQL's
# make init-po does with its nls.mk files) and checks that every format the
# cores pass to core_fail, core_detail, core_hint, syntax_error and
# decode_error is extracted as a c-format message, that each has only %s
# conversions (the glue hands errmsg string arguments: src/core/core.h), that
# the formats chosen at run time (core_N_) are extracted too, and that no glue
# raises a core's text with errmsg_internal or as a "%s" argument.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
keywords=$(sed -n '/^GETTEXT_TRIGGERS/,/^[A-Z]/p' nls.mk | sed 's/GETTEXT_TRIGGERS *=//; s/\\//; /^GETTEXT_FLAGS/d' | tr -s ' \n' ' ')
flags=$(sed -n '/^GETTEXT_FLAGS/,/^$/p' nls.mk | sed 's/GETTEXT_FLAGS *=//; s/\\//' | tr -s ' \n' ' ')
args=()
for k in $keywords; do args+=("--keyword=$k"); done
for f in $flags; do args+=("--flag=$f"); done
files=$(ls src/*.c src/*/*.c src/*/*.h)
if xgettext --language=C --from-code=UTF-8 --no-wrap -o "$tmp/segmentation.pot" "${args[@]}" $files 2>"$tmp/xgettext.err"; then
	ok "xgettext extracts the catalogue with nls.mk's triggers ($(grep -c '^msgid ' "$tmp/segmentation.pot") messages)"
else
	notok "xgettext failed: $(head -3 "$tmp/xgettext.err")"
fi

# the pot as (references, flags, msgid) records, one a line
perl -ne '
	if (/^#: (.*)/) { $ref .= " $1"; next }
	if (/^#, (.*)/) { $flag = $1; next }
	if (/^msgid "(.*)"$/) { $id = $1; next }
	if (/^msgstr/) { print "$ref\t$flag\t$id\n" if $id ne ""; $ref = ""; $flag = ""; $id = ""; next }
' "$tmp/segmentation.pot" >"$tmp/records"

# every format literal of the cores' error calls, as the C source spells it
perl -0777 -ne '
	while (/\b(core_fail|core_detail|core_hint|syntax_error|decode_error)\s*\(((?:[^()"]|"(?:[^"\\]|\\.)*"|\((?:[^()"]|"(?:[^"\\]|\\.)*")*\))*)\)/g) {
		my ($fn, $a) = ($1, $2);
		next if $a =~ /^\s*(RuleParser|In|CoreError)\s*\*/;	# a definition
		while ($a =~ /"((?:[^"\\]|\\.)*)"/g) { print "$ARGV\t$1\n" }
	}
' $(ls src/*/*.c src/*/*.h | grep -v -e '_pg\.[ch]$' -e '^src/core/') | grep -v -e "	%s\$" >"$tmp/core_literals"
n=$(wc -l <"$tmp/core_literals")
missing=0
while IFS=$'\t' read -r file lit; do
	# literals that are not formats: an example of rule text or a name
	case "$lit" in
		*" ago"|"name matches"*|"sku starts"*|"email ends"*|"Gamma-Gamma"|"BG/NBD") continue ;;
	esac
	if ! id="$lit" awk -F'\t' '$3 == ENVIRON["id"] && $2 ~ /c-format/ { found = 1 } END { exit !found }' "$tmp/records"; then
		echo "# not extracted as a c-format message: $file: \"$lit\""
		missing=$((missing + 1))
	fi
done <"$tmp/core_literals"
if [ "$n" -gt 100 ] && [ "$missing" -eq 0 ]; then
	ok "each of the cores' $n message formats is extracted as a c-format message"
else
	notok "$missing of the cores' $n message formats are not extracted"
fi

# the cores' messages: %s conversions only, at most four
bad=$(awk -F'\t' '$1 !~ /_pg\.[ch]/ && $2 ~ /c-format/' "$tmp/records" | cut -f3 |
	perl -ne 'chomp; my $s = $_; $s =~ s/%%//g; my @c = ($s =~ /%(.)/g); print "$_\n" if grep({ $_ ne "s" } @c) || @c > 4')
if [ -z "$bad" ]; then
	ok "every message format of the cores has only %s conversions, at most four"
else
	notok "core formats with other conversions: $bad"
fi

# formats chosen at run time are extracted through core_N_
want=('Expected \"null\" at character %s.' 'There are no customers.' 'Field %s must be a finite number above 0, not \"%s\".'
	  'Expected the end of the rule (this \")\" has no \"(\") at character %s.')
lost=0
for w in "${want[@]}"; do
	id="$w" awk -F'\t' '$3 == ENVIRON["id"] { found = 1 } END { exit !found }' "$tmp/records" || { echo "# not extracted: $w"; lost=$((lost + 1)); }
done
[ "$lost" -eq 0 ] && ok "formats chosen at run time (core_N_) are extracted" || notok "$lost formats chosen at run time are not extracted"

# the glue raises a core's text through errmsg and its kin, never _internal
if grep -n 'errmsg_internal\|errdetail_internal' src/*.c src/*/*.c | grep -q .; then
	notok "errmsg_internal or errdetail_internal in the glue: $(grep -n 'errmsg_internal\|errdetail_internal' src/*.c src/*/*.c | head -3)"
else
	ok "no errmsg_internal or errdetail_internal in the library"
fi
if grep -n 'err[a-z]*("%s", *err' src/*/*_pg.c | grep -q .; then
	notok "a core's text raised as a %s argument: $(grep -n 'err[a-z]*("%s", *err' src/*/*_pg.c | head -3)"
else
	ok "no glue passes a core's text to errmsg as a %s argument"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
