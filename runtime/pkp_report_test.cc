// Unit tests of the RFC 7469 report builder, the de-duplication cache and
// the reporter, with an injected clock.

#include "runtime/pkp_report.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

SpkiHash HashOfByte(uint8_t b) {
  SpkiHash h;
  h.bytes.fill(b);
  return h;
}

PkpReport SampleReport() {
  PkpReport r;
  r.date_time = absl::FromUnixSeconds(1790000000) + absl::Milliseconds(250);
  r.hostname = "www.example.com";
  r.port = 8443;
  r.effective_expiration_date = absl::FromUnixSeconds(1800000000);
  r.include_subdomains = true;
  r.noted_hostname = "example.com";
  r.served_chain_der = {"leaf-der", "intermediate-der"};
  r.validated_chain_der = {"leaf-der", "intermediate-der", "root-der"};
  r.known_pins = {HashOfByte(1), HashOfByte(2)};
  return r;
}

// A clock the test moves by hand.
struct FakeClock {
  absl::Time now = absl::FromUnixSeconds(1790000000);
  std::function<absl::Time()> fn() {
    return [this] { return now; };
  }
};

class RecordingSink : public PkpReportSink {
 public:
  void Send(absl::string_view uri, absl::string_view json) override {
    sent.emplace_back(std::string(uri), std::string(json));
  }
  std::vector<std::pair<std::string, std::string>> sent;
};

TEST(PkpReportTest, JsonHasEveryRfc7469Field) {
  const nlohmann::json j = nlohmann::json::parse(PkpReportToJson(SampleReport()));
  EXPECT_EQ(j["date-time"], "2026-09-21T14:13:20.250Z");
  EXPECT_EQ(j["hostname"], "www.example.com");
  EXPECT_EQ(j["port"], 8443);
  EXPECT_EQ(j["effective-expiration-date"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(j["include-subdomains"], true);
  EXPECT_EQ(j["noted-hostname"], "example.com");
  ASSERT_EQ(j["served-certificate-chain"].size(), 2u);
  ASSERT_EQ(j["validated-certificate-chain"].size(), 3u);
  EXPECT_EQ(j["served-certificate-chain"][0], DerToPemCertificate("leaf-der"));
  EXPECT_EQ(j["validated-certificate-chain"][2],
            DerToPemCertificate("root-der"));
  const std::string pin1 = absl::StrCat(
      "pin-sha256=\"", absl::Base64Escape(std::string(32, '\x01')), "\"");
  EXPECT_THAT(j["known-pins"][0].get<std::string>(), pin1);
  EXPECT_EQ(j["known-pins"].size(), 2u);
  EXPECT_EQ(j.size(), 9u);
}

TEST(PkpReportTest, EmptyChainsAreEmptyArrays) {
  PkpReport r;
  r.hostname = "a.example";
  const nlohmann::json j = nlohmann::json::parse(PkpReportToJson(r));
  EXPECT_TRUE(j["served-certificate-chain"].is_array());
  EXPECT_TRUE(j["served-certificate-chain"].empty());
  EXPECT_TRUE(j["known-pins"].empty());
  EXPECT_EQ(j["port"], 443);
}

TEST(PkpReportTest, PemWrapsAt64Columns) {
  const std::string der(60, 'x');  // 80 base64 characters.
  const std::string pem = DerToPemCertificate(der);
  EXPECT_THAT(pem, HasSubstr("-----BEGIN CERTIFICATE-----\n"));
  const std::string b64 = absl::Base64Escape(der);
  EXPECT_EQ(pem, absl::StrCat("-----BEGIN CERTIFICATE-----\n",
                              b64.substr(0, 64), "\n", b64.substr(64), "\n",
                              "-----END CERTIFICATE-----\n"));
}

TEST(PkpReportTest, CacheKeyIgnoresDatesButNotContentOrUri) {
  const PkpReport a = SampleReport();
  PkpReport later = a;
  later.date_time += absl::Hours(3);
  later.effective_expiration_date += absl::Hours(24);
  const std::string key = PkpReportCacheKey(a, "https://r.example/a");
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key, PkpReportCacheKey(later, "https://r.example/a"));
  EXPECT_NE(key, PkpReportCacheKey(a, "https://r.example/b"));
  PkpReport other_port = a;
  other_port.port = 443;
  EXPECT_NE(key, PkpReportCacheKey(other_port, "https://r.example/a"));
  PkpReport other_chain = a;
  other_chain.served_chain_der.push_back("extra");
  EXPECT_NE(key, PkpReportCacheKey(other_chain, "https://r.example/a"));
}

TEST(PkpReportCacheTest, RemembersForAnHour) {
  FakeClock clock;
  PkpReportCache cache(clock.fn());
  EXPECT_TRUE(cache.ShouldSend("k"));
  EXPECT_FALSE(cache.ShouldSend("k"));
  EXPECT_TRUE(cache.ShouldSend("other"));
  clock.now += absl::Minutes(59);
  EXPECT_FALSE(cache.ShouldSend("k"));
  clock.now += absl::Minutes(1);  // 60 minutes after the first send.
  EXPECT_TRUE(cache.ShouldSend("k"));
  EXPECT_FALSE(cache.ShouldSend("k"));
}

TEST(PkpReportCacheTest, HoldsAtMostFiftyAndEvictsOldest) {
  FakeClock clock;
  PkpReportCache cache(clock.fn());
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(cache.ShouldSend(absl::StrCat("k", i)));
    clock.now += absl::Seconds(1);
  }
  EXPECT_EQ(cache.size(), 50u);
  EXPECT_TRUE(cache.ShouldSend("new"));
  EXPECT_EQ(cache.size(), 50u);
  // k0 was the oldest and is forgotten; k1 is still remembered.
  EXPECT_FALSE(cache.ShouldSend("k1"));
  EXPECT_TRUE(cache.ShouldSend("k0"));
  EXPECT_EQ(cache.size(), 50u);
}

TEST(PkpReportCacheTest, DropsExpiredEntriesWhenFull) {
  FakeClock clock;
  PkpReportCache cache(clock.fn());
  for (int i = 0; i < 50; ++i) cache.ShouldSend(absl::StrCat("old", i));
  clock.now += absl::Minutes(30);
  EXPECT_TRUE(cache.ShouldSend("fresh"));  // Evicts one old entry.
  clock.now += absl::Minutes(31);          // The old ones have expired.
  EXPECT_TRUE(cache.ShouldSend("newer"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.ShouldSend("fresh"));
}

TEST(PkpReporterTest, SendsOnceThenDeduplicates) {
  FakeClock clock;
  RecordingSink sink;
  PkpReporter reporter(&sink, clock.fn());
  PkpReport r = SampleReport();
  EXPECT_TRUE(reporter.Report("https://r.example/pkp", r));
  r.date_time += absl::Minutes(5);  // Same failure a bit later.
  EXPECT_FALSE(reporter.Report("https://r.example/pkp", r));
  EXPECT_TRUE(reporter.Report("https://other.example/pkp", r));
  EXPECT_FALSE(reporter.Report("", r));  // No URI: nothing to send.
  clock.now += absl::Minutes(61);
  EXPECT_TRUE(reporter.Report("https://r.example/pkp", r));
  ASSERT_EQ(sink.sent.size(), 3u);
  EXPECT_EQ(sink.sent[0].first, "https://r.example/pkp");
  EXPECT_EQ(nlohmann::json::parse(sink.sent[0].second)["hostname"],
            "www.example.com");
  EXPECT_EQ(sink.sent[1].first, "https://other.example/pkp");
}

TEST(PkpReporterTest, NullSinkSendsNothing) {
  PkpReporter reporter(nullptr);
  EXPECT_FALSE(reporter.Report("https://r.example/pkp", SampleReport()));
}

// Regression (issue 10 item 7): a report about www.example.com went over
// HTTPS to www.example.com itself, whose connection fails the same pins.
TEST(PkpReporterTest, DropsHttpsReportsToTheReportedHost) {
  RecordingSink sink;
  PkpReporter reporter(&sink);
  const PkpReport r = SampleReport();  // hostname www.example.com.
  EXPECT_FALSE(reporter.Report("https://www.example.com/pkp", r));
  EXPECT_FALSE(reporter.Report("HTTPS://WWW.Example.COM.:8443/pkp?x#y", r));
  EXPECT_FALSE(reporter.Report("https://user@www.example.com/pkp", r));
  EXPECT_FALSE(reporter.Report("https://%77ww.example.com/pkp", r));
  EXPECT_TRUE(sink.sent.empty());
  // Plain HTTP does not go through the pins; another host is fine.
  EXPECT_TRUE(reporter.Report("http://www.example.com/pkp", r));
  EXPECT_TRUE(reporter.Report("https://example.com/pkp", r));
  EXPECT_EQ(sink.sent.size(), 2u);
}

TEST(PkpReportTest, HttpsReportUriHost) {
  EXPECT_EQ(HttpsReportUriHost("https://r.example/pkp"), "r.example");
  EXPECT_EQ(HttpsReportUriHost("HTTPS://R.Example.:443"), "r.example");
  EXPECT_EQ(HttpsReportUriHost("https://a:b@r.example?q"), "r.example");
  EXPECT_EQ(HttpsReportUriHost("https://r.example#frag"), "r.example");
  EXPECT_EQ(HttpsReportUriHost("https://r%2eexample/"), "%");
  EXPECT_EQ(HttpsReportUriHost("http://r.example/"), "");
  EXPECT_EQ(HttpsReportUriHost("https://[::1]/"), "");
  EXPECT_EQ(HttpsReportUriHost("https://192.168.0.1/"), "");
  EXPECT_EQ(HttpsReportUriHost("https:/r.example"), "");
  EXPECT_EQ(HttpsReportUriHost(""), "");
}

}  // namespace
}  // namespace pinbake
