#!/usr/bin/env bash
# Load and crash test of `pinbake collect` with SQLite at full durability
# (WAL, synchronous=FULL), loopback only, bounded in count and time.
#  load:  20,000 distinct reports from 16 concurrent keep-alive clients;
#         prints reports/s and p50/p99 latency (figures, not assertions:
#         docs/performance.md), with what explains them: the disk's own
#         fsync time in the test's directory, the collector's CPU time per
#         report and how many reports each commit carried; every report
#         must be acknowledged.
#  crash: the same load, the collector SIGKILLed ~1 s in; restarted on the
#         same database; every report that got a 2xx is in it and PRAGMA
#         integrity_check is ok.
# PINBAKE_LOAD_REPORTS overrides the count (default 20000).
set -u

SUITE=collector_load
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"
trap stop_collector EXIT
REPORTS=${PINBAKE_LOAD_REPORTS:-20000}

# CPU time (user + system, in clock ticks) the process $1 has used so far.
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# --- load ----------------------------------------------------------------
run fsync_baseline 0 "$CLIENT" fsync "$T" && cat "$T/out"
if start_collector load_starts "$T/load.db" --rate-limit 0; then
  record load_starts 0 ""
  cpu_before=$(cpu_ticks "$CPID")
  run load 0 timeout 120 "$CLIENT" load "$PORT" --reports "$REPORTS" --clients 16 \
      --seconds 90 --acked "$T/load.acked" && {
    cat "$T/out"
    expect_in load_all_acknowledged "$T/out" "load: $REPORTS acknowledged of $REPORTS sent by 16 clients"
  }
  cpu_after=$(cpu_ticks "$CPID")
  echo "load: the collector used $(( (cpu_after - cpu_before) * 1000000 / $(getconf CLK_TCK) / REPORTS )) us of CPU per report"
  stop_collector
  run load_verify 0 "$CLIENT" verify "$T/load.db" --acked "$T/load.acked" &&
    { cat "$T/out"; expect_in load_verify "$T/out" "$REPORTS acknowledged reports, 0 missing, $REPORTS rows"; }
fi

# --- crash ---------------------------------------------------------------
if start_collector crash_starts "$T/crash.db" --rate-limit 0; then
  record crash_starts 0 ""
  timeout 120 "$CLIENT" load "$PORT" --reports "$REPORTS" --clients 16 --seconds 90 \
      --acked "$T/crash.acked" >"$T/crash.out" 2>&1 &
  LOAD=$!
  sleep 1
  kill -KILL "$CPID"
  wait "$CPID" 2>/dev/null
  CPID=""
  wait "$LOAD"
  cat "$T/crash.out"
  acked=$(wc -l <"$T/crash.acked")
  # The kill must land mid-load: some reports acknowledged, not all.
  [ "$acked" -gt 0 ] && [ "$acked" -lt "$REPORTS" ] &&
    record crash_mid_load 0 "" ||
    record crash_mid_load 1 "$acked of $REPORTS acknowledged before the kill"
  # Restart on the same database (WAL recovery), and it serves again.
  if start_collector crash_restarts "$T/crash.db" --rate-limit 0; then
    run crash_serves_again 0 "$CLIENT" load "$PORT" --reports 10 --clients 1 &&
      expect_in crash_serves_again "$T/out" "load: 10 acknowledged"
    stop_collector
  fi
  run crash_verify 0 "$CLIENT" verify "$T/crash.db" --acked "$T/crash.acked" &&
    { cat "$T/out"; expect_in crash_verify "$T/out" "0 missing"; }
  expect_in crash_integrity "$T/out" "integrity_check: ok"
fi

harness_finish
