# Shared harness for the shell tests of the pinbake CLI: each case is one
# <testcase> in the JUnit XML that Bazel collects ($XML_OUTPUT_FILE), so the
# README's test command counts cases, not targets. Source it after setting
# SUITE (the test suite's name); call harness_finish at the end.
#
#   record NAME OK MESSAGE       OK=0 passes the case, anything else fails it
#   run NAME WANT_EXIT CMD...    runs CMD (stdout in $T/out, stderr in $T/err);
#                                fails the case and returns 1 on another exit
#   expect_in NAME FILE STRING   passes the case iff FILE contains STRING
#   harness_finish               writes the XML, prints "N passed, N failed",
#                                and exits non-zero if any case failed

PINBAKE="$TEST_SRCDIR/$TEST_WORKSPACE/cli/pinbake"
DATA="$TEST_SRCDIR/$TEST_WORKSPACE/data"
T="${TEST_TMPDIR:-$(mktemp -d)}"
pass=0
fail=0
cases=""

record() {
  if [ "$2" -eq 0 ]; then
    pass=$((pass + 1))
    cases+="<testcase name=\"$1\" classname=\"$SUITE\"/>"
    echo "PASS $1"
  else
    fail=$((fail + 1))
    local msg
    msg=$(printf '%s' "$3" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
    cases+="<testcase name=\"$1\" classname=\"$SUITE\"><failure message=\"$msg\"/></testcase>"
    echo "FAIL $1: $3"
  fi
}

run() {
  local name=$1 want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    record "$name" 1 "exit $got, want $want; stdout: $(head -c 300 "$T/out"); stderr: $(head -c 300 "$T/err")"
    return 1
  fi
  return 0
}

expect_in() {
  if grep -qF -- "$3" "$2"; then record "$1" 0 ""; else
    record "$1" 1 "missing '$3' in: $(head -c 600 "$2")"; fi
}

harness_finish() {
  if [ -n "${XML_OUTPUT_FILE:-}" ]; then
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="%s" tests="%d" failures="%d">%s</testsuite></testsuites>\n' \
      "$SUITE" $((pass + fail)) "$fail" "$cases" > "$XML_OUTPUT_FILE"
  fi
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit $?
}
