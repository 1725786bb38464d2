#include "compiler/diagnostics.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(DiagnosticTest, ToStringForEachKindOfPlace) {
  Diagnostic d{Severity::kError, "list.json", "3:14", "bad", ""};
  EXPECT_EQ(d.ToString(), "list.json:3:14: error: bad");
  d.where = "entries[2].name";
  EXPECT_EQ(d.ToString(), "list.json: entries[2].name: error: bad");
  d.position = "7:5";
  EXPECT_EQ(d.ToString(), "list.json:7:5: entries[2].name: error: bad");
  d.where = "";
  d.position = "";
  d.severity = Severity::kWarning;
  EXPECT_EQ(d.ToString(), "list.json: warning: bad");
}

TEST(DiagnosticsTest, FieldPositionsAreSetPerFileAndPath) {
  Diagnostics diags;
  diags.Error("a.json", "entries[0]", "x");
  diags.Warning("a.json", "entries[0]", "y");
  diags.Error("a.json", "1:2", "syntax");
  diags.Error("a.json", "", "whole file");
  diags.Error("b.json", "entries[1]", "other file");
  diags.Warning("a.json", "keys.K", "z");
  EXPECT_EQ(diags.FieldPathsWithoutPosition("a.json"),
            (std::vector<std::string>{"entries[0]", "keys.K"}));
  diags.SetFieldPositions("a.json", {{"entries[0]", "4:3"}});
  EXPECT_EQ(diags.all()[0].position, "4:3");
  EXPECT_EQ(diags.all()[1].position, "4:3");
  EXPECT_EQ(diags.all()[4].position, "");  // b.json
  EXPECT_EQ(diags.all()[5].position, "");  // Not located.
  EXPECT_EQ(diags.FieldPathsWithoutPosition("a.json"),
            (std::vector<std::string>{"keys.K"}));
}

TEST(DiagnosticsTest, AddKeepsSeverityAndPosition) {
  Diagnostics from;
  from.Error("a.json", "entries[0]", "x");
  from.Warning("a.json", "list", "y");
  from.SetFieldPositions("a.json", {{"entries[0]", "4:3"}});
  Diagnostics to;
  for (const Diagnostic& d : from.all()) to.Add(d);
  EXPECT_EQ(to.error_count(), 1u);
  EXPECT_EQ(to.warning_count(), 1u);
  EXPECT_EQ(to.all()[0].ToString(), "a.json:4:3: entries[0]: error: x");
}

}  // namespace
}  // namespace pinbake
