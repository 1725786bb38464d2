#include "compiler/idn_names.h"

#include "gtest/gtest.h"
#include "testing/diagnostics_matchers.h"

namespace pinbake {
namespace {

HostEntry Entry(const std::string& name, size_t i) {
  HostEntry e;
  e.name = name;
  e.location = "entries[" + std::to_string(i) + "]";
  return e;
}

TEST(IdnNamesTest, ULabelsBecomeALabelsWithANote) {
  PinListModel model;
  model.entries = {Entry("bücher.shop.test", 0), Entry("*.bücher.test", 1),
                   Entry("plain.test", 2)};
  Diagnostics diags;
  ConvertIdnNames("list.json", &model, &diags);
  EXPECT_EQ(model.entries[0].name, "xn--bcher-kva.shop.test");
  EXPECT_EQ(model.entries[1].name, "*.xn--bcher-kva.test");
  EXPECT_EQ(model.entries[2].name, "plain.test");
  ASSERT_EQ(diags.all().size(), 2u) << Dump(diags);
  EXPECT_EQ(diags.all()[0].ToString(),
            "list.json: entries[0].name: note: \"bücher.shop.test\" is "
            "compiled as its A-label \"xn--bcher-kva.shop.test\" (--idn)");
  EXPECT_EQ(diags.error_count(), 0u);
  EXPECT_EQ(diags.warning_count(), 0u);
}

TEST(IdnNamesTest, InvalidIdnIsLeftForTheChecks) {
  PinListModel model;
  model.entries = {Entry("a\xe2\x98\x83.test", 0)};  // U+2603 is disallowed.
  Diagnostics diags;
  ConvertIdnNames("list.json", &model, &diags);
  EXPECT_EQ(model.entries[0].name, "a\xe2\x98\x83.test");
  EXPECT_TRUE(diags.all().empty());
}

}  // namespace
}  // namespace pinbake
