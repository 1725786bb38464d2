#!/usr/bin/env bash
# Installs what pinbake needs from Debian 12's packages (as root), once:
# Bazel 4.2.3, CMake (the CMake build, tools/cmake_test.sh) and the system
# libraries the builds link (see WORKSPACE and CMakeLists.txt).
set -euo pipefail

packages=(
  bazel-bootstrap g++ pkg-config openssl cmake make
  libabsl-dev libre2-dev libssl-dev libgtest-dev libgmock-dev
  nlohmann-json3-dev libsimdjson-dev libpsl-dev publicsuffix zlib1g-dev
  libidn2-dev
  bsdutils  # script(1): tests/cli_test.sh runs compile on a pty
  default-jdk-headless libokhttp-java libokio-java kotlin
  libxml2-dev libxml2-utils libplist-dev libplist-utils
  # The report collector (collector/): HTTP server, databases; the tests
  # start a real PostgreSQL cluster and load the dashboard in Chromium.
  libcpp-httplib-dev libsqlite3-dev libpq-dev postgresql chromium
)

# --fuzz: also clang-14 with its libFuzzer and sanitizer runtimes, for
# tests/fuzz/run.sh (tools/test.sh runs it unless PINBAKE_QUICK=1).
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install_deps: missing packages: ${missing[*]} (run as root to install)" >&2
  exit 1
fi
echo "install_deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
