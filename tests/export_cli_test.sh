#!/usr/bin/env bash
# End-to-end tests of `pinbake export` and `pinbake import` (docs/export.md):
# every format written, deterministic, refusals naming the entry (nothing
# written), --lossy warnings + comments, NSC output valid against
# export/nsc.xsd (xmllint), TrustKit output read back by plistutil, and
# round trips export -> import -> compile -> lookup. Each case is one
# <testcase> in the JUnit XML. xmllint (libxml2-utils) and plistutil
# (libplist-utils) must be installed (tools/install_deps.sh): the cases fail
# without them.
set -u

SUITE=export_cli
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
XSD="$TEST_SRCDIR/$TEST_WORKSPACE/export/nsc.xsd"

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
STAMP=(--timestamp 2026-11-28T00:00:00Z)

# A list every platform expresses exactly.
A=sha256/AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=
B=sha256/AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=
C=sha256/AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=
D=sha256/BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=
cat > "$T/lossless.json" <<JSON
{
  "list": {"id": "export-test", "timestamp": "2026-11-28T00:00:00Z", "max_age_days": 70},
  "pinsets": [
    {"name": "main", "static_spki_hashes": ["$A", "$B"]},
    {"name": "api", "static_spki_hashes": ["$C", "$D"]}
  ],
  "entries": [
    {"name": "example.com", "include_subdomains": true, "pins": "main"},
    {"name": "api.example.org", "pins": "api"}
  ]
}
JSON
HOSTS=(example.com www.example.com a.b.example.com api.example.org x.api.example.org example.org)

# --- every format ---------------------------------------------------------
for f in okhttp-java okhttp-kotlin nsc trustkit-plist trustkit-swift chromium; do
  run "export_${f}_ok" 0 "$PINBAKE" export "$T/lossless.json" --format "$f" -o "$T/out.$f" &&
    { [ -s "$T/out.$f" ] && record "export_${f}_ok" 0 "" || record "export_${f}_ok" 1 "empty"; }
  run "export_${f}_deterministic" 0 "$PINBAKE" export "$T/lossless.json" --format "$f" -o "$T/again.$f" &&
    { cmp -s "$T/out.$f" "$T/again.$f" && record "export_${f}_deterministic" 0 "" ||
      record "export_${f}_deterministic" 1 "outputs differ"; }
done
expect_in okhttp_double_star "$T/out.okhttp-java" '.add("**.example.com", "'"$A"'", "'"$B"'")'
expect_in okhttp_package "$T/out.okhttp-java" 'package pinbake.generated;'
expect_in okhttp_kotlin_object "$T/out.okhttp-kotlin" 'object PinbakePins {'
expect_in chromium_pins_file "$T/out.chromium.pins" "PinsListTimestamp"

run export_to_stdout 0 "$PINBAKE" export "$T/lossless.json" --format okhttp-java \
    --package com.example.app --class AppPins &&
  expect_in export_to_stdout "$T/out" 'public final class AppPins {'
# OkHttp 3 has no "**.": example.com's deeper subdomains would be unpinned.
run okhttp3_refuses_deep_subdomains 1 "$PINBAKE" export "$T/lossless.json" --format okhttp-java \
    --okhttp-version 3 &&
  expect_in okhttp3_refuses_deep_subdomains "$T/err" "error: entries[0] example.com: for a.pinbake-sample.example.com okhttp-java would not pin it (pinbake: enforces 2 pin(s)"
expect_in okhttp3_says_what_okhttp_does "$T/err" "okhttp-java would not pin it"

# A table exports exactly like the JSON list it was compiled from.
"$PINBAKE" compile "$T/lossless.json" --allow-stale -o "$T/lossless.pinb" 2>/dev/null
run export_from_table 0 "$PINBAKE" export "$T/lossless.pinb" --format nsc -o "$T/table.nsc" &&
  { cmp -s "$T/out.nsc" "$T/table.nsc" && record export_table_same_as_list 0 "" ||
    record export_table_same_as_list 1 "table and list exports differ"; }

# --- validity -------------------------------------------------------------
run nsc_validates_against_schema 0 xmllint --noout --schema "$XSD" "$T/out.nsc" &&
  expect_in nsc_validates_against_schema "$T/err" "validates"
run trustkit_plistutil_reads 0 plistutil -i "$T/out.trustkit-plist" -o "$T/tk.bin" -f bin &&
  run trustkit_plistutil_reads 0 plistutil -i "$T/tk.bin" -o - &&
  expect_in trustkit_plistutil_reads "$T/out" "<key>kTSKPinnedDomains</key>"

# --- round trips: export -> (import) -> compile, same answers --------------
lookups() {  # lookups TABLE: "host pinned mode" per host
  "$PINBAKE" lookup --json "$1" "${HOSTS[@]}" | sed -E 's/.*"host":"([^"]*)".*"pinned":(true|false).*"pin_mode":("[^"]*"|null).*/\1 \2 \3/'
}
"$PINBAKE" compile "$T/lossless.json" --allow-stale -o "$T/orig.pinb" 2>/dev/null
lookups "$T/orig.pinb" > "$T/orig.answers"
round_trip() {  # round_trip NAME TABLE
  lookups "$2" > "$T/$1.answers"
  if cmp -s "$T/orig.answers" "$T/$1.answers"; then record "$1" 0 ""; else
    record "$1" 1 "answers differ: $(diff "$T/orig.answers" "$T/$1.answers" | head -c 400)"; fi
}
run chromium_compiles_back 0 "$PINBAKE" compile "$T/out.chromium" --pins "$T/out.chromium.pins" \
    --allow-stale -o "$T/chromium.pinb" && round_trip chromium_round_trip "$T/chromium.pinb"
run import_nsc 0 "$PINBAKE" import --from nsc "$T/out.nsc" "${STAMP[@]}" -o "$T/nsc.json" &&
  run import_nsc_compiles 0 "$PINBAKE" compile "$T/nsc.json" --allow-stale -o "$T/nsc.pinb" &&
  round_trip nsc_round_trip "$T/nsc.pinb"
run import_trustkit 0 "$PINBAKE" import --from trustkit-plist "$T/out.trustkit-plist" "${STAMP[@]}" -o "$T/tk.json" &&
  run import_trustkit_compiles 0 "$PINBAKE" compile "$T/tk.json" --allow-stale -o "$T/tk.pinb" &&
  round_trip trustkit_round_trip "$T/tk.pinb"
# Binary plists too (libplist reads both).
run import_trustkit_binary 0 "$PINBAKE" import --from trustkit-plist "$T/tk.bin" "${STAMP[@]}" -o "$T/tkb.json" &&
  { cmp -s <(tail -n +2 "$T/tk.json") <(tail -n +2 "$T/tkb.json") && record import_binary_same_as_xml 0 "" ||
    record import_binary_same_as_xml 1 "differ"; }
# And back out again: the imported list exports to the same NSC.
run reexport_nsc 0 "$PINBAKE" export "$T/nsc.json" --format nsc -o "$T/re.nsc" &&
  { cmp -s "$T/out.nsc" "$T/re.nsc" && record reexport_nsc_identical 0 "" ||
    record reexport_nsc_identical 1 "$(diff "$T/out.nsc" "$T/re.nsc" | head -c 300)"; }

# --- refusals (data/pins.json has one of each) -----------------------------
echo keep > "$T/keep.java"
run okhttp_refuses_exclusion 1 "$PINBAKE" export "$T/data/pins.json" "${STAMP[@]}" --format okhttp-java -o "$T/keep.java" &&
  expect_in okhttp_refuses_exclusion "$T/err" "error: entries[1] staging.example.com: for a.pinbake-sample.staging.example.com okhttp-java would pin it to 2 key(s)"
expect_in okhttp_refuses_blocked_pin "$T/err" "error: entries[5] old.example.net: "
[ "$(cat "$T/keep.java")" = keep ] && record refusal_writes_nothing 0 "" ||
  record refusal_writes_nothing 1 "output changed"
run okhttp_lossy 0 "$PINBAKE" export "$T/data/pins.json" "${STAMP[@]}" --format okhttp-java --lossy -o "$T/lossy.java" &&
  expect_in okhttp_lossy "$T/err" "warning: entries[1] staging.example.com:"
expect_in okhttp_lossy_comment "$T/lossy.java" "// lossy: entries[1] staging.example.com:"
run nsc_refuses_wildcard 1 "$PINBAKE" export "$T/data/pins.json" "${STAMP[@]}" --format nsc &&
  expect_in nsc_refuses_wildcard "$T/err" "error: entries[4] *.cdn.example.net: for pinbake-sample.cdn.example.net nsc would not pin it, allow plain HTTP (pinbake: enforces 2 pin(s)"
run nsc_lossy 0 "$PINBAKE" export "$T/data/pins.json" "${STAMP[@]}" --format nsc --lossy -o "$T/lossy.xml" &&
  expect_in nsc_lossy_comment "$T/lossy.xml" "<!-- lossy: entries[4] *.cdn.example.net:"
run nsc_lossy_validates 0 xmllint --noout --schema "$XSD" "$T/lossy.xml"
run trustkit_refuses_wildcard 1 "$PINBAKE" export "$T/data/pins.json" "${STAMP[@]}" --format trustkit-plist &&
  expect_in trustkit_refuses_wildcard "$T/err" "error: entries[4] *.cdn.example.net:"
expect_in trustkit_refuses_blocked_pin "$T/err" "error: entries[5] old.example.net:"
sed "s|\"$D\"||; s|\"$C\", |\"$C\"|" "$T/lossless.json" > "$T/single.json"
run trustkit_refuses_single_pin 1 "$PINBAKE" export "$T/single.json" --format trustkit-swift &&
  expect_in trustkit_refuses_single_pin "$T/err" "error: entries[1] api.example.org: pinset api has 1 pin(s); TrustKit refuses"
run trustkit_single_pin_lossy 0 "$PINBAKE" export "$T/single.json" --format trustkit-swift --lossy -o "$T/single.swift" &&
  expect_in trustkit_single_pin_lossy "$T/single.swift" "// lossy: entries[1] api.example.org:"
run chromium_refuses_wildcard 1 "$PINBAKE" export "$T/data/pins.json" "${STAMP[@]}" --format chromium -o "$T/c.json" &&
  expect_in chromium_refuses_wildcard "$T/err" "error: entries[4] *.cdn.example.net:"
# Chromium expresses blocked pins: old.example.net is not refused there.
if grep -q "old.example.net" "$T/err"; then record chromium_keeps_blocked_pins 1 "refused"; else
  record chromium_keeps_blocked_pins 0 ""; fi

# --- usage and hostile input ------------------------------------------------
run export_needs_format 2 "$PINBAKE" export "$T/lossless.json" &&
  expect_in export_needs_format "$T/err" "export needs one LIST and --format"
run export_bad_format 2 "$PINBAKE" export "$T/lossless.json" --format ios
run export_bad_package 2 "$PINBAKE" export "$T/lossless.json" --format okhttp-java --package 'a;b' &&
  expect_in export_bad_package "$T/err" "not a package name"
run export_chromium_needs_o 2 "$PINBAKE" export "$T/lossless.json" --format chromium
run export_help 0 "$PINBAKE" export --help && expect_in export_help "$T/out" "okhttp-java, okhttp-kotlin"
printf '<!DOCTYPE x [<!ENTITY e "example.com">]>\n<network-security-config><domain-config><domain>&e;</domain></domain-config></network-security-config>\n' > "$T/doctype.xml"
run import_refuses_doctype 2 "$PINBAKE" import --from nsc "$T/doctype.xml" -o "$T/d.json" &&
  expect_in import_refuses_doctype "$T/err" "a DOCTYPE is not allowed"
run import_bad_from 2 "$PINBAKE" import --from ios "$T/out.nsc"
run import_not_a_plist 2 "$PINBAKE" import --from trustkit-plist "$T/lossless.json" &&
  expect_in import_not_a_plist "$T/err" "not a plist"

harness_finish
