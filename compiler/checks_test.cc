#include "compiler/checks.h"

#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/diagnostics.h"
#include "compiler/file_util.h"
#include "compiler/list_parser.h"
#include "compiler/pins_file_parser.h"
#include "gtest/gtest.h"
#include "format/spki_hash.h"
#include "testing/diagnostics_matchers.h"
#include "testing/shared_data.h"

namespace pinbake {
namespace {

struct Checked {
  PinListModel model;
  Diagnostics diags;
};

// Parses `entries_json` (the body of the "entries" array) with two pinsets,
// "p" (two pins) and "q" (two pins, used only if an entry names it), then
// runs the checks. The parse must be clean.
Checked Check(absl::string_view entries_json,
              absl::string_view extra_pinsets = "") {
  const std::string pins = absl::StrCat(
      "\"", SpkiHashToString(HashSpkiDer("1")), "\", \"",
      SpkiHashToString(HashSpkiDer("2")), "\"");
  const std::string json = absl::StrCat(
      R"({"pinsets": [{"name": "p", "static_spki_hashes": [)", pins, "]}",
      extra_pinsets, R"(], "entries": [)", entries_json, "]}");
  Checked c;
  c.model = ParsePinListJson(json, "list.json", nullptr, &c.diags);
  EXPECT_FALSE(c.diags.has_errors()) << "parse: " << Dump(c.diags);
  CheckPinList("list.json", &c.model, &c.diags);
  return c;
}

// One entry with pins "p" and the given name.
Checked CheckName(absl::string_view name) {
  return Check(absl::StrCat(R"({"name": ")", name, R"(", "pins": "p"})"));
}

TEST(ChecksTest, CleanListHasNoDiagnostics) {
  Checked c = Check(R"(
      {"name": "example.com", "pins": "p", "include_subdomains": true,
       "mode": "force-https"},
      {"name": "*.example.org", "pins": "p"},
      {"name": "www.example.org", "mode": "force-https", "pins": "p"},
      {"name": "x_y-z.example.net", "mode": "force-https"},
      {"name": "no.example.com", "exclude": true, "include_subdomains": true})");
  EXPECT_EQ(c.diags.all().size(), 0u) << Dump(c.diags);
  EXPECT_EQ(c.model.entries.size(), 5u);
}

// ---- Host-name syntax ------------------------------------------------------

TEST(ChecksNameTest, EmptyName) {
  Checked c = CheckName("");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "empty host name"));
}

TEST(ChecksNameTest, TrailingDot) {
  Checked c = CheckName("example.com.");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "trailing dot"));
}

TEST(ChecksNameTest, NameOf254Bytes) {
  std::string name = absl::StrCat(std::string(63, 'a'), ".", std::string(63, 'b'),
                                  ".", std::string(63, 'c'), ".",
                                  std::string(62, 'd'));
  ASSERT_EQ(name.size(), 254u);
  Checked c = CheckName(name);
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "longer than 253 bytes"));
}

TEST(ChecksNameTest, NameOf253BytesIsFine) {
  std::string name = absl::StrCat(std::string(63, 'a'), ".", std::string(63, 'b'),
                                  ".", std::string(63, 'c'), ".",
                                  std::string(61, 'd'));
  ASSERT_EQ(name.size(), 253u);
  Checked c = CheckName(name);
  EXPECT_FALSE(c.diags.has_errors()) << Dump(c.diags);
}

TEST(ChecksNameTest, LabelOf64Bytes) {
  Checked c = CheckName(absl::StrCat(std::string(64, 'a'), ".example.com"));
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "label longer than 63"));
}

TEST(ChecksNameTest, Space) {
  Checked c = CheckName("exa mple.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "invalid character 0x20"));
}

TEST(ChecksNameTest, IpLiteral) {
  Checked c = CheckName("192.168.1.1");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "looks like an IP address"));
}

TEST(ChecksNameTest, EmptyLabel) {
  Checked c = CheckName("a..example.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "empty label"));
}

TEST(ChecksNameTest, UppercaseWithoutTwin) {
  Checked c = CheckName("Example.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "uppercase letters; write \"example.com\""));
  EXPECT_EQ(c.model.entries.size(), 1u);
}

TEST(ChecksNameTest, UppercaseTwinWithSameSettingsIsDropped) {
  // As in Chromium's 2016 list: 0xAA55.me beside 0xaa55.me.
  Checked c = Check(R"(
      {"name": "a.com", "mode": "force-https"},
      {"name": "0xAA55.me", "include_subdomains": true, "mode": "force-https"},
      {"name": "0xaa55.me", "include_subdomains": true, "mode": "force-https"})");
  EXPECT_FALSE(c.diags.has_errors()) << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "entries[1].name",
                         "duplicates \"0xaa55.me\" (entries[2])"));
  ASSERT_EQ(c.model.entries.size(), 2u);
  EXPECT_EQ(c.model.entries[0].name, "a.com");
  EXPECT_EQ(c.model.entries[1].name, "0xaa55.me");
  EXPECT_EQ(c.model.entries[1].location, "entries[2]");
}

TEST(ChecksNameTest, UppercaseTwinWithOtherSettingsIsAnError) {
  Checked c = Check(R"(
      {"name": "0xAA55.me", "mode": "force-https"},
      {"name": "0xaa55.me", "include_subdomains": true, "mode": "force-https"})");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "uppercase"));
  EXPECT_EQ(c.model.entries.size(), 2u);
}

// ---- Wildcards ---------------------------------------------------------

TEST(ChecksWildcardTest, StarInMiddleLabel) {
  Checked c = CheckName("a.*.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "'*' is only allowed as the whole leftmost label"));
}

TEST(ChecksWildcardTest, StarInsideLabel) {
  Checked c = CheckName("*a.example.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "whole leftmost label"));
}

TEST(ChecksWildcardTest, DoubleStar) {
  Checked c = CheckName("**.example.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "whole leftmost label"));
}

TEST(ChecksWildcardTest, StarAlone) {
  Checked c = CheckName("*");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "whole leftmost label"));
}

TEST(ChecksWildcardTest, StarDotAloneIsRefused) {
  // "*." is not a wildcard (IsWildcardName: "*." and a non-empty name, the
  // rule of the model and the table reader); it is refused as a bad '*'.
  Checked c = CheckName("*.");
  EXPECT_TRUE(c.diags.has_errors()) << Dump(c.diags);
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "'*' is only allowed as the whole leftmost label"))
      << Dump(c.diags);
}

TEST(ChecksWildcardTest, TwoWildcardLabels) {
  Checked c = CheckName("*.*.example.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "whole leftmost label"));
}

TEST(ChecksWildcardTest, WildcardOverInvalidName) {
  Checked c = CheckName("*.exa mple.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name", "(after \"*.\")"));
}

TEST(ChecksWildcardTest, WildcardOverCom) {
  Checked c = CheckName("*.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "over the public suffix \"com\""));
}

TEST(ChecksWildcardTest, WildcardOverCoUk) {
  Checked c = CheckName("*.co.uk");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "over the public suffix \"co.uk\""));
}

TEST(ChecksWildcardTest, WildcardOverPrivateSuffix) {
  Checked c = CheckName("*.appspot.com");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "over the public suffix \"appspot.com\""));
}

TEST(ChecksWildcardTest, WildcardUnderRegistrableDomainIsFine) {
  Checked c = CheckName("*.example.co.uk");
  EXPECT_EQ(c.diags.all().size(), 0u) << Dump(c.diags);
}

TEST(ChecksWildcardTest, WildcardWithIncludeSubdomains) {
  Checked c = Check(R"({"name": "*.example.com", "pins": "p",
                        "include_subdomains": true})");
  EXPECT_TRUE(HasError(c.diags, "entries[0].include_subdomains",
                       "cannot have include_subdomains"));
}

TEST(ChecksWildcardTest, WildcardWithIncludeSubdomainsForPinning) {
  Checked c = Check(R"({"name": "*.example.com", "pins": "p",
                        "include_subdomains_for_pinning": true})");
  EXPECT_TRUE(HasError(c.diags, "entries[0].include_subdomains_for_pinning",
                       "cannot have include_subdomains_for_pinning"));
}

// ---- Duplicates and public suffixes ----------------------------------------

TEST(ChecksTest, DuplicateHost) {
  Checked c = Check(R"(
      {"name": "a.example.com", "pins": "p"},
      {"name": "b.example.com", "pins": "p"},
      {"name": "a.example.com", "mode": "force-https"})");
  EXPECT_TRUE(HasError(c.diags, "entries[2].name",
                       "duplicate host \"a.example.com\" (first at entries[0])"));
  EXPECT_EQ(c.diags.error_count(), 1u) << Dump(c.diags);
}

TEST(ChecksTest, IncludeSubdomainsOnPublicSuffixWarns) {
  Checked c = Check(R"({"name": "appspot.com", "pins": "p",
                        "include_subdomains": true})");
  EXPECT_FALSE(c.diags.has_errors()) << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "entries[0].include_subdomains",
                         "\"appspot.com\" is a public suffix"));
}

TEST(ChecksTest, IncludeSubdomainsOnPublicSuffixWithPolicyIsFine) {
  Checked c = Check(R"({"name": "dev", "mode": "force-https", "pins": "p",
                        "include_subdomains": true,
                        "policy": "public-suffix"})");
  EXPECT_EQ(c.diags.all().size(), 0u) << Dump(c.diags);
}

// ---- Pinsets ---------------------------------------------------------------

TEST(ChecksPinsetTest, ReferencedEmptyPinset) {
  Checked c = Check(R"({"name": "a.com", "pins": "p"},
                       {"name": "b.com", "pins": "empty"})",
                    R"(, {"name": "empty", "static_spki_hashes": []})");
  EXPECT_TRUE(HasError(c.diags, "pinsets[1]",
                       "has no static_spki_hashes but is used (first by "
                       "entries[1])"));
}

TEST(ChecksPinsetTest, UnusedPinsetWarns) {
  Checked c = Check(R"({"name": "a.com", "pins": "p"})",
                    R"(, {"name": "unused", "static_spki_hashes": []})");
  EXPECT_FALSE(c.diags.has_errors()) << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "pinsets[1]", "\"unused\" is not used"));
}

TEST(ChecksPinsetTest, SinglePinWarns) {
  Checked c = Check(
      R"({"name": "a.com", "pins": "one"})",
      absl::StrCat(R"(, {"name": "one", "static_spki_hashes": [")",
                   SpkiHashToString(HashSpkiDer("x")), "\"]}"));
  EXPECT_TRUE(HasWarning(c.diags, "pinsets[1]", "no backup pin"));
}

TEST(ChecksPinsetTest, BadReportUri) {
  for (const char* uri : {"ftp://r.example/x", "https://", "r.example/report",
                          "https://r.example/a b", "javascript:alert(1)"}) {
    Checked c = Check(
        R"({"name": "a.com", "pins": "r"})",
        absl::StrCat(R"(, {"name": "r", "report_uri": ")", uri,
                     R"(", "static_spki_hashes": [")",
                     SpkiHashToString(HashSpkiDer("x")), "\", \"",
                     SpkiHashToString(HashSpkiDer("y")), "\"]}"));
    EXPECT_TRUE(HasError(c.diags, "pinsets[1].report_uri",
                         "is not an http:// or https:// URL"))
        << uri;
  }
}

TEST(ChecksPinsetTest, GoodReportUris) {
  for (const char* uri : {"https://r.example/x?y=1#z", "https://r.example:8443",
                          "https://[2001:db8::1]/r"}) {
    Checked c = Check(
        R"({"name": "a.com", "pins": "r"}, {"name": "b.com", "pins": "p"})",
        absl::StrCat(R"(, {"name": "r", "report_uri": ")", uri,
                     R"(", "static_spki_hashes": [")",
                     SpkiHashToString(HashSpkiDer("x")), "\", \"",
                     SpkiHashToString(HashSpkiDer("y")), "\"]}"));
    EXPECT_EQ(c.diags.all().size(), 0u) << uri << "\n" << Dump(c.diags);
  }
}

TEST(ChecksPinsetTest, PlainHttpReportUriWarns) {
  Checked c = Check(
      R"({"name": "a.com", "pins": "r"})",
      absl::StrCat(R"(, {"name": "r", "report_uri": "http://r.example/x",)",
                   R"( "static_spki_hashes": [")",
                   SpkiHashToString(HashSpkiDer("x")), "\", \"",
                   SpkiHashToString(HashSpkiDer("y")), "\"]}"));
  EXPECT_FALSE(c.diags.has_errors()) << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "pinsets[1].report_uri", "plain http"));
}

// ---- Lookup differences from Chromium ---------------------------------------

TEST(ChecksChromiumDifferenceTest, PinsOfCoveringAncestor) {
  // 2016: aladdinschools.appspot.com hides appspot.com's pins in Chromium.
  Checked c = Check(R"(
      {"name": "appspot.com", "include_subdomains": true, "pins": "p",
       "policy": "public-suffix"},
      {"name": "aladdinschools.appspot.com", "mode": "force-https"})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "pins differ from Chromium: subdomains of "
                         "\"aladdinschools.appspot.com\" get the pins of "
                         "\"appspot.com\" (entries[0])"));
  // The name itself has no pins in either (CheckEntriesShadowingPins).
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "entry \"aladdinschools.appspot.com\" has no pins"));
  EXPECT_EQ(c.diags.warning_count(), 2u) << Dump(c.diags);
}

TEST(ChecksChromiumDifferenceTest, HstsOfCoveringAncestorSkippingNonCovering) {
  Checked c = Check(R"(
      {"name": "example.com", "include_subdomains": true, "mode": "force-https"},
      {"name": "b.example.com", "mode": "force-https"},
      {"name": "a.b.example.com", "pins": "p"})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "HSTS differs from Chromium: subdomains of "
                         "\"b.example.com\" get force-https from "
                         "\"example.com\""));
  EXPECT_TRUE(HasWarning(c.diags, "entries[2]",
                         "HSTS differs from Chromium: subdomains of "
                         "\"a.b.example.com\" get force-https from "
                         "\"example.com\""));
  EXPECT_EQ(c.diags.warning_count(), 2u) << Dump(c.diags);
}

TEST(ChecksChromiumDifferenceTest, NoWarningWhenEntryCoversOrAncestorIsEmpty) {
  Checked c = Check(R"(
      {"name": "example.com", "include_subdomains": true, "pins": "p"},
      {"name": "a.example.com", "include_subdomains_for_pinning": true,
       "pins": "p"},
      {"name": "x.example.net", "include_subdomains": true},
      {"name": "y.x.example.net", "mode": "force-https"})");
  for (const Diagnostic& d : c.diags.all()) {
    EXPECT_FALSE(absl::StrContains(d.message, "differ")) << d.ToString();
  }
}

// ---- Other checks ------------------------------------------------------------

TEST(ChecksTest, ExclusionWithoutAncestorWarns) {
  Checked c = Check(R"({"name": "a.com", "pins": "p"},
                       {"name": "b.example.com", "exclude": true})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1].exclude",
                         "\"b.example.com\" has no effect"));
}

TEST(ChecksTest, ExclusionUnderWildcardIsUseful) {
  Checked c = Check(R"({"name": "*.example.com", "pins": "p"},
                       {"name": "b.example.com", "exclude": true})");
  EXPECT_EQ(c.diags.all().size(), 0u) << Dump(c.diags);
}

TEST(ChecksTest, IneffectivePinningFlag) {
  Checked c = Check(R"({"name": "a.com", "mode": "force-https",
                        "include_subdomains_for_pinning": true},
                       {"name": "b.com", "pins": "p", "include_subdomains": true,
                        "include_subdomains_for_pinning": true})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[0].include_subdomains_for_pinning",
                         "no effect"));
  EXPECT_TRUE(HasWarning(c.diags, "entries[1].include_subdomains_for_pinning",
                         "redundant"));
}

// ---- Entries without pins that shadow pinned ones ------------------------

TEST(ChecksShadowTest, WildcardWithoutPinsUnpinsHostsFromPinnedAncestor) {
  Checked c = Check(R"(
      {"name": "example.com", "pins": "p", "include_subdomains": true},
      {"name": "*.w.example.com", "mode": "force-https"})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "entry \"*.w.example.com\" has no pins, so the hosts "
                         "it matches (x.w.example.com) lose the pins of "
                         "\"example.com\" (entries[0], pinset p)"))
      << Dump(c.diags);
  EXPECT_EQ(c.diags.warning_count(), 1u) << Dump(c.diags);
}

TEST(ChecksShadowTest, ExactEntryWithoutPinsUnderPinnedAncestor) {
  Checked c = Check(R"(
      {"name": "example.com", "pins": "p", "include_subdomains_for_pinning": true},
      {"name": "a.example.com", "mode": "force-https"},
      {"name": "b.example.com", "mode": "force-https", "include_subdomains": true})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "entry \"a.example.com\" has no pins, so "
                         "\"a.example.com\" loses the pins of \"example.com\""))
      << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "entries[2]",
                         "\"b.example.com\" and its subdomains lose the pins"))
      << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "entries[2]", "add \"pins\": \"p\""));
}

TEST(ChecksShadowTest, ExactEntryWithoutPinsUnderPinnedWildcard) {
  Checked c = Check(R"(
      {"name": "*.example.org", "pins": "p"},
      {"name": "www.example.org", "mode": "force-https"})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "loses the pins of \"*.example.org\" (entries[0]"))
      << Dump(c.diags);
}

TEST(ChecksShadowTest, NoWarningWithoutPinnedDeciderOrForExclusions) {
  Checked c = Check(R"(
      {"name": "example.com", "pins": "p"},
      {"name": "a.example.com", "mode": "force-https"},
      {"name": "*.w.example.com", "mode": "force-https"},
      {"name": "pinned.example.net", "pins": "p", "include_subdomains": true},
      {"name": "open.pinned.example.net", "exclude": true},
      {"name": "deep.x.pinned.example.net", "pins": "p"},
      {"name": "hsts.example.net", "mode": "force-https", "include_subdomains": true},
      {"name": "a.hsts.example.net", "mode": "force-https"})");
  // example.com does not cover its subdomains; the exclusion is explicit;
  // hsts.example.net has no pins to lose. (Other checks warn about the
  // Chromium lookup differences here.)
  for (const Diagnostic& d : c.diags.all()) {
    EXPECT_FALSE(absl::StrContains(d.message, "has no pins")) << d.ToString();
  }
}

TEST(ChecksTest, LongMaxAgeWarns) {
  PinListModel model;
  model.list.max_age_days = 4000;
  Diagnostics diags;
  CheckPinList("l.json", &model, &diags);
  EXPECT_TRUE(HasWarning(diags, "list.max_age_days", "4000 days"));
}

TEST(ChecksTest, ManyErrorsInOneRun) {
  Checked c = Check(R"(
      {"name": "", "pins": "p"},
      {"name": "a.*.com", "pins": "p"},
      {"name": "*.com", "pins": "p"},
      {"name": "*.ok.example", "pins": "p", "include_subdomains": true},
      {"name": "UPPER.example.com", "pins": "p"},
      {"name": "dot.example.com.", "pins": "p"},
      {"name": "10.0.0.1", "pins": "p"},
      {"name": "dup.example.com", "pins": "p"},
      {"name": "dup.example.com", "pins": "p"})");
  EXPECT_EQ(c.diags.error_count(), 8u) << Dump(c.diags);
}

// ---- Real Chromium lists ------------------------------------------------------

struct RealList {
  PinListModel model;
  Diagnostics diags;
};

RealList CheckRealList(absl::string_view year) {
  RealList r;
  const std::string dir = absl::StrCat("chromium-", year);
  const std::string pins_path =
      SharedDataPath(dir + "/transport_security_state_static.pins");
  const std::string json_path =
      SharedDataPath(dir + "/transport_security_state_static.json");
  absl::StatusOr<std::string> pins_text = ReadFileToString(pins_path);
  absl::StatusOr<std::string> json_text = ReadFileToString(json_path);
  EXPECT_TRUE(pins_text.ok()) << pins_text.status();
  EXPECT_TRUE(json_text.ok()) << json_text.status();
  if (!pins_text.ok() || !json_text.ok()) return r;
  PinsFile pins = ParsePinsFile(*pins_text, pins_path, &r.diags);
  r.model = ParsePinListJson(*json_text, json_path, &pins, &r.diags);
  CheckPinList(json_path, &r.model, &r.diags);
  return r;
}

std::string Errors(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all()) {
    if (d.severity == Severity::kError) absl::StrAppend(&out, d.ToString(), "\n");
  }
  return out;
}

const HostEntry* FindEntry(const PinListModel& model, absl::string_view name) {
  for (const HostEntry& e : model.entries) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

void PrintWarnings(absl::string_view year, const Diagnostics& diags) {
  std::cout << year << " list: " << diags.warning_count() << " warnings\n";
  for (const Diagnostic& d : diags.all()) std::cout << "  " << d.ToString() << "\n";
}

TEST(ChecksRealListTest, Chromium2016) {
  RealList r = CheckRealList("2016");
  EXPECT_EQ(r.diags.error_count(), 0u) << Errors(r.diags);
  EXPECT_EQ(r.model.entries.size(), 13398u);  // 13399 minus 0xAA55.me.
  EXPECT_EQ(r.model.pinsets.size(), 10u);
  EXPECT_EQ(FindEntry(r.model, "0xAA55.me"), nullptr);
  EXPECT_TRUE(HasWarning(r.diags, "entries[12577].name",
                         "duplicates \"0xaa55.me\" (entries[12578])"));
  const HostEntry* learn = FindEntry(r.model, "learn.doubleclick.net");
  ASSERT_NE(learn, nullptr);
  EXPECT_TRUE(HasWarning(r.diags, learn->location, "\"exclude\": true"));
  const HostEntry* aladdin = FindEntry(r.model, "aladdinschools.appspot.com");
  ASSERT_NE(aladdin, nullptr);
  EXPECT_TRUE(HasWarning(r.diags, aladdin->location,
                         "pins differ from Chromium: subdomains of "
                         "\"aladdinschools.appspot.com\" get the pins of "
                         "\"appspot.com\""));
  PrintWarnings("2016", r.diags);
}

TEST(ChecksRealListTest, Chromium2017) {
  RealList r = CheckRealList("2017");
  EXPECT_EQ(r.diags.error_count(), 0u) << Errors(r.diags);
  EXPECT_EQ(r.model.entries.size(), 33067u);
  EXPECT_EQ(r.model.pinsets.size(), 11u);
  const HostEntry* learn = FindEntry(r.model, "learn.doubleclick.net");
  ASSERT_NE(learn, nullptr);
  EXPECT_TRUE(HasWarning(r.diags, learn->location, "\"exclude\": true"));
  const HostEntry* aladdin = FindEntry(r.model, "aladdinschools.appspot.com");
  ASSERT_NE(aladdin, nullptr);
  EXPECT_TRUE(HasWarning(r.diags, aladdin->location,
                         "get the pins of \"appspot.com\""));
  PrintWarnings("2017", r.diags);
}

}  // namespace
}  // namespace pinbake

namespace pinbake {
namespace {

// Scale: the checks are O(n * labels); a list of a million entries takes seconds; 200k
// here keeps the test quick in an unoptimised build.
TEST(ChecksScaleTest, ManyEntries) {
  PinListModel model;
  model.pinsets.push_back(Pinset{"p", {HashSpkiDer("1"), HashSpkiDer("2")}, {},
                                 "", "pinsets[0]"});
  model.entries.reserve(200000);
  for (size_t i = 0; i < 200000; ++i) {
    HostEntry e;
    e.name = absl::StrCat("h", i, ".s", i % 1000, ".example.com");
    e.location = absl::StrCat("entries[", i, "]");
    e.force_https = true;
    e.include_subdomains = i % 2 == 0;
    if (i % 100 == 0) e.pinset = "p";
    model.entries.push_back(std::move(e));
  }
  Diagnostics diags;
  absl::Time start = absl::Now();
  CheckPinList("big.json", &model, &diags);
  std::cout << "200k entries checked in " << (absl::Now() - start) << "\n";
  EXPECT_EQ(diags.error_count(), 0u);
  EXPECT_EQ(model.entries.size(), 200000u);
}

TEST(ChecksNameTest, ULabelsAreRefusedWithTheALabelAsTheFix) {
  Checked c = Check(R"({"name": "bücher.shop.test", "pins": "p"},
                       {"name": "*.bücher.test", "pins": "p"},
                       {"name": "a\u2603.test", "pins": "p"})");
  EXPECT_TRUE(HasError(c.diags, "entries[0].name",
                       "\"bücher.shop.test\" has U-labels (Unicode)"));
  EXPECT_EQ(c.diags.all()[0].fix,
            "write \"xn--bcher-kva.shop.test\", or compile with --idn to "
            "convert it");
  EXPECT_TRUE(HasError(c.diags, "entries[1].name", "has U-labels"));
  EXPECT_EQ(c.diags.all()[1].fix,
            "write \"*.xn--bcher-kva.test\", or compile with --idn to "
            "convert it");
  // U+2603 (a snowman) is not allowed by IDNA2008: libidn2's reason, no fix.
  EXPECT_TRUE(HasError(c.diags, "entries[2].name",
                       "is not ASCII and not a valid internationalised host "
                       "name"));
  EXPECT_EQ(c.diags.all()[2].fix, "");
}

// ---- Moved from the parser (compiler/list_parser_test.cc) ----------------

TEST(ChecksPinsetTest, DuplicatePinset) {
  const std::string pin = SpkiHashToString(HashSpkiDer("a"));
  Checked c = Check(R"({"name": "a.com", "pins": "p"})",
                    absl::StrCat(R"(, {"name": "p", "static_spki_hashes": [")",
                                 pin, R"("]})"));
  EXPECT_TRUE(HasError(c.diags, "pinsets[1].name",
                       "duplicate pinset \"p\" (first at pinsets[0])"));
  // Reported once: not also as an unused pinset with a single pin.
  EXPECT_EQ(c.diags.all().size(), 1u) << Dump(c.diags);
}

TEST(ChecksExclusionTest, ExcludeWithPins) {
  Checked c = Check(R"({"name": "example.com", "pins": "p", "exclude": true})");
  EXPECT_TRUE(HasError(c.diags, "entries[0].exclude",
                       "only allowed on an entry without \"pins\" and \"mode\""));
}

TEST(ChecksExclusionTest, ExcludeWithMode) {
  Checked c = Check(R"({"name": "a.com", "mode": "force-https",
                        "exclude": true}, {"name": "b.com", "pins": "p"})");
  EXPECT_TRUE(HasError(c.diags, "entries[0].exclude", "only allowed"));
}

TEST(ChecksExclusionTest, EntryWithoutPinsOrModeIsExclusionWithWarning) {
  Checked c;
  c.model = ParsePinListJson(R"({"entries": [
      {"name": "a.example.com", "include_subdomains": true},
      {"name": "b.example.com", "expect_ct": true,
       "expect_ct_report_uri": "https://r.example"},
      {"name": "c.example.com", "exclude": true}]})",
                             "list.json", nullptr, &c.diags);
  CheckPinList("list.json", &c.model, &c.diags);
  EXPECT_FALSE(c.diags.has_errors()) << Dump(c.diags);
  EXPECT_TRUE(HasWarning(c.diags, "entries[0]", "\"exclude\": true"));
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]", "\"exclude\": true"));
  size_t exclusion_warnings = 0;
  for (const Diagnostic& d : c.diags.all()) {
    exclusion_warnings += absl::StrContains(d.message, "write \"exclude\": true");
  }
  EXPECT_EQ(exclusion_warnings, 2u) << Dump(c.diags);
  ASSERT_EQ(c.model.entries.size(), 3u);
  EXPECT_FALSE(c.model.entries[0].has_pins());
  EXPECT_FALSE(c.model.entries[0].force_https);
}

TEST(ChecksExclusionTest, ImplicitExclusionIsWarned) {
  Checked c = Check(R"({"name": "a.com", "pins": "p", "include_subdomains": true},
                       {"name": "x.a.com", "expect_ct": true})");
  EXPECT_TRUE(HasWarning(c.diags, "entries[1]",
                         "\"x.a.com\" has neither \"pins\" nor \"mode\""));
}

}  // namespace
}  // namespace pinbake
