// check_host: looks a host up in the pin list baked into this binary
// (data/pins.json, via pin_list_cc_library in BUILD) and checks a
// certificate chain for it, the way a TLS client would after verifying the
// chain. No table file is read at run time.
//
//   check_host HOST CHAIN.pem [--now RFC3339] [--not-known-root]
//
// Prints one "key: value" line per fact; exit 0 if the chain is allowed, 1
// if refused, 2 on bad usage or input.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "examples/app/example_pins.h"
#include "runtime/cert_util.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"

namespace {

int Usage() {
  std::cerr << "usage: check_host HOST CHAIN.pem [--now RFC3339] "
               "[--not-known-root]\n";
  return 2;
}

// The SPKI hashes of the PEM chain at `path`, leaf first; false (after
// printing why) on failure.
bool ReadChain(const std::string& path, std::vector<pinbake::SpkiHash>* out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << "check_host: cannot read " << path << "\n";
    return false;
  }
  std::stringstream pem;
  pem << file.rdbuf();
  absl::StatusOr<std::vector<std::string>> ders =
      pinbake::ParsePemCertificateChain(pem.str());
  if (!ders.ok()) {
    std::cerr << "check_host: " << path << ": " << ders.status().message()
              << "\n";
    return false;
  }
  for (const std::string& der : *ders) {
    absl::StatusOr<pinbake::SpkiHash> hash =
        pinbake::SpkiHashOfDerCertificate(der);
    if (!hash.ok()) {
      std::cerr << "check_host: " << path << ": " << hash.status().message()
                << "\n";
      return false;
    }
    out->push_back(*hash);
  }
  return true;
}

const char* YesNo(bool b) { return b ? "yes" : "no"; }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  absl::Time now = absl::Now();
  bool known_root = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--now" && i + 1 < argc) {
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, argv[++i], &now, &error)) {
        std::cerr << "check_host: --now: " << error << "\n";
        return 2;
      }
    } else if (arg == "--not-known-root") {
      known_root = false;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) return Usage();
  const std::string& host = positional[0];
  std::vector<pinbake::SpkiHash> chain;
  if (!ReadChain(positional[1], &chain)) return 2;

  // The baked list: built on first use from constant data in the binary.
  const pinbake::PinList& list = pinbake_example::example_pins();

  const pinbake::ChainCheckResult r =
      pinbake::CheckChain(list, host, chain, known_root, now);
  std::cout << "host: " << host << "\n";
  std::cout << "table_bytes: " << pinbake_example::example_pins_table().size()
            << "\n";
  if (r.lookup.valid()) {
    std::cout << "pinned: " << YesNo(r.lookup.pinned());
    if (r.lookup.pinned()) {
      std::cout << " (entry " << r.lookup.PinRuleName() << ", pinset "
                << (r.lookup.pinset ? std::string(r.lookup.pinset->name()) : "") << ")";
    }
    std::cout << "\nforce_https: " << YesNo(r.lookup.force_https()) << "\n";
  } else {
    std::cout << "error: " << pinbake::HostErrorName(r.lookup.error) << "\n";
  }
  std::cout << "result: " << pinbake::CheckOutcomeName(r.outcome) << "\n";
  std::cout << "would_fail: " << YesNo(r.would_fail) << "\n";
  std::cout << "allowed: " << YesNo(r.allowed) << "\n";
  return r.allowed ? 0 : 1;
}
