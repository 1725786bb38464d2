// lookup_hosts: an outside team's binary using a pin list baked in with
// @pinbake//bazel:pinbake.bzl. Prints what the baked list says about each
// host given (or a few defaults), and checks a chain made of the team's
// issuing CA key for each, at a fixed time.
//
//   lookup_hosts [HOST...]

#include <iostream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"
#include "team_pins.h"

int main(int argc, char** argv) {
  std::vector<std::string> hosts(argv + 1, argv + argc);
  if (hosts.empty()) {
    hosts = {"www.acme.example", "status.acme.example", "a.api.partner.example",
             "api.partner.example", "other.example"};
  }
  const pinbake::PinList& list = acme::tls::team_pins();
  std::cout << "table: " << acme::tls::team_pins_table().size() << " bytes, "
            << list.table().entry_count() << " entries\n";

  // A chain whose intermediate is the team's issuing CA (AcmeIssuingCa in
  // pins.json); the other hashes stand for the leaf and the root.
  absl::StatusOr<pinbake::SpkiHash> issuing_ca = pinbake::ParseSpkiHash(
      "sha256/3yoxFgOtoPmCnr7zdS5mA29sZD5GLRS76h0aENRttNs=");
  if (!issuing_ca.ok()) return 2;
  const std::vector<pinbake::SpkiHash> chain = {
      pinbake::HashSpkiDer("leaf"), *issuing_ca, pinbake::HashSpkiDer("root")};
  // The list is stamped with the build time (BUILD: timestamp = "now"), so
  // it is fresh for 90 days after the build.
  const absl::Time now = absl::Now();

  for (const std::string& host : hosts) {
    const pinbake::ChainCheckResult r =
        pinbake::CheckChain(list, host, chain, /*is_issued_by_known_root=*/true,
                            now);
    std::cout << host << ": pinned=" << (r.lookup.pinned() ? "yes" : "no");
    if (r.lookup.pinset) {
      std::cout << " pinset=" << r.lookup.pinset->name() << " mode="
                << pinbake::PinModeName(r.lookup.pin_rule->pin_mode);
    }
    std::cout << " force_https=" << (r.lookup.force_https() ? "yes" : "no")
              << " check=" << pinbake::CheckOutcomeName(r.outcome)
              << " allowed=" << (r.allowed ? "yes" : "no") << "\n";
  }
  return 0;
}
