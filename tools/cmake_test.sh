#!/usr/bin/env bash
# Tests the CMake build and the installed package (issue 13), end to end:
#   sources    cmake/sources.cmake matches the Bazel BUILD files
#   configure  cmake -S . -B BUILD
#   build      cmake --build -j2
#   ctest      the same gtest and CLI shell tests as Bazel (test cases
#              counted from their JUnit XML)
#   install    cmake --install into a temporary prefix; the installed runtime
#              library has no compiler symbol and needs no libssl
#   shared     the two libraries built shared: the runtime's NEEDED entries
#              have no libssl
#   cmake-example  examples/cmake against the prefix only: builds, checks a
#              host and chains; editing the list and rebuilding regenerates
#              the table
#   make-example   examples/make (Makefile + pkg-config) against the prefix
#   external   examples/external/build.sh (separate Bazel workspace);
#              skipped with PINBAKE_CMAKE_SKIP_EXTERNAL=1
# Prints how long each part took and ends with "N passed, N failed"; exits
# non-zero on any failure. PINBAKE_CMAKE_DIR: the work directory (default a
# fresh temporary one, removed at the end unless PINBAKE_CMAKE_KEEP=1).
set -uo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
work=${PINBAKE_CMAKE_DIR:-$(mktemp -d /tmp/pinbake-cmake.XXXXXX)}
[ -n "${PINBAKE_CMAKE_DIR:-}" ] || [ "${PINBAKE_CMAKE_KEEP:-0}" = 1 ] ||
  trap 'rm -rf "$work"' EXIT
build=$work/build
prefix=$work/prefix
mkdir -p "$work"

pass=0
fail=0
timings=()
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
started=0
begin() { echo "== cmake_test: $1"; started=$(date +%s); }
end() { timings+=("$1 $(( $(date +%s) - started ))s"); }
finish() {
  echo "cmake_test timings: ${timings[*]}"
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit $?
}

begin sources
check sources_match_bazel bash tools/gen_cmake_sources.sh --check
end sources

begin configure
if ! cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_INSTALL_PREFIX="$prefix" >"$work/configure.log" 2>&1; then
  cat "$work/configure.log"; bad configure; end configure; finish
fi
ok configure
end configure

begin build
if ! cmake --build "$build" -j2 >"$work/build.log" 2>&1; then
  tail -50 "$work/build.log"; bad build; end build; finish
fi
ok build
end build

begin ctest
ctest --test-dir "$build" -j2 --output-on-failure >"$work/ctest.log" 2>&1
ctest_rc=$?
tail -15 "$work/ctest.log"
before=$fail
for xml in "$build"/testlogs/*.xml; do
  [ -e "$xml" ] || continue
  counts=$(awk 'BEGIN { RS = "<testcase" }
    NR > 1 { cases++; if ($0 ~ /<failure|<error/) fails++ }
    END { printf "%d %d\n", cases, fails }' "$xml")
  pass=$((pass + ${counts% *} - ${counts#* }))
  fail=$((fail + ${counts#* }))
done
if [ $ctest_rc -ne 0 ] && [ $fail -eq $before ]; then
  grep -A30 "tests failed" "$work/ctest.log"
  bad ctest "a test crashed before writing its XML"
fi
end ctest

begin install
if cmake --install "$build" >"$work/install.log" 2>&1; then ok install; else
  cat "$work/install.log"; bad install; end install; finish; fi
runtime_lib=$prefix/lib/libpinbake_runtime.a
for f in bin/pinbake lib/libpinbake_runtime.a lib/libpinbake_openssl.a \
    lib/cmake/pinbake/pinbakeConfig.cmake lib/cmake/pinbake/pinbakeConfigVersion.cmake \
    lib/cmake/pinbake/pinbakeTargets.cmake lib/pkgconfig/pinbake-runtime.pc \
    include/pinbake/runtime/pin_list.h include/pinbake/runtime/openssl/pin_verifier.h; do
  check "installed_$(basename "$f")" test -e "$prefix/$f"
done
# No compiler code in the runtime: no symbol of compiler/ (pinbake::Compile*,
# the table writer, the diagnostics) is defined in it...
nm -C --defined-only "$runtime_lib" >"$work/runtime.nm" 2>/dev/null
check runtime_has_symbols grep -q "pinbake::PinList::" "$work/runtime.nm"
compiler_symbols='pinbake::(CompilePinList|LoadAndCheckPinList|WriteTable|EmitCcSources|Diagnostics::)'
check runtime_no_compiler_symbol bash -c '! grep -E "$2" "$1"' _ "$work/runtime.nm" "$compiler_symbols"
# (The same pattern does find them in the compiler library.)
check compiler_lib_has_compiler_symbol bash -c \
  'nm -C --defined-only "$1" | grep -qE "$2"' _ "$build/libpinbake_compiler.a" "$compiler_symbols"
# ... and nothing of libssl: no undefined SSL_ symbol, no libssl in its .pc.
check runtime_no_libssl_symbol \
  bash -c '! nm -u "$1" | grep -qE " (SSL|SSL_CTX|TLS)_"' _ "$runtime_lib"
check openssl_adapter_uses_libssl bash -c 'nm -u "$1" | grep -qE " SSL_"' _ "$prefix/lib/libpinbake_openssl.a"
check runtime_pc_no_libssl bash -c \
  '! PKG_CONFIG_PATH=$1/lib/pkgconfig pkg-config --libs pinbake-runtime | grep -q -- -lssl' _ "$prefix"
end install

# The same libraries shared (-DBUILD_SHARED_LIBS=ON): the runtime's NEEDED
# entries have libcrypto and no libssl; the adapter's have libssl.
begin shared
shared=$work/build-shared
if cmake -S "$src" -B "$shared" -DCMAKE_BUILD_TYPE=None -DBUILD_SHARED_LIBS=ON \
    -DPINBAKE_BUILD_TESTS=OFF >"$work/shared.log" 2>&1 &&
   cmake --build "$shared" -j2 --target pinbake_runtime pinbake_openssl >>"$work/shared.log" 2>&1; then
  ok shared_build
  readelf -d "$shared/libpinbake_runtime.so" >"$work/runtime.needed"
  check shared_runtime_needs_libcrypto grep -q "NEEDED.*libcrypto" "$work/runtime.needed"
  check shared_runtime_no_libssl bash -c '! grep -q "NEEDED.*libssl" "$1"' _ "$work/runtime.needed"
  check shared_openssl_needs_libssl bash -c \
    'readelf -d "$1" | grep -q "NEEDED.*libssl"' _ "$shared/libpinbake_openssl.so"
else
  tail -30 "$work/shared.log"; bad shared_build
fi
end shared

# The examples see only the prefix: a copy of the list and keys, no path
# into the source tree.
example_data=$work/example-data
mkdir -p "$example_data"
cp -r "$src/data/pins.json" "$src/data/keys" "$example_data/"
chains=$work/chains
cp -r "$src/data/chains" "$chains"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# run_example NAME BINARY: a pinned host with its chain, the same host with
# an unrelated CA's chain, and an unpinned host.
run_example() {
  local name=$1 bin=$2 out
  out=$("$bin" www.example.com "$chains/www.example.com.pem" --now "$now")
  check "${name}_pinned_ok" grep -qx "result: ok" <<<"$out"
  out=$("$bin" www.example.com "$chains/www.example.com-unrelated-ca.pem" --now "$now")
  check "${name}_violation_refused" test $? -eq 1 -a -n "$(grep -x 'result: violation' <<<"$out")"
  out=$("$bin" staging.example.com "$chains/www.example.com-unrelated-ca.pem" --now "$now")
  check "${name}_unpinned" grep -qx "result: not-pinned" <<<"$out"
}

begin cmake-example
ex=$work/example-cmake
if cmake -S "$src/examples/cmake" -B "$ex" -DCMAKE_PREFIX_PATH="$prefix" \
    -DPINBAKE_EXAMPLE_DATA="$example_data" >"$work/example-cmake.log" 2>&1 &&
   cmake --build "$ex" >>"$work/example-cmake.log" 2>&1; then
  ok cmake_example_build
  # Include and link flags name the prefix, never pinbake's source tree.
  check cmake_example_no_source_path bash -c \
    '! cat "$2"/CMakeFiles/*.dir/flags.make "$2"/CMakeFiles/*.dir/link.txt | grep -qF -- "$1/"' \
    _ "$src" "$ex"
  run_example cmake_example "$ex/check_host"
  # Editing the list regenerates the table on the next build: unpin
  # www.example.com (it falls under an exclusion) and rebuild.
  out=$("$ex/check_host" edited.example.org "$chains/www.example.com.pem" --now "$now")
  check cmake_example_unedited grep -qx "force_https: no" <<<"$out"
  table_before=$(md5sum "$ex"/example_pins_pinbake/example_pins.cc | cut -d' ' -f1)
  sleep 1
  sed -i 's/"entries": \[/"entries": [\n    { "name": "edited.example.org", "mode": "force-https" },/' \
    "$example_data/pins.json"
  cmake --build "$ex" >"$work/example-cmake-rebuild.log" 2>&1
  check cmake_example_rebuild grep -q "Baking pin list" "$work/example-cmake-rebuild.log"
  table_after=$(md5sum "$ex"/example_pins_pinbake/example_pins.cc | cut -d' ' -f1)
  check cmake_example_table_changed test "$table_before" != "$table_after"
  out=$("$ex/check_host" edited.example.org "$chains/www.example.com.pem" --now "$now")
  check cmake_example_edit_visible grep -qx "force_https: yes" <<<"$out"
  cmake --build "$ex" >"$work/example-cmake-noop.log" 2>&1
  check cmake_example_noop_rebuild bash -c '! grep -q "Baking pin list" "$1"' _ "$work/example-cmake-noop.log"
  # A key file (DATA) is a dependency too.
  sleep 1
  touch "$example_data/keys/demo-root.pem"
  cmake --build "$ex" >"$work/example-cmake-key.log" 2>&1
  check cmake_example_key_rebuild grep -q "Baking pin list" "$work/example-cmake-key.log"
  cp "$src/data/pins.json" "$example_data/pins.json"
else
  tail -30 "$work/example-cmake.log"; bad cmake_example_build
fi
end cmake-example

begin make-example
mk=$work/example-make
if make -C "$src/examples/make" PREFIX="$prefix" DATA="$example_data" OUT="$mk" \
    >"$work/example-make.log" 2>&1; then
  ok make_example_build
  run_example make_example "$mk/check_host"
  check make_example_links_no_libssl bash -c '! ldd "$1" | grep -q libssl' _ "$mk/check_host"
else
  tail -30 "$work/example-make.log"; bad make_example_build
fi
end make-example

if [ "${PINBAKE_CMAKE_SKIP_EXTERNAL:-0}" != 1 ]; then
  begin external
  if out=$(timeout 1200 bash examples/external/build.sh 2>&1); then
    ok external_example
  else
    echo "$out" | tail -30; bad external_example
  fi
  # Its own Bazel server: do not leave it running.
  (cd examples/external && bazel shutdown >/dev/null 2>&1)
  end external
fi
finish
