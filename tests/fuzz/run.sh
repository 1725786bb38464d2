#!/usr/bin/env bash
# Builds every libFuzzer target of tests/fuzz/ (Bazel --config=fuzz: clang-14,
# ASan, UBSan) and runs each for SECONDS (default 30) on a temporary copy of
# its seed corpus, so the repository is not modified. Prints one summary line
# per fuzzer:
#   fuzz: NAME: ok (N execs in S s, cov C, ft F, corpus K)
#   fuzz: NAME: FAILED (crash|build|...)
# and exits non-zero if any fuzzer failed to build or found a crash, leak,
# timeout or out-of-memory input. For a crash it prints the stack and the
# input (base64), and keeps the input under the work directory it names.
#
# Usage: bash tests/fuzz/run.sh [SECONDS]
# Environment:
#   PINBAKE_BAZEL      command used for Bazel (default "bazel"), e.g.
#                      "bazel --output_base=/tmp/ob"
#   PINBAKE_FUZZERS    space-separated subset of fuzzers to run
#   PINBAKE_FUZZ_KEEP  1: keep the work directory (grown corpora, logs)
#
# Replay one input (a crash file) against a fuzzer:
#   bazel-bin/tests/fuzz/NAME CRASH_FILE            (after a --config=fuzz build)
#   bazel run //tests/fuzz:NAME -- CRASH_FILE       (gcc replay build)
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-30}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 2
fi

bash tools/install_deps.sh --fuzz || exit 1

read -ra bazel <<< "${PINBAKE_BAZEL:-bazel}"
if [ -n "${PINBAKE_FUZZERS:-}" ]; then
  read -ra fuzzers <<< "$PINBAKE_FUZZERS"
else
  mapfile -t fuzzers < <(sed -n 's/^ *name = "\([a-z0-9_]*_fuzzer\)",$/\1/p' tests/fuzz/BUILD)
fi
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "fuzz: no fuzzers found in tests/fuzz/BUILD" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pinbake-fuzz.XXXXXX")
failed_any=0
cleanup() {
  if [ "${PINBAKE_FUZZ_KEEP:-0}" = 1 ] || [ $failed_any -ne 0 ]; then
    echo "fuzz: work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# Build. --keep_going: a fuzzer that builds still runs when another does
# not.
targets=()
for f in "${fuzzers[@]}"; do targets+=("//tests/fuzz:$f"); done
echo "fuzz: building ${fuzzers[*]} with --config=fuzz" >&2
build_start=$SECONDS
"${bazel[@]}" build --config=fuzz --keep_going "${targets[@]}" >"$work/build.log" 2>&1
build_rc=$?
# gold warns once per ASan check symbol at every link; not worth showing.
grep -v "Cannot export local symbol" "$work/build.log" | tail -n 40 >&2
echo "fuzz: build finished in $((SECONDS - build_start)) s (exit $build_rc)" >&2
bin=$("${bazel[@]}" info --config=fuzz bazel-bin 2>/dev/null)
# After a failed build, a target that did not build may still have an old
# binary in bazel-bin: find out which failed, one target at a time.
declare -A broken=()
if [ $build_rc -ne 0 ]; then
  for f in "${fuzzers[@]}"; do
    "${bazel[@]}" build --config=fuzz "//tests/fuzz:$f" >/dev/null 2>&1 || broken[$f]=1
  done
fi

# Seed table in the current table format, made by pinbake from
# data/pins.json. pinbake is built in the default configuration (already
# built by `bazel test //...` in tools/test.sh; the fuzz config would build
# the whole compiler again with clang). A failure here is a warning:
# table_reader_fuzzer still has its own seeds.
seed_table=""
pinbake=""
if "${bazel[@]}" build //cli:pinbake >"$work/pinbake_build.log" 2>&1; then
  pinbake="$("${bazel[@]}" info bazel-bin 2>/dev/null)/cli/pinbake"
fi
if [ -x "$pinbake" ]; then
  if timeout 300 "$pinbake" compile data/pins.json --timestamp now \
       -o "$work/pins.pinb" >"$work/pinbake.log" 2>&1; then
    seed_table="$work/pins.pinb"
  else
    echo "fuzz: warning: pinbake compile data/pins.json failed; no generated seed table:" >&2
    tail -n 20 "$work/pinbake.log" >&2
  fi
else
  echo "fuzz: warning: //cli:pinbake did not build; no generated seed table" >&2
fi

summary=()
passed=0
failed=0
for f in "${fuzzers[@]}"; do
  exe="$bin/tests/fuzz/$f"
  if [ -n "${broken[$f]:-}" ] || [ ! -x "$exe" ]; then
    summary+=("fuzz: $f: FAILED (did not build)")
    failed=$((failed + 1))
    continue
  fi
  corpus="$work/corpus/$f"
  mkdir -p "$corpus" "$work/artifacts"
  if [ -d "tests/fuzz/corpus/$f" ]; then cp -R "tests/fuzz/corpus/$f/." "$corpus/"; fi
  if [ -n "$seed_table" ]; then
    case $f in
      table_reader_fuzzer) cp "$seed_table" "$corpus/generated_pins.pinb" ;;
      signed_blob_fuzzer)  # odd mode byte, version byte 0 (= current format), table.
        { printf '\001\000'; cat "$seed_table"; } >"$corpus/generated_sign_pins" ;;
    esac
  fi
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560
        -print_final_stats=1 -artifact_prefix="$work/artifacts/$f-")
  [ -f "tests/fuzz/$f.dict" ] && args+=(-dict="$PWD/tests/fuzz/$f.dict")
  echo "fuzz: running $f for $seconds s" >&2
  log="$work/$f.log"
  # The outer timeout only guards against a hung fuzzer process.
  # TMPDIR: list_parser_fuzzer makes a directory of PEM files there.
  (cd "$work" && TMPDIR="$work" timeout $((seconds + 300)) "$exe" "${args[@]}" "$corpus") >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  done_line=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$done_line")
  if [ $rc -eq 0 ]; then
    summary+=("fuzz: $f: ok (${execs:-?} execs in $seconds s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?})")
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    summary+=("fuzz: $f: FAILED (exit $rc after ${execs:-?} execs; log $log)")
    echo "==== fuzz: $f failed (exit $rc); end of its log:" >&2
    grep -v '^#[0-9]' "$log" | tail -n 80 >&2
    for a in "$work/artifacts/$f-"*; do
      [ -f "$a" ] || continue
      echo "==== fuzz: $f input $a ($(wc -c <"$a") bytes), base64:" >&2
      head -c 16384 "$a" | base64 -w 76 >&2
    done
  fi
done

[ $failed -eq 0 ] || failed_any=1
printf '%s\n' "${summary[@]}"
echo "fuzz: $passed fuzzers ok, $failed failed"
[ $failed -eq 0 ]
