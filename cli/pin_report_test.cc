#include "cli/pin_report.h"

#include "gtest/gtest.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace cli {
namespace {

TEST(PinReportTest, DescribesEachCertificateWithItsSubject) {
  const TestChain chain = MakeChain("www.example.com");
  absl::StatusOr<std::vector<ChainCertificate>> certs =
      DescribeChain(chain.DerChainWithRoot());
  ASSERT_TRUE(certs.ok()) << certs.status();
  ASSERT_EQ(certs->size(), 3u);
  EXPECT_EQ((*certs)[0].pin, chain.leaf.spki_hash);
  EXPECT_EQ((*certs)[0].subject, "CN=www.example.com");
  EXPECT_EQ((*certs)[1].subject, "CN=pinbake test intermediate");
  EXPECT_EQ((*certs)[2].subject, "CN=pinbake test root");
  EXPECT_FALSE(DescribeChain({"not der"}).ok());
}

TEST(PinReportTest, ViolationListsPinnedKeysByNameAndTheChain) {
  const TestChain chain = MakeChain("www.example.com");
  const TestCert other = MakeRootCa("other");
  PinReport report;
  report.result.host = "WWW.example.com";
  report.result.canonical = "www.example.com";
  report.result.outcome = CheckOutcome::kViolation;
  report.result.would_fail = true;
  report.result.pin_entry = "example.com";
  report.result.pin_mode = PinMode::kEnforce;
  report.result.pinset = "example";
  report.good_pins = {other.spki_hash, chain.root.spki_hash};
  report.chain = *DescribeChain({chain.leaf.der, chain.intermediate.der});
  const KeyNames names = {{other.spki_hash, "OtherRoot"}};
  report.key_names = &names;
  const std::string h_other = SpkiHashToString(other.spki_hash);
  const std::string h_root = SpkiHashToString(chain.root.spki_hash);
  const std::string h_leaf = SpkiHashToString(chain.leaf.spki_hash);
  const std::string h_int = SpkiHashToString(chain.intermediate.spki_hash);
  EXPECT_EQ(PinReportText(report),
            "www.example.com: violation: the chain matches no pin of pinset "
            "example; the connection is refused (enforce; entry example.com)\n"
            "  pinned keys of pinset example:\n"
            "    " + h_other + " OtherRoot\n"
            "    " + h_root + "\n"
            "  peer certificate chain:\n"
            "    " + h_leaf + ": CN=www.example.com\n"
            "    " + h_int + ": CN=pinbake test intermediate\n");
  Json json;
  AppendPinReportJson(report, &json);
  EXPECT_EQ(json["expected_pins"][0]["name"], "OtherRoot");
  EXPECT_EQ(json["expected_pins"][1]["name"], nullptr);
  EXPECT_EQ(json["expected_pins"][1]["in_chain"], false);
  EXPECT_EQ(json["chain_certificates"][1]["subject"],
            "CN=pinbake test intermediate");
  EXPECT_EQ(json["chain_certificates"][1]["match"], nullptr);
}

TEST(PinReportTest, MatchingChainCertificateNamesAnUnnamedPin) {
  const TestChain chain = MakeChain("a.example");
  PinReport report;
  report.result.host = "a.example";
  report.result.canonical = "a.example";
  report.result.outcome = CheckOutcome::kOk;
  report.result.allowed = true;
  report.result.pinset = "p";
  report.good_pins = {chain.intermediate.spki_hash};
  report.chain = *DescribeChain({chain.leaf.der, chain.intermediate.der});
  EXPECT_EQ(PinName(report, chain.intermediate.spki_hash),
            "CN=pinbake test intermediate");
  Json json;
  AppendPinReportJson(report, &json);
  EXPECT_EQ(json["chain_certificates"][1]["match"], "good");
  EXPECT_EQ(json["expected_pins"][0]["in_chain"], true);
  EXPECT_NE(PinReportText(report).find("CN=pinbake test intermediate (pinned)"),
            std::string::npos);
}

TEST(PinReportTest, InvalidHostIsQuotedAndEscaped) {
  PinReport report;
  report.result.host = "evil\x1b[2J\xff.example";
  report.result.outcome = CheckOutcome::kInvalidHost;
  EXPECT_EQ(PinReportText(report),
            "\"evil\\u001b[2J\xef\xbf\xbd.example\": invalid-host: not a "
            "valid host name; refused\n");
}

}  // namespace
}  // namespace cli
}  // namespace pinbake
