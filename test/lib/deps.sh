#!/usr/bin/env bash
# Installs what building and testing segmentation needs and the machine lacks.
# Only missing packages are installed; without root, it says what to install.
set -euo pipefail

pg_major=${PG_MAJOR:-15}
need=()
# package : a file that proves it is installed
check() {
	local pkg=$1 probe=$2
	[ -e "$probe" ] || need+=("$pkg")
}
check "postgresql-server-dev-$pg_major" "/usr/include/postgresql/$pg_major/server/postgres.h"
check "postgresql-$pg_major" "/usr/lib/postgresql/$pg_major/bin/postgres"
check "postgresql-contrib" "/usr/share/postgresql/$pg_major/extension/postgres_fdw.control"
check "libicu-dev" "/usr/include/unicode/ucol.h"
check "gcc" "/usr/bin/gcc"
check "make" "/usr/bin/make"
check "clang" "/usr/bin/clang"
check "pkg-config" "/usr/bin/pkg-config"
# xgettext, to extract the message catalogue (test/ops/messages.sh)
check "gettext" "/usr/bin/xgettext"
# pg_cron, for the scheduled-refresh test (test/ops/matview.sh)
check "postgresql-$pg_major-cron" "/usr/share/postgresql/$pg_major/extension/pg_cron.control"
# the client drivers of test/clients: JDBC on a headless JDK (java runs the
# test's source file), and psycopg2 for Debian's /usr/bin/python3
check "default-jdk-headless" "/usr/bin/javac"
check "libpostgresql-jdbc-java" "/usr/share/java/postgresql.jar"
check "python3-psycopg2" "/usr/lib/python3/dist-packages/psycopg2/__init__.py"

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "segmentation needs these packages, which are missing: ${need[*]}" >&2
	echo "Install them as root:  apt-get update && apt-get install -y ${need[*]}" >&2
	exit 1
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# wait for another apt-get (a concurrent make test) rather than fail
apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}" >/dev/null
