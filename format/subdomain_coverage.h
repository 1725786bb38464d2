// The coverage rule, written once: whether an entry, as a proper ancestor of
// a host, decides that host's pins or its HSTS (docs/lookup.md, step 3).
// Shared by the runtime (HostRule, runtime/table_reader.h) and the
// compiler's checks (HostEntry, compiler/checks.cc).

#ifndef PINBAKE_FORMAT_SUBDOMAIN_COVERAGE_H_
#define PINBAKE_FORMAT_SUBDOMAIN_COVERAGE_H_

namespace pinbake {

// Pins reach subdomains with include_subdomains or
// include_subdomains_for_pinning.
constexpr bool CoversSubdomainsForPins(bool include_subdomains,
                                       bool include_subdomains_for_pinning) {
  return include_subdomains || include_subdomains_for_pinning;
}

// HSTS (force-https) reaches subdomains only with include_subdomains.
constexpr bool CoversSubdomainsForHsts(bool include_subdomains) {
  return include_subdomains;
}

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_SUBDOMAIN_COVERAGE_H_
