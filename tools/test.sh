#!/usr/bin/env bash
# Runs every test. Installs what it needs first. Ends with a line
# "N passed, N failed" counting test cases (from the JUnit XML Bazel and
# GoogleTest write), and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh || exit 1

bazel test //... "$@"
rc=$?

passed=0
failed=0
testlogs=$(bazel info bazel-testlogs 2>/dev/null)
if [ -n "$testlogs" ] && [ -d "$testlogs" ]; then
  while IFS= read -r xml; do
    # Each record after the first is one <testcase ...>; a failed one holds
    # a <failure or <error element.
    counts=$(awk 'BEGIN { RS = "<testcase" }
      NR > 1 { cases++; if ($0 ~ /<failure|<error/) fails++ }
      END { printf "%d %d\n", cases, fails }' "$xml")
    c=${counts% *}
    f=${counts#* }
    passed=$((passed + c - f))
    failed=$((failed + f))
  done < <(find -L "$testlogs" -name test.xml)
fi
if [ $rc -ne 0 ] && [ $failed -eq 0 ]; then
  failed=1  # A target that failed to build or crashed before writing XML.
fi
echo "$passed passed, $failed failed"
exit $rc
