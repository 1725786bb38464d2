#!/usr/bin/env bash
# The main job on the list shipped in data/: compile it, look hosts up, and
# check certificate chains against it. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install_deps.sh

bazel build -c opt //cli:pinbake 2>&1 | tail -n 3
pinbake=bazel-bin/cli/pinbake
mkdir -p out
# data/pins.json has no timestamp: the demo stamps the build time
# (--timestamp now), so the list is fresh for its 70 days whenever the demo
# runs, and the checks run now.
now=now

echo "== compile data/pins.json"
"$pinbake" compile data/pins.json --timestamp now -o out/pins.pinb

echo "== lookup"
"$pinbake" lookup out/pins.pinb www.example.com staging.example.com \
  login.accounts.example.org img.cdn.example.net a.b.cdn.example.net \
  WWW.Example.COM. 192.168.0.1 example.org

echo "== check www.example.com, demo chain (pinned, matches)"
"$pinbake" check out/pins.pinb www.example.com data/chains/www.example.com.pem --now "$now"

echo "== check www.example.com, chain to an unrelated public CA (violation, exit 1)"
set +e
"$pinbake" check out/pins.pinb www.example.com data/chains/www.example.com-unrelated-ca.pem --now "$now"
echo "exit status: $?"
set -e

echo "== check the same chain as if its root were locally installed (bypassed)"
"$pinbake" check out/pins.pinb www.example.com data/chains/www.example.com-unrelated-ca.pem \
  --now "$now" --not-known-root

echo "== check old.example.net: the chain contains a blocked key (violation, exit 1)"
set +e
"$pinbake" check out/pins.pinb old.example.net data/chains/www.example.com.pem --now "$now"
echo "exit status: $?"
set -e
echo "== export to Android's Network Security Config (docs/export.md; --lossy: data/pins.json uses features NSC lacks)"; "$pinbake" export out/pins.pinb --format nsc --lossy -o out/network_security_config.xml
echo "== done"
