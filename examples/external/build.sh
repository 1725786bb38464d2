#!/usr/bin/env bash
# Builds this separate workspace (pinbake as the external repository
# @pinbake, a pin list baked with @pinbake//bazel:pinbake.bzl) offline, runs
# its binary and checks the output. Ends with "N passed, N failed"; exits
# non-zero on any failure.
#
#   examples/external/build.sh [--output_base=DIR]
#
# The optional startup option is passed to bazel (e.g. to keep this
# workspace's output apart from others on a shared machine).
set -uo pipefail
cd "$(dirname "$0")"
bazel=(bazel "$@")

if ! "${bazel[@]}" build //...; then
  echo "0 passed, 1 failed"
  exit 1
fi
bin="$("${bazel[@]}" info bazel-bin 2>/dev/null)/lookup_hosts"
out=$("$bin")
status=$?
echo "$out"

pass=0
fail=0
expect() {  # a whole line the output must contain
  if [ $status -eq 0 ] && grep -qxF -- "$1" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: missing line: $1" >&2
  fi
}
expect "www.acme.example: pinned=yes pinset=acme mode=enforce force_https=yes check=ok allowed=yes"
expect "status.acme.example: pinned=no force_https=no check=not-pinned allowed=yes"
expect "a.api.partner.example: pinned=yes pinset=partner mode=report-only force_https=no check=ok allowed=yes"
expect "api.partner.example: pinned=no force_https=no check=not-pinned allowed=yes"
expect "other.example: pinned=no force_https=no check=not-pinned allowed=yes"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
