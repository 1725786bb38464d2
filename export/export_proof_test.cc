#include "export/export_proof.h"

#include "compiler/table_writer.h"
#include "export/round_trip_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

TEST(ExportProofTest, OneFindingPerEntryNamingTheDecidingEntry) {
  const PinListModel model = LosslessModel();
  absl::StatusOr<std::string> table = WriteTable(model);
  ASSERT_TRUE(table.ok());
  absl::StatusOr<PinList> list = PinList::FromBytes(*table);
  ASSERT_TRUE(list.ok());

  // A platform that agrees everywhere: no findings.
  EXPECT_TRUE(ProveExport(model, *list, "same", {},
                          [&](absl::string_view host) {
                            return PinbakeAnswer(*list, host);
                          })
                  .empty());

  // A platform that pins nothing: one finding per pinned entry, in entry
  // order, counting the entry's other differing names.
  std::vector<ExportFinding> findings =
      ProveExport(model, *list, "none", {},
                  [](absl::string_view) { return PlatformAnswer(); });
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].entry, "example.com");
  EXPECT_EQ(findings[0].location, "entries[0]");
  EXPECT_THAT(findings[0].message,
              HasSubstr("for a.pinbake-sample.example.com none would not pin it "
                        "(pinbake: enforces 2 pin(s)"));
  EXPECT_THAT(findings[0].message,
              HasSubstr("; 2 more name(s) of this entry differ"));
  EXPECT_EQ(findings[1].entry, "accounts.example.org");
  EXPECT_EQ(findings[1].Text().substr(0, 33), "entries[1] accounts.example.org: ");

  // A platform that pins an unpinned ancestor: the finding names the entry
  // that implied the name.
  findings = ProveExport(model, *list, "wide", {}, [&](absl::string_view host) {
    PlatformAnswer a = PinbakeAnswer(*list, host);
    if (host == "org") a = PinbakeAnswer(*list, "accounts.example.org");
    return a;
  });
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].entry, "accounts.example.org");
  EXPECT_THAT(findings[0].message, HasSubstr("for org wide would pin it"));
}

}  // namespace
}  // namespace pinbake
