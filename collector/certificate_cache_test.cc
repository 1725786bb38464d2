#include "collector/certificate_cache.h"

#include <string>

#include "gtest/gtest.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {
namespace {

TEST(CertificateCacheTest, FactsMatchOpenSslAndAreRemembered) {
  TestChain chain = MakeChain("a.test");
  CertificateCache cache;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<CertificateFacts> facts = cache.Get(chain.leaf.der);
    ASSERT_TRUE(facts.ok()) << facts.status();
    EXPECT_EQ(facts->spki_hash, chain.leaf.spki_hash);
    EXPECT_EQ(facts->subject, "CN=a.test");
  }
  EXPECT_EQ(cache.Get(chain.root.der)->spki_hash, chain.root.spki_hash);
}

TEST(CertificateCacheTest, RefusesJunkAndTrailingBytes) {
  TestChain chain = MakeChain("a.test");
  CertificateCache cache;
  EXPECT_FALSE(cache.Get("junk").ok());
  EXPECT_FALSE(cache.Get("junk").ok());  // Remembered failure, same answer.
  absl::StatusOr<CertificateFacts> trailing = cache.Get(chain.leaf.der + "x");
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.status().message(),
            "trailing bytes after the certificate");
  EXPECT_FALSE(cache.Get(chain.leaf.der.substr(0, 50)).ok());
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
