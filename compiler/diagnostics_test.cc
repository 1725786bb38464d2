#include "compiler/diagnostics.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(DiagnosticTest, ToStringForEachKindOfPlace) {
  Diagnostic d{Severity::kError, {"list.json", {3, 14}, ""}, "bad", ""};
  EXPECT_EQ(d.ToString(), "list.json:3:14: error: bad");
  d.location.position = {};
  d.location.field = "entries[2].name";
  EXPECT_EQ(d.ToString(), "list.json: entries[2].name: error: bad");
  d.location.position = {7, 5};
  EXPECT_EQ(d.ToString(), "list.json:7:5: entries[2].name: error: bad");
  d.location.field = "";
  d.location.position = {};
  d.severity = Severity::kWarning;
  EXPECT_EQ(d.ToString(), "list.json: warning: bad");
}

TEST(DiagnosticTest, FixIsASecondLine) {
  Diagnostic d{Severity::kError, {"list.json", {4, 7}, "entries[0].x"},
               "unknown key", "did you mean \"y\"?"};
  EXPECT_EQ(d.ToString(),
            "list.json:4:7: entries[0].x: error: unknown key\n"
            "  fix: did you mean \"y\"?");
}

TEST(TextPositionTest, OfOffsetCountsLinesAndBytes) {
  EXPECT_EQ(TextPosition::OfOffset("ab\ncd", 0).ToString(), "1:1");
  EXPECT_EQ(TextPosition::OfOffset("ab\ncd", 4).ToString(), "2:2");
  EXPECT_EQ(TextPosition::OfOffset("ab\ncd", 99).ToString(), "2:3");
  EXPECT_EQ(TextPosition().ToString(), "");
}

TEST(DiagnosticsTest, FieldPositionsAreSetPerFileAndPath) {
  Diagnostics diags;
  diags.Error("a.json", "entries[0]", "x");
  diags.Warning("a.json", "entries[0]", "y");
  diags.ErrorAt("a.json", {1, 2}, "syntax");
  diags.Error("a.json", "", "whole file");
  diags.Error("b.json", "entries[1]", "other file");
  diags.Warning("a.json", "keys.K", "z");
  EXPECT_EQ(diags.FieldPathsWithoutPosition("a.json"),
            (std::vector<std::string>{"entries[0]", "keys.K"}));
  EXPECT_EQ(diags.FieldPathsWithoutPosition("a.json", /*errors_only=*/true),
            (std::vector<std::string>{"entries[0]"}));
  diags.SetFieldPositions("a.json", {{"entries[0]", {4, 3}}});
  EXPECT_EQ(diags.all()[0].location.position.ToString(), "4:3");
  EXPECT_EQ(diags.all()[1].location.position.ToString(), "4:3");
  EXPECT_EQ(diags.all()[2].location.position.ToString(), "1:2");
  EXPECT_EQ(diags.all()[4].location.position.ToString(), "");  // b.json
  EXPECT_EQ(diags.all()[5].location.position.ToString(), "");  // Not located.
  EXPECT_EQ(diags.FieldPathsWithoutPosition("a.json"),
            (std::vector<std::string>{"keys.K"}));
}

TEST(DiagnosticsTest, AddKeepsSeverityAndPosition) {
  Diagnostics from;
  from.Error("a.json", "entries[0]", "x");
  from.Warning("a.json", "list", "y");
  from.SetFieldPositions("a.json", {{"entries[0]", {4, 3}}});
  Diagnostics to;
  for (const Diagnostic& d : from.all()) to.Add(d);
  EXPECT_EQ(to.error_count(), 1u);
  EXPECT_EQ(to.warning_count(), 1u);
  EXPECT_EQ(to.all()[0].ToString(), "a.json:4:3: entries[0]: error: x");
}

TEST(DiagnosticsTest, SortByLocationOrdersEachFileByPosition) {
  Diagnostics diags;
  diags.Error("a.json", "entries[1]", "second");
  diags.Error("a.json", "", "whole file");
  diags.Error("b.json", "entries[0]", "other file");
  diags.Warning("a.json", "entries[0]", "first");
  diags.Error("a.json", "entries[0].name", "first too");
  diags.SetFieldPositions("a.json", {{"entries[0]", {2, 3}},
                                     {"entries[0].name", {2, 3}},
                                     {"entries[1]", {5, 3}}});
  diags.SortByLocation();
  std::vector<std::string> messages;
  for (const Diagnostic& d : diags.all()) messages.push_back(d.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"first", "first too", "second",
                                                "whole file", "other file"}));
  EXPECT_EQ(diags.error_count(), 4u);
}

TEST(DiagnosticsTest, DropFollowUpsKeepsOnlyIndependentProblems) {
  Diagnostics diags;
  diags.Error("a.json", "entries[3].pins", "unknown pinset");  // Parse.
  diags.Error("a.json", "pinsets[0].static_spki_hashes[1]", "unknown key");
  diags.Warning("a.json", "keys.K", "a warning is no cause");
  const size_t parsed = diags.all().size();
  diags.Warning("a.json", "entries[3]", "ancestor of an error");     // Drop.
  diags.Error("a.json", "entries[3].pins", "same field");            // Drop.
  diags.Error("a.json", "entries[3].pins.x", "below an error");      // Drop.
  diags.Warning("a.json", "pinsets[0]", "single pin");               // Drop.
  diags.Error("a.json", "entries[3].name", "sibling");               // Keep.
  diags.Error("a.json", "entries[30]", "other entry");               // Keep.
  diags.Warning("a.json", "keys.K.x", "below a warning");            // Keep.
  diags.Error("b.json", "entries[3]", "other file");                 // Keep.
  diags.Error("a.json", "", "whole file");                           // Keep.
  diags.DropFollowUps(parsed);
  std::vector<std::string> kept;
  for (size_t i = parsed; i < diags.all().size(); ++i) {
    kept.push_back(diags.all()[i].message);
  }
  EXPECT_EQ(kept, (std::vector<std::string>{"sibling", "other entry",
                                            "below a warning", "other file",
                                            "whole file"}));
  EXPECT_EQ(diags.error_count(), 2u + 4u);
  EXPECT_EQ(diags.warning_count(), 2u);
}

TEST(DiagnosticsTest, NotesAreNeitherWarningsNorPromoted) {
  Diagnostics diags;
  diags.Note("a.json", "entries[0].name", "converted");
  diags.Warning("a.json", "entries[1]", "w");
  EXPECT_EQ(diags.warning_count(), 1u);
  diags.PromoteWarningsToErrors();
  EXPECT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.warning_count(), 0u);
  EXPECT_EQ(diags.all()[0].severity, Severity::kNote);
  EXPECT_EQ(diags.all()[0].ToString(),
            "a.json: entries[0].name: note: converted");
}

}  // namespace
}  // namespace pinbake
