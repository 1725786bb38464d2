#!/usr/bin/env bash
# End-to-end tests of the pinbake CLI: exit codes, messages, atomic output,
# lookup/check JSON, dump round trip. Each case is one <testcase> in the
# JUnit XML that Bazel collects ($XML_OUTPUT_FILE).
set -u

SUITE=cli
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
TABLE="$T/pins.pinb"
NOW=2026-12-01T00:00:00Z
# data/pins.json has no timestamp (the demo stamps its build time); these
# tests stamp a fixed one and check it at a fixed time.
STAMP=(--timestamp 2026-11-28T00:00:00Z --now "$NOW")

# --- compile -------------------------------------------------------------
run compile_ok 0 "$PINBAKE" compile "$T/data/pins.json" "${STAMP[@]}" -o "$TABLE" &&
  { [ -s "$TABLE" ] && record compile_ok 0 "" || record compile_ok 1 "no table"; }

run compile_deterministic 0 "$PINBAKE" compile "$T/data/pins.json" "${STAMP[@]}" -o "$T/again.pinb" &&
  { cmp -s "$TABLE" "$T/again.pinb" && record compile_deterministic 0 "" ||
    record compile_deterministic 1 "tables differ"; }

printf '{"entries": [\n  {"name": "a.example", }\n]}\n' > "$T/syntax.json"
run compile_syntax_error 2 "$PINBAKE" compile "$T/syntax.json" -o "$T/syntax.pinb" &&
  expect_in compile_syntax_error "$T/err" "$T/syntax.json:2:"
[ ! -e "$T/syntax.pinb" ] && record syntax_error_writes_nothing 0 "" ||
  record syntax_error_writes_nothing 1 "output created"

echo "previous contents" > "$T/keep.pinb"
printf '{"pinsets": [], "entries": [{"name": "ok.example", "mode": "force-https"}, {"name": "a.*.example", "mode": "force-https"}]}\n' > "$T/semantic.json"
run compile_semantic_error 2 "$PINBAKE" compile "$T/semantic.json" -o "$T/keep.pinb" &&
  expect_in compile_semantic_error "$T/err" "$T/semantic.json:1:77: entries[1].name:"
[ "$(cat "$T/keep.pinb")" = "previous contents" ] && record error_leaves_output_untouched 0 "" ||
  record error_leaves_output_untouched 1 "existing output was changed"
[ -z "$(find "$T" -maxdepth 1 -name '*.tmp*' -o -maxdepth 1 -name '.keep.pinb*')" ] &&
  record error_leaves_no_temp_file 0 "" || record error_leaves_no_temp_file 1 "temp file left"

printf '{"pinsets": [], "entries": [{"name": "learn.example", "include_subdomains": true}]}\n' > "$T/warn.json"
run compile_warning_ok 0 "$PINBAKE" compile "$T/warn.json" -o "$T/warn.pinb" &&
  expect_in compile_warning_ok "$T/err" "warning:"
run compile_werror 2 "$PINBAKE" compile "$T/warn.json" --werror -o "$T/werror.pinb" &&
  expect_in compile_werror "$T/err" "entries[0]"

run compile_missing_file 2 "$PINBAKE" compile "$T/nope.json" -o "$T/nope.pinb" &&
  expect_in compile_missing_file "$T/err" "$T/nope.json"
run compile_usage 2 "$PINBAKE" compile "$T/data/pins.json" &&
  expect_in compile_usage "$T/err" "-o OUT"

# Progress line (issue 14): on a terminal only. Silent in a pipe or log...
run compile_progress_silent 0 "$PINBAKE" compile "$T/data/pins.json" "${STAMP[@]}" -o "$T/progress.pinb" &&
  { ! grep -q "compile: reading" "$T/err" && ! grep -q $'\r' "$T/err" &&
    record compile_progress_silent_not_tty 0 "" ||
    record compile_progress_silent_not_tty 1 "progress in a non-terminal stderr: $(cat -A "$T/err")"; }
# ... and shown, then erased, when stderr is a terminal (script(1) runs the
# command on a pty; CI installs it with util-linux / bsdutils).
# A machine without pseudo-terminals (a chroot without devpts, as
# ../shared/tools/fresh-machine-check makes) cannot run this case: it is
# reported as SKIP with script's reason, not counted as passed.
pty_error=$(script -qefc true /dev/null 2>&1 >/dev/null) || true
if ! command -v script >/dev/null; then
  record compile_progress_on_tty 1 "script(1) is missing: install bsdutils"
elif [[ "$pty_error" == *"pseudo-terminal"* ]]; then
  echo "SKIP compile_progress_on_tty: no pseudo-terminal here ($pty_error)"
else
  TERM=xterm script -qefc "'$PINBAKE' compile '$T/data/pins.json' --timestamp 2026-11-28T00:00:00Z --now $NOW -o '$T/tty.pinb'" "$T/typescript" >/dev/null 2>&1
  got=$?
  if [ "$got" -ne 0 ]; then
    record compile_progress_on_tty 1 "exit $got: $(cat -A "$T/typescript" | head -c 400)"
  elif ! grep -q "pinbake: compile: reading, parsing and checking $T/data/pins.json" "$T/typescript" ||
       ! grep -q "pinbake: compile: 7 entries, 3 pinsets encoded in" "$T/typescript" ||
       ! grep -q $'\r\e\[K' "$T/typescript"; then
    record compile_progress_on_tty 1 "no progress line: $(cat -A "$T/typescript" | head -c 400)"
  else
    record compile_progress_on_tty 0 ""
  fi
fi

# --- time bounds (docs/release.md, "Time bounds") --------------------------
echo "keep" > "$T/stale.pinb"
run compile_no_timestamp_refused 2 "$PINBAKE" compile "$T/data/pins.json" -o "$T/stale.pinb" &&
  expect_in compile_no_timestamp_refused "$T/err" "pins.json: list.timestamp: error: the list has no timestamp"
[ "$(cat "$T/stale.pinb")" = "keep" ] && record no_timestamp_writes_nothing 0 "" ||
  record no_timestamp_writes_nothing 1 "output changed"
run compile_no_timestamp_allow_stale 0 "$PINBAKE" compile "$T/data/pins.json" --allow-stale -o "$T/nots.pinb" &&
  expect_in compile_no_timestamp_allow_stale "$T/err" "warning:"
run compile_timestamp_now 0 "$PINBAKE" compile "$T/data/pins.json" --timestamp now -o "$T/now.pinb" &&
  run compile_timestamp_now_lookup 0 "$PINBAKE" check --json "$T/now.pinb" www.example.com "$T/data/chains/www.example.com.pem" &&
  expect_in compile_timestamp_now_fresh "$T/out" '"list_stale": false'
run compile_expired_refused 2 "$PINBAKE" compile "$T/data/pins.json" --timestamp 2026-01-01T00:00:00Z --now "$NOW" -o "$T/stale.pinb" &&
  expect_in compile_expired_refused "$T/err" "list.timestamp: error: the list (timestamp 2026-01-01T00:00:00Z, max_age_days 70) is already stale at 2026-12-01T00:00:00Z"
run compile_expired_allow_stale 0 "$PINBAKE" compile "$T/data/pins.json" --timestamp 2026-01-01T00:00:00Z --now "$NOW" --allow-stale -o "$T/old.pinb" &&
  record compile_expired_allow_stale 0 ""
# Milliseconds written as seconds (year 59009): refused even with --allow-stale.
sed 's/"version": 1,/"version": 1, "timestamp": 1800000000000,/' "$T/data/pins.json" > "$T/data/millis.json"
run compile_millis_timestamp_refused 2 "$PINBAKE" compile "$T/data/millis.json" --allow-stale --werror -o "$T/stale.pinb" &&
  expect_in compile_millis_timestamp_refused "$T/err" "list.timestamp: error: the list timestamp 1800000000000 (59009-"
run compile_future_timestamp_refused 2 "$PINBAKE" compile "$T/data/pins.json" --timestamp 2026-12-02T00:00:01Z --now "$NOW" -o "$T/stale.pinb" &&
  expect_in compile_future_timestamp_refused "$T/err" "more than 24h after now"
run compile_one_day_skew_ok 0 "$PINBAKE" compile "$T/data/pins.json" --timestamp 2026-12-02T00:00:00Z --now "$NOW" -o "$T/skew.pinb" &&
  record compile_one_day_skew_ok 0 ""
run compile_bad_now 2 "$PINBAKE" compile "$T/data/pins.json" --now soon -o "$T/stale.pinb" &&
  expect_in compile_bad_now "$T/err" "--now: not a time"

# --- malformed inputs: each must exit 2 with its message, naming the file
# and place, and leave the existing output untouched ----------------------
H='sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
H2='sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA='
PS="\"pinsets\": [{\"name\": \"p\", \"static_spki_hashes\": [\"$H\", \"$H2\"]}]"
# malformed NAME EXPECTED_TEXT JSON [--pins FILE]
malformed() {
  local name=$1 want=$2 json=$3
  shift 3
  printf '%s\n' "$json" > "$T/bad-$name.json"
  echo "keep" > "$T/bad-$name.pinb"
  if run "malformed_$name" 2 "$PINBAKE" compile "$T/bad-$name.json" "$@" -o "$T/bad-$name.pinb"; then
    if ! grep -qF -- "$want" "$T/err"; then
      record "malformed_$name" 1 "missing '$want' in: $(head -c 400 "$T/err")"
    elif ! grep -qF -- "$T/bad-$name.json" "$T/err" && ! grep -qF -- ".pins" "$T/err"; then
      record "malformed_$name" 1 "message does not name the file: $(head -c 400 "$T/err")"
    elif [ "$(cat "$T/bad-$name.pinb")" != "keep" ]; then
      record "malformed_$name" 1 "output was changed"
    else
      record "malformed_$name" 0 ""
    fi
  fi
}
entry() { echo "{$PS, \"entries\": [$1]}"; }
malformed json_syntax ":1:" '{"entries": [ {"name": "a.example",, } ]}'
malformed json_trailing_garbage ":1:" '{"entries": []} x'
malformed unknown_top_key "frobs" '{"entries": [], "frobs": 1}'
malformed unknown_entry_key "entries[0].colour" "$(entry '{"name": "a.example", "mode": "force-https", "colour": "red"}')"
malformed unknown_pinset_key "pinsets[0].extra" '{"pinsets": [{"name": "p", "static_spki_hashes": [], "extra": 1}], "entries": []}'
malformed bad_base64 "pinsets[0].static_spki_hashes[0]" "{\"pinsets\": [{\"name\": \"p\", \"static_spki_hashes\": [\"sha256/@@@@AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"]}], \"entries\": [{\"name\": \"a.example\", \"pins\": \"p\"}]}"
malformed short_hash "32 bytes" "{\"pinsets\": [{\"name\": \"p\", \"static_spki_hashes\": [\"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"]}], \"entries\": [{\"name\": \"a.example\", \"pins\": \"p\"}]}"
malformed unknown_pinset "entries[0].pins" "$(entry '{"name": "a.example", "pins": "nope"}')"
malformed unknown_key_name "pinsets[0].static_spki_hashes[0]" '{"pinsets": [{"name": "p", "static_spki_hashes": ["NoSuchKey"]}], "entries": [{"name": "a.example", "pins": "p"}]}'
malformed duplicate_host "entries[1].name" "$(entry '{"name": "a.example", "mode": "force-https"}, {"name": "a.example", "mode": "force-https"}')"
malformed duplicate_pinset "pinsets[1].name" "{\"pinsets\": [{\"name\": \"p\", \"static_spki_hashes\": [\"$H\"]}, {\"name\": \"p\", \"static_spki_hashes\": [\"$H2\"]}], \"entries\": []}"
malformed star_inside "entries[0].name" "$(entry '{"name": "a.*.example.com", "mode": "force-https"}')"
malformed star_over_tld "entries[0].name" "$(entry '{"name": "*.com", "pins": "p"}')"
malformed star_over_co_uk "public suffix" "$(entry '{"name": "*.co.uk", "pins": "p"}')"
malformed star_over_appspot "public suffix" "$(entry '{"name": "*.appspot.com", "pins": "p"}')"
malformed star_partial_label "entries[0].name" "$(entry '{"name": "*a.example.com", "mode": "force-https"}')"
malformed wildcard_subdomains "entries[0]" "$(entry '{"name": "*.example.com", "include_subdomains": true, "mode": "force-https"}')"
malformed uppercase "entries[0].name" "$(entry '{"name": "Upper.example.com", "mode": "force-https"}')"
malformed trailing_dot "entries[0].name" "$(entry '{"name": "example.com.", "mode": "force-https"}')"
l62=$(printf 'a%.0s' $(seq 62))
name254="$l62.$l62.$l62.$l62.ex"  # 4 * 62 + 4 dots + 2 = 254 bytes
[ ${#name254} -eq 254 ] || record name_254_setup 1 "name is ${#name254} bytes"
malformed name_254 "entries[0].name" "$(entry "{\"name\": \"$name254\", \"mode\": \"force-https\"}")"
malformed label_64 "entries[0].name" "$(entry "{\"name\": \"$(printf 'b%.0s' $(seq 64)).example\", \"mode\": \"force-https\"}")"
malformed empty_name "entries[0].name" "$(entry '{"name": "", "mode": "force-https"}')"
malformed space_in_name "entries[0].name" "$(entry '{"name": "a b.example", "mode": "force-https"}')"
malformed ip_literal "entries[0].name" "$(entry '{"name": "10.0.0.1", "mode": "force-https"}')"
malformed unreadable_pem "missing.pem" '{"keys": {"K": {"pem_file": "missing.pem"}}, "pinsets": [{"name": "p", "static_spki_hashes": ["K"]}], "entries": [{"name": "a.example", "pins": "p"}]}'
malformed exclude_with_pins "entries[0]" "$(entry '{"name": "a.example", "pins": "p", "exclude": true}')"
malformed pin_mode_without_pins "entries[0]" "$(entry '{"name": "a.example", "mode": "force-https", "pin_mode": "report-only"}')"
malformed bad_pin_mode "entries[0].pin_mode" "$(entry '{"name": "a.example", "pins": "p", "pin_mode": "sometimes"}')"
malformed bad_mode "entries[0].mode" "$(entry '{"name": "a.example", "mode": "force-http"}')"
malformed wrong_type "entries[0].include_subdomains" "$(entry '{"name": "a.example", "mode": "force-https", "include_subdomains": "yes"}')"
malformed bad_list_version "list.version" '{"list": {"version": -1}, "entries": []}'
malformed bad_timestamp "list.timestamp" '{"list": {"timestamp": "yesterday"}, "entries": []}'
malformed zero_max_age "list.max_age_days" '{"list": {"max_age_days": 0}, "entries": []}'
malformed max_age_over_a_year "list.max_age_days: error: must be a positive number of days (1 to 365), got 366" '{"list": {"max_age_days": 366}, "entries": []}'
malformed bad_list_id "list.id: error: \"Demo List\" is not a valid list id" '{"list": {"id": "Demo List"}, "entries": []}'
malformed list_id_not_string "list.id: error: must be a string" '{"list": {"id": 7}, "entries": []}'
malformed good_and_bad_pin "pinsets[0]" "{\"pinsets\": [{\"name\": \"p\", \"static_spki_hashes\": [\"$H\"], \"bad_static_spki_hashes\": [\"$H\"]}], \"entries\": []}"
printf 'K\r\nsha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n' > "$T/crlf.pins"
malformed crlf_pins "crlf.pins:1:" '{"pinsets": [{"name": "p", "static_spki_hashes": ["K"]}], "entries": []}' --pins "$T/crlf.pins"
printf 'K\n-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n\n' > "$T/unterminated.pins"
malformed unterminated_pins_block "unterminated.pins:2:" '{"pinsets": [], "entries": []}' --pins "$T/unterminated.pins"
# pem_file (issue 10 item 14): regular files only, at most 1 MiB, and with
# --pem-root only relative paths that stay inside DIR.
PEMKEY='"keys": {"K": {"pem_file": "%s"}}, "pinsets": [{"name": "p", "static_spki_hashes": ["K", "'"$H"'"]}], "entries": [{"name": "a.example", "pins": "p"}]'
pem_list() { printf "{$PEMKEY}" "$1"; }
malformed pem_dev_zero 'keys.K.pem_file: error: cannot read pem_file "/dev/zero": not a regular file (a character device)' "$(pem_list /dev/zero)"
mkfifo "$T/fifo.pem"
malformed pem_fifo "not a regular file (a FIFO)" "$(pem_list fifo.pem)"
head -c 2097152 /dev/zero > "$T/big.pem"
malformed pem_oversize "2097152 bytes, more than the limit of 1048576" "$(pem_list big.pem)"
malformed pem_root_dotdot "(--pem-root): \"..\" leaves the directory $T/data" "$(pem_list ../keep.pinb)" --pem-root "$T/data"
malformed pem_root_absolute "(--pem-root): an absolute path" "$(pem_list "$T/data/keys/demo-root.pem")" --pem-root "$T/data"
ln -s "$T/data/keys/demo-root.pem" "$T/data/root-link.pem"
malformed pem_root_symlink '"root-link.pem" is a symlink' "$(pem_list root-link.pem)" --pem-root "$T/data"
# (The runfiles copied into $T/data are symlinks; --pem-root follows none
# below the root, so it gets a copy of real files.)
cp -rL "$DATA" "$T/pemroot"
run compile_pem_root_ok 0 "$PINBAKE" compile "$T/data/pins.json" "${STAMP[@]}" --pem-root "$T/pemroot" -o "$T/pem-root.pinb" &&
  { cmp -s "$TABLE" "$T/pem-root.pinb" && record compile_pem_root_same_table 0 "" ||
    record compile_pem_root_same_table 1 "tables differ"; }

# --- lookup --------------------------------------------------------------
run lookup_pinned 0 "$PINBAKE" lookup --json "$TABLE" WWW.Example.COM. &&
  expect_in lookup_pinned "$T/out" '"host":"WWW.Example.COM.","canonical":"www.example.com","pinned":true,"pin_entry":"example.com","pinset":"example","pin_mode":"enforce","force_https":true,"hsts_entry":"example.com","error":null'
run lookup_excluded 0 "$PINBAKE" lookup --json "$TABLE" staging.example.com &&
  expect_in lookup_excluded "$T/out" '"pinned":false,"pin_entry":"staging.example.com","pinset":null,"pin_mode":null,"force_https":false,"hsts_entry":"staging.example.com"'
run lookup_wildcard 0 "$PINBAKE" lookup --json "$TABLE" img.cdn.example.net a.b.cdn.example.net &&
  expect_in lookup_wildcard "$T/out" '"canonical":"img.cdn.example.net","pinned":true,"pin_entry":"*.cdn.example.net"' &&
  expect_in lookup_wildcard_one_label "$T/out" '"canonical":"a.b.cdn.example.net","pinned":false,"pin_entry":null'
run lookup_invalid 0 "$PINBAKE" lookup --json "$TABLE" 192.168.0.1 &&
  expect_in lookup_invalid "$T/out" '"canonical":null,"pinned":false,"pin_entry":null,"pinset":null,"pin_mode":null,"force_https":false,"hsts_entry":null,"error":"ip-literal"'
printf 'www.example.com\nexample.org\n' | "$PINBAKE" lookup --json "$TABLE" - >"$T/out" 2>"$T/err"
[ "$(wc -l <"$T/out")" -eq 2 ] && record lookup_stdin 0 "" || record lookup_stdin 1 "$(cat "$T/out")"
# A host that is not valid UTF-8 (issue 10 item 16): answered as an invalid
# host, its bad bytes printed as U+FFFD, and the lines after it answered too.
printf 'www.example.com\n\xff\xfe.example.com\nexample.org\n' |
  "$PINBAKE" lookup --json "$TABLE" - >"$T/out" 2>"$T/err"
got=$?
if [ "$got" -ne 0 ]; then
  record lookup_stdin_not_utf8 1 "exit $got, want 0; stderr: $(head -c 300 "$T/err")"
elif [ "$(wc -l <"$T/out")" -ne 3 ]; then
  record lookup_stdin_not_utf8 1 "want 3 lines, got: $(cat "$T/out")"
elif ! sed -n 2p "$T/out" | grep -qF "$(printf '"host":"\xef\xbf\xbd\xef\xbf\xbd.example.com","canonical":null')"; then
  record lookup_stdin_not_utf8 1 "line 2: $(sed -n 2p "$T/out")"
elif ! sed -n 3p "$T/out" | grep -qF '"host":"example.org","canonical":"example.org"'; then
  record lookup_stdin_not_utf8 1 "line 3: $(sed -n 3p "$T/out")"
else
  record lookup_stdin_not_utf8 0 ""
fi
run lookup_arg_not_utf8 0 "$PINBAKE" lookup --json "$TABLE" "$(printf 'a\xc3.example.com')" www.example.com &&
  expect_in lookup_arg_not_utf8 "$T/out" '"host":"www.example.com","canonical":"www.example.com"'

# Human form by default (issue 14), one line per host.
run lookup_text 0 "$PINBAKE" lookup "$TABLE" WWW.Example.COM. 192.168.0.1 example.org &&
  expect_in lookup_text "$T/out" "www.example.com: pinned (pinset example, enforce; entry example.com); force-https (entry example.com)" &&
  expect_in lookup_text_invalid "$T/out" '"192.168.0.1": invalid host (ip-literal)' &&
  expect_in lookup_text_not_pinned "$T/out" "example.org: not pinned; no HSTS"

# --- check ---------------------------------------------------------------
run check_ok 0 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_ok "$T/out" '"result": "ok"'
expect_in check_lists_chain_pins "$T/out" 'sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o='
run check_violation 1 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now "$NOW" &&
  expect_in check_violation "$T/out" '"result": "violation"'
run check_bypassed 0 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now "$NOW" --not-known-root &&
  expect_in check_bypassed "$T/out" '"result": "bypassed"'
run check_host_not_utf8 1 "$PINBAKE" check --json "$TABLE" "$(printf 'www\xff.example.com')" "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_host_not_utf8 "$T/out" '"result": "invalid-host"'
run check_no_bypass 1 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now "$NOW" --not-known-root --no-bypass
[ $? -eq 0 ] && record check_no_bypass 0 ""
run check_bad_pin 1 "$PINBAKE" check --json "$TABLE" old.example.net "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_bad_pin "$T/out" '"bad_pin_found": true'
run check_stale 0 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now 2027-06-01T00:00:00Z &&
  expect_in check_stale "$T/out" '"result": "stale"'
# Fail-closed keeps enforcing a stale list: the matching chain passes, the
# unrelated one is a violation.
run check_stale_fail_closed_match 0 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com.pem" --now 2027-06-01T00:00:00Z --fail-closed-when-stale &&
  expect_in check_stale_fail_closed_match "$T/out" '"list_stale": true' &&
  expect_in check_stale_fail_closed_match_ok "$T/out" '"result": "ok"'
run check_stale_fail_closed_mismatch 1 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now 2027-06-01T00:00:00Z --fail-closed-when-stale &&
  expect_in check_stale_fail_closed_mismatch "$T/out" '"result": "violation"'
run check_local_root_match_ok 0 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com.pem" --now "$NOW" --not-known-root &&
  expect_in check_local_root_match_ok "$T/out" '"result": "ok"'
run check_report_only 0 "$PINBAKE" check --json "$TABLE" beta.example.org "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_report_only "$T/out" '"would_fail": true'
run check_invalid_host 1 "$PINBAKE" check --json "$TABLE" "bad host" "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_invalid_host "$T/out" '"result": "invalid-host"'
run check_not_pinned 0 "$PINBAKE" check --json "$TABLE" example.org "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_not_pinned "$T/out" '"result": "not-pinned"'
# Review output (issue 14): the expected pins and, per chain certificate,
# its pin and subject, as OkHttp's pinning failure message; times RFC 3339.
run check_text_violation 1 "$PINBAKE" check "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now "$NOW" &&
  expect_in check_text_violation "$T/out" "www.example.com: violation: the chain matches no pin of pinset example; the connection is refused (enforce; entry example.com)" &&
  expect_in check_text_pinned_keys "$T/out" "  pinned keys of pinset example:" &&
  expect_in check_text_chain "$T/out" "  peer certificate chain:" &&
  expect_in check_text_chain_subject "$T/out" "sha256/0eZ2x+eh0VtVxSJwHZatNyaohVAQhvhktygfcTjQw1E=: CN=Unrelated Root CA" &&
  expect_in check_text_list_time "$T/out" "list: timestamp 2026-11-28T00:00:00Z"
run check_text_ok 0 "$PINBAKE" check "$TABLE" www.example.com "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_text_ok "$T/out" "sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o= CN=pinbake Demo Intermediate CA (in the chain)" &&
  expect_in check_text_ok_pinned_cert "$T/out" "sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o=: CN=pinbake Demo Intermediate CA (pinned)"
run check_names 1 "$PINBAKE" check "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now "$NOW" --names "$T/data/pins.json" &&
  expect_in check_names "$T/out" "    sha256/c1/s4ikVqVeenROGoXKlCSzgfEZzxw2VQpR8pd0Ra0o= DemoIntermediate" &&
  expect_in check_names_backup "$T/out" "    sha256/ClOOWhcYm/Dozt6xjFR0zpQIRlamnV0q+DHaKpBqHfM= DemoBackupKey"
run check_names_json 1 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com-unrelated-ca.pem" --now "$NOW" --names "$T/data/pins.json" &&
  expect_in check_names_json "$T/out" '"name": "DemoIntermediate"'
run check_json_review 0 "$PINBAKE" check --json "$TABLE" www.example.com "$T/data/chains/www.example.com.pem" --now "$NOW" &&
  expect_in check_json_expected_pins "$T/out" '"expected_pins": [' &&
  expect_in check_json_chain_subject "$T/out" '"subject": "CN=pinbake Demo Intermediate CA"' &&
  expect_in check_json_match "$T/out" '"match": "good"' &&
  expect_in check_json_rfc3339 "$T/out" '"list_timestamp": "2026-11-28T00:00:00Z"'
printf 'not a pem\n' > "$T/garbage.pem"
run check_bad_chain_file 2 "$PINBAKE" check --json "$TABLE" www.example.com "$T/garbage.pem" &&
  expect_in check_bad_chain_file "$T/err" "$T/garbage.pem"

# --- dump round trip --------------------------------------------------------
run dump 0 "$PINBAKE" dump "$TABLE" -o "$T/dump.json" &&
  run dump_recompile 0 "$PINBAKE" compile "$T/dump.json" --now "$NOW" -o "$T/dump.pinb" &&
  { cmp -s "$TABLE" "$T/dump.pinb" && record dump_round_trip_identical 0 "" ||
    record dump_round_trip_identical 1 "tables differ"; }

# --- spki ----------------------------------------------------------------
run spki 0 "$PINBAKE" spki "$T/data/keys/demo-root.pem" &&
  expect_in spki "$T/out" "CERTIFICATE sha256/wSjm1xz7qxA4SGM01z1NHbJ7SauV1azpZflmqsCkM+M="
run spki_json 0 "$PINBAKE" spki "$T/data/chains/www.example.com.pem" --json &&
  expect_in spki_json "$T/out" '"subject": "CN=pinbake Demo Intermediate CA"'
run spki_chain 0 "$PINBAKE" spki "$T/data/chains/www.example.com.pem" &&
  { [ "$(wc -l <"$T/out")" -eq 3 ] && record spki_chain 0 "" || record spki_chain 1 "want 3 lines"; }

# --- bad tables, usage, help ----------------------------------------------
head -c 100 "$TABLE" > "$T/truncated.pinb"
run lookup_truncated_table 2 "$PINBAKE" lookup --json "$T/truncated.pinb" www.example.com &&
  expect_in lookup_truncated_table "$T/err" "truncated"
run unknown_subcommand 2 "$PINBAKE" frobnicate && expect_in unknown_subcommand "$T/err" "see pinbake help"
# A usage error is a two-line hint, not the whole help, with "did you mean"
# for a misspelled subcommand or flag (issue 14).
run did_you_mean_subcommand 2 "$PINBAKE" complie x.json &&
  expect_in did_you_mean_subcommand "$T/err" "pinbake: unknown subcommand complie (did you mean compile?)" &&
  { [ "$(wc -l <"$T/err")" -eq 2 ] && record usage_subcommand_two_lines 0 "" ||
    record usage_subcommand_two_lines 1 "$(cat "$T/err")"; }
run did_you_mean_flag 2 "$PINBAKE" compile "$T/data/pins.json" --wrror -o "$T/x.pinb" &&
  expect_in did_you_mean_flag "$T/err" "pinbake: unknown flag --wrror (did you mean --werror?)" &&
  expect_in usage_flag_see_help "$T/err" "see pinbake compile --help" &&
  { [ "$(wc -l <"$T/err")" -eq 2 ] && record usage_flag_two_lines 0 "" ||
    record usage_flag_two_lines 1 "$(cat "$T/err")"; }
run did_you_mean_lint_flag 2 "$PINBAKE" lint "$T/data/pins.json" --conect www.example.com &&
  expect_in did_you_mean_lint_flag "$T/err" "pinbake: unknown flag --conect (did you mean --connect?)"
run usage_count_two_lines 2 "$PINBAKE" lookup --json "$TABLE" &&
  { [ "$(wc -l <"$T/err")" -eq 2 ] && record usage_count_two_lines 0 "" ||
    record usage_count_two_lines 1 "$(cat "$T/err")"; }
run help_compile_timing 0 "$PINBAKE" help && expect_in help_compile_timing "$T/out" "[--timing]"
for sub in compile lookup check dump spki connect keygen sign verify diff lint bench init; do
  run "help_exit_codes_$sub" 0 "$PINBAKE" "$sub" --help &&
    expect_in "help_exit_codes_$sub" "$T/out" "Exit codes:"
done
run unknown_flag 2 "$PINBAKE" lookup --json --frob "$TABLE" x && expect_in unknown_flag "$T/err" "unknown flag --frob"
for sub in compile lookup check dump spki; do
  run "help_$sub" 0 "$PINBAKE" "$sub" --help && expect_in "help_$sub" "$T/out" "pinbake $sub"
done

harness_finish
