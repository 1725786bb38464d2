#include "compiler/list_parser.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "compiler/diagnostics.h"
#include "compiler/file_util.h"
#include "compiler/pins_file_parser.h"
#include "gtest/gtest.h"
#include "format/spki_hash.h"
#include "testing/diagnostics_matchers.h"
#include "testing/shared_data.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace {

// A valid pin literal, distinct per `seed`.
std::string Pin(absl::string_view seed) {
  return SpkiHashToString(HashSpkiDer(seed));
}

struct Parsed {
  PinListModel model;
  Diagnostics diags;
};

Parsed Parse(absl::string_view json, const PinsFile* pins = nullptr,
             const std::string& path = "dir/list.json") {
  Parsed p;
  p.model = ParsePinListJson(json, path, pins, &p.diags);
  return p;
}

// A list with one pinset "p" (pins `pins_json`, a JSON array body) used by
// one entry, plus `extra_entry_fields` on that entry.
std::string OnePinsetList(absl::string_view pins_json,
                          absl::string_view pinset_extra = "",
                          absl::string_view extra_entry_fields = "") {
  return absl::StrCat(
      R"({"pinsets": [{"name": "p", "static_spki_hashes": [)", pins_json, "]",
      pinset_extra, R"(}], "entries": [{"name": "example.com", "pins": "p")",
      extra_entry_fields, "}]}");
}

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

void WriteFile(const std::string& path, absl::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  ASSERT_TRUE(out.good()) << path;
}

// ---- Well-formed input ---------------------------------------------------

TEST(ListParserTest, ParsesAllFeatures) {
  const std::string good1 = Pin("1"), good2 = Pin("2"), bad = Pin("3");
  Parsed p = Parse(absl::StrCat(R"(
// A comment, as in Chromium's files.
{
  "list": {"version": 7, "timestamp": "2017-08-16T00:00:00Z",
           "max_age_days": 30},
  "keys": {"Backup": ")", good2, R"("},
  "pinsets": [
    {"name": "p", "static_spki_hashes": [")", good1, R"(", "Backup"],
     "bad_static_spki_hashes": [")", bad, R"("],
     "report_uri": "https://r.example/x"}
  ],
  "entries": [
    {"name": "example.com", "include_subdomains": true, "mode": "force-https",
     "pins": "p", "pin_mode": "report-only", "policy": "custom"},
    {"name": "*.example.org", "pins": "p"},
    {"name": "no.example.com", "exclude": true, "include_subdomains": true},
    {"name": "com", "policy": "public-suffix", "mode": "force-https",
     "include_subdomains_for_pinning": false, "expect_ct": true,
     "expect_ct_report_uri": "https://x", "expect_staple": false,
     "expect_staple_report_uri": "https://y",
     "include_subdomains_for_expect_staple": true}
  ]
})"));
  ASSERT_EQ(p.diags.all().size(), 0u) << Dump(p.diags);
  EXPECT_EQ(p.model.list.version, 7u);
  EXPECT_EQ(p.model.list.timestamp, 1502841600);
  EXPECT_EQ(p.model.list.max_age_days, 30);
  ASSERT_EQ(p.model.pinsets.size(), 1u);
  const Pinset& ps = p.model.pinsets[0];
  EXPECT_EQ(ps.name, "p");
  EXPECT_EQ(ps.location, "pinsets[0]");
  ASSERT_EQ(ps.good.size(), 2u);
  EXPECT_EQ(SpkiHashToString(ps.good[0]), good1);
  EXPECT_EQ(SpkiHashToString(ps.good[1]), good2);
  ASSERT_EQ(ps.bad.size(), 1u);
  EXPECT_EQ(SpkiHashToString(ps.bad[0]), bad);
  EXPECT_EQ(ps.report_uri, "https://r.example/x");
  ASSERT_EQ(p.model.entries.size(), 4u);
  const HostEntry& e0 = p.model.entries[0];
  EXPECT_EQ(e0.name, "example.com");
  EXPECT_EQ(e0.location, "entries[0]");
  EXPECT_TRUE(e0.include_subdomains);
  EXPECT_TRUE(e0.force_https);
  EXPECT_EQ(e0.pinset, "p");
  EXPECT_EQ(e0.pin_mode, PinMode::kReportOnly);
  EXPECT_FALSE(e0.public_suffix_policy);
  EXPECT_TRUE(p.model.entries[1].is_wildcard());
  EXPECT_EQ(p.model.entries[1].pin_mode, PinMode::kEnforce);
  EXPECT_TRUE(p.model.entries[2].exclude);
  EXPECT_TRUE(p.model.entries[3].public_suffix_policy);
  EXPECT_EQ(p.model.entries[3].location, "entries[3]");
}

TEST(ListParserTest, DefaultsAndUnixTimestamp) {
  Parsed p = Parse(R"({"list": {"timestamp": 1500000000}, "entries": []})");
  ASSERT_FALSE(p.diags.has_errors()) << Dump(p.diags);
  EXPECT_EQ(p.model.list.timestamp, 1500000000);
  EXPECT_EQ(p.model.list.max_age_days, kDefaultMaxAgeDays);
  EXPECT_EQ(p.model.list.version, 0u);
}

TEST(ListParserTest, SplitPinsOnlyFormat) {
  // Chromium 2022+ transport_security_state_static_pins.json shape.
  Parsed p = Parse(absl::StrCat(R"({
    "pinsets": [{"name": "google", "static_spki_hashes": [")", Pin("g"),
                                R"(", ")", Pin("h"), R"("]}],
    "entries": [{"name": "google.com", "pins": "google",
                 "include_subdomains": true}]})"));
  EXPECT_EQ(p.diags.all().size(), 0u) << Dump(p.diags);
  EXPECT_EQ(p.model.entries.size(), 1u);
}

TEST(ListParserTest, PinsFileKeysAndTimestamp) {
  PinsFile pins;
  pins.keys["Leaf"] = PinsFileKey{HashSpkiDer("leaf"), 3};
  pins.timestamp = 1600000000;
  Parsed p = Parse(OnePinsetList(R"("Leaf")"), &pins);
  ASSERT_FALSE(p.diags.has_errors()) << Dump(p.diags);
  ASSERT_EQ(p.model.pinsets[0].good.size(), 1u);
  EXPECT_EQ(p.model.pinsets[0].good[0], HashSpkiDer("leaf"));
  EXPECT_EQ(p.model.list.timestamp, 1600000000);
}

TEST(ListParserTest, PemFileKeys) {
  const std::string dir = TempDir();
  TestCert cert = MakeRootCa("pem test");
  WriteFile(dir + "/cert.pem", cert.pem);
  WriteFile(dir + "/key.pem", cert.pubkey_pem);
  Parsed p = Parse(
      R"({"keys": {"C": {"pem_file": "cert.pem"}, "K": {"pem_file": "key.pem"}},
          "pinsets": [{"name": "p", "static_spki_hashes": ["C", "K"]}],
          "entries": [{"name": "example.com", "pins": "p"}]})",
      nullptr, dir + "/list.json");
  ASSERT_FALSE(p.diags.has_errors()) << Dump(p.diags);
  // Same key twice: the second is a duplicate.
  EXPECT_TRUE(HasWarning(p.diags, "pinsets[0].static_spki_hashes[1]",
                         "duplicate pin"));
  ASSERT_EQ(p.model.pinsets[0].good.size(), 1u);
  EXPECT_EQ(p.model.pinsets[0].good[0], cert.spki_hash);
}

TEST(ListParserTest, DuplicatePinIsWarnedAndDeduplicated) {
  const std::string a = Pin("a");
  Parsed p = Parse(OnePinsetList(absl::StrCat("\"", a, "\", \"", Pin("b"),
                                              "\", \"", a, "\"")));
  EXPECT_FALSE(p.diags.has_errors()) << Dump(p.diags);
  EXPECT_TRUE(HasWarning(p.diags, "pinsets[0].static_spki_hashes[2]",
                         "same key as pinsets[0].static_spki_hashes[0]"));
  EXPECT_EQ(p.model.pinsets[0].good.size(), 2u);
}

// ---- Malformed input ----------------------------------------------------

TEST(ListParserErrorTest, JsonSyntaxErrorHasLineAndColumn) {
  Parsed p = Parse("{\n  \"entries\": [\n    {\"name\": x}\n  ]\n}");
  ASSERT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
  EXPECT_TRUE(HasError(p.diags, "3:14", "syntax error"));
  EXPECT_EQ(p.diags.all()[0].ToString().rfind("dir/list.json:3:14: error: ", 0),
            0u)
      << p.diags.all()[0].ToString();
}

TEST(ListParserErrorTest, JsonSyntaxErrorAfterComments) {
  Parsed p = Parse("// c1\n// c2\n{\"entries\": [],}\n");
  EXPECT_TRUE(HasError(p.diags, "3:16", "syntax error"));
}

TEST(ListParserErrorTest, TruncatedJson) {
  Parsed p = Parse("{\"entries\": [");
  EXPECT_TRUE(HasError(p.diags, "1:14", "unexpected end of input"));
}

TEST(ListParserErrorTest, RootNotObject) {
  Parsed p = Parse("[1, 2]");
  EXPECT_TRUE(HasError(p.diags, "", "must be a JSON object"));
}

TEST(ListParserErrorTest, DuplicateJsonKey) {
  Parsed p = Parse(R"({"entries": [{"name": "a.com", "mode": "force-https",
                                    "name": "b.com"}]})");
  // At the second "name", naming the object and the first one.
  EXPECT_TRUE(HasError(p.diags, "2:37",
                       "duplicate key \"name\" in object entries[0] (first "
                       "at 1:15)"));
}

TEST(ListParserErrorTest, UnknownTopLevelKey) {
  Parsed p = Parse(R"({"entries": [], "timestamp": 5})");
  EXPECT_TRUE(HasError(p.diags, "timestamp", "unknown top-level key \"timestamp\""));
}

TEST(ListParserErrorTest, MissingEntries) {
  Parsed p = Parse(R"({"pinsets": []})");
  EXPECT_TRUE(HasError(p.diags, "", "no top-level \"entries\""));
}

TEST(ListParserErrorTest, UnknownEntryKey) {
  Parsed p = Parse(R"({"entries": [{"name": "a.com", "mode": "force-https"},
                                   {"name": "b.com", "mode": "force-https",
                                    "include_subdomain": true}]})");
  EXPECT_TRUE(HasError(p.diags, "entries[1].include_subdomain",
                       "unknown key \"include_subdomain\""));
}

TEST(ListParserErrorTest, UnknownPinsetKey) {
  Parsed p = Parse(OnePinsetList(absl::StrCat("\"", Pin("a"), "\""),
                                 R"(, "static_spki_hash": [])"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hash",
                       "unknown key \"static_spki_hash\""));
}

TEST(ListParserErrorTest, EntryMissingName) {
  Parsed p = Parse(R"({"entries": [{"mode": "force-https"}]})");
  EXPECT_TRUE(HasError(p.diags, "entries[0]", "no \"name\""));
}

TEST(ListParserErrorTest, BadBase64) {
  Parsed p = Parse(OnePinsetList(
      R"("sha256/!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]", "base64"));
}

TEST(ListParserErrorTest, Hash31Bytes) {
  // base64 of 31 bytes: 44 characters ending in "==".
  Parsed p = Parse(OnePinsetList(
      R"("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]",
                       "exactly 32 bytes"));
}

TEST(ListParserErrorTest, Hash33Bytes) {
  // base64 of 33 bytes: 44 characters, no padding.
  Parsed p = Parse(OnePinsetList(
      R"("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]",
                       "exactly 32 bytes"));
}

TEST(ListParserErrorTest, MissingSha256Prefix) {
  std::string pin = Pin("x").substr(kSpkiHashPrefix.size());
  Parsed p = Parse(OnePinsetList(absl::StrCat("\"", pin, "\"")));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]",
                       "must start with \"sha256/\""));
}

TEST(ListParserErrorTest, Sha1PinRejected) {
  Parsed p = Parse(OnePinsetList(R"("sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=")"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]",
                       "sha1/ pins are not supported"));
}

TEST(ListParserErrorTest, PinNotAString) {
  Parsed p = Parse(OnePinsetList("42"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]",
                       "must be a string"));
}

TEST(ListParserErrorTest, UnknownPinset) {
  Parsed p = Parse(R"({"entries": [{"name": "a.com", "pins": "nope"}]})");
  EXPECT_TRUE(HasError(p.diags, "entries[0].pins", "unknown pinset \"nope\""));
}

TEST(ListParserErrorTest, UnknownKeyName) {
  PinsFile pins;
  pins.keys["Known"] = PinsFileKey{HashSpkiDer("k"), 1};
  Parsed p = Parse(OnePinsetList(R"("Known", "Unknwon")"), &pins);
  EXPECT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[1]",
                       "unknown key name \"Unknwon\""));
}

TEST(ListParserErrorTest, GoodAndBadOverlap) {
  const std::string a = Pin("a");
  Parsed p = Parse(OnePinsetList(
      absl::StrCat("\"", Pin("b"), "\", \"", a, "\""),
      absl::StrCat(R"(, "bad_static_spki_hashes": [")", a, "\"]")));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].bad_static_spki_hashes[0]",
                       "both good (static_spki_hashes[1]) and bad"));
}

TEST(ListParserErrorTest, KeyDefinedInKeysAndPinsFile) {
  PinsFile pins;
  pins.keys["Twice"] = PinsFileKey{HashSpkiDer("t"), 12};
  Parsed p = Parse(absl::StrCat(R"({"keys": {"Twice": ")", Pin("t"), R"("},
      "entries": []})"),
                   &pins);
  EXPECT_TRUE(HasError(p.diags, "keys.Twice",
                       "defined both in \"keys\" and in the .pins file (line 12)"));
}

TEST(ListParserErrorTest, BadKeyValue) {
  Parsed p = Parse(R"({"keys": {"A": "sha256/short=", "B": 3, "C": {"pem": "x"}},
                      "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "keys.A", "exactly 32 bytes"));
  EXPECT_TRUE(HasError(p.diags, "keys.B", "must be a \"sha256/...\" string"));
  EXPECT_TRUE(HasError(p.diags, "keys.C.pem", "unknown key \"pem\""));
}

TEST(ListParserErrorTest, PemFileUnreadable) {
  const std::string dir = TempDir();
  Parsed p = Parse(R"({"keys": {"K": {"pem_file": "does-not-exist.pem"}},
                      "pinsets": [{"name": "p", "static_spki_hashes": ["K"]}],
                      "entries": [{"name": "a.com", "pins": "p"}]})",
                   nullptr, dir + "/list.json");
  // One error only: the pin naming K is not reported again.
  EXPECT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       absl::StrCat("cannot read pem_file \"", dir,
                                    "/does-not-exist.pem\"")));
}

TEST(ListParserErrorTest, PemFileGarbage) {
  const std::string dir = TempDir();
  WriteFile(dir + "/garbage.pem", "this is not PEM\n");
  Parsed p = Parse(R"({"keys": {"K": {"pem_file": "garbage.pem"}},
                      "entries": []})",
                   nullptr, dir + "/list.json");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       absl::StrCat("pem_file \"", dir, "/garbage.pem\"")));
}

TEST(ListParserErrorTest, PemFileWithTwoKeys) {
  const std::string dir = TempDir();
  WriteFile(dir + "/two.pem",
            MakeRootCa("one").pem + MakeRootCa("two").pubkey_pem);
  Parsed p = Parse(R"({"keys": {"K": {"pem_file": "two.pem"}},
                      "entries": []})",
                   nullptr, dir + "/list.json");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       "exactly one certificate or public key, found 2"));
}

// ---- pem_file: regular files only, bounded, and --pem-root --------------
// (issue 10 item 14)

// A list with key K = {"pem_file": pem_file}, used by one pinned entry.
std::string PemFileList(absl::string_view pem_file) {
  return absl::StrCat(R"({"keys": {"K": {"pem_file": ")", pem_file,
                      R"("}}, "pinsets": [{"name": "p", "static_spki_hashes":)",
                      R"( ["K"]}], "entries": [{"name": "a.com", "pins": "p"}]})");
}

// A fresh directory under TempDir() named `name`.
std::string FreshDir(absl::string_view name) {
  const std::string dir = absl::StrCat(TempDir(), "/", name);
  mkdir(dir.c_str(), 0755);
  return dir;
}

TEST(ListParserPemFileTest, DevZeroIsRefusedNotRead) {
  // Before: read until memory ran out.
  Parsed p = Parse(PemFileList("/dev/zero"), nullptr, TempDir() + "/list.json");
  EXPECT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       "cannot read pem_file \"/dev/zero\": not a regular "
                       "file (a character device)"));
}

TEST(ListParserPemFileTest, FifoIsRefusedWithoutBlocking) {
  // Before: open() blocked forever waiting for a writer.
  const std::string dir = FreshDir("fifo");
  ASSERT_EQ(mkfifo((dir + "/key.pem").c_str(), 0600), 0);
  Parsed p = Parse(PemFileList("key.pem"), nullptr, dir + "/list.json");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       absl::StrCat("cannot read pem_file \"", dir,
                                    "/key.pem\": not a regular file (a FIFO)")));
}

TEST(ListParserPemFileTest, DirectoryIsRefused) {
  const std::string dir = FreshDir("dir_as_pem");
  FreshDir("dir_as_pem/sub.pem");
  Parsed p = Parse(PemFileList("sub.pem"), nullptr, dir + "/list.json");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       "not a regular file (a directory)"));
}

TEST(ListParserPemFileTest, OversizeFileIsRefused) {
  // Before: read whole, then failed (or not) as PEM.
  const std::string dir = FreshDir("big");
  TestCert cert = MakeRootCa("big pem");
  std::string big = cert.pem;
  big.resize(2 << 20, '\n');  // 2 MiB: a valid PEM block then blank lines.
  WriteFile(dir + "/big.pem", big);
  Parsed p = Parse(PemFileList("big.pem"), nullptr, dir + "/list.json");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       absl::StrCat("cannot read pem_file \"", dir,
                                    "/big.pem\": 2097152 bytes, more than "
                                    "the limit of 1048576")));
  // At the limit it is read.
  big.resize(kMaxPemFileBytes);
  WriteFile(dir + "/big.pem", big);
  Parsed ok = Parse(PemFileList("big.pem"), nullptr, dir + "/list.json");
  EXPECT_FALSE(ok.diags.has_errors()) << Dump(ok.diags);
}

class ListParserPemRootTest : public testing::Test {
 protected:
  void SetUp() override {
    base_ = FreshDir("pem_root_test");
    root_ = FreshDir("pem_root_test/root");
    FreshDir("pem_root_test/root/keys");
    cert_ = MakeRootCa("pem root");
    WriteFile(root_ + "/keys/k.pem", cert_.pem);
    WriteFile(base_ + "/outside.pem", cert_.pem);
  }

  Parsed ParseUnderRoot(absl::string_view pem_file) {
    Parsed p;
    PemFileOptions options;
    options.root = root_;
    // The list lives elsewhere: pem_file is relative to the root.
    p.model = ParsePinListJson(PemFileList(pem_file), base_ + "/list.json",
                               nullptr, &p.diags, options);
    return p;
  }

  std::string base_;
  std::string root_;
  TestCert cert_;
};

TEST_F(ListParserPemRootTest, RelativePathInsideRootIsRead) {
  for (const char* path : {"keys/k.pem", "./keys//k.pem", "keys/../keys/k.pem"}) {
    Parsed p = ParseUnderRoot(path);
    ASSERT_FALSE(p.diags.has_errors()) << path << "\n" << Dump(p.diags);
    ASSERT_EQ(p.model.pinsets.size(), 1u);
    EXPECT_EQ(p.model.pinsets[0].good[0], cert_.spki_hash) << path;
  }
}

TEST_F(ListParserPemRootTest, DotDotLeavingRootIsRefused) {
  for (const char* path : {"../outside.pem", "keys/../../outside.pem"}) {
    Parsed p = ParseUnderRoot(path);
    EXPECT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
    EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                         absl::StrCat("(--pem-root): \"..\" leaves the "
                                      "directory ", root_)))
        << path;
  }
}

TEST_F(ListParserPemRootTest, AbsolutePathIsRefused) {
  // Refused before the file system is looked at: the same message whether
  // the file exists or not.
  for (const std::string& path : {base_ + "/outside.pem", std::string("/nope")}) {
    Parsed p = ParseUnderRoot(path);
    EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                         absl::StrCat("(--pem-root): an absolute path; give a "
                                      "path relative to ", root_)))
        << path;
  }
}

TEST_F(ListParserPemRootTest, SymlinkOutOfRootIsRefused) {
  ASSERT_EQ(symlink((base_ + "/outside.pem").c_str(),
                    (root_ + "/link.pem").c_str()), 0);
  ASSERT_EQ(symlink(base_.c_str(), (root_ + "/dirlink").c_str()), 0);
  Parsed p = ParseUnderRoot("link.pem");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       "\"link.pem\" is a symlink (not followed below"));
  Parsed d = ParseUnderRoot("dirlink/outside.pem");
  EXPECT_TRUE(HasError(d.diags, "keys.K.pem_file",
                       "\"dirlink\" is a symlink (not followed below"));
}

TEST_F(ListParserPemRootTest, MissingFileIsNamed) {
  Parsed p = ParseUnderRoot("keys/none.pem");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file",
                       absl::StrCat("cannot read pem_file \"", root_,
                                    "/keys/none.pem\" (--pem-root): open: No "
                                    "such file or directory")));
}

// Issue 10 item 15, through the parser's public entry point: 20,000
// duplicate keys under 3,000 levels of nesting took seconds to report
// (20,000 errors with 3,000-level paths); now one located depth error.
TEST(ListParserErrorTest, DeepNestingWithDuplicatesIsOneLocatedError) {
  std::string text = "{\"entries\": [], \"x\": ";
  for (int i = 0; i < 3000; ++i) text += "{\"a\":";
  text += "{";
  for (int i = 0; i < 20000; ++i) absl::StrAppend(&text, i ? "," : "", "\"k\":0");
  text += "}";
  for (int i = 0; i < 3000; ++i) text += "}";
  text += "}";
  Parsed p = Parse(text);
  ASSERT_EQ(p.diags.error_count(), 1u) << Dump(p.diags).substr(0, 2000);
  // The 64th "{" after the root's: column 21 + 5 * 63 + 1.
  EXPECT_TRUE(HasError(p.diags, absl::StrCat("1:", 21 + 5 * 63 + 1),
                       "nesting deeper than 64 arrays and objects"));
}

TEST(ListParserErrorTest, PinModeWithoutPins) {
  Parsed p = Parse(R"({"entries": [{"name": "a.com", "mode": "force-https",
                                    "pin_mode": "enforce"}]})");
  EXPECT_TRUE(HasError(p.diags, "entries[0].pin_mode",
                       "\"pin_mode\" without \"pins\""));
}

TEST(ListParserErrorTest, BadPinModeValue) {
  Parsed p = Parse(OnePinsetList(absl::StrCat("\"", Pin("a"), "\""), "",
                                 R"(, "pin_mode": "report_only")"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].pin_mode",
                       "unknown pin_mode \"report_only\""));
}

TEST(ListParserErrorTest, BadModeValue) {
  Parsed p = Parse(R"({"entries": [{"name": "a.com", "mode": "force_https"}]})");
  EXPECT_TRUE(HasError(p.diags, "entries[0].mode", "unknown mode \"force_https\""));
  // A bad mode is still a mode: no exclusion warning on top.
  EXPECT_EQ(p.diags.warning_count(), 0u) << Dump(p.diags);
}

TEST(ListParserErrorTest, WrongTypes) {
  Parsed p = Parse(R"({"entries": [{"name": "a.com", "mode": "force-https",
      "include_subdomains": "yes", "include_subdomains_for_pinning": 1,
      "expect_ct": "true", "expect_staple_report_uri": false,
      "policy": 3, "exclude": null}, {"name": 5}, "c.com"],
      "pinsets": {}})");
  EXPECT_TRUE(HasError(p.diags, "entries[0].include_subdomains",
                       "must be a boolean (true or false), got string"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].include_subdomains_for_pinning",
                       "must be a boolean"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].expect_ct", "must be a boolean"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].expect_staple_report_uri",
                       "must be a string"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].policy", "must be a string"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].exclude", "got null"));
  EXPECT_TRUE(HasError(p.diags, "entries[1].name", "must be a string, got number"));
  EXPECT_TRUE(HasError(p.diags, "entries[2]", "must be an object, got string"));
  EXPECT_TRUE(HasError(p.diags, "pinsets", "must be an array, got object"));
  EXPECT_EQ(p.diags.error_count(), 9u) << Dump(p.diags);
}

TEST(ListParserErrorTest, ListVersionNegative) {
  Parsed p = Parse(R"({"list": {"version": -1}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.version",
                       "must be a non-negative integer, got a negative number"));
}

TEST(ListParserErrorTest, ListVersionString) {
  Parsed p = Parse(R"({"list": {"version": "3"}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.version",
                       "must be a non-negative integer, got string"));
}

TEST(ListParserErrorTest, ListVersionFloat) {
  Parsed p = Parse(R"({"list": {"version": 1.5}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.version", "got number"));
}

TEST(ListParserErrorTest, ListTimestampUnparsable) {
  Parsed p = Parse(R"({"list": {"timestamp": "2017-08-16 00:00"}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.timestamp", "is not an RFC 3339 time"));
}

TEST(ListParserErrorTest, ListTimestampNegative) {
  Parsed p = Parse(R"({"list": {"timestamp": -5}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.timestamp", "must not be negative"));
}

TEST(ListParserErrorTest, ListTimestampDiffersFromPinsFile) {
  PinsFile pins;
  pins.timestamp = 1600000000;
  Parsed p = Parse(R"({"list": {"timestamp": 1600000001}, "entries": []})", &pins);
  EXPECT_TRUE(HasError(p.diags, "list.timestamp",
                       "differs from the .pins file's PinsListTimestamp 1600000000"));
}

TEST(ListParserErrorTest, MaxAgeDaysZero) {
  Parsed p = Parse(R"({"list": {"max_age_days": 0}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.max_age_days", "must be a positive number"));
}

TEST(ListParserErrorTest, UnknownListKey) {
  Parsed p = Parse(R"({"list": {"max_age": 3}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.max_age", "unknown key \"max_age\""));
}

TEST(ListParserErrorTest, AllErrorsOfARunAreReported) {
  PinsFile pins;
  pins.keys["Dup"] = PinsFileKey{HashSpkiDer("d"), 4};
  Parsed p = Parse(absl::StrCat(R"({
    "bogus": 1,
    "list": {"version": -2, "max_age_days": 0},
    "keys": {"Dup": ")", Pin("d"), R"("},
    "pinsets": [{"name": "p", "static_spki_hashes": ["sha256/xx", "Nope"],
                 "extra": 1}],
    "entries": [
      {"name": "a.com", "pins": "q"},
      {"name": "b.com", "mode": "force-https", "include_subdomains": "yes"},
      {"name": "c.com", "pin_mode": "enforce"}
    ]})"),
                   &pins);
  EXPECT_TRUE(HasError(p.diags, "bogus", "unknown top-level key"));
  EXPECT_TRUE(HasError(p.diags, "list.version", "non-negative"));
  EXPECT_TRUE(HasError(p.diags, "list.max_age_days", "positive"));
  EXPECT_TRUE(HasError(p.diags, "keys.Dup", "defined both"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[0]", "32 bytes"));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].static_spki_hashes[1]",
                       "unknown key name \"Nope\""));
  EXPECT_TRUE(HasError(p.diags, "pinsets[0].extra", "unknown key"));
  EXPECT_TRUE(HasError(p.diags, "entries[0].pins", "unknown pinset \"q\""));
  EXPECT_TRUE(HasError(p.diags, "entries[1].include_subdomains", "boolean"));
  EXPECT_TRUE(HasError(p.diags, "entries[2].pin_mode", "without \"pins\""));
  EXPECT_EQ(p.diags.error_count(), 10u) << Dump(p.diags);
}

// ---- Real Chromium lists -------------------------------------------------

struct RealList {
  PinListModel model;
  Diagnostics diags;
};

RealList ParseRealList(absl::string_view year) {
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
  return r;
}

std::string Errors(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all()) {
    if (d.severity == Severity::kError) absl::StrAppend(&out, d.ToString(), "\n");
  }
  return out;
}

TEST(ListParserRealListTest, Chromium2016) {
  RealList r = ParseRealList("2016");
  EXPECT_EQ(r.diags.error_count(), 0u) << Errors(r.diags);
  EXPECT_EQ(r.model.entries.size(), 13399u);
  EXPECT_EQ(r.model.pinsets.size(), 10u);
  size_t pinned = 0;
  for (const HostEntry& e : r.model.entries) pinned += e.has_pins();
  EXPECT_EQ(pinned, 446u);
  // learn.doubleclick.net (neither pins nor mode) is warned about by the
  // checks: compiler/checks_test.cc, ChecksRealListTest.
  std::cout << "2016 list: " << r.diags.warning_count() << " parser warnings\n";
}

TEST(ListParserRealListTest, Chromium2017) {
  RealList r = ParseRealList("2017");
  EXPECT_EQ(r.diags.error_count(), 0u) << Errors(r.diags);
  EXPECT_EQ(r.model.entries.size(), 33067u);
  EXPECT_EQ(r.model.pinsets.size(), 11u);
  size_t pinned = 0, https = 0;
  for (const HostEntry& e : r.model.entries) {
    pinned += e.has_pins();
    https += e.force_https;
  }
  EXPECT_EQ(pinned, 460u);
  EXPECT_EQ(https, 32805u);
  // learn.doubleclick.net (neither pins nor mode) is warned about by the
  // checks: compiler/checks_test.cc, ChecksRealListTest.
  std::cout << "2017 list: " << r.diags.warning_count() << " parser warnings\n";
}

// ---- The "list" object: id and max_age_days bounds -------------------------

TEST(ListParserListInfoTest, ListIdIsParsed) {
  Parsed p = Parse(R"({"list": {"id": "acme.tls-v2", "version": 3}, "entries": []})");
  ASSERT_FALSE(p.diags.has_errors()) << Dump(p.diags);
  EXPECT_EQ(p.model.list.list_id, "acme.tls-v2");
  EXPECT_EQ(Parse(R"({"entries": []})").model.list.list_id, "");
}

TEST(ListParserListInfoTest, InvalidListIdIsALocatedError) {
  for (const char* id : {"\"\"", "\"Acme\"", "\"a b\"", "\"-a\"",
                         "\"abcdefghijklmnopqrstuvwxyz0123456\""}) {
    Parsed p = Parse(absl::StrCat(R"({"list": {"id": )", id, R"(}, "entries": []})"));
    EXPECT_TRUE(HasError(p.diags, "list.id", "is not a valid list id")) << id;
    EXPECT_EQ(p.model.list.list_id, "") << id;
  }
  Parsed p = Parse(R"({"list": {"id": 7}, "entries": []})");
  EXPECT_TRUE(HasError(p.diags, "list.id", "must be a string"));
}

TEST(ListParserListInfoTest, MaxAgeDaysIsCappedAt365) {
  Parsed p = Parse(R"({"list": {"max_age_days": 365}, "entries": []})");
  ASSERT_FALSE(p.diags.has_errors()) << Dump(p.diags);
  EXPECT_EQ(p.model.list.max_age_days, 365);
  for (const char* days : {"366", "100000", "4294967296"}) {
    p = Parse(absl::StrCat(R"({"list": {"max_age_days": )", days,
                           R"(}, "entries": []})"));
    EXPECT_TRUE(HasError(p.diags, "list.max_age_days", "(1 to 365)")) << days;
  }
  // The error is located in the text too.
  p = Parse("{\"list\": {\n  \"max_age_days\": 400\n}, \"entries\": []}");
  EXPECT_TRUE(HasError(p.diags, "list.max_age_days", "got 400"));
}

}  // namespace
}  // namespace pinbake

namespace pinbake {
namespace {

// Review of issue 10 item 14: a pem_file path component "..\u0000" is not
// ".." to the textual check, but openat() would see "..": the walk climbed
// out of --pem-root and read base_/outside.pem. A NUL is refused.
TEST_F(ListParserPemRootTest, NulInPathDoesNotEscapeTheRoot) {
  Parsed p = ParseUnderRoot(R"(..\u0000/outside.pem)");
  EXPECT_TRUE(HasError(p.diags, "keys.K.pem_file", "contains a NUL byte"))
      << Dump(p.diags);
  // Without --pem-root, a NUL would silently truncate the path read.
  WriteFile(base_ + "/a.pem", cert_.pem);
  Parsed q = Parse(PemFileList(R"(a.pem\u0000.never-read)"), nullptr,
                   base_ + "/list.json");
  EXPECT_TRUE(HasError(q.diags, "keys.K.pem_file", "contains a NUL byte"))
      << Dump(q.diags);
}

// A list of N keys naming pem files: "K0".."K<N-1>" -> paths[i % size].
std::string ManyPemKeysList(const std::vector<std::string>& paths, int n) {
  std::string keys;
  std::string refs;
  for (int i = 0; i < n; ++i) {
    absl::StrAppend(&keys, i ? ", " : "", "\"K", i, "\": {\"pem_file\": \"",
                    paths[i % paths.size()], "\"}");
    absl::StrAppend(&refs, i ? ", " : "", "\"K", i, "\"");
  }
  return absl::StrCat("{\"keys\": {", keys,
                      "}, \"pinsets\": [{\"name\": \"p\", "
                      "\"static_spki_hashes\": [", refs,
                      "]}], \"entries\": [{\"name\": \"a.com\", \"pins\": "
                      "\"p\"}]}");
}

// Review: the 1 MiB cap was per reference, so 2,000 keys naming one 1 MiB
// file made the compiler read and parse 2 GB (9 s). Each distinct pem_file
// is now read once, and a list reads at most kMaxPemBytesPerList in all.
TEST(ListParserPemFileTest, PemFilesAreReadOnceAndBoundedPerList) {
  const std::string dir = FreshDir("pem_budget");
  std::string big = MakeRootCa("budget").pem;
  big.resize(kMaxPemFileBytes, '\n');
  std::vector<std::string> names;
  for (int i = 0; i < 17; ++i) {
    names.push_back(absl::StrCat("big", i, ".pem"));
    WriteFile(dir + "/" + names.back(), big);
  }
  // 2,000 references to one file: one read, no error (the same key, so the
  // pinset holds one distinct hash).
  Parsed same = Parse(ManyPemKeysList({names[0]}, 2000), nullptr,
                      dir + "/list.json");
  EXPECT_FALSE(HasError(same.diags, "keys.K1999.pem_file", "add up to"))
      << Dump(same.diags);
  // 17 distinct 1 MiB files pass the 16 MiB budget: the 17th is refused.
  Parsed many = Parse(ManyPemKeysList(names, 17), nullptr, dir + "/list.json");
  EXPECT_TRUE(HasError(many.diags, "keys.K16.pem_file",
                       "add up to more than 16777216 bytes"))
      << Dump(many.diags);
  EXPECT_FALSE(HasError(many.diags, "keys.K15.pem_file", "add up to"));
}

}  // namespace
}  // namespace pinbake

namespace pinbake {
namespace {

// ---- Fixes ("did you mean") ------------------------------------------------

TEST(ListParserFixTest, UnknownKeysNameTheNearestValidOne) {
  Parsed p = Parse(R"({"list": {"versoin": 1}, "entrys": [],
      "pinsets": [{"name": "shop", "static_spki_hash": []}],
      "entries": [{"name": "a.com", "pins": "shpo", "mdoe": "force-https"}]})");
  auto fix_at = [&](absl::string_view field) -> std::string {
    for (const Diagnostic& d : p.diags.all()) {
      if (d.location.field == field) return d.fix;
    }
    return "(no diagnostic)";
  };
  EXPECT_EQ(fix_at("list.versoin"), "did you mean \"version\"?");
  EXPECT_EQ(fix_at("entrys"), "did you mean \"entries\"?");
  EXPECT_EQ(fix_at("pinsets[0].static_spki_hash"),
            "did you mean \"static_spki_hashes\"?");
  EXPECT_EQ(fix_at("entries[0].pins"), "did you mean \"shop\"?");
  EXPECT_EQ(fix_at("entries[0].mdoe"), "did you mean \"mode\"?");
}

TEST(ListParserFixTest, PrivateKeyInPemFileSaysHowToGetThePublicKey) {
  const std::string dir = TempDir();
  WriteFile(dir + "/private_key.pem",
            "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n");
  Parsed p = Parse(R"({"keys": {"K": {"pem_file": "private_key.pem"}},
                       "entries": []})",
                   nullptr, dir + "/list.json");
  ASSERT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
  const Diagnostic& d = p.diags.all()[0];
  EXPECT_EQ(d.location.field, "keys.K.pem_file");
  EXPECT_TRUE(absl::StrContains(d.message, "(the file holds a private key)"))
      << d.message;
  EXPECT_EQ(d.fix, absl::StrCat("write its public key with \"openssl pkey -in ",
                                dir, "/private_key.pem -pubout -out "
                                "PUBLIC.pem\" and name that file; keep the "
                                "private key out of the list's inputs"));
}

TEST(ListParserFixTest, MissingPemFileUnderBazelNamesTheRulesData) {
  ASSERT_EQ(setenv("BUILD_WORKSPACE_DIRECTORY", "/workspace", 1), 0);
  Parsed p = Parse(R"({"keys": {"K": {"pem_file": "keys/absent.pem"}},
                       "entries": []})",
                   nullptr, TempDir() + "/list.json");
  unsetenv("BUILD_WORKSPACE_DIRECTORY");
  ASSERT_EQ(p.diags.error_count(), 1u) << Dump(p.diags);
  EXPECT_TRUE(absl::StartsWith(
      p.diags.all()[0].fix,
      "running under Bazel: if \"keys/absent.pem\" exists, add it to the "
      "rule's data"))
      << p.diags.all()[0].fix;
}

TEST(ListParserFixTest, SuggestionsAreBoundedPerList) {
  // 1001 misspelled keys: the first 1000 get a fix, the rest none (each fix
  // costs an edit-distance search).
  std::string entries;
  for (int i = 0; i <= 1000; ++i) {
    absl::StrAppend(&entries, i == 0 ? "" : ",",
                    R"({"name": "a)", i, R"(.com", "mdoe": "force-https"})");
  }
  Parsed p = Parse(absl::StrCat(R"({"entries": [)", entries, "]}"));
  ASSERT_EQ(p.diags.error_count(), 1001u);
  EXPECT_EQ(p.diags.all()[999].fix, "did you mean \"mode\"?");
  EXPECT_EQ(p.diags.all()[1000].fix, "");
}

}  // namespace
}  // namespace pinbake
