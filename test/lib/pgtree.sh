#!/usr/bin/env bash
# Stages a private copy of the PostgreSQL installation under ROOT, with this
# checkout's extension installed into it, so that tests never depend on (or
# disturb) what is installed system-wide and several checkouts can test at once.
#
# PostgreSQL finds its share and lib directories relative to the postgres
# binary, so copying the few binaries that locate others and linking the rest
# gives a complete installation rooted at ROOT.
#
# usage: pgtree.sh ROOT        (run from the top of the checkout, after make)
set -euo pipefail
root=$(realpath -m "$1")
pg_config=${PG_CONFIG:-pg_config}
bindir=$($pg_config --bindir)
sharedir=$($pg_config --sharedir)
pkglibdir=$($pg_config --pkglibdir)

rm -rf "$root"
mkdir -p "$root$bindir" "$root$sharedir/extension" "$root$pkglibdir"

for f in "$bindir"/*; do
	case $(basename "$f") in
		postgres|postmaster|initdb|pg_ctl|pg_dump|pg_dumpall|pg_restore|pg_upgrade)
			cp "$f" "$root$bindir/" ;;
		*)
			ln -s "$f" "$root$bindir/" ;;
	esac
done
for f in "$sharedir"/*; do
	[ "$(basename "$f")" = extension ] && continue
	ln -s "$f" "$root$sharedir/"
done
for f in "$sharedir"/extension/*; do
	case $(basename "$f") in segmentation*) continue ;; esac
	ln -s "$f" "$root$sharedir/extension/"
done
for f in "$pkglibdir"/*; do
	case $(basename "$f") in segmentation*) continue ;; esac
	ln -s "$f" "$root$pkglibdir/"
done

make -s install DESTDIR="$root" >/dev/null
echo "$root$bindir"
