#include "collector/report_parser.h"

#include <string>

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
  // Deep nesting is refused as a wrong type, not a crash.
  EXPECT_FALSE(ParseReport(std::string(50000, '[') + std::string(50000, ']'))
                   .ok());
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
