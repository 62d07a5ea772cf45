# Sourced by test/ops/sqlstates.sh and test/ops/hostile.sh: the SQLSTATEs that
# README.md and doc/*.md document, read only from the rows of tables under a
# heading with "Errors" (a five-character token elsewhere in the prose, such as
# "256MB", documents nothing).
documented_sqlstates() {
	awk 'FNR == 1 { on = 0 } /^#+ .*Errors/ { on = 1; next } /^#/ { on = 0 } on && /^\| / { print }' \
		"$1/README.md" "$1"/doc/*.md |
		grep -oE '\b[0-9A-Z]{2}[0-9A-Z]{3}\b' | grep -E '^[0-9][0-9A-Z]{4}$|^XX[0-9]{3}$' | sort -u
}
