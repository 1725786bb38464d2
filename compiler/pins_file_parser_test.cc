#include "compiler/pins_file_parser.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "compiler/file_util.h"
#include "testing/shared_data.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kZeroPin[] = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
constexpr char kFile[] = "test.pins";

struct Parsed {
  PinsFile file;
  Diagnostics diags;

  // "LINE:COL message" of every diagnostic, for compact assertions.
  std::vector<std::string> Errors() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.all()) {
      EXPECT_EQ(d.severity, Severity::kError);
      EXPECT_EQ(d.location.file, kFile);
      out.push_back(absl::StrCat(d.location.position.ToString(), " ", d.message));
    }
    return out;
  }
  // Just the "LINE:COL" of every diagnostic.
  std::vector<std::string> Where() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.all()) out.push_back(d.location.position.ToString());
    return out;
  }
};

Parsed Parse(absl::string_view contents) {
  Parsed parsed;
  parsed.file = ParsePinsFile(contents, kFile, &parsed.diags);
  return parsed;
}

class PinsFileParserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { chain_ = new TestChain(MakeChain("a.test")); }
  static void TearDownTestSuite() {
    delete chain_;
    chain_ = nullptr;
  }
  static TestChain* chain_;
};

TestChain* PinsFileParserTest::chain_ = nullptr;

// ---- The real Chromium files ----------------------------------------------

void CheckRealFile(const std::string& dir, size_t expected_keys) {
  std::string pins_path =
      SharedDataPath(absl::StrCat(dir, "/transport_security_state_static.pins"));
  std::string json_path = SharedDataPath(absl::StrCat(dir, "/spki_hashes.json"));
  absl::StatusOr<std::string> pins = ReadFileToString(pins_path);
  ASSERT_TRUE(pins.ok()) << pins.status();
  absl::StatusOr<std::string> json_text = ReadFileToString(json_path);
  ASSERT_TRUE(json_text.ok()) << json_text.status();
  nlohmann::json expected = nlohmann::json::parse(*json_text);
  ASSERT_TRUE(expected.is_object());

  Diagnostics diags;
  PinsFile file = ParsePinsFile(*pins, pins_path, &diags);
  EXPECT_FALSE(diags.has_errors()) << diags.ToStatus();
  EXPECT_EQ(diags.all().size(), 0u);
  EXPECT_EQ(file.keys.size(), expected_keys);
  EXPECT_EQ(expected.size(), expected_keys);
  EXPECT_FALSE(file.timestamp.has_value());

  for (const auto& [name, value] : expected.items()) {
    auto it = file.keys.find(name);
    ASSERT_NE(it, file.keys.end()) << "missing key " << name;
    EXPECT_EQ(SpkiHashToString(it->second.hash), value.get<std::string>())
        << name << " (line " << it->second.line << ")";
  }
  for (const auto& [name, key] : file.keys) {
    EXPECT_TRUE(expected.contains(name)) << "unexpected key " << name;
    EXPECT_GT(key.line, 0);
  }
}

TEST(PinsFileRealDataTest, Chromium2016) {
  CheckRealFile("chromium-2016", 70);
}

TEST(PinsFileRealDataTest, Chromium2017) {
  CheckRealFile("chromium-2017", 68);
}

TEST(PinsFileRealDataTest, Chromium2016KnownLines) {
  std::string path =
      SharedDataPath("chromium-2016/transport_security_state_static.pins");
  Diagnostics diags;
  PinsFile file = ParsePinsFile(ReadFileToString(path).value(), path, &diags);
  ASSERT_EQ(file.keys.count("TestSPKI"), 1u);
  EXPECT_EQ(file.keys.at("TestSPKI").line, 46);
  EXPECT_EQ(SpkiHashToString(file.keys.at("TestSPKI").hash), kZeroPin);
  ASSERT_EQ(file.keys.count("VeriSignClass3_G3"), 1u);
  EXPECT_EQ(file.keys.at("VeriSignClass3_G3").line, 49);
}

TEST(PinsFileRealDataTest, CrlfVersionOfRealFileIsRejected) {
  std::string path =
      SharedDataPath("chromium-2017/transport_security_state_static.pins");
  std::string crlf =
      absl::StrReplaceAll(ReadFileToString(path).value(), {{"\n", "\r\n"}});
  Diagnostics diags;
  ParsePinsFile(crlf, "crlf.pins", &diags);
  ASSERT_TRUE(diags.has_errors());
  // One error for the whole file, at the first line's CR.
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].location.position.ToString(), "1:64");
  EXPECT_THAT(diags.all()[0].message, HasSubstr("CRLF"));
}

// ---- Accepted syntax ------------------------------------------------------

TEST_F(PinsFileParserTest, AllThreeValueKinds) {
  std::string text = absl::StrCat(
      "# comment\n"
      "Zero\n", kZeroPin, "\n"
      "\n"
      "LeafCert\n", chain_->leaf.pem,
      "\n"
      "RootKey\n", chain_->root.pubkey_pem);
  Parsed p = Parse(text);
  EXPECT_THAT(p.Errors(), ElementsAre());
  ASSERT_EQ(p.file.keys.size(), 3u);
  EXPECT_EQ(SpkiHashToString(p.file.keys.at("Zero").hash), kZeroPin);
  EXPECT_EQ(p.file.keys.at("Zero").line, 2);
  EXPECT_EQ(p.file.keys.at("LeafCert").hash, chain_->leaf.spki_hash);
  EXPECT_EQ(p.file.keys.at("LeafCert").line, 5);
  EXPECT_EQ(p.file.keys.at("RootKey").hash, chain_->root.spki_hash);
  EXPECT_FALSE(p.file.timestamp.has_value());
}

TEST_F(PinsFileParserTest, CommentsAndBlankLinesAnywhereBetweenEntries) {
  std::string text = absl::StrCat(
      "\n\n# leading comment\n#\n"
      "A\n", kZeroPin, "\n"
      "B\n", chain_->intermediate.pubkey_pem,          // No blank line.
      "\n\n"                                            // Two blank lines.
      "# between\n"
      "C\n", chain_->leaf.pem,
      "\n\n\n\n"                                        // Four.
      "# trailing comment");                            // No final newline.
  Parsed p = Parse(text);
  EXPECT_THAT(p.Errors(), ElementsAre());
  EXPECT_EQ(p.file.keys.size(), 3u);
  EXPECT_EQ(p.file.keys.at("B").hash, chain_->intermediate.spki_hash);
  EXPECT_EQ(p.file.keys.at("C").hash, chain_->leaf.spki_hash);
}

TEST_F(PinsFileParserTest, NoFinalNewline) {
  Parsed p = Parse(absl::StrCat("A\n", kZeroPin));
  EXPECT_THAT(p.Errors(), ElementsAre());
  EXPECT_EQ(p.file.keys.size(), 1u);
  std::string pem = chain_->leaf.pem;
  ASSERT_EQ(pem.back(), '\n');
  pem.pop_back();
  p = Parse(absl::StrCat("A\n", pem));
  EXPECT_THAT(p.Errors(), ElementsAre());
  EXPECT_EQ(p.file.keys.at("A").hash, chain_->leaf.spki_hash);
}

TEST_F(PinsFileParserTest, EmptyFileAndCommentsOnly) {
  EXPECT_THAT(Parse("").Errors(), ElementsAre());
  EXPECT_TRUE(Parse("").file.keys.empty());
  EXPECT_THAT(Parse("# only\n\n#\n").Errors(), ElementsAre());
}

TEST_F(PinsFileParserTest, Timestamp) {
  Parsed p = Parse(absl::StrCat("PinsListTimestamp\n1500000000\n\nA\n",
                                kZeroPin, "\n"));
  EXPECT_THAT(p.Errors(), ElementsAre());
  ASSERT_TRUE(p.file.timestamp.has_value());
  EXPECT_EQ(*p.file.timestamp, 1500000000);
  EXPECT_EQ(p.file.keys.size(), 1u);
  EXPECT_EQ(p.file.keys.count("PinsListTimestamp"), 0u);

  // After the keys, too.
  p = Parse(absl::StrCat("A\n", kZeroPin, "\nPinsListTimestamp\n0\n"));
  EXPECT_THAT(p.Errors(), ElementsAre());
  EXPECT_EQ(p.file.timestamp, 0);
}

TEST_F(PinsFileParserTest, BadTimestamps) {
  for (absl::string_view bad : {"-5", "+5", "12a", " 12", "1.5",
                                "99999999999999999999", "0x10"}) {
    Parsed p = Parse(absl::StrCat("PinsListTimestamp\n", bad, "\n"));
    EXPECT_THAT(p.Where(), ElementsAre("2:1")) << bad;
    EXPECT_FALSE(p.file.timestamp.has_value()) << bad;
  }
  Parsed p = Parse("PinsListTimestamp\n");
  EXPECT_THAT(p.Where(), ElementsAre("2:1"));
  p = Parse("PinsListTimestamp\n\nA\nsha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  EXPECT_THAT(p.Where(), ElementsAre("2:1"));
  EXPECT_EQ(p.file.keys.size(), 1u);
  p = Parse("PinsListTimestamp\n1\nPinsListTimestamp\n2\n");
  EXPECT_THAT(p.Where(), ElementsAre("3:1"));
  EXPECT_EQ(p.file.timestamp, 1);
}

// ---- Rejected input -------------------------------------------------------

TEST_F(PinsFileParserTest, CrlfRejectedAtTheLineWithTheCr) {
  Parsed p = Parse(absl::StrCat("# fine\nA\n", kZeroPin, "\r\n"));
  ASSERT_EQ(p.diags.all().size(), 1u);
  EXPECT_EQ(p.diags.all()[0].location.position.ToString(), "3:52");
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("carriage return"));
  EXPECT_EQ(p.diags.all()[0].ToString().rfind("test.pins:3:52: error: ", 0),
            0u);

  p = Parse("A\r\nsha256/x\r\n");
  EXPECT_EQ(p.diags.all()[0].location.position.ToString(), "1:2");
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("2 line(s)"));
}

TEST_F(PinsFileParserTest, UnterminatedBlockAtEndOfFile) {
  std::string pem = chain_->leaf.pem;
  pem.resize(pem.find("-----END"));
  Parsed p = Parse(absl::StrCat("A\n", kZeroPin, "\n\nB\n", pem));
  ASSERT_THAT(p.Where(), ElementsAre("5:1"));
  EXPECT_THAT(p.diags.all()[0].message,
              HasSubstr("no -----END CERTIFICATE----- line"));
  EXPECT_EQ(p.file.keys.count("A"), 1u);
  EXPECT_EQ(p.file.keys.count("B"), 0u);
}

TEST_F(PinsFileParserTest, UnterminatedBlockBeforeNextEntry) {
  std::string pem = chain_->root.pubkey_pem;
  pem.resize(pem.find("-----END"));
  Parsed p = Parse(absl::StrCat("B\n", pem, "\nC\n", kZeroPin, "\n"));
  EXPECT_THAT(p.Where(), ElementsAre("2:1"));
  EXPECT_EQ(p.file.keys.count("B"), 0u);
  EXPECT_EQ(p.file.keys.count("C"), 1u);
}

TEST_F(PinsFileParserTest, NestedBeginIsUnterminated) {
  std::string pem = chain_->leaf.pem;
  pem.resize(pem.find("-----END"));
  Parsed p = Parse(absl::StrCat("B\n", pem, chain_->root.pem, "\nC\n",
                                kZeroPin, "\n"));
  EXPECT_THAT(p.Where(), ElementsAre("2:1"));
  EXPECT_EQ(p.file.keys.count("C"), 1u);
}

TEST_F(PinsFileParserTest, GarbagePem) {
  Parsed p = Parse(
      "Bad\n"
      "-----BEGIN CERTIFICATE-----\n"
      "bm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n"  // "not a certificate at all"
      "-----END CERTIFICATE-----\n"
      "\n"
      "Worse\n"
      "-----BEGIN PUBLIC KEY-----\n"
      "!!!! this is not base64 ****\n"
      "-----END PUBLIC KEY-----\n");
  EXPECT_THAT(p.Where(), ElementsAre("2:1", "7:1"));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("\"Bad\""));
  EXPECT_THAT(p.diags.all()[1].message, HasSubstr("\"Worse\""));
  EXPECT_TRUE(p.file.keys.empty());
}

TEST_F(PinsFileParserTest, CorruptedCertificateBody) {
  std::string pem = chain_->leaf.pem;
  // Drop one base64 line from the middle: still base64, no longer DER.
  size_t first_newline = pem.find('\n');
  size_t second_newline = pem.find('\n', first_newline + 1);
  pem.erase(first_newline + 1, second_newline - first_newline);
  Parsed p = Parse(absl::StrCat("A\n", pem));
  EXPECT_THAT(p.Where(), ElementsAre("2:1"));
  EXPECT_TRUE(p.file.keys.empty());
}

TEST_F(PinsFileParserTest, BeginEndLabelMismatch) {
  std::string pem = absl::StrReplaceAll(
      chain_->leaf.pem, {{"-----END CERTIFICATE-----", "-----END PUBLIC KEY-----"}});
  Parsed p = Parse(absl::StrCat("A\n", pem, "\nB\n", kZeroPin, "\n"));
  ASSERT_EQ(p.diags.all().size(), 1u);
  int end_line = 2;
  for (char c : pem) end_line += c == '\n';
  EXPECT_EQ(p.diags.all()[0].location.position.ToString(), absl::StrCat(end_line - 1, ":1"));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("does not match"));
  EXPECT_EQ(p.file.keys.count("A"), 0u);
  EXPECT_EQ(p.file.keys.count("B"), 1u);
}

TEST_F(PinsFileParserTest, UnknownBlockLabel) {
  std::string pem = absl::StrReplaceAll(chain_->leaf.pem,
                                        {{"CERTIFICATE", "X509 CRL"}});
  Parsed p = Parse(absl::StrCat("A\n", pem));
  ASSERT_THAT(p.Where(), ElementsAre("2:1"));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("X509 CRL"));
}

TEST_F(PinsFileParserTest, DuplicateNameKeepsFirst) {
  Parsed p = Parse(absl::StrCat("A\n", kZeroPin, "\n\nA\n",
                                chain_->leaf.pubkey_pem));
  ASSERT_THAT(p.Where(), ElementsAre("4:1"));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("duplicate name \"A\""));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("line 1"));
  ASSERT_EQ(p.file.keys.size(), 1u);
  EXPECT_EQ(SpkiHashToString(p.file.keys.at("A").hash), kZeroPin);
  EXPECT_EQ(p.file.keys.at("A").line, 1);
}

TEST_F(PinsFileParserTest, NameWithoutValue) {
  // At the end of the file.
  Parsed p = Parse("# c\nLonely\n");
  EXPECT_THAT(p.Where(), ElementsAre("2:1"));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("\"Lonely\""));
  // Followed by a blank line, a comment, or directly by the next entry.
  p = Parse(absl::StrCat("A\n\nB\n# c\nC\nD\n", kZeroPin, "\n"));
  EXPECT_THAT(p.Where(), ElementsAre("1:1", "3:1", "5:1"));
  ASSERT_EQ(p.file.keys.size(), 1u);
  EXPECT_EQ(p.file.keys.at("D").line, 6);
}

TEST_F(PinsFileParserTest, NonIdentifierNames) {
  Parsed p = Parse(absl::StrCat("my-key\n", kZeroPin, "\n\n",
                                "Bad Name\n", kZeroPin, "\n\n",
                                "Trailing \n", kZeroPin, "\n\n",
                                " Leading\n", kZeroPin, "\n\n",
                                "Good_Name_2\n", kZeroPin, "\n"));
  EXPECT_THAT(p.Where(), ElementsAre("1:1", "4:1", "7:1", "10:1"));
  EXPECT_THAT(p.diags.all()[0].message, HasSubstr("\"my-key\""));
  ASSERT_EQ(p.file.keys.size(), 1u);
  EXPECT_EQ(p.file.keys.count("Good_Name_2"), 1u);
}

TEST_F(PinsFileParserTest, ValueWithoutName) {
  Parsed p = Parse(absl::StrCat(kZeroPin, "\n\n", chain_->leaf.pem, "\nA\n",
                                kZeroPin, "\n"));
  EXPECT_THAT(p.Where(), ElementsAre("1:1", "3:1"));
  EXPECT_EQ(p.file.keys.size(), 1u);
}

TEST_F(PinsFileParserTest, BadHashValues) {
  Parsed p = Parse(
      "A\nsha256/AAAA\n\n"
      "B\nsha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n\n"
      "C\nsha1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
  EXPECT_THAT(p.Where(), ElementsAre("2:1", "5:1", "8:1"));
  EXPECT_TRUE(p.file.keys.empty());
}

TEST_F(PinsFileParserTest, ReportsEveryErrorInOneRun) {
  std::string truncated = chain_->intermediate.pem;
  truncated.resize(truncated.find("-----END"));
  std::string text = absl::StrCat(
      "Good1\n", kZeroPin, "\n"                   // 1-2
      "\n"                                        // 3
      "bad-name\n", kZeroPin, "\n"                // 4-5: bad name
      "\n"                                        // 6
      "Good1\n", kZeroPin, "\n"                   // 7-8: duplicate
      "\n"                                        // 9
      "NoValue\n"                                 // 10: no value
      "\n"                                        // 11
      "Garbage\n"                                 // 12
      "-----BEGIN PUBLIC KEY-----\n"              // 13: bad PEM
      "AAAA\n"
      "-----END PUBLIC KEY-----\n"
      "\n"
      "Good2\n", chain_->root.pem,                // Parsed despite the rest.
      "\n"
      "Open\n", truncated);                       // Unterminated.
  Parsed p = Parse(text);
  int open_begin_line = 0;
  {
    int line = 1;
    size_t offset = text.find("Open\n");
    for (size_t i = 0; i < offset; ++i) line += text[i] == '\n';
    open_begin_line = line + 1;
  }
  EXPECT_THAT(p.Where(),
              ElementsAre("4:1", "7:1", "10:1", "13:1",
                          absl::StrCat(open_begin_line, ":1")));
  EXPECT_EQ(p.diags.error_count(), 5u);
  ASSERT_EQ(p.file.keys.size(), 2u);
  EXPECT_EQ(p.file.keys.at("Good1").line, 1);
  EXPECT_EQ(p.file.keys.at("Good2").hash, chain_->root.spki_hash);
  // The combined status lists them all with the file name.
  std::string status(p.diags.ToStatus().message());
  EXPECT_THAT(status, HasSubstr("test.pins:4:1: error: "));
  EXPECT_THAT(status, HasSubstr("test.pins:13:1: error: "));
}

TEST_F(PinsFileParserTest, SafeOnArbitraryBytes) {
  std::string text;
  for (int i = 0; i < 4000; ++i) {
    text.push_back(static_cast<char>((i * 7919 + 13) % 256));
    if (i % 37 == 0) text.push_back('\n');
  }
  Parsed p = Parse(text);
  EXPECT_TRUE(p.diags.has_errors());
  EXPECT_TRUE(p.file.keys.empty());
}

}  // namespace
}  // namespace pinbake
