#!/usr/bin/env bash
# End-to-end tests of `pinbake compile --cc-out/--cc-header` (docs/baking.md):
# the generated files, their bytes, flag checks, and that nothing is written
# on errors. Each case is one <testcase> in the JUnit XML.
set -u

SUITE=cc_cli
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"

# check NAME FILE STRING...: every fixed STRING must be in FILE.
check() {
  local name=$1 file=$2
  shift 2
  for s in "$@"; do
    if ! grep -qF -- "$s" "$file"; then
      record "$name" 1 "missing '$s' in $file: $(head -c 600 "$file")"
      return
    fi
  done
  record "$name" 0 ""
}

# The bytes of the generated array as hex, one per line.
array_hex() { sed -n '/\[\] = {$/,/^};$/p' "$1" | grep -o '0x[0-9a-f][0-9a-f]' | sed 's/^0x//'; }
file_hex() { od -An -v -tx1 "$1" | tr -s ' ' '\n' | sed '/^$/d'; }

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
# data/pins.json has no timestamp (the demo stamps its build time): stamp the
# time of this run, so the list is always fresh here.
LIST="$T/data/stamped.json"
sed "s/\"version\": 1,/\"version\": 1, \"timestamp\": $(date -u +%s),/" "$T/data/pins.json" > "$LIST"
O="$T/o"
mkdir -p "$O"

# --- outputs ----------------------------------------------------------------
run cc_only 0 "$PINBAKE" compile "$LIST" --cc-out "$O/pins.cc" --cc-header "$O/pins.h" \
    --cc-namespace my::pins &&
  check cc_only "$O/pins.h" "namespace my {" "namespace pins {" \
    "const ::pinbake::PinList& pin_list();" "::absl::string_view pin_list_table();" \
    "#ifndef PINBAKE_GENERATED_PINS_H_"
check cc_only_source "$O/pins.cc" '#include "pins.h"' "alignas(8) constexpr unsigned char" \
  "::pinbake::NewBakedPinListOrDie(pin_list_table(), \"my::pins::pin_list\")"
check cc_only_wrote "$T/err" "wrote $O/pins.h, $O/pins.cc:"
[ ! -e "$O/pins.pinb" ] && record cc_only_no_table 0 "" || record cc_only_no_table 1 "table written"

run cc_and_table 0 "$PINBAKE" compile "$LIST" -o "$O/t.pinb" --cc-out "$O/t.cc" \
    --cc-header "$O/t.h" --cc-namespace ns --cc-name baked --cc-include some/dir/t.h &&
  check cc_and_table "$O/t.cc" '#include "some/dir/t.h"' "::absl::string_view baked_table() {" \
    "const ::pinbake::PinList& baked() {" "static_assert(sizeof(baked_bytes) == $(wc -c <"$O/t.pinb")"
if [ -s "$O/t.pinb" ] && [ "$(array_hex "$O/t.cc")" = "$(file_hex "$O/t.pinb")" ]; then
  record array_is_table 0 ""
else
  record array_is_table 1 "array bytes differ from the table ($(array_hex "$O/t.cc" | wc -l) vs $(wc -c <"$O/t.pinb"))"
fi

run deterministic 0 "$PINBAKE" compile "$LIST" --cc-out "$O/t2.cc" --cc-header "$O/t2.h" \
    --cc-namespace ns --cc-name baked --cc-include some/dir/t.h &&
  { cmp -s "$O/t.cc" "$O/t2.cc" && cmp -s "$O/t.h" "$O/t2.h" && record deterministic 0 "" ||
    record deterministic 1 "outputs differ"; }

# --- flag errors: exit 2, nothing written --------------------------------
usage_case() {  # name, expected stderr text, args...
  local name=$1 want=$2
  shift 2
  rm -f "$O/bad.cc" "$O/bad.h" "$O/bad.pinb"
  run "$name" 2 "$PINBAKE" compile "$@" || return
  if [ -e "$O/bad.cc" ] || [ -e "$O/bad.h" ] || [ -e "$O/bad.pinb" ]; then
    record "$name" 1 "an output was written"
    return
  fi
  check "$name" "$T/err" "$want"
}
usage_case bad_namespace '--cc-namespace: "a::" has an empty component' \
  "$LIST" --cc-out "$O/bad.cc" --cc-header "$O/bad.h" --cc-namespace a:: -o "$O/bad.pinb"
usage_case namespace_std '--cc-namespace: "std::pins" is inside namespace std' \
  "$LIST" --cc-out "$O/bad.cc" --cc-header "$O/bad.h" --cc-namespace std::pins
usage_case keyword_name '--cc-name: "class" is a C++ keyword' \
  "$LIST" --cc-out "$O/bad.cc" --cc-header "$O/bad.h" --cc-namespace ns --cc-name class
usage_case dashed_name '--cc-name: "my-pins" is not a C++ identifier' \
  "$LIST" --cc-out "$O/bad.cc" --cc-header "$O/bad.h" --cc-namespace ns --cc-name my-pins
usage_case bad_include "--cc-include" \
  "$LIST" --cc-out "$O/bad.cc" --cc-header "$O/bad.h" --cc-namespace ns --cc-include 'a"b.h'
usage_case header_missing "--cc-out, --cc-header and --cc-namespace go together" \
  "$LIST" --cc-out "$O/bad.cc" --cc-namespace ns -o "$O/bad.pinb"
usage_case namespace_missing "--cc-out, --cc-header and --cc-namespace go together" \
  "$LIST" --cc-out "$O/bad.cc" --cc-header "$O/bad.h"
usage_case namespace_alone "--cc-namespace needs --cc-out and --cc-header" \
  "$LIST" --cc-namespace ns -o "$O/bad.pinb"
usage_case no_output "compile needs one LIST.json and -o OUT (or --cc-out)" "$LIST"

# --- a list with errors leaves existing outputs as they were -------------
printf '{"entries": [{"name": "Bad Host"}]}\n' > "$T/bad.json"
echo old-cc > "$O/keep.cc"
echo old-h > "$O/keep.h"
run list_error_keeps_outputs 2 "$PINBAKE" compile "$T/bad.json" --cc-out "$O/keep.cc" \
    --cc-header "$O/keep.h" --cc-namespace ns &&
  { [ "$(cat "$O/keep.cc")" = old-cc ] && [ "$(cat "$O/keep.h")" = old-h ] &&
    ! ls "$O" | grep -q '\.tmp' && record list_error_keeps_outputs 0 "" ||
    record list_error_keeps_outputs 1 "outputs changed: $(ls "$O")"; }

run help 0 "$PINBAKE" compile --help && check help "$T/out" "--cc-out" "--cc-namespace" "--cc-include"

harness_finish
