#!/usr/bin/env bash
# The collector on a real PostgreSQL (Debian's postgresql): the test starts
# an unprivileged cluster (initdb/pg_ctl; as user nobody when run as root)
# listening only on a Unix socket in a temporary directory, then two
# `pinbake collect` processes on the same database take load at once; every
# report either acknowledged is in the database, a report sent to both is
# stored once and counted once as a duplicate, and `reports summary` and
# `rollout check` read it. PostgreSQL is required (tools/install_deps.sh):
# missing, the test fails.
set -u

SUITE=collector_postgres
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"

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
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$PGROOT"
  as_pg=(runuser -u nobody --)
fi
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PGROOT"
}
trap cleanup EXIT

run initdb 0 "${as_pg[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U pinbake --auth=trust \
    --no-sync -E UTF8 && record initdb 0 ""
run pg_start 0 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w -t 60 \
    -o "-k $PGROOT -c listen_addresses= -p 5432" start && record pg_start 0 "" ||
  { cat "$PGROOT/log" >&2; harness_finish; }
DB="postgresql:///postgres?host=$PGROOT&port=5432&user=pinbake"

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
NOW=2026-12-01T00:00:00Z
"$PINBAKE" compile "$T/data/pins.json" --timestamp 2026-11-28T00:00:00Z --now "$NOW" -o "$T/pins.pinb" 2>/dev/null
"$PINBAKE" check --json "$T/pins.pinb" beta.example.org "$T/data/chains/www.example.com.pem" --now "$NOW" --report >"$T/beta.check"

# Two collectors on one database, started together (both migrate the
# schema: the advisory lock serialises them).
start_collector collector_a_starts "$DB" --rate-limit 0 && { PORT_A=$PORT; PIDS+=("$CPID"); record collector_a_starts 0 ""; }
start_collector collector_b_starts "$DB" --rate-limit 0 && { PORT_B=$PORT; PIDS+=("$CPID"); record collector_b_starts 0 ""; }
CPID=""

if [ -n "${PORT_A:-}" ] && [ -n "${PORT_B:-}" ]; then
  timeout 120 "$CLIENT" load "$PORT_A" --reports 2000 --clients 8 --prefix a --acked "$T/a.acked" >"$T/a.out" 2>&1 &
  la=$!
  timeout 120 "$CLIENT" load "$PORT_B" --reports 2000 --clients 8 --prefix b --acked "$T/b.acked" >"$T/b.out" 2>&1 &
  lb=$!
  wait $la; wait $lb
  cat "$T/a.out" "$T/b.out"
  expect_in load_a "$T/a.out" "load: 2000 acknowledged of 2000"
  expect_in load_b "$T/b.out" "load: 2000 acknowledged of 2000"
  cat "$T/a.acked" "$T/b.acked" >"$T/all.acked"
  run verify_both 0 "$CLIENT" verify "$DB" --acked "$T/all.acked" &&
    { cat "$T/out"; expect_in verify_both "$T/out" "4000 acknowledged reports, 0 missing, 4000 rows"; }

  # One report to each instance: stored once, counted once.
  run post_a 0 "$CLIENT" post "$PORT_A" /pkp "$T/beta.check" --from-check &&
    expect_in post_a "$T/out" '"duplicate":false'
  run post_b_duplicate 0 "$CLIENT" post "$PORT_B" /pkp "$T/beta.check" --from-check &&
    expect_in post_b_duplicate "$T/out" '200 '
  run summary 0 "$PINBAKE" reports summary --db "$DB" --list "$T/data/pins.json" &&
    expect_in summary "$T/out" "beta.example.org: 2 reports, 1 distinct chains"
  run rollout 1 "$PINBAKE" rollout check "$T/data/pins.json" --db "$DB" &&
    expect_in rollout "$T/out" "blocked  beta.example.org"
fi
run bad_uri 2 "$PINBAKE" reports summary --db "postgresql:///nope?host=$PGROOT/none&user=x" &&
  expect_in bad_uri "$T/err" "PostgreSQL: cannot connect"

harness_finish
