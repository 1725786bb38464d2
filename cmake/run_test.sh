#!/usr/bin/env bash
# CTest wrapper: runs a test the way `bazel test` would, with a fresh
# $TEST_TMPDIR, $TEST_SRCDIR/$TEST_WORKSPACE at the build's runfiles tree,
# and its JUnit XML written to BUILD_DIR/testlogs/NAME.xml.
#
#   run_test.sh BUILD_DIR NAME COMMAND...
set -u
build=$1 name=$2
shift 2
export TEST_SRCDIR="$build/runfiles" TEST_WORKSPACE=pinbake
export TEST_TMPDIR="$build/testtmp/$name"
rm -rf "$TEST_TMPDIR"
mkdir -p "$TEST_TMPDIR" "$build/testlogs"
rm -f "$build/testlogs/$name.xml"
export XML_OUTPUT_FILE="$build/testlogs/$name.xml"
export GTEST_OUTPUT="xml:$XML_OUTPUT_FILE"
exec "$@"
