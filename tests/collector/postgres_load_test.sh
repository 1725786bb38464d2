#!/usr/bin/env bash
# Throughput of `pinbake collect` on a real PostgreSQL at full durability
# (tests/collector/postgres_cluster.sh: fsync=on, synchronous_commit=on),
# loopback only, bounded in count and time:
#  one:  one collector, 10,000 distinct reports from 16 keep-alive clients;
#  two:  two collectors on the same database at once, 10,000 each from 16
#        clients each.
# Prints reports/s and p50/p99 latency per collector (and the two
# collectors' sum): figures, not assertions (docs/performance.md). Asserted:
# every report sent is acknowledged, and every acknowledged one is stored.
# PINBAKE_LOAD_REPORTS overrides the count per collector (default 10000).
set -u

SUITE=collector_postgres_load
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/postgres_cluster.sh"
REPORTS=${PINBAKE_LOAD_REPORTS:-10000}

start_pg_cluster
echo "cluster: $("$PGBIN/psql" "$(pg_uri postgres)" -AtXc \
  "SELECT 'PostgreSQL ' || current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', wal_sync_method=' || current_setting('wal_sync_method')")"

# all_acknowledged NAME FILE: the load in FILE had every report sent 2xx'd.
all_acknowledged() {
  if grep -qE "^load: ([0-9]+) acknowledged of \1 sent" "$2"; then
    record "$1" 0 ""
  else
    record "$1" 1 "not every report acknowledged: $(head -c 400 "$2")"
  fi
}

# cpu PID: user+system CPU seconds of process PID so far.
cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# pg_cpu: CPU seconds of the server so far: the postmaster and its exited
# children (a collector's backend counts once it has exited: pg_idle).
pg_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' \
    "/proc/$(head -n 1 "$PGROOT/data/postmaster.pid")/stat"
}

# pg_idle DB: waits (up to 10 s) until no backend serves database DB.
pg_idle() {
  for _ in $(seq 100); do
    [ "$("$PGBIN/psql" "$(pg_uri postgres)" -AtXc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1'")" = 0 ] && break
    sleep 0.1
  done
  sleep 0.2  # The postmaster reaps the exited backend.
}

# scans DB: how the reports table of DB was read (a duplicate lookup that
# walks the table instead of finding its key shows as many rows read).
scans() {
  "$PGBIN/psql" "$(pg_uri "$1")" -AtXc "SELECT seq_scan || ' sequential scans reading ' || seq_tup_read || ' rows, ' || idx_scan || ' index scans fetching ' || idx_tup_fetch || ' rows' FROM pg_stat_user_tables WHERE relname = 'reports'"
}

# --- one collector -------------------------------------------------------
pg_createdb load_one
DB1=$(pg_uri load_one)
if start_collector one_starts "$DB1" --rate-limit 0; then
  record one_starts 0 ""
  PIDS+=("$CPID")
  pg0=$(pg_cpu)
  run one_load 0 timeout 120 "$CLIENT" load "$PORT" --reports "$REPORTS" --clients 16 \
      --seconds 60 --prefix one --acked "$T/one.acked" && {
    echo "one collector: $(cat "$T/out"); collector CPU $(cpu "$CPID") s"
    all_acknowledged one_all_acknowledged "$T/out"
  }
  stop_collector
  pg_idle load_one
  echo "one collector: PostgreSQL CPU $(awk -v a="$pg0" -v b="$(pg_cpu)" 'BEGIN { printf "%.2f", b - a }') s; reports table: $(scans load_one)"
  run one_verify 0 "$CLIENT" verify "$DB1" --acked "$T/one.acked" &&
    { cat "$T/out"; expect_in one_verify "$T/out" " 0 missing"; }
fi

# --- two collectors on one database at once ------------------------------
pg_createdb load_two
DB2=$(pg_uri load_two)
start_collector two_a_starts "$DB2" --rate-limit 0 && { PORT_A=$PORT; PID_A=$CPID; PIDS+=("$CPID"); record two_a_starts 0 ""; }
start_collector two_b_starts "$DB2" --rate-limit 0 && { PORT_B=$PORT; PID_B=$CPID; PIDS+=("$CPID"); record two_b_starts 0 ""; }
CPID=""
if [ -n "${PORT_A:-}" ] && [ -n "${PORT_B:-}" ]; then
  pg0=$(pg_cpu)
  start=$(date +%s.%N)
  timeout 120 "$CLIENT" load "$PORT_A" --reports "$REPORTS" --clients 16 --seconds 60 \
      --prefix a --acked "$T/a.acked" >"$T/a.out" 2>&1 &
  la=$!
  timeout 120 "$CLIENT" load "$PORT_B" --reports "$REPORTS" --clients 16 --seconds 60 \
      --prefix b --acked "$T/b.acked" >"$T/b.out" 2>&1 &
  lb=$!
  wait $la; wait $lb
  end=$(date +%s.%N)
  echo "two collectors, A: $(cat "$T/a.out"); collector CPU $(cpu "$PID_A") s"
  echo "two collectors, B: $(cat "$T/b.out"); collector CPU $(cpu "$PID_B") s"
  for p in "$PID_A" "$PID_B"; do kill "$p"; wait "$p" 2>/dev/null; done
  pg_idle load_two
  echo "two collectors: PostgreSQL CPU $(awk -v a="$pg0" -v b="$(pg_cpu)" 'BEGIN { printf "%.2f", b - a }') s; reports table: $(scans load_two)"
  cat "$T/a.acked" "$T/b.acked" >"$T/two.acked"
  echo "two collectors together: $(wc -l <"$T/two.acked") acknowledged in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s: $(awk -v s="$start" -v e="$end" -v n="$(wc -l <"$T/two.acked")" 'BEGIN { printf "%.0f", n / (e - s) }') reports/s"
  all_acknowledged two_a_all_acknowledged "$T/a.out"
  all_acknowledged two_b_all_acknowledged "$T/b.out"
  run two_verify 0 "$CLIENT" verify "$DB2" --acked "$T/two.acked" &&
    { cat "$T/out"; expect_in two_verify "$T/out" " 0 missing"; }
fi

harness_finish
