# Shared by the collector shell tests: start and stop `pinbake collect` on
# 127.0.0.1 (a port the OS picks). Source after testing/cli_harness.sh.
#
#   start_collector NAME DB [ARGS...]   sets CPID and PORT; fails the case
#                                       NAME if it does not start in 10 s
#   stop_collector                      SIGTERM, then wait

CLIENT="$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_client"

start_collector() {
  local name=$1 db=$2
  shift 2
  rm -f "$T/collect.out"
  "$PINBAKE" collect --listen 127.0.0.1:0 --db "$db" "$@" \
    >"$T/collect.out" 2>>"$T/collect.err" &
  CPID=$!
  PORT=""
  for _ in $(seq 100); do
    PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$T/collect.out" 2>/dev/null)
    [ -n "$PORT" ] && return 0
    kill -0 "$CPID" 2>/dev/null || break
    sleep 0.1
  done
  record "$name" 1 "collector did not start: $(tail -c 400 "$T/collect.err")"
  return 1
}

stop_collector() {
  if [ -n "${CPID:-}" ]; then
    kill "$CPID" 2>/dev/null
    wait "$CPID" 2>/dev/null
    CPID=""
  fi
}
