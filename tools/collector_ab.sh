#!/usr/bin/env bash
# A/B benchmark of two `pinbake` binaries as report collectors, in one
# window so that both see the same machine: rounds of alternating runs,
# each on a fresh SQLite database (full durability), 20,000 distinct
# reports from 16 keep-alive clients on loopback (collector_client load).
# Prints per run: reports/s, p50/p99 latency, the collector's CPU per
# report, the load average. Figures only (docs/performance.md).
#
#   bazel build -c opt //cli:pinbake //tests/collector:collector_client
#   cp bazel-bin/cli/pinbake /tmp/pinbake-a   # ... and build B
#   bash tools/collector_ab.sh /tmp/pinbake-a /tmp/pinbake-b [ROUNDS]
set -u
if [ $# -lt 2 ]; then
  echo "usage: tools/collector_ab.sh PINBAKE_A PINBAKE_B [ROUNDS] (see the source)" >&2
  exit 2
fi
A=$1 B=$2 ROUNDS=${3:-3}
CLIENT=${COLLECTOR_CLIENT:-bazel-bin/tests/collector/collector_client}
[ -x "$CLIENT" ] || { echo "collector_ab: no $CLIENT; bazel build -c opt //tests/collector:collector_client" >&2; exit 2; }
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
TICK=$(getconf CLK_TCK)
for round in $(seq "$ROUNDS"); do
  for bin in "$A" "$B"; do
    rm -f "$D"/x.db*
    : >"$D/out"
    "$bin" collect --listen 127.0.0.1:0 --db "$D/x.db" --rate-limit 0 >"$D/out" 2>"$D/err" &
    cpid=$!
    port=""
    for _ in $(seq 100); do
      port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$D/out")
      [ -n "$port" ] && break
      sleep 0.1
    done
    if [ -z "$port" ]; then
      echo "collector_ab: $bin did not start: $(tail -c 300 "$D/err")" >&2
      kill "$cpid" 2>/dev/null
      exit 1
    fi
    t0=$(awk '{print $14 + $15}' "/proc/$cpid/stat")
    line=$(timeout 120 "$CLIENT" load "$port" --reports 20000 --clients 16 | head -1)
    t1=$(awk '{print $14 + $15}' "/proc/$cpid/stat")
    kill "$cpid"
    wait "$cpid" 2>/dev/null
    echo "round $round $bin: $(echo "$line" | sed 's/.*s: \([0-9]*\) reports\/s, latency p50 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 reports\/s, p50 \2 ms, p99 \3 ms/'), collector CPU $(( (t1 - t0) * 1000000 / TICK / 20000 )) us/report, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
