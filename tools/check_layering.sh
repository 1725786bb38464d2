#!/bin/bash
# CI step (issue 9): fails if any target under runtime/ or format/ reaches
# a target under compiler/, release/, cli/, collector/ or export/ through any dependency edge
# (deps, data, tools, implicit ones), as bazel query sees it.
#   bash tools/check_layering.sh        (from the repository root)
set -u
low='//runtime/... + //format/...'
high='//compiler/... + //release/... + //cli/... + //collector/... + //export/...'
out=$(bazel query --noshow_progress --keep_going \
        "somepath($low, $high)" 2>/tmp/check_layering.$$.err)
rc=$?
# 0: query complete; 3: partial (a pattern matched no package) - still
# meaningful for the packages that exist. Anything else is a real failure.
if [[ $rc -ne 0 && $rc -ne 3 ]]; then
  cat /tmp/check_layering.$$.err >&2
  rm -f /tmp/check_layering.$$.err
  echo "check_layering: bazel query failed (rc $rc)" >&2
  echo "0 passed, 1 failed"
  exit 2
fi
rm -f /tmp/check_layering.$$.err
if [[ -n "$out" ]]; then
  echo "check_layering: runtime/ or format/ depends on compiler/, release/ or cli/:" >&2
  echo "$out" | sed 's/^/  /' >&2
  echo "0 passed, 1 failed"
  exit 1
fi
echo "check_layering: no path from runtime/, format/ to compiler/, release/, cli/, collector/"
echo "1 passed, 0 failed"
