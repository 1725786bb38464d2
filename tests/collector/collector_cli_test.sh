#!/usr/bin/env bash
# End to end: `pinbake check --report` makes RFC 7469 reports for a
# report-only entry (and an enforced one), they are POSTed to a running
# `pinbake collect` on 127.0.0.1, and `pinbake reports summary` and
# `pinbake rollout check` give the expected answers: blocked, ready,
# no-data, failing. Also HTTPS (--tls-cert/--tls-key) and usage errors.
set -u

SUITE=collector_cli
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"
trap stop_collector EXIT

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
V1="$T/data/pins.json"
# v2: beta.example.org (still report-only) pins the demo intermediate, which
# the demo chain carries; v3 adds a report-only entry nobody reports on.
V2="$T/data/pins-v2.json"
sed 's/"pins": "cdn", "pin_mode": "report-only"/"pins": "example", "pin_mode": "report-only"/' "$V1" >"$V2"
V3="$T/data/pins-v3.json"
sed 's/"entries": \[/"entries": [\n    { "name": "new.example.org", "pins": "example", "pin_mode": "report-only" },/' "$V2" >"$V3"
TABLE="$T/pins.pinb"
NOW=2026-12-01T00:00:00Z
DB="$T/reports.db"
CHAIN="$T/data/chains/www.example.com.pem"
BAD_CHAIN="$T/data/chains/www.example.com-unrelated-ca.pem"

run compile 0 "$PINBAKE" compile "$V1" --timestamp 2026-11-28T00:00:00Z --now "$NOW" -o "$TABLE" &&
  record compile 0 ""

# --- reports from the runtime ------------------------------------------
run report_only_check 0 "$PINBAKE" check --json "$TABLE" beta.example.org "$CHAIN" --now "$NOW" --report &&
  cp "$T/out" "$T/beta.check" && expect_in report_only_check "$T/beta.check" '"would_fail": true'
run enforced_check 1 "$PINBAKE" check --json "$TABLE" www.example.com "$BAD_CHAIN" --now "$NOW" --report &&
  cp "$T/out" "$T/www.check" && expect_in enforced_check "$T/www.check" '"noted-hostname": "example.com"'

start_collector collector_starts "$DB" && record collector_starts 0 ""

run post_report_only 0 "$CLIENT" post "$PORT" /pkp "$T/beta.check" --from-check &&
  expect_in post_report_only "$T/out" '201 {"id":1,"duplicate":false}'
run post_duplicate 0 "$CLIENT" post "$PORT" /pkp "$T/beta.check" --from-check &&
  expect_in post_duplicate "$T/out" '200 {"id":1,"duplicate":true}'
run post_other_path_not_duplicate 0 "$CLIENT" post "$PORT" /reports/hpkp "$T/beta.check" --from-check &&
  expect_in post_other_path_not_duplicate "$T/out" '201 {"id":2,"duplicate":false}'

# --- summary -------------------------------------------------------------
run summary_text 0 "$PINBAKE" reports summary --db "$DB" --list "$V1" &&
  expect_in summary_text "$T/out" "beta.example.org: 3 reports, 1 distinct chains"
expect_in summary_would_fail "$T/out" "1 would fail the current list"
expect_in summary_why "$T/out" "WOULD FAIL: no pin of the chain is in pinset cdn"
expect_in summary_subject "$T/out" "CN=www.example.com"
run summary_json 0 "$PINBAKE" reports summary --db "$DB" --list "$V1" --json &&
  expect_in summary_json "$T/out" '"would_fail_chains": 1'
expect_in summary_json_spki "$T/out" '"sha256/'
run summary_v2_passes 0 "$PINBAKE" reports summary --db "$DB" --list "$V2" &&
  expect_in summary_v2_passes "$T/out" "0 would fail the current list"
run summary_since 0 "$PINBAKE" reports summary --db "$DB" --since 1h --json &&
  expect_in summary_since "$T/out" '"reports": 3'
run summary_bad_since 2 "$PINBAKE" reports summary --db "$DB" --since soon &&
  expect_in summary_bad_since "$T/err" "--since: a duration"
run summary_missing_db 2 "$PINBAKE" reports summary &&
  expect_in summary_missing_db "$T/err" "--db"

# --- rollout gate --------------------------------------------------------
run rollout_blocked 1 "$PINBAKE" rollout check "$V1" --db "$DB" &&
  expect_in rollout_blocked "$T/out" "blocked  beta.example.org (report-only, 3 reports"
expect_in rollout_blocked_chain "$T/out" "no pin of the chain is in pinset cdn"
run rollout_blocked_json 1 "$PINBAKE" rollout check "$V1" --db "$DB" --json &&
  expect_in rollout_blocked_json "$T/out" '"state": "blocked"'
run rollout_ready 0 "$PINBAKE" rollout check "$V2" --db "$DB" &&
  expect_in rollout_ready "$T/out" "ready  beta.example.org"
expect_in rollout_ready_all "$T/out" "all entries ready"
run rollout_min_reports 1 "$PINBAKE" rollout check "$V2" --db "$DB" --min-reports 4 &&
  expect_in rollout_min_reports "$T/out" "no-data  beta.example.org"
run rollout_no_data 1 "$PINBAKE" rollout check "$V3" --db "$DB" --json &&
  expect_in rollout_no_data "$T/out" '"name": "new.example.org",
      "pin_mode": "report-only",
      "state": "no-data"'
# Old would-fail reports outside the quiet period do not block: with
# --quiet-days 0 nothing is recent.
run rollout_quiet_zero 0 "$PINBAKE" rollout check "$V1" --db "$DB" --quiet-days 0 &&
  expect_in rollout_quiet_zero "$T/out" "ready  beta.example.org"

# An enforced entry with a would-fail report is listed as failing.
run post_enforced 0 "$CLIENT" post "$PORT" /pkp "$T/www.check" --from-check &&
  expect_in post_enforced "$T/out" '201 '
run rollout_enforced_failing 1 "$PINBAKE" rollout check "$V2" --db "$DB" &&
  expect_in rollout_enforced_failing "$T/out" "failing  example.com (enforce, 1 reports, 1 would fail recently)"
expect_in rollout_enforced_keeps_ready "$T/out" "ready  beta.example.org"
run rollout_bad_list 2 "$PINBAKE" rollout check "$T/missing.json" --db "$DB" &&
  expect_in rollout_bad_list "$T/err" "missing.json"
run rollout_bad_action 2 "$PINBAKE" rollout go "$V1" --db "$DB"

# The dashboard and metrics answer (the DOM is checked in Chromium by
# dashboard_browser_test).
run metrics 0 "$CLIENT" post "$PORT" / "$T/beta.check" --from-check &&
  expect_in dashboard_refuses_post "$T/out" "405 the dashboard takes no reports"
stop_collector

# --- HTTPS ---------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout "$T/tls.key" -out "$T/tls.pem" -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
start_collector https_starts "$T/tls.db" --tls-cert "$T/tls.pem" --tls-key "$T/tls.key" &&
  expect_in https_starts "$T/collect.out" "(https)"
run https_post 0 "$CLIENT" post "$PORT" /pkp "$T/beta.check" --from-check --tls "$T/tls.pem" &&
  expect_in https_post "$T/out" '201 '
stop_collector
run https_bad_key 2 "$PINBAKE" collect --listen 127.0.0.1:0 --db "$T/x.db" --tls-cert "$T/tls.pem" --tls-key "$T/tls.pem" &&
  expect_in https_bad_key "$T/err" "cannot load the TLS certificate chain and key"
run collect_bad_listen 2 "$PINBAKE" collect --listen nowhere --db "$T/x.db" &&
  expect_in collect_bad_listen "$T/err" "--listen: expected HOST:PORT"
# --- storage limits: --max-reports, --retain, reports prune ---------------
# (--rate-limit 1: a burst of 2, so the third request in a row is refused.)
start_collector limit_starts "$T/limit.db" --max-reports 1 --retain 30d --rate-limit 1 &&
  record limit_starts 0 ""
run limit_first_stored 0 "$CLIENT" post "$PORT" /pkp "$T/beta.check" --from-check &&
  expect_in limit_first_stored "$T/out" '201 {"id":1,"duplicate":false}'
run limit_full 0 "$CLIENT" post "$PORT" /pkp "$T/www.check" --from-check &&
  expect_in limit_full "$T/out" "507 the collector's database is full"
run limit_rate_limited 0 "$CLIENT" post "$PORT" /pkp "$T/beta.check" --from-check &&
  expect_in limit_rate_limited "$T/out" "429 too many requests"
sleep 1.1
run limit_metrics 0 "$CLIENT" get "$PORT" /metrics &&
  expect_in limit_metrics "$T/out" 'pinbake_collector_refused_total{reason="store-full"} 1'
expect_in limit_metrics_rows "$T/out" "pinbake_collector_database_rows 1"
stop_collector
# The gate knows what the collector lost: nothing is ready until someone
# looked (--accept-lost).
run rollout_lost_blocks 1 "$PINBAKE" rollout check "$V2" --db "$T/limit.db" &&
  expect_in rollout_lost_blocks "$T/out" "lost: the collector refused 2 possible reports in the quiet period (rate-limited 1, store-full 1)"
expect_in rollout_lost_entry_ready "$T/out" "ready  beta.example.org"
run rollout_lost_json 1 "$PINBAKE" rollout check "$V2" --db "$T/limit.db" --json &&
  expect_in rollout_lost_json "$T/out" '"lost_reports": {
    "rate-limited": 1,
    "store-full": 1
  }'
run summary_lost 0 "$PINBAKE" reports summary --db "$T/limit.db" &&
  expect_in summary_lost "$T/out" "lost: the collector refused 2 possible reports before storing them (rate-limited 1, store-full 1)"
run rollout_lost_accepted 0 "$PINBAKE" rollout check "$V2" --db "$T/limit.db" --accept-lost &&
  expect_in rollout_lost_accepted "$T/out" "accepted with --accept-lost"
run prune_keeps_recent 0 "$PINBAKE" reports prune --db "$T/limit.db" --older-than 1h &&
  expect_in prune_keeps_recent "$T/out" "pruned 0 reports last received before 1h ago; 1 left"
sleep 1.1
run prune_deletes_old 0 "$PINBAKE" reports prune --db "$T/limit.db" --older-than 1s &&
  expect_in prune_deletes_old "$T/out" "pruned 1 reports last received before 1s ago; 0 left"
run prune_needs_age 2 "$PINBAKE" reports prune --db "$T/limit.db" &&
  expect_in prune_needs_age "$T/err" "--older-than DURATION"
run collect_bad_max_reports 2 "$PINBAKE" collect --listen 127.0.0.1:0 --db "$T/x.db" --max-reports -1 &&
  expect_in collect_bad_max_reports "$T/err" "--max-reports: a number"
run collect_bad_retain 2 "$PINBAKE" collect --listen 127.0.0.1:0 --db "$T/x.db" --retain forever &&
  expect_in collect_bad_retain "$T/err" "--retain: a duration"
run collect_bad_db 2 "$PINBAKE" collect --listen 127.0.0.1:0 --db "$T/no/such/dir/x.db" &&
  expect_in collect_bad_db "$T/err" "cannot open SQLite database"

harness_finish
