#!/usr/bin/env bash
# End-to-end tests of the release subcommands (docs/release.md): keygen,
# sign, verify, diff and lint: exit codes, messages, file modes, atomic
# output. Each case is one <testcase> in the JUnit XML that Bazel collects
# ($XML_OUTPUT_FILE). Modelled on tests/cli_test.sh.
set -u

SUITE=release_cli
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"

check() {  # name, shell condition (as a string), message
  if eval "$2"; then record "$1" 0 ""; else record "$1" 1 "$3"; fi
}

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
NOW=2026-12-01T00:00:00Z
# data/pins.json has no timestamp (the demo stamps its build time); these
# tests give it a fixed one and run every check at a fixed time.
LIST1="$T/data/stamped.json"
sed 's/"version": 1,/"version": 1, "timestamp": "2026-11-28T00:00:00Z",/' "$T/data/pins.json" > "$LIST1"
ID=pinbake-demo
# Version 2 of the example list: same content, next version, one host less.
sed -e 's/"version": 1,/"version": 2,/' \
    -e '/"name": "www.example.edu"/d' \
    -e 's/{ "name": "old.example.net", "include_subdomains": true, "pins": "example-rotating" },/{ "name": "old.example.net", "include_subdomains": true, "pins": "example-rotating" }/' \
    "$LIST1" > "$T/data/pins2.json"

"$PINBAKE" compile "$LIST1" --now "$NOW" -o "$T/v1.pinb" 2>"$T/err" || record setup_compile_v1 1 "$(cat "$T/err")"
"$PINBAKE" compile "$T/data/pins2.json" --now "$NOW" -o "$T/v2.pinb" 2>"$T/err" || record setup_compile_v2 1 "$(cat "$T/err")"

# --- keygen --------------------------------------------------------------
run keygen 0 "$PINBAKE" keygen -o "$T/k1.key" &&
  { grep -qE '^[0-9a-f]{64}$' "$T/out" && record keygen_prints_key_id 0 "" ||
    record keygen_prints_key_id 1 "$(cat "$T/out")"; }
check keygen_private_mode_0600 '[ "$(stat -c %a "$T/k1.key")" = 600 ]' "mode $(stat -c %a "$T/k1.key")"
expect_in keygen_private_pem "$T/k1.key" "-----BEGIN PRIVATE KEY-----"
expect_in keygen_public_pem "$T/k1.key.pub" "-----BEGIN PUBLIC KEY-----"
cp "$T/k1.key" "$T/k1.copy"
run keygen_refuses_overwrite 2 "$PINBAKE" keygen -o "$T/k1.key" &&
  expect_in keygen_refuses_overwrite "$T/err" "refusing to overwrite"
check keygen_overwrite_kept_key 'cmp -s "$T/k1.key" "$T/k1.copy"' "existing key changed"
echo "stray" > "$T/k3.key.pub"
run keygen_refuses_existing_pub 2 "$PINBAKE" keygen -o "$T/k3.key" &&
  check keygen_existing_pub_no_key '[ ! -e "$T/k3.key" ]' "k3.key was created"
run keygen_second 0 "$PINBAKE" keygen -o "$T/k2.key" && record keygen_second 0 ""
run keygen_usage 2 "$PINBAKE" keygen && record keygen_usage 0 ""
run keygen_bad_dir 2 "$PINBAKE" keygen -o "$T/no/such/dir/k.key" && record keygen_bad_dir 0 ""

# --- sign ----------------------------------------------------------------
run sign_v1 0 "$PINBAKE" sign "$T/v1.pinb" --key "$T/k1.key" --list-id "$ID" --now "$NOW" -o "$T/v1.signed" &&
  expect_in sign_v1 "$T/err" "list pinbake-demo version 1"
# sign does not call a list clean silently (issue 14): lint's summary.
expect_in sign_prints_lint_summary "$T/err" "pinbake: lint: 0 error(s), 4 warning(s); 4 enforced pinned entries not checked against a live chain (run pinbake lint --connect HOST)"
run sign_v2 0 "$PINBAKE" sign "$T/v2.pinb" --key "$T/k1.key" --list-id "$ID" --now "$NOW" -o "$T/v2.signed" &&
  check sign_v2_magic '[ "$(head -c 7 "$T/v2.signed")" = PINBSIG ]' "no magic"
run sign_v2_key2 0 "$PINBAKE" sign "$T/v2.pinb" --key "$T/k2.key" --list-id "$ID" --now "$NOW" -o "$T/v2.k2.signed" &&
  record sign_v2_key2 0 ""
head -c 100 "$T/v1.pinb" > "$T/broken.pinb"
run sign_refuses_broken_table 2 "$PINBAKE" sign "$T/broken.pinb" --key "$T/k1.key" --list-id "$ID" -o "$T/broken.signed" &&
  expect_in sign_refuses_broken_table "$T/err" "refusing to sign"
check sign_broken_writes_nothing '[ ! -e "$T/broken.signed" ]' "output created"
run sign_public_key_as_key 2 "$PINBAKE" sign "$T/v1.pinb" --key "$T/k1.key.pub" --list-id "$ID" -o "$T/x.signed" &&
  expect_in sign_public_key_as_key "$T/err" "want \"PRIVATE KEY\""
run sign_missing_key 2 "$PINBAKE" sign "$T/v1.pinb" --key "$T/nope.key" --list-id "$ID" -o "$T/x.signed" &&
  expect_in sign_missing_key "$T/err" "$T/nope.key"
run sign_usage 2 "$PINBAKE" sign "$T/v1.pinb" -o "$T/x.signed" && record sign_usage 0 ""
run sign_needs_list_id 2 "$PINBAKE" sign "$T/v1.pinb" --key "$T/k1.key" -o "$T/x.signed" &&
  expect_in sign_needs_list_id "$T/err" "--list-id ID"
run sign_bad_list_id 2 "$PINBAKE" sign "$T/v1.pinb" --key "$T/k1.key" --list-id "Demo" -o "$T/x.signed" &&
  expect_in sign_bad_list_id "$T/err" "is not a valid list id"
check sign_bad_list_id_writes_nothing '[ ! -e "$T/x.signed" ]' "output created"
# Time bounds: no timestamp, already stale, far future.
"$PINBAKE" compile "$T/data/pins.json" --allow-stale -o "$T/nots.pinb" 2>"$T/err" || record setup_compile_nots 1 "$(cat "$T/err")"
run sign_refuses_no_timestamp 2 "$PINBAKE" sign "$T/nots.pinb" --key "$T/k1.key" --list-id "$ID" -o "$T/x.signed" &&
  expect_in sign_refuses_no_timestamp "$T/err" "refusing to sign: the table has no timestamp"
run sign_no_timestamp_allow_stale 0 "$PINBAKE" sign "$T/nots.pinb" --key "$T/k1.key" --list-id "$ID" --allow-stale -o "$T/nots.signed" &&
  record sign_no_timestamp_allow_stale 0 ""
run sign_refuses_stale 2 "$PINBAKE" sign "$T/v1.pinb" --key "$T/k1.key" --list-id "$ID" --now 2027-06-01T00:00:00Z -o "$T/x.signed" &&
  expect_in sign_refuses_stale "$T/err" "is already stale at 2027-06-01T00:00:00Z"
check sign_refusals_write_nothing '[ ! -e "$T/x.signed" ]' "output created"
# Milliseconds written as seconds (year 59009): a table made with a clock
# that far ahead is refused by sign, verify and lint at the right time.
sed 's/"timestamp": "2026-11-28T00:00:00Z",/"timestamp": 1800000000000,/' "$LIST1" > "$T/data/millis.json"
"$PINBAKE" compile "$T/data/millis.json" --now 1800000000000 -o "$T/millis.pinb" 2>"$T/err" || record setup_compile_millis 1 "$(cat "$T/err")"
run sign_refuses_future_timestamp 2 "$PINBAKE" sign "$T/millis.pinb" --key "$T/k1.key" --list-id "$ID" --now "$NOW" --allow-stale -o "$T/x.signed" &&
  expect_in sign_refuses_future_timestamp "$T/err" "(59009-"
"$PINBAKE" sign "$T/millis.pinb" --key "$T/k1.key" --list-id "$ID" --now 1800000000000 -o "$T/millis.signed" 2>"$T/err" || record setup_sign_millis 1 "$(cat "$T/err")"
run lint_future_timestamp 1 "$PINBAKE" lint "$T/millis.pinb" --now "$NOW" &&
  expect_in lint_future_timestamp "$T/out" "error: future-timestamp:"

# A table lint has an error for: signed with its summary, refused with
# --require-clean-lint.
sed 's/"static_spki_hashes": \["CdnPrimary", "CdnBackup"\]/"static_spki_hashes": ["CdnPrimary"]/' \
    "$LIST1" > "$T/data/single-sign.json"
"$PINBAKE" compile "$T/data/single-sign.json" --now "$NOW" -o "$T/single.pinb" 2>"$T/err" || record setup_compile_single 1 "$(cat "$T/err")"
run sign_lint_error_summary 0 "$PINBAKE" sign "$T/single.pinb" --key "$T/k1.key" --list-id "$ID" --now "$NOW" -o "$T/single.signed" &&
  expect_in sign_lint_error_summary "$T/err" "pinbake: lint: 1 error(s), 4 warning(s); 4 enforced pinned entries not checked against a live chain (run pinbake lint --connect HOST); first: single-pin: pinset cdn has 1 good pin"
run sign_require_clean_lint 2 "$PINBAKE" sign "$T/single.pinb" --key "$T/k1.key" --list-id "$ID" --now "$NOW" --require-clean-lint -o "$T/single2.signed" &&
  expect_in sign_require_clean_lint "$T/err" "refusing to sign (--require-clean-lint): lint found 1 error(s); first: single-pin: pinset cdn has 1 good pin"
check sign_require_clean_lint_writes_nothing '[ ! -e "$T/single2.signed" ]' "output created"
run sign_require_clean_lint_ok 0 "$PINBAKE" sign "$T/v1.pinb" --key "$T/k1.key" --list-id "$ID" --now "$NOW" --require-clean-lint --json -o "$T/v1b.signed" &&
  expect_in sign_require_clean_lint_ok "$T/out" '"entries_without_live_chain": 4' &&
  expect_in sign_json "$T/out" '"list_id": "pinbake-demo"'
run keygen_json 0 "$PINBAKE" keygen --json -o "$T/k9.key" &&
  expect_in keygen_json "$T/out" "\"public_key\": \"$T/k9.key.pub\""

# --- verify --------------------------------------------------------------
V=("$PINBAKE" verify --list-id "$ID")
run verify_accepts_newer 0 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --current "$T/v1.pinb" --now "$NOW" &&
  expect_in verify_accepts_newer "$T/out" "accepted: list pinbake-demo version 2"
expect_in verify_prints_lint_summary "$T/out" "lint: 0 error(s), 4 warning(s); 4 enforced pinned entries not checked against a live chain"
run verify_json_accepted 0 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --current "$T/v1.pinb" --now "$NOW" --json &&
  expect_in verify_json_accepted "$T/out" '"accepted": true' &&
  expect_in verify_json_rfc3339 "$T/out" '"timestamp": "2026-11-28T00:00:00Z"' &&
  expect_in verify_json_lint "$T/out" '"entries_without_live_chain": 4'
run verify_json_rejected 1 "${V[@]}" "$T/v1.signed" --pubkey "$T/k1.key.pub" --current "$T/v2.pinb" --now "$NOW" --json &&
  expect_in verify_json_rejected "$T/out" '"reason": "rollback"'
run verify_without_current 0 "${V[@]}" "$T/v1.signed" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  record verify_without_current 0 ""
run verify_current_signed 0 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --current "$T/v1.signed" --now "$NOW" &&
  expect_in verify_current_signed "$T/out" "(current version 1)"
run verify_rollback 1 "${V[@]}" "$T/v1.signed" --pubkey "$T/k1.key.pub" --current "$T/v2.pinb" --now "$NOW" &&
  expect_in verify_rollback "$T/out" "rejected: rollback:"
run verify_replay 1 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --current "$T/v2.pinb" --now "$NOW" &&
  expect_in verify_replay "$T/out" "rejected: replay:"
run verify_unknown_key 1 "${V[@]}" "$T/v2.k2.signed" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  expect_in verify_unknown_key "$T/out" "rejected: unknown-key:"
run verify_key_rotation 0 "${V[@]}" "$T/v2.k2.signed" --pubkey "$T/k1.key.pub" --pubkey "$T/k2.key.pub" --current "$T/v1.pinb" --now "$NOW" &&
  expect_in verify_key_rotation "$T/out" "accepted"
run verify_stale 1 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --now 2027-06-01T00:00:00Z &&
  expect_in verify_stale "$T/out" "rejected: stale:"
cp "$T/v2.signed" "$T/flipped.signed"
size=$(stat -c %s "$T/flipped.signed")
printf '\x5a' | dd of="$T/flipped.signed" bs=1 seek=$((size / 2)) conv=notrunc status=none
run verify_bit_flip 1 "${V[@]}" "$T/flipped.signed" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  expect_in verify_bit_flip "$T/out" "rejected: bad-signature:"
head -c 80 "$T/v2.signed" > "$T/short.signed"
run verify_truncated 1 "${V[@]}" "$T/short.signed" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  expect_in verify_truncated "$T/out" "rejected: truncated:"
run verify_unsigned_table 1 "${V[@]}" "$T/v2.pinb" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  expect_in verify_unsigned_table "$T/out" "rejected: bad-magic:"
run verify_missing_pubkey_file 2 "${V[@]}" "$T/v2.signed" --pubkey "$T/nope.pub" &&
  record verify_missing_pubkey_file 0 ""
run verify_private_key_as_pubkey 2 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key" &&
  record verify_private_key_as_pubkey 0 ""
run verify_no_pubkey 2 "${V[@]}" "$T/v2.signed" && record verify_no_pubkey 0 ""
run verify_needs_list_id 2 "$PINBAKE" verify "$T/v2.signed" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  expect_in verify_needs_list_id "$T/err" "--list-id"
run verify_bad_list_id 2 "$PINBAKE" verify "$T/v2.signed" --pubkey "$T/k1.key.pub" --list-id "" --now "$NOW" &&
  expect_in verify_bad_list_id "$T/err" "is not a valid list id"
# List identity: another product's blob signed with the same key.
# A table names its list (list.id): it cannot be signed for another one.
run sign_table_for_another_list 2 "$PINBAKE" sign "$T/v2.pinb" --key "$T/k1.key" --list-id other-app --now "$NOW" -o "$T/other.signed" &&
  expect_in sign_table_for_another_list "$T/err" 'refusing to sign: the table is list "pinbake-demo" (its list.id), not "other-app"'
sed 's/"id": "pinbake-demo"/"id": "other-app"/' "$T/data/pins2.json" > "$T/data/other.json"
"$PINBAKE" compile "$T/data/other.json" --now "$NOW" -o "$T/other.pinb" 2>"$T/err" || record setup_compile_other 1 "$(cat "$T/err")"
"$PINBAKE" sign "$T/other.pinb" --key "$T/k1.key" --list-id other-app --now "$NOW" -o "$T/other.signed" 2>"$T/err" || record setup_sign_other 1 "$(cat "$T/err")"
run verify_wrong_list 1 "${V[@]}" "$T/other.signed" --pubkey "$T/k1.key.pub" --current "$T/v1.pinb" --now "$NOW" &&
  expect_in verify_wrong_list "$T/out" 'rejected: wrong-list: the blob is for list "other-app", but this client expects list "pinbake-demo"'
run verify_other_list_with_its_id 0 "$PINBAKE" verify "$T/other.signed" --pubkey "$T/k1.key.pub" --list-id other-app --now "$NOW" &&
  expect_in verify_other_list_with_its_id "$T/out" "accepted: list other-app version 2"
run verify_current_of_other_list 2 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --current "$T/other.signed" --now "$NOW" &&
  expect_in verify_current_of_other_list "$T/err" "wrong-list"
# Persisted anti-rollback: a restarted client that accepted v3 (or a
# timestamp after this one) before.
run verify_min_version_rollback 1 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --min-version 3 --now "$NOW" &&
  expect_in verify_min_version_rollback "$T/out" "rejected: rollback: list version 2 is older than the persisted minimum version 3"
run verify_min_version_equal 0 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --min-version 2 --now "$NOW" &&
  record verify_min_version_equal 0 ""
run verify_min_timestamp 1 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --min-timestamp 2026-11-29T00:00:00Z --now "$NOW" &&
  expect_in verify_min_timestamp "$T/out" "rejected: older-timestamp:"
run verify_bad_min_version 2 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --min-version -1 &&
  expect_in verify_bad_min_version "$T/err" "--min-version"
run verify_future_timestamp 1 "${V[@]}" "$T/millis.signed" --pubkey "$T/k1.key.pub" --now "$NOW" &&
  expect_in verify_future_timestamp "$T/out" "rejected: future-timestamp:"
run verify_bad_current 2 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --current "$T/broken.pinb" &&
  expect_in verify_bad_current "$T/err" "--current"
run verify_bad_now 2 "${V[@]}" "$T/v2.signed" --pubkey "$T/k1.key.pub" --now yesterday &&
  record verify_bad_now 0 ""

# --- diff ----------------------------------------------------------------
run diff_list_vs_its_table 0 "$PINBAKE" diff "$LIST1" "$T/v1.pinb" &&
  expect_in diff_list_vs_its_table "$T/out" "identical"
run diff_different 1 "$PINBAKE" diff "$T/v1.pinb" "$T/data/pins2.json" &&
  expect_in diff_version "$T/out" "~ list.version: 1 -> 2" &&
  expect_in diff_host_removed "$T/out" "- host www.example.edu (force-https)"
run diff_json 1 "$PINBAKE" diff "$LIST1" "$T/v2.pinb" --json &&
  expect_in diff_json "$T/out" '"identical": false'
run diff_to_file 1 "$PINBAKE" diff "$LIST1" "$T/v2.pinb" -o "$T/diff.txt" &&
  expect_in diff_to_file "$T/diff.txt" "hosts: 0 added, 1 removed"
run diff_missing_file 2 "$PINBAKE" diff "$LIST1" "$T/nope.json" &&
  expect_in diff_missing_file "$T/err" "$T/nope.json"
run diff_pins_with_table 2 "$PINBAKE" diff "$T/v1.pinb" "$LIST1" --old-pins "$T/x.pins" &&
  expect_in diff_pins_with_table "$T/err" "applies only to a JSON list"
run diff_usage 2 "$PINBAKE" diff "$LIST1" && record diff_usage 0 ""

# --- lint ----------------------------------------------------------------
# (Issue 14: lint now warns for every enforced pinned entry without a live
# chain, so a "clean" list still has those warnings; was "0 warning(s)".)
run lint_clean 0 "$PINBAKE" lint "$LIST1" --now "$NOW" \
    --chain "www.example.com=$T/data/chains/www.example.com.pem" &&
  expect_in lint_clean "$T/out" "0 error(s), 3 warning(s)" &&
  expect_in lint_prints_checked_chain "$T/out" "checked: the live chain of www.example.com ($T/data/chains/www.example.com.pem, 3 certificate(s))"
# lint prints what it checked, and warns per enforced pinned host that no
# live chain covers (issue 14).
run lint_without_chains 0 "$PINBAKE" lint "$LIST1" --now "$NOW" &&
  expect_in lint_prints_checked_list "$T/out" "checked: list version 1, timestamp 2026-11-28T00:00:00Z, max_age_days 70 at 2026-12-01T00:00:00Z" &&
  expect_in lint_prints_checked_pinsets "$T/out" "checked: 3 pinset(s) for a backup pin (RFC 7469)" &&
  expect_in lint_prints_not_checked "$T/out" "not checked: 4 enforced pinned entries without a live chain (see no-live-chain below)" &&
  expect_in lint_no_chain_example_com "$T/out" "warning: no-live-chain: example.com (pinset example, enforced) was not checked against a live chain, so lint cannot tell whether this list would brick it; give --chain HOST=CHAIN.pem or --connect HOST for example.com" &&
  expect_in lint_no_chain_accounts "$T/out" "warning: no-live-chain: accounts.example.org (pinset example, enforced)" &&
  expect_in lint_no_chain_wildcard "$T/out" "warning: no-live-chain: *.cdn.example.net (pinset cdn, enforced) was not checked against a live chain, so lint cannot tell whether this list would brick it; give --chain HOST=CHAIN.pem or --connect HOST for a host under cdn.example.net" &&
  expect_in lint_no_chain_old "$T/out" "warning: no-live-chain: old.example.net (pinset example-rotating, enforced)" &&
  expect_in lint_without_chains_counts "$T/out" "0 error(s), 4 warning(s)"
check lint_report_only_not_warned '! grep -q "no-live-chain: beta.example.org" "$T/out"' "report-only entry warned"
run lint_json_checked 0 "$PINBAKE" lint "$LIST1" --now "$NOW" --json &&
  expect_in lint_json_checked "$T/out" '"entries_without_live_chain": 4' &&
  expect_in lint_json_checked_now "$T/out" '"now": "2026-12-01T00:00:00Z"'
run lint_without_chains_werror 1 "$PINBAKE" lint "$LIST1" --now "$NOW" --werror &&
  record lint_without_chains_werror 0 ""
run lint_connect_bad_arg 2 "$PINBAKE" lint "$LIST1" --connect "www.example.com:99999" &&
  expect_in lint_connect_bad_arg "$T/err" "is not HOST[:PORT][@ADDRESS]"
run lint_ca_without_connect 2 "$PINBAKE" lint "$LIST1" --ca "$T/data/keys/demo-root.pem" &&
  expect_in lint_ca_without_connect "$T/err" "--ca needs --connect"
run lint_table 0 "$PINBAKE" lint "$T/v1.pinb" --now "$NOW" && record lint_table 0 ""
# --pem-root reaches the list reader of lint and diff (issue 10 item 14):
# inside a copy of real files the list lints clean; in $T/data, whose keys
# are symlinks (copied runfiles), they are refused.
cp -rL "$DATA" "$T/pemroot"
run lint_pem_root 0 "$PINBAKE" lint "$LIST1" --now "$NOW" --pem-root "$T/pemroot" &&
  expect_in lint_pem_root "$T/out" "0 error(s), 4 warning(s)"
run lint_pem_root_symlink 2 "$PINBAKE" lint "$LIST1" --now "$NOW" --pem-root "$T/data" &&
  expect_in lint_pem_root_symlink "$T/err" '"demo-root.pem" is a symlink'
run diff_pem_root 0 "$PINBAKE" diff "$LIST1" "$T/v1.pinb" --pem-root "$T/pemroot" &&
  expect_in diff_pem_root "$T/out" "identical"
run diff_pem_root_symlink 2 "$PINBAKE" diff "$LIST1" "$T/v1.pinb" --pem-root "$T/data" &&
  expect_in diff_pem_root_symlink "$T/err" '"demo-root.pem" is a symlink'
run lint_would_brick 1 "$PINBAKE" lint "$LIST1" --now "$NOW" \
    --chain "www.example.com=$T/data/chains/www.example.com-unrelated-ca.pem" &&
  expect_in lint_would_brick "$T/out" "would brick www.example.com"
sed 's/"static_spki_hashes": \["DemoIntermediate", "DemoBackupKey"\]/"static_spki_hashes": ["CdnPrimary", "DemoBackupKey"]/' \
    "$LIST1" > "$T/data/dropped.json"
run lint_previous_would_brick 1 "$PINBAKE" lint "$T/data/dropped.json" --now "$NOW" \
    --previous "$T/v1.pinb" --chain "www.example.com=$T/data/chains/www.example.com.pem" &&
  expect_in lint_previous_would_brick "$T/out" "error: would-brick: would brick www.example.com: this change removes every pin"
# Review output names keys (issue 14): diff and lint print the list's key
# names beside the hashes (pem_file keys and literal keys alike).
run diff_key_names 1 "$PINBAKE" diff "$LIST1" "$T/data/dropped.json" &&
  expect_in diff_key_names "$T/out" "    - good sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o= (DemoIntermediate)" &&
  expect_in diff_key_names_added "$T/out" "    + good sha256/Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o= (CdnPrimary)"
run diff_key_names_json 1 "$PINBAKE" diff "$LIST1" "$T/data/dropped.json" --json &&
  expect_in diff_key_names_json "$T/out" '"sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o=": "DemoIntermediate"'
run lint_key_names 1 "$PINBAKE" lint "$T/data/dropped.json" --now "$NOW" \
    --previous "$LIST1" --chain "www.example.com=$T/data/chains/www.example.com.pem" &&
  expect_in lint_key_names "$T/out" "matches (sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o= (DemoIntermediate), in the previous list's pinset example)"
run lint_mismatch_names 1 "$PINBAKE" lint "$LIST1" --now "$NOW" \
    --chain "www.example.com=$T/data/chains/www.example.com-unrelated-ca.pem" &&
  expect_in lint_mismatch_names "$T/out" "does not match any pin of pinset example (sha256/ClOOWhcYm/Dozt6xjFR0zpQIRlamnV0q+DHaKpBqHfM= (DemoBackupKey), sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o= (DemoIntermediate))"
sed 's/"static_spki_hashes": \["CdnPrimary", "CdnBackup"\]/"static_spki_hashes": ["CdnPrimary"]/' \
    "$LIST1" > "$T/data/single.json"
run lint_single_pin 1 "$PINBAKE" lint "$T/data/single.json" --now "$NOW" &&
  expect_in lint_single_pin "$T/out" "error: single-pin: pinset cdn has 1 good pin"
run lint_expired 1 "$PINBAKE" lint "$LIST1" --now 2027-06-01T00:00:00Z &&
  expect_in lint_expired "$T/out" "error: expired:"
run lint_expires_soon 0 "$PINBAKE" lint "$LIST1" --now 2027-01-20T00:00:00Z &&
  expect_in lint_expires_soon "$T/out" "warning: expires-soon:"
run lint_werror 1 "$PINBAKE" lint "$LIST1" --now 2027-01-20T00:00:00Z --werror &&
  record lint_werror 0 ""
run lint_json 1 "$PINBAKE" lint "$T/data/single.json" --now "$NOW" --json &&
  expect_in lint_json "$T/out" '"check": "single-pin"'
run lint_bad_chain_arg 2 "$PINBAKE" lint "$LIST1" --chain "www.example.com" &&
  expect_in lint_bad_chain_arg "$T/err" "HOST=CHAIN.pem"
run lint_bad_chain_file 2 "$PINBAKE" lint "$LIST1" --chain "www.example.com=$T/data/pins.json" &&
  record lint_bad_chain_file 0 ""
printf '{"entries": [{"name": "a.*.example", "mode": "force-https"}]}\n' > "$T/bad.json"
run lint_compile_error 2 "$PINBAKE" lint "$T/bad.json" &&
  expect_in lint_compile_error "$T/err" "entries[0].name"
run lint_missing_previous 2 "$PINBAKE" lint "$LIST1" --previous "$T/nope.pinb" &&
  expect_in lint_missing_previous "$T/err" "--previous"

# --- help ----------------------------------------------------------------
for sub in keygen sign verify diff lint; do
  run "help_$sub" 0 "$PINBAKE" "$sub" --help && expect_in "help_$sub" "$T/out" "pinbake $sub"
done
run main_help_lists_release 0 "$PINBAKE" help && expect_in main_help_lists_release "$T/out" "pinbake verify"

harness_finish
