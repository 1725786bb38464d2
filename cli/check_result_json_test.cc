#include "cli/check_result_json.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace cli {
namespace {

TEST(CheckResultJsonTest, KeysInOrderNullsForMissing) {
  CheckResultView view;
  view.host = "Www.Example.com";
  view.outcome = CheckOutcome::kNotPinned;
  view.allowed = true;
  Json out;
  out["first"] = 1;
  AppendCheckResultJson(view, &out);
  EXPECT_EQ(out.dump(),
            R"({"first":1,"host":"Www.Example.com","canonical":null,)"
            R"("result":"not-pinned","allowed":true,"would_fail":false,)"
            R"("bad_pin_found":false,"pin_entry":null,"pin_mode":null,)"
            R"("pinset":null,"report_uri":null})");
}

TEST(CheckResultJsonTest, KnownRootAfterBadPinFoundWhenSet) {
  CheckResultView view;
  view.host = "a.example";
  view.canonical = "a.example";
  view.outcome = CheckOutcome::kViolation;
  view.would_fail = true;
  view.known_root = true;
  view.pin_entry = "example";
  view.pin_mode = PinMode::kReportOnly;
  view.pinset = "main";
  view.report_uri = "https://r.example/";
  Json out;
  AppendCheckResultJson(view, &out);
  EXPECT_EQ(out.dump(),
            R"({"host":"a.example","canonical":"a.example",)"
            R"("result":"violation","allowed":false,"would_fail":true,)"
            R"("bad_pin_found":false,"known_root":true,"pin_entry":"example",)"
            R"("pin_mode":"report-only","pinset":"main",)"
            R"("report_uri":"https://r.example/"})");
}

TEST(CheckResultJsonTest, PinArrayInOrder) {
  SpkiHash a{};
  SpkiHash b{};
  b.bytes.fill(0xff);
  Json pins = PinArrayJson({a, b});
  ASSERT_EQ(pins.size(), 2u);
  EXPECT_EQ(pins[0], SpkiHashToString(a));
  EXPECT_EQ(pins[1], SpkiHashToString(b));
  EXPECT_EQ(PinArrayJson({}).dump(), "[]");
}

}  // namespace
}  // namespace cli
}  // namespace pinbake
