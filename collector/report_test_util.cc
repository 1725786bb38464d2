#include "collector/report_test_util.h"

#include <cstdio>
#include <cstdlib>

namespace pinbake {
namespace collector {

PkpReport TestReport(absl::string_view host, const TestChain& chain, int port,
                     absl::Time when) {
  PkpReport report;
  report.date_time = when;
  report.hostname = std::string(host);
  report.port = port;
  report.effective_expiration_date = when + absl::Hours(24 * 70);
  report.include_subdomains = false;
  report.noted_hostname = std::string(host);
  report.served_chain_der = {chain.leaf.der, chain.intermediate.der};
  report.validated_chain_der = {chain.leaf.der, chain.intermediate.der,
                                chain.root.der};
  report.known_pins = {chain.root.spki_hash};
  return report;
}

std::string TestReportJson(absl::string_view host, const TestChain& chain,
                           int port, absl::Time when) {
  return PkpReportToJson(TestReport(host, chain, port, when));
}

std::string FreshTestDbPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return path;
}

}  // namespace collector
}  // namespace pinbake
