#!/usr/bin/env bash
# Reproduces the figures in docs/performance.md: table size and lookup
# speed for Chromium's 2016 and 2017 lists (../shared/data) against the
# absl::flat_hash_map baseline, and compile time / peak memory for
# generated lists of 10k, 100k and 1M hosts. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
shared=../shared/data
[ -d "$shared" ] || { echo "bench: $shared not found (Chromium lists)" >&2; exit 2; }

bazel build -c opt //cli:pinbake //tools:gen_list //tools:gen_queries >/dev/null 2>&1
bin=$(bazel info -c opt bazel-bin 2>/dev/null)
pinbake=$bin/cli/pinbake
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for year in 2016 2017; do
  d=$shared/chromium-$year
  "$pinbake" compile "$d/transport_security_state_static.json" \
    --pins "$d/transport_security_state_static.pins" --allow-stale -o "$work/c$year.pinb" 2>/dev/null
  "$bin/tools/gen_queries" "$work/c$year.pinb" 200000 "$year" > "$work/q$year.txt"
  echo "== chromium-$year: default (exact) table $(stat -c %s "$work/c$year.pinb") bytes"
  "$pinbake" bench "$work/c$year.pinb" "$work/q$year.txt" --json | tee "$work/b$year.json"
  python3 - "$work/b$year.json" "$year" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
print("chromium-%s: table %d bytes, %.2f bits/entry, hash map %d bytes, "
      "reader memory beside the table %d bytes (%.0f%% of the hash map's), "
      "median %.0f ns vs %.0f ns (ratio %.2f), worst %.0f ns (%d-byte host %s)"
      % (sys.argv[2], b["table_bytes"], b["bits_per_entry"], b["baseline_bytes"],
         b["reader_accelerator_bytes"],
         100.0 * b["reader_accelerator_bytes"] / b["baseline_bytes"],
         b["ns_per_lookup"], b["baseline_ns_per_lookup"], b["ratio"],
         b["worst_ns"], b["worst_query_bytes"], b["worst_query"][:80]))
PY
done

for n in 10000 100000 1000000; do
  "$bin/tools/gen_list" "$n" 1 > "$work/gen$n.json"
  echo "== compile $n generated hosts"
  /usr/bin/time -f "wall %e s, user %U s, peak RSS %M KB" \
    "$pinbake" compile "$work/gen$n.json" --allow-stale -o "$work/gen$n.pinb" --timing 2>&1 |
    grep -v 'warning:'
done
