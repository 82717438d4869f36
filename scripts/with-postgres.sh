#!/usr/bin/env bash
# with-postgres.sh CMD [ARGS...]: run CMD against a throwaway PostgreSQL
# cluster and return CMD's exit code.
#
# The cluster lives in a private temporary folder (data + socket), listens
# on 127.0.0.1 on a free port, trusts local connections, runs with
# fsync=off, and is stopped and deleted on exit. As root, initdb/pg_ctl
# run as the `postgres` user (they refuse to run as root).
#
# CMD sees DATABASE_URL=postgres://postgres@127.0.0.1:PORT/$PGDB (an empty
# database $PGDB, default "sckis", is created) plus PGHOST/PGPORT/PGUSER.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$#" -gt 0 ] || die "usage: $0 CMD [ARGS...]"
PGDB=${PGDB:-sckis}

# PostgreSQL 15+ server binaries (newest first).
pgbin=""
while IFS= read -r dir; do
    [ -x "$dir/initdb" ] && { pgbin=$dir; break; }
done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
[ -n "$pgbin" ] || die "no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
pgver=$("$pgbin/postgres" --version | sed -E 's/.* ([0-9]+).*/\1/')
[ "$pgver" -ge 15 ] || die "PostgreSQL $pgver found in $pgbin; Django 6.1 needs 15 or newer"

if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

# Free TCP port on 127.0.0.1, chosen by the kernel.
py=python3
[ -x .venv/bin/python ] && py=.venv/bin/python
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sckis-pg.XXXXXX")
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp"
data=$tmp/data

# shellcheck disable=SC2329  # run by the EXIT trap
cleanup() {
    rc=$?
    trap - EXIT INT TERM
    if [ -f "$data/postmaster.pid" ]; then
        as_pg "$pgbin/pg_ctl" -D "$data" stop -m fast -s >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }

if ! as_pg "$pgbin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -s start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off" ; then
    tail -n 30 "$tmp/server.log" >&2 || true
    die "PostgreSQL did not start"
fi

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
"$pgbin/createdb" "$PGDB"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$PGDB"
say "PostgreSQL $pgver on 127.0.0.1:$port (throwaway, in $tmp)"

set +e
"$@"
rc=$?
set -e
exit "$rc"
