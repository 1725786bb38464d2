#!/usr/bin/env bash
# Runs examples/app:check_host (data/pins.json baked in) on the demo chains
# and checks what it prints. Each case is one <testcase> in the JUnit XML.
set -u

APP="$TEST_SRCDIR/$TEST_WORKSPACE/examples/app/check_host"
CHAINS="$TEST_SRCDIR/$TEST_WORKSPACE/data/chains"
GOOD="$CHAINS/www.example.com.pem"
OTHER="$CHAINS/www.example.com-unrelated-ca.pem"
# data/pins.json has no timestamp; the BUILD stamps the build time (timestamp
# = "now") and max_age_days is 70: fresh now, stale 100 days from now.
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
STALE=$(date -u -d "+100 days" +%Y-%m-%dT%H:%M:%SZ)
T="${TEST_TMPDIR:-$(mktemp -d)}"
pass=0
fail=0
cases=""

record() {  # name, ok(0/1), message
  if [ "$2" -eq 0 ]; then
    pass=$((pass + 1))
    cases+="<testcase name=\"$1\" classname=\"check_host\"/>"
    echo "PASS $1"
  else
    fail=$((fail + 1))
    local msg
    msg=$(printf '%s' "$3" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
    cases+="<testcase name=\"$1\" classname=\"check_host\"><failure message=\"$msg\"/></testcase>"
    echo "FAIL $1: $3"
  fi
}

# check NAME EXPECTED_EXIT "LINE..." -- ARGS...: runs check_host ARGS and
# wants the exit status and every given line in its output.
check() {
  local name=$1 want=$2
  shift 2
  local lines=()
  while [ "$1" != "--" ]; do lines+=("$1"); shift; done
  shift
  "$APP" "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    record "$name" 1 "exit $got, want $want; out: $(cat "$T/out") err: $(head -c 400 "$T/err")"
    return
  fi
  for line in "${lines[@]}"; do
    if ! grep -qxF -- "$line" "$T/out"; then
      record "$name" 1 "missing line '$line' in: $(cat "$T/out")"
      return
    fi
  done
  record "$name" 0 ""
}

check pinned_ok 0 "host: www.example.com" "pinned: yes (entry example.com, pinset example)" \
  "force_https: yes" "result: ok" "allowed: yes" -- www.example.com "$GOOD" --now "$NOW"
check canonicalised 0 "pinned: yes (entry example.com, pinset example)" "result: ok" \
  -- WWW.Example.COM. "$GOOD" --now "$NOW"
check unrelated_ca_violation 1 "result: violation" "would_fail: yes" "allowed: no" \
  -- www.example.com "$OTHER" --now "$NOW"
check local_root_bypassed 0 "result: bypassed" "would_fail: yes" "allowed: yes" \
  -- www.example.com "$OTHER" --now "$NOW" --not-known-root
check excluded_not_pinned 0 "pinned: no" "force_https: no" "result: not-pinned" \
  -- staging.example.com "$OTHER" --now "$NOW"
check bad_pin_violation 1 "pinned: yes (entry old.example.net, pinset example-rotating)" \
  "result: violation" "allowed: no" -- a.old.example.net "$GOOD" --now "$NOW"
check stale_list_fails_open 0 "result: stale" "would_fail: yes" "allowed: yes" \
  -- www.example.com "$OTHER" --now "$STALE"
check invalid_host 1 "error: ip-literal" "result: invalid-host" -- 10.0.0.1 "$GOOD" --now "$NOW"

# The table size printed is the baked table's; it must be a real table.
"$APP" www.example.com "$GOOD" --now "$NOW" >"$T/out" 2>&1
size=$(sed -n 's/^table_bytes: //p' "$T/out")
if [ -n "$size" ] && [ "$size" -gt 64 ]; then record table_bytes 0 ""; else
  record table_bytes 1 "table_bytes '$size'"; fi

check usage_error 2 -- www.example.com
check missing_chain 2 -- www.example.com "$T/no-such.pem"

if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="check_host" tests="%d" failures="%d">%s</testsuite></testsuites>\n' \
    $((pass + fail)) "$fail" "$cases" > "$XML_OUTPUT_FILE"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
