#!/usr/bin/env bash
# Bounded-memory reads: `pinbake reports summary` over 20,000 and 200,000
# stored reports (4 noted hosts, 4 distinct chains), each run's peak RSS
# (getrusage ru_maxrss of the child) printed: figures, not assertions
# (docs/performance.md). The summary streams the rows
# (ReportStore::ForEachReport), so its peak stays flat as the reports grow
# tenfold; the cases check the answers.
# PINBAKE_BEFORE=/path/to/an/older/pinbake (--test_env) measures that
# binary too, on the same databases.
set -u

SUITE=summary_memory
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"

for n in 20000 200000; do
  db="$T/summary-$n.db"
  rm -f "$db" "$db-wal" "$db-shm"
  run "fill_$n" 0 timeout 300 "$CLIENT" fill "$db" --reports "$n" --hosts 4 --chains 4 &&
    expect_in "fill_$n" "$T/out" "fill: $n reports"
  for binary in "$PINBAKE" ${PINBAKE_BEFORE:+"$PINBAKE_BEFORE"}; do
    label=$([ "$binary" = "$PINBAKE" ] && echo this || echo before)
    if run "summary_${n}_$label" 0 timeout 300 "$CLIENT" peak-rss "$binary" \
        reports summary --db "$db"; then
      expect_in "summary_${n}_$label" "$T/out" "$n reports, 4 hosts"
      expect_in "summary_${n}_${label}_per_host" "$T/out" \
        "h3.test: $((n / 4)) reports, 4 distinct chains"
      echo "figure: reports summary, $n reports ($label binary): $(cat "$T/err")"
    fi
    if run "summary_json_${n}_$label" 0 timeout 300 "$CLIENT" peak-rss "$binary" \
        reports summary --db "$db" --json; then
      expect_in "summary_json_${n}_$label" "$T/out" "\"reports\": $n"
      echo "figure: reports summary --json, $n reports ($label binary): $(cat "$T/err")"
    fi
  done
  rm -f "$db" "$db-wal" "$db-shm"
done

harness_finish
