#!/usr/bin/env bash
# The collector's dashboard in a real browser: reports made by
# `pinbake check --report` are POSTed to a running collector, Debian's
# headless Chromium loads http://127.0.0.1:PORT/ from it, and the rendered
# DOM must show the host, its would-fail chain and the chart's bar. The
# screenshot is kept in $TEST_UNDECLARED_OUTPUTS_DIR (a CI artifact).
# Chromium is required (tools/install_deps.sh installs it): missing, the
# test fails.
set -u

SUITE=dashboard_browser
source "$TEST_SRCDIR/$TEST_WORKSPACE/testing/cli_harness.sh"
source "$TEST_SRCDIR/$TEST_WORKSPACE/tests/collector/collector_env.sh"
trap stop_collector EXIT

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  record chromium_installed 1 "chromium not found (apt-get install chromium; see tools/install_deps.sh)"
  harness_finish
fi
record chromium_installed 0 ""

cp -r "$DATA" "$T/data"
chmod -R u+w "$T/data"
NOW=2026-12-01T00:00:00Z
"$PINBAKE" compile "$T/data/pins.json" --timestamp 2026-11-28T00:00:00Z --now "$NOW" -o "$T/pins.pinb" 2>/dev/null
"$PINBAKE" check --json "$T/pins.pinb" beta.example.org "$T/data/chains/www.example.com.pem" --now "$NOW" --report >"$T/beta.check"

if start_collector collector_starts "$T/reports.db" --list "$T/data/pins.json"; then
  record collector_starts 0 ""
  for i in 1 2 3; do "$CLIENT" post "$PORT" /pkp "$T/beta.check" --from-check >/dev/null; done
  # As root Chromium needs --no-sandbox; its profile goes to the test's
  # temporary directory.
  browser=("$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run
           --disable-dev-shm-usage --user-data-dir="$T/profile")
  url="http://127.0.0.1:$PORT/"
  run dump_dom 0 env HOME="$T" timeout 90 "${browser[@]}" --dump-dom "$url" && {
    cp "$T/out" "$T/dom.html"
    expect_in dom_title "$T/dom.html" "<h1>pinbake collector</h1>"
    expect_in dom_totals "$T/dom.html" "3 reports, 1 hosts"
    expect_in dom_host_row "$T/dom.html" 'data-host="beta.example.org"'
    expect_in dom_would_fail "$T/dom.html" "would fail: no pin of the chain is in pinset cdn"
    expect_in dom_subject "$T/dom.html" "CN=pinbake Demo Intermediate CA"
    expect_in dom_chart "$T/dom.html" '<svg id="chart"'
    expect_in dom_chart_bar "$T/dom.html" 'class="bar" data-count="3"'
    expect_in dom_chart_label "$T/dom.html" '3 would-fail reports in the last 48 hours'
  }
  shot_dir=${TEST_UNDECLARED_OUTPUTS_DIR:-$T}
  run screenshot 0 env HOME="$T" timeout 90 "${browser[@]}" --window-size=900,700 \
      --screenshot="$shot_dir/dashboard.png" "$url" &&
    { [ "$(head -c 8 "$shot_dir/dashboard.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
      record screenshot_png 0 "" || record screenshot_png 1 "no PNG at $shot_dir/dashboard.png"; }
fi

harness_finish
