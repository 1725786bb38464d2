#include "collector/report_parser.h"

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "collector/report_test_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {
namespace {

using Json = nlohmann::json;

class ReportParserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { chain_ = new TestChain(MakeChain("a.test")); }
  static TestChain* chain_;
  Json Good() const {
    return Json::parse(TestReportJson("WWW.Example.com.", *chain_, 8443));
  }
  std::string ErrorOf(const Json& j) const {
    absl::StatusOr<ValidatedReport> r = ParseReport(j.dump());
    return r.ok() ? "ok" : std::string(r.status().message());
  }
};
TestChain* ReportParserTest::chain_ = nullptr;

TEST_F(ReportParserTest, ParsesRuntimeReport) {
  absl::StatusOr<ValidatedReport> r = ParseReport(Good().dump());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->hostname, "www.example.com");
  EXPECT_EQ(r->noted_hostname, "www.example.com");
  EXPECT_EQ(r->port, 8443);
  EXPECT_EQ(r->date_time, absl::FromUnixSeconds(1767225600));
  ASSERT_EQ(r->validated_chain.size(), 3u);
  EXPECT_EQ(r->validated_chain[0].spki_hash, chain_->leaf.spki_hash);
  EXPECT_EQ(r->validated_chain[2].spki_hash, chain_->root.spki_hash);
  EXPECT_EQ(r->validated_chain[0].subject, "CN=a.test");
  EXPECT_EQ(r->served_chain.size(), 2u);
  ASSERT_EQ(r->known_pins.size(), 1u);
  EXPECT_EQ(r->known_pins[0], chain_->root.spki_hash);
  EXPECT_EQ(ChainSpkiText(r->validated_chain),
            SpkiHashToString(chain_->leaf.spki_hash) + " " +
                SpkiHashToString(chain_->intermediate.spki_hash) + " " +
                SpkiHashToString(chain_->root.spki_hash));
}

TEST_F(ReportParserTest, RefusesEachBadField) {
  struct Case {
    const char* field;
    Json value;
    const char* reason;
  };
  const Case cases[] = {
      {"date-time", 5, "\"date-time\": must be a string"},
      {"date-time", "yesterday", "\"date-time\": must be an RFC 3339"},
      {"hostname", "a..b", "\"hostname\": not a valid host name (empty-label)"},
      {"hostname", "10.0.0.1", "\"hostname\": not a valid host name"},
      {"port", "443", "\"port\": must be an integer 1..65535"},
      {"port", 0, "\"port\": must be an integer 1..65535"},
      {"port", 65536, "\"port\": must be an integer 1..65535"},
      {"port", 44.5, "\"port\": must be an integer 1..65535"},
      {"include-subdomains", "true", "\"include-subdomains\": must be true"},
      {"noted-hostname", Json::array(), "\"noted-hostname\": must be a string"},
      {"validated-certificate-chain", Json::array(),
       "\"validated-certificate-chain\": must hold at least one"},
      {"validated-certificate-chain", "pem",
       "\"validated-certificate-chain\": must be an array"},
      {"validated-certificate-chain", Json::array({"junk"}),
       "\"validated-certificate-chain[0]\": not a PEM certificate"},
      {"served-certificate-chain", Json::array({1}),
       "\"served-certificate-chain[0]\": must be a string"},
      {"known-pins", Json::array({"sha256/abc"}),
       "\"known-pins[0]\": must be pin-sha256="},
      {"known-pins", Json::array({"pin-sha256=\"abc\""}),
       "\"known-pins[0]\": bad pin"},
  };
  for (const Case& c : cases) {
    Json j = Good();
    j[c.field] = c.value;
    EXPECT_NE(ErrorOf(j).find(c.reason), std::string::npos)
        << c.field << " = " << c.value.dump() << ": " << ErrorOf(j);
  }
  for (const char* field : {"date-time", "hostname", "port",
                            "effective-expiration-date", "include-subdomains",
                            "noted-hostname", "validated-certificate-chain"}) {
    Json j = Good();
    j.erase(field);
    EXPECT_EQ(ErrorOf(j), std::string("\"") + field + "\": missing");
  }
}

TEST_F(ReportParserTest, RefusesNonObjectsAndBadJson) {
  EXPECT_EQ(ParseReport("[]").status().message(),
            "report must be a JSON object");
  EXPECT_EQ(ParseReport("").status().message(),
            "malformed JSON (at byte 1)");
  EXPECT_NE(ParseReport("{\"a\":").status().message().find("malformed JSON"),
            std::string::npos);
  // Deep nesting is refused, not a crash.
  EXPECT_FALSE(ParseReport(std::string(50000, '[') + std::string(50000, ']'))
                   .ok());
}

// A body two JSON parsers may read differently is refused: a repeated
// member name (last-wins readers and first-wins readers disagree), at the
// top level, nested, or spelt with escapes.
TEST_F(ReportParserTest, DuplicateMemberNamesRefusedAtEveryDepth) {
  const std::string good = Good().dump();
  ASSERT_EQ(good.front(), '{');
  // The same report with one more member first: `extra` + the rest.
  auto prefixed = [&](const std::string& extra) {
    return "{" + extra + "," + good.substr(1);
  };
  struct Case {
    const char* name;
    std::string body;
    const char* reason;
  };
  const Case cases[] = {
      {"top-level hostname twice",
       prefixed("\"hostname\":\"evil.example\""),
       "ambiguous JSON: duplicate member \"hostname\""},
      {"top-level port twice", prefixed("\"port\":1"),
       "ambiguous JSON: duplicate member \"port\""},
      {"spelt with an escape",
       prefixed("\"host\\u006eame\":\"evil.example\""),
       "ambiguous JSON: duplicate member \"hostname\""},
      {"in a nested unknown object",
       prefixed("\"x\":{\"a\":1,\"b\":{\"c\":1,\"c\":2}}"),
       "ambiguous JSON: duplicate member \"c\""},
      {"in an object inside an array",
       prefixed("\"x\":[{\"a\":1},{\"a\":1,\"a\":1}]"),
       "ambiguous JSON: duplicate member \"a\""},
      {"unknown member twice", prefixed("\"z\":1,\"z\":1"),
       "ambiguous JSON: duplicate member \"z\""},
      {"name with a newline is escaped",
       prefixed("\"a\\nb\":1,\"a\\nb\":2"),
       "ambiguous JSON: duplicate member \"a\\nb\""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ValidatedReport> r = ParseReport(c.body);
    ASSERT_FALSE(r.ok()) << c.name << ": accepted";
    EXPECT_EQ(r.status().message(), c.reason) << c.name;
  }
  // The same name in different objects is no duplicate.
  EXPECT_TRUE(
      ParseReport(prefixed("\"x\":{\"hostname\":1},\"y\":[{\"a\":1},{\"a\":2}]"))
          .ok());
}

TEST_F(ReportParserTest, DuplicateCheckIsLinear) {
  // 60,000 distinct names in one object and 20,000 small objects each
  // with the same two names: accepted (nothing repeated within an object),
  // in linear time (a quadratic check would take minutes here).
  std::string body = Good().dump();
  body.pop_back();
  for (int i = 0; i < 60000; ++i) absl::StrAppend(&body, ",\"k", i, "\":0");
  body += ",\"list\":[";
  for (int i = 0; i < 20000; ++i) {
    absl::StrAppend(&body, i ? "," : "", "{\"a\":1,\"b\":2}");
  }
  body += "]}";
  EXPECT_TRUE(ParseReport(body).ok()) << ParseReport(body).status();
  body.insert(body.size() - 2, ",{\"b\":1,\"b\":1}");
  EXPECT_EQ(ParseReport(body).status().message(),
            "ambiguous JSON: duplicate member \"b\"");
}

// Other bodies parsers disagree on: refused, each with its reason.
TEST_F(ReportParserTest, OtherAmbiguitiesRefused) {
  const std::string good = Good().dump();
  auto prefixed = [&](const std::string& extra) {
    return "{" + extra + "," + good.substr(1);
  };
  std::string deep = prefixed("\"x\":" + std::string(40, '[') +
                              std::string(40, ']'));
  std::string deep_ok = prefixed("\"x\":" + std::string(30, '[') +
                                 std::string(30, ']'));
  struct Case {
    const char* name;
    std::string body;
    const char* reason;  // Prefix of the message.
  };
  const Case cases[] = {
      {"NUL in a value", prefixed("\"x\":\"a\\u0000b\""),
       "ambiguous JSON: a string holds a NUL character (\\u0000)"},
      {"NUL in hostname",
       [&] {
         Json j = Good();
         j["hostname"] = std::string("www.example.com\0.evil", 22);
         return j.dump();
       }(),
       "ambiguous JSON: a string holds a NUL character"},
      {"NUL in a member name", prefixed("\"host\\u0000name\":1"),
       "ambiguous JSON: member name \"host\\u0000name\" holds a NUL"},
      {"nesting deeper than 32", deep,
       "ambiguous JSON: objects and arrays nested deeper than 32 levels"},
      {"very deep nesting", std::string(50000, '[') + std::string(50000, ']'),
       "ambiguous JSON: objects and arrays nested deeper than 32 levels"},
      {"invalid UTF-8", prefixed("\"x\":\"\xff\""), "malformed JSON"},
      {"overlong UTF-8 NUL", prefixed("\"x\":\"\xc0\x80\""),
       "malformed JSON"},
      {"UTF-8 encoded surrogate", prefixed("\"x\":\"\xed\xa0\x80\""),
       "malformed JSON"},
      {"lone surrogate escape", prefixed("\"x\":\"\\ud800\""),
       "malformed JSON"},
      {"number out of range", prefixed("\"x\":1e999"), "malformed JSON"},
      {"port 1e999",
       [&] {
         std::string b = good;
         const size_t at = b.find("\"port\":");
         b.replace(at, b.find(',', at) - at, "\"port\":1e999");
         return b;
       }(),
       "malformed JSON"},
      {"port -0",
       [&] {
         std::string b = good;
         const size_t at = b.find("\"port\":");
         b.replace(at, b.find(',', at) - at, "\"port\":-0");
         return b;
       }(),
       "\"port\": must be an integer 1..65535"},
      {"port 443.0",
       [&] {
         std::string b = good;
         const size_t at = b.find("\"port\":");
         b.replace(at, b.find(',', at) - at, "\"port\":443.0");
         return b;
       }(),
       "\"port\": must be an integer 1..65535"},
      {"port 4.43e2",
       [&] {
         std::string b = good;
         const size_t at = b.find("\"port\":");
         b.replace(at, b.find(',', at) - at, "\"port\":4.43e2");
         return b;
       }(),
       "\"port\": must be an integer 1..65535"},
      {"two JSON values", good + good, "malformed JSON"},
      {"a comment", "/* x */" + good, "malformed JSON"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ValidatedReport> r = ParseReport(c.body);
    ASSERT_FALSE(r.ok()) << c.name << ": accepted";
    EXPECT_EQ(r.status().message().substr(0, strlen(c.reason)), c.reason)
        << c.name << ": " << r.status().message();
  }
  EXPECT_TRUE(ParseReport(deep_ok).ok()) << ParseReport(deep_ok).status();
}

TEST_F(ReportParserTest, TwoCertificatesInOneElementRefused) {
  Json j = Good();
  j["validated-certificate-chain"] =
      Json::array({chain_->leaf.pem + chain_->root.pem});
  EXPECT_NE(ErrorOf(j).find("exactly one PEM certificate"), std::string::npos)
      << ErrorOf(j);
}

TEST_F(ReportParserTest, DedupKeyIgnoresDatesOnly) {
  Json a = Good();
  Json b = Good();
  b["date-time"] = "2027-05-06T07:08:09.000Z";
  b["effective-expiration-date"] = "2027-07-06T07:08:09.000Z";
  Json c = Good();
  c["port"] = 444;
  ValidatedReport ra = *ParseReport(a.dump());
  ValidatedReport rb = *ParseReport(b.dump());
  ValidatedReport rc = *ParseReport(c.dump());
  EXPECT_EQ(ReportDedupKey(ra, "/pkp"), ReportDedupKey(rb, "/pkp"));
  EXPECT_NE(ReportDedupKey(ra, "/pkp"), ReportDedupKey(ra, "/other"));
  EXPECT_NE(ReportDedupKey(ra, "/pkp"), ReportDedupKey(rc, "/pkp"));
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
