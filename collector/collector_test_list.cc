#include "collector/collector_test_list.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace collector {

TestList MakeTestList() {
  TestList t;
  t.good_chain = MakeChain("good.test");
  t.other_chain = MakeChain("other.test");
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path =
      absl::StrCat(dir ? dir : "/tmp", "/collector_test_list.json");
  std::ofstream(path) << absl::StrCat(
      R"({"list": {"version": 1, "max_age_days": 70},
  "keys": {"I": ")", SpkiHashToString(t.good_chain.intermediate.spki_hash),
      R"(", "B": ")", SpkiHashToString(t.good_chain.root.spki_hash), R"("},
  "pinsets": [{"name": "p", "static_spki_hashes": ["I", "B"],
               "report_uri": "https://collector.example/pkp"}],
  "entries": [
    {"name": "good.test", "pins": "p"},
    {"name": "new.test", "pins": "p", "pin_mode": "report-only"},
    {"name": "quiet.test", "pins": "p", "pin_mode": "report-only"}
  ]})");
  absl::StatusOr<std::unique_ptr<CurrentList>> list =
      LoadCurrentList(path, "");
  if (!list.ok()) {
    std::fprintf(stderr, "MakeTestList: %s\n",
                 std::string(list.status().message()).c_str());
    std::abort();
  }
  t.list = *std::move(list);
  return t;
}

StoredReport StoredReportFor(const std::string& host, const TestChain& chain,
                             absl::Time when, int64_t count) {
  StoredReport r;
  r.uri = "/pkp";
  r.hostname = host;
  r.noted_hostname = host;
  r.port = 443;
  r.date_time = when;
  r.first_received = when;
  r.last_received = when;
  r.count = count;
  r.validated_spki = {chain.leaf.spki_hash, chain.intermediate.spki_hash,
                      chain.root.spki_hash};
  r.validated_subjects = {"CN=" + host, "CN=pinbake test intermediate",
                          "CN=pinbake test root"};
  return r;
}

}  // namespace collector
}  // namespace pinbake
