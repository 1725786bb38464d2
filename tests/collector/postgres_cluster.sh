# Shared by the PostgreSQL shell tests (postgres_test.sh,
# postgres_load_test.sh): a real cluster of Debian's postgresql, started
# unprivileged (initdb/pg_ctl; as user nobody when run as root), listening
# only on a Unix socket in a temporary directory, at full durability
# (fsync=on, synchronous_commit=on: PostgreSQL's defaults, set explicitly).
# Source after testing/cli_harness.sh and tests/collector/collector_env.sh.
#
#   start_pg_cluster [OPTION...]
#                         records postgresql_installed, initdb, pg_start; if
#                         the cluster does not start: harness_finish.
#                         OPTIONs go to the server (e.g. "-c name=value")
#   pg_createdb NAME      creates database NAME; prints nothing
#   pg_uri NAME           the libpq URI of database NAME
#   PIDS+=(PID)           processes (collectors) killed at exit, before the
#                         cluster stops
#
# PostgreSQL is required (tools/install_deps.sh): missing, the test fails.

PIDS=()
PGROOT=""
as_pg=()

pg_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  if [ -n "$PGROOT" ]; then
    "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$PGROOT"
  fi
}

start_pg_cluster() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    record postgresql_installed 1 "no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql; see tools/install_deps.sh)"
    harness_finish
  fi
  record postgresql_installed 0 ""
  # The cluster lives outside the test's (root-only) temporary directory so
  # that an unprivileged user can own it.
  PGROOT=$(mktemp -d /tmp/pinbake-pg.XXXXXX)
  chmod 755 "$PGROOT"
  if [ "$(id -u)" -eq 0 ]; then
    chown nobody "$PGROOT"
    as_pg=(runuser -u nobody --)
  fi
  trap pg_cleanup EXIT
  # --no-sync: only initdb's own files are not fsynced; the server runs
  # with fsync on.
  run initdb 0 "${as_pg[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U pinbake --auth=trust \
      --no-sync -E UTF8 && record initdb 0 ""
  run pg_start 0 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w -t 60 \
      -o "-k $PGROOT -c listen_addresses= -p 5432 -c fsync=on -c synchronous_commit=on $*" start &&
    record pg_start 0 "" || { cat "$PGROOT/log" >&2; harness_finish; }
}

pg_uri() { echo "postgresql:///$1?host=$PGROOT&port=5432&user=pinbake"; }

pg_createdb() {
  "$PGBIN/createdb" -h "$PGROOT" -p 5432 -U pinbake "$1"
}
