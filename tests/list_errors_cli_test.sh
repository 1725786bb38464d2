#!/usr/bin/env bash
# End-to-end tests of `pinbake compile`'s diagnostics (issue 14): every
# error of a run in one pass, each FILE:LINE:COL: FIELD: error: ... with a
# one-line fix where one is known; and IDN host names (U-labels) in lists
# (refused with the A-label as the fix, accepted with --idn) and in
# lookup/check arguments. Each case is one <testcase> in the JUnit XML.
set -u

SUITE=list_errors_cli
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"

NOW=(--now 2026-12-01T00:00:00Z)
# base64 of 31 bytes: 44 characters, "==" padding.
HASH31=sha256/WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWg==
ROOT=sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
BACKUP=sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=
command -v openssl >/dev/null || { record openssl_installed 1 "openssl is not installed (tools/install_deps.sh)"; harness_finish; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/private.pem" 2>/dev/null ||
  record make_private_key 1 "openssl genpkey failed"

# --- one list, nine mistakes of every phase, one run ---------------------
# Structural (a wrong type, an unknown key), reference (an unknown pinset,
# an unknown key name), key material (a 31-byte hash, a private key in a
# pem_file) and semantic (a U-label, a wildcard with include_subdomains, a
# duplicate host): all reported together, sorted by position.
cat > "$T/six.json" <<'JSON'
{
  "list": {"version": 1, "timestamp": "2026-11-28T00:00:00Z", "max_age_days": "70"},
  "keys": {
    "ShopRoot": "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    "ShopBackup": "sha256/WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWg==",
    "ShopSigner": {"pem_file": "private.pem"}
  },
  "pinsets": [
    {"name": "shop", "static_spki_hashes": ["ShopRoot", "ShopBakup"]}
  ],
  "entries": [
    {"name": "shop.test", "pins": "shop", "include_subdomain": true},
    {"name": "bücher.shop.test", "pins": "shop"},
    {"name": "*.cdn.shop.test", "pins": "shop", "include_subdomains": true},
    {"name": "api.shop.test", "pins": "shpo"},
    {"name": "shop.test", "mode": "force-https"}
  ]
}
JSON
L="$T/six.json"
if run all_errors_in_one_run 2 "$PINBAKE" compile "$L" "${NOW[@]}" -o "$T/six.pinb"; then
  expect_in all_errors_count "$T/err" "pinbake: 9 error(s), 0 warning(s); nothing written"
  expect_in all_errors_type "$T/err" "$L:2:63: list.max_age_days: error: must be a positive integer, got string"
  expect_in all_errors_hash_length "$T/err" "$L:5:5: keys.ShopBackup: error: sha256/ pin decodes to 31 bytes; a SHA-256 hash is 32"
  expect_in all_errors_private_key "$T/err" "$L:6:20: keys.ShopSigner.pem_file: error: pem_file \"$T/private.pem\": PEM block 1 has label \"PRIVATE KEY\""
  expect_in all_errors_unknown_key_name "$T/err" "$L:9:57: pinsets[0].static_spki_hashes[1]: error: unknown key name \"ShopBakup\""
  expect_in all_errors_unknown_key_name_fix "$T/err" '  fix: did you mean "ShopBackup"?'
  expect_in all_errors_unknown_key "$T/err" "$L:12:43: entries[0].include_subdomain: error: unknown key \"include_subdomain\" in entry"
  expect_in all_errors_u_label "$T/err" "$L:13:6: entries[1].name: error: \"bücher.shop.test\" has U-labels"
  expect_in all_errors_wildcard "$T/err" "$L:14:49: entries[2].include_subdomains: error: wildcard \"*.cdn.shop.test\" cannot have include_subdomains"
  expect_in all_errors_unknown_pinset "$T/err" "$L:15:31: entries[3].pins: error: unknown pinset \"shpo\""
  expect_in all_errors_unknown_pinset_fix "$T/err" '  fix: did you mean "shop"?'
  expect_in all_errors_duplicate "$T/err" "$L:16:6: entries[4].name: error: duplicate host \"shop.test\" (first at entries[0])"
  # Sorted by position: the LINE of each "FILE:LINE:COL:" line ascends.
  lines=$(grep -o "^$L:[0-9]*" "$T/err" | sed 's/.*://' | tr '\n' ' ')
  [ "$lines" = "2 5 6 9 12 13 14 15 16 " ] && record all_errors_sorted 0 "" ||
    record all_errors_sorted 1 "lines in order: $lines"
fi
[ ! -e "$T/six.pinb" ] && record all_errors_write_nothing 0 "" ||
  record all_errors_write_nothing 1 "output created"

# A follow-up of an error is not reported as another problem: the pinset
# whose second pin is unknown is not also "a single static_spki_hash".
if ! grep -q "single static_spki_hash" "$T/err"; then record follow_up_dropped 0 ""; else
  record follow_up_dropped 1 "$(grep "single" "$T/err")"; fi

# A bad mode is still a mode: the run reports the mode, and no "neither
# pins nor mode" exclusion warning on top (a check of the same entry).
printf '{"entries": [{"name": "a.com", "mode": "force_https"}]}\n' > "$T/mode_typo.json"
run bad_mode_no_follow_up 2 "$PINBAKE" compile "$T/mode_typo.json" "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in bad_mode_no_follow_up "$T/err" "$T/mode_typo.json:1:32: entries[0].mode: error: unknown mode \"force_https\" (the only mode is \"force-https\")
  fix: did you mean \"force-https\"?" &&
  expect_in bad_mode_no_follow_up_count "$T/err" "1 error(s), 0 warning(s)"

# --- one test per message -------------------------------------------------
# A list with one entry named $1 and extra entry JSON $2.
one_entry() {
  printf '{"list": {"timestamp": "2026-11-28T00:00:00Z"},\n "pinsets": [{"name": "shop", "static_spki_hashes": ["%s", "%s"]}],\n "entries": [\n  {"name": "%s", "pins": "shop"%s}\n]}\n' \
    "$ROOT" "$BACKUP" "$1" "${2:-}"
}

one_entry shop.test ', "include_subdomain": true' > "$T/key.json"
run did_you_mean_key 2 "$PINBAKE" compile "$T/key.json" "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in did_you_mean_key "$T/err" "$T/key.json:4:38: entries[0].include_subdomain: error: unknown key \"include_subdomain\" in entry
  fix: did you mean \"include_subdomains\"?"
grep -A1 "include_subdomain\"" "$T/err" | grep -q '  fix: did you mean "include_subdomains"?' &&
  record did_you_mean_key_fix_line 0 "" || record did_you_mean_key_fix_line 1 "$(cat "$T/err")"

one_entry shop.test ', "pin_mode": "report_only"' > "$T/mode.json"
run did_you_mean_value 2 "$PINBAKE" compile "$T/mode.json" "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in did_you_mean_value "$T/err" '  fix: did you mean "report-only"?'

printf '{"keys": {"K": "%s"}, "entries": []}\n' "$HASH31" > "$T/hash.json"
run hash_decoded_length 2 "$PINBAKE" compile "$T/hash.json" "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in hash_decoded_length "$T/err" "$T/hash.json:1:11: keys.K: error: sha256/ pin decodes to 31 bytes; a SHA-256 hash is 32"

printf '{"keys": {"K": {"pem_file": "private.pem"}}, "entries": []}\n' > "$T/private.json"
run private_key_fix 2 "$PINBAKE" compile "$T/private.json" "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in private_key_fix "$T/err" "  fix: write its public key with \"openssl pkey -in $T/private.pem -pubout -out PUBLIC.pem\""

# A pem_file missing under Bazel (BUILD_WORKSPACE_DIRECTORY is what `bazel
# run` sets; actions run in the execroot) gets the data hint; outside Bazel
# (working directory /, no such variable) it does not.
printf '{"keys": {"K": {"pem_file": "keys/missing.pem"}}, "entries": []}\n' > "$T/missing.json"
run missing_pem_under_bazel 2 env BUILD_WORKSPACE_DIRECTORY=/workspace "$PINBAKE" compile "$T/missing.json" "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in missing_pem_under_bazel "$T/err" "$T/missing.json:1:17: keys.K.pem_file: error: cannot read pem_file \"$T/keys/missing.pem\"" &&
  expect_in missing_pem_under_bazel_fix "$T/err" "  fix: running under Bazel: if \"keys/missing.pem\" exists, add it to the rule's data"
(cd / && env -u BUILD_WORKSPACE_DIRECTORY "$PINBAKE" compile "$T/missing.json" "${NOW[@]}" -o "$T/x.pinb" 2>"$T/err2")
if grep -q "cannot read pem_file" "$T/err2" && ! grep -q "rule's data" "$T/err2"; then
  record missing_pem_outside_bazel 0 ""; else record missing_pem_outside_bazel 1 "$(cat "$T/err2")"; fi

# --- IDN --------------------------------------------------------------------
one_entry bücher.shop.test ', "include_subdomains": true' > "$T/idn.json"
run idn_refused 2 "$PINBAKE" compile "$T/idn.json" "${NOW[@]}" -o "$T/idn.pinb" &&
  expect_in idn_refused "$T/err" "$T/idn.json:4:4: entries[0].name: error: \"bücher.shop.test\" has U-labels (Unicode); the table holds A-labels
  fix: write \"xn--bcher-kva.shop.test\", or compile with --idn to convert it"

run idn_compiled 0 "$PINBAKE" compile "$T/idn.json" --idn "${NOW[@]}" -o "$T/idn.pinb" &&
  expect_in idn_compiled "$T/err" "$T/idn.json:4:4: entries[0].name: note: \"bücher.shop.test\" is compiled as its A-label \"xn--bcher-kva.shop.test\" (--idn)"
expect_in idn_compiled_no_warning "$T/err" "1 entries, 1 pinsets, 0 warning(s)"

# --idn with --werror: a note is not a warning.
run idn_note_is_not_a_warning 0 "$PINBAKE" compile "$T/idn.json" --idn --werror "${NOW[@]}" -o "$T/idn2.pinb"

one_entry 'a☃.shop.test' > "$T/bad_idn.json"
run invalid_idn_refused 2 "$PINBAKE" compile "$T/bad_idn.json" --idn "${NOW[@]}" -o "$T/x.pinb" &&
  expect_in invalid_idn_refused "$T/err" "$T/bad_idn.json:4:4: entries[0].name: error: \"a☃.shop.test\" is not ASCII and not a valid internationalised host name"

# Looked up by U-label and by A-label: the same answer.
if run idn_lookup 0 "$PINBAKE" lookup --json "$T/idn.pinb" bücher.shop.test xn--bcher-kva.shop.test www.BÜCHER.shop.test 'a☃.shop.test'; then
  answer() { sed -n "$1p" "$T/out" | sed 's/^{"host":"[^"]*",//'; }
  [ "$(answer 1)" = "$(answer 2)" ] && record idn_lookup_same_answer 0 "" ||
    record idn_lookup_same_answer 1 "$(cat "$T/out")"
  expect_in idn_lookup_u_label "$T/out" '{"host":"bücher.shop.test","canonical":"xn--bcher-kva.shop.test","pinned":true,"pin_entry":"xn--bcher-kva.shop.test","pinset":"shop"'
  expect_in idn_lookup_subdomain "$T/out" '"host":"www.BÜCHER.shop.test","canonical":"www.xn--bcher-kva.shop.test","pinned":true'
  expect_in idn_lookup_invalid "$T/out" '"host":"a☃.shop.test","canonical":null,"pinned":false'
fi

# check: a chain whose key the list pins, by U-label and by A-label.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=shop \
  -keyout "$T/leaf.key" -out "$T/leaf.pem" -days 30 2>/dev/null ||
  record make_certificate 1 "openssl req failed"
printf '{"list": {"timestamp": "2026-11-28T00:00:00Z"},\n "keys": {"Leaf": {"pem_file": "leaf.pem"}},\n "pinsets": [{"name": "shop", "static_spki_hashes": ["Leaf", "%s"]}],\n "entries": [{"name": "bücher.shop.test", "pins": "shop"}]}\n' "$BACKUP" > "$T/chain.json"
run idn_check_compile 0 "$PINBAKE" compile "$T/chain.json" --idn "${NOW[@]}" -o "$T/chain.pinb"
run idn_check_u_label 0 "$PINBAKE" check --json "$T/chain.pinb" bücher.shop.test "$T/leaf.pem" "${NOW[@]}" &&
  cp "$T/out" "$T/check_u" &&
  run idn_check_a_label 0 "$PINBAKE" check --json "$T/chain.pinb" xn--bcher-kva.shop.test "$T/leaf.pem" "${NOW[@]}" &&
  { diff <(grep -v '"host"' "$T/check_u") <(grep -v '"host"' "$T/out") >/dev/null &&
      grep -q '"pin_entry": "xn--bcher-kva.shop.test"' "$T/out" &&
      record idn_check_same_answer 0 "" || record idn_check_same_answer 1 "$(cat "$T/check_u" "$T/out")"; }

harness_finish
