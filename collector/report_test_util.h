// Tests only: well-formed RFC 7469 report bodies, written by the runtime's
// own PkpReportToJson over certificates from testing/test_pki.h.
//
//   TestChain chain = MakeChain("www.example.com");
//   std::string body = TestReportJson("www.example.com", chain);

#ifndef PINBAKE_COLLECTOR_REPORT_TEST_UTIL_H_
#define PINBAKE_COLLECTOR_REPORT_TEST_UTIL_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "runtime/pkp_report.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {

// A report for `host` (noted-hostname `host` too) with `chain`'s leaf and
// intermediate as served and validated chain, one known pin (the root's),
// port `port`, dated `when`.
PkpReport TestReport(absl::string_view host, const TestChain& chain,
                     int port = 443,
                     absl::Time when = absl::FromUnixSeconds(1767225600));

// PkpReportToJson(TestReport(...)).
std::string TestReportJson(absl::string_view host, const TestChain& chain,
                           int port = 443,
                           absl::Time when = absl::FromUnixSeconds(1767225600));

// `name` in the test's temporary directory ($TEST_TMPDIR, else /tmp), with
// any SQLite database there (and its -wal, -shm files) removed first.
std::string FreshTestDbPath(const std::string& name);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_REPORT_TEST_UTIL_H_
