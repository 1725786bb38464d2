// Tests only: a small current list over test_pki chains, written to
// TEST_TMPDIR and loaded with LoadCurrentList, and stored reports for it.
//
//   TestList t = MakeTestList();  // good.test enforced, new.test report-only
//   StoredReport r = StoredReportFor("new.test", t.good_chain, now);

#ifndef PINBAKE_COLLECTOR_COLLECTOR_TEST_LIST_H_
#define PINBAKE_COLLECTOR_COLLECTOR_TEST_LIST_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "collector/current_list.h"
#include "collector/report_store.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {

struct TestList {
  TestChain good_chain;   // Its intermediate is the pinset's pin.
  TestChain other_chain;  // Unrelated: fails the pinset.
  // Entries: "good.test" (enforce), "new.test" (report-only),
  // "quiet.test" (report-only), all pinset "p".
  std::unique_ptr<CurrentList> list;
};

TestList MakeTestList();

// A stored report of `host` with `chain` (leaf, intermediate, root),
// received at `when`, `count` times.
StoredReport StoredReportFor(const std::string& host, const TestChain& chain,
                             absl::Time when, int64_t count = 1);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_COLLECTOR_TEST_LIST_H_
