#!/usr/bin/env bash
# The collector on a real PostgreSQL (Debian's postgresql): the test starts
# an unprivileged cluster (tests/collector/postgres_cluster.sh), runs
# PostgresStore's contract test (tests/collector/postgres_store_test.cc) on
# a database of its own, then two `pinbake collect` processes on the same
# database take load at once; every report either acknowledged is in the
# database, a report sent to both is stored once and counted once as a
# duplicate, and `reports summary` and `rollout check` read it. PostgreSQL
# is required (tools/install_deps.sh): missing, the test fails.
set -u

SUITE=collector_postgres
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/postgres_cluster.sh"

# pg_stat_statements: the contract test counts a batch's statements.
start_pg_cluster -c shared_preload_libraries=pg_stat_statements
DB=$(pg_uri postgres)

# PostgresStore's InsertBatch contract (outcomes, counts, all-or-nothing,
# two writers), on a database of its own.
pg_createdb store_test
PINBAKE_POSTGRES_URI=$(pg_uri store_test) run store_contract 0 timeout 120 \
    "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/postgres_store_test" &&
  record store_contract 0 ""
cat "$T/out"

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
  # A path PostgreSQL's text cannot hold (decoded: not UTF-8) is refused
  # before it reaches a batch.
  run post_bad_path 0 "$CLIENT" post "$PORT_A" '/pkp%FF' "$T/beta.check" --from-check &&
    expect_in post_bad_path "$T/out" "400 report path must be printable ASCII"
  run summary 0 "$PINBAKE" reports summary --db "$DB" --list "$T/data/pins.json" &&
    expect_in summary "$T/out" "beta.example.org: 2 reports, 1 distinct chains"
  run rollout 1 "$PINBAKE" rollout check "$T/data/pins.json" --db "$DB" &&
    expect_in rollout "$T/out" "blocked  beta.example.org"
fi
run bad_uri 2 "$PINBAKE" reports summary --db "postgresql:///nope?host=$PGROOT/none&user=x" &&
  expect_in bad_uri "$T/err" "PostgreSQL: cannot connect"

harness_finish
