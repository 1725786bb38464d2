#include "runtime/cert_util.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

// PEM-encodes `der` under `label` with OpenSSL.
std::string ToPem(absl::string_view label, absl::string_view der) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                &BIO_free);
  std::string name(label);
  // Returns the number of bytes written, 0 on failure.
  EXPECT_GT(PEM_write_bio(bio.get(), name.c_str(), "",
                          reinterpret_cast<const unsigned char*>(der.data()),
                          static_cast<long>(der.size())),
            0);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

class CertUtilTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    chain_ = new TestChain(MakeChain("www.example.com"));
  }
  static void TearDownTestSuite() {
    delete chain_;
    chain_ = nullptr;
  }
  void TearDown() override {
    // No failure may leave errors behind in OpenSSL's queue.
    EXPECT_EQ(ERR_peek_error(), 0u);
  }
  static TestChain* chain_;
};

TestChain* CertUtilTest::chain_ = nullptr;

TEST_F(CertUtilTest, TestPkiHashesAreDistinct) {
  EXPECT_NE(chain_->leaf.spki_hash, chain_->intermediate.spki_hash);
  EXPECT_NE(chain_->intermediate.spki_hash, chain_->root.spki_hash);
  EXPECT_EQ(chain_->leaf.spki_hash, HashSpkiDer(chain_->leaf.spki_der));
}

TEST_F(CertUtilTest, SpkiHashOfDerCertificate) {
  for (const TestCert* cert :
       {&chain_->root, &chain_->intermediate, &chain_->leaf}) {
    absl::StatusOr<SpkiHash> hash = SpkiHashOfDerCertificate(cert->der);
    ASSERT_TRUE(hash.ok()) << hash.status();
    EXPECT_EQ(*hash, cert->spki_hash);
  }
}

TEST_F(CertUtilTest, DerRejectsTrailingBytes) {
  absl::StatusOr<SpkiHash> hash =
      SpkiHashOfDerCertificate(chain_->leaf.der + std::string(1, '\0'));
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(hash.status().message(), HasSubstr("trailing"));
  EXPECT_FALSE(
      SpkiHashOfDerCertificate(chain_->leaf.der + chain_->leaf.der).ok());
}

TEST_F(CertUtilTest, DerRejectsEveryTruncation) {
  const std::string& der = chain_->leaf.der;
  for (size_t len = 0; len < der.size(); ++len) {
    absl::StatusOr<SpkiHash> hash =
        SpkiHashOfDerCertificate(absl::string_view(der).substr(0, len));
    EXPECT_FALSE(hash.ok()) << "accepted a prefix of " << len << " bytes";
  }
}

TEST_F(CertUtilTest, DerRejectsGarbageAndPublicKeys) {
  EXPECT_FALSE(SpkiHashOfDerCertificate("").ok());
  EXPECT_FALSE(SpkiHashOfDerCertificate("not a certificate").ok());
  // An SPKI is DER but not a certificate.
  EXPECT_FALSE(SpkiHashOfDerCertificate(chain_->leaf.spki_der).ok());
  std::mt19937 rng(42);
  for (int i = 0; i < 500; ++i) {
    std::string bytes(rng() % 300, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (i % 2 == 0 && !bytes.empty()) bytes[0] = '\x30';  // SEQUENCE.
    EXPECT_FALSE(SpkiHashOfDerCertificate(bytes).ok());
  }
}

TEST_F(CertUtilTest, DerRejectsSingleByteCorruptionOfTheKey) {
  // Flipping a byte of the embedded key changes the hash or fails; it must
  // never silently return the original hash.
  const TestCert& leaf = chain_->leaf;
  size_t key_at = leaf.der.find(leaf.spki_der);
  ASSERT_NE(key_at, std::string::npos);
  std::string der = leaf.der;
  der[key_at + leaf.spki_der.size() - 1] ^= 0x01;
  absl::StatusOr<SpkiHash> hash = SpkiHashOfDerCertificate(der);
  if (hash.ok()) {
    EXPECT_NE(*hash, leaf.spki_hash);
  }
}

TEST_F(CertUtilTest, PemCertificate) {
  absl::StatusOr<std::vector<PemKeyObject>> objects =
      ParsePemKeyObjects(chain_->leaf.pem);
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 1u);
  EXPECT_EQ((*objects)[0].label, "CERTIFICATE");
  EXPECT_EQ((*objects)[0].der, chain_->leaf.der);
  EXPECT_EQ((*objects)[0].spki_hash, chain_->leaf.spki_hash);
}

TEST_F(CertUtilTest, PemPublicKeyHashesLikeItsCertificate) {
  absl::StatusOr<std::vector<PemKeyObject>> objects =
      ParsePemKeyObjects(chain_->intermediate.pubkey_pem);
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 1u);
  EXPECT_EQ((*objects)[0].label, "PUBLIC KEY");
  EXPECT_EQ((*objects)[0].der, chain_->intermediate.spki_der);
  EXPECT_EQ((*objects)[0].spki_hash, chain_->intermediate.spki_hash);
}

TEST_F(CertUtilTest, PemSeveralBlocksInOrderWithTextAround) {
  std::string pem =
      absl::StrCat("leaf:\n", chain_->leaf.pem, "\nkey of the root:\n",
                   chain_->root.pubkey_pem, chain_->intermediate.pem, "end\n");
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(pem);
  ASSERT_TRUE(objects.ok()) << objects.status();
  ASSERT_EQ(objects->size(), 3u);
  EXPECT_EQ((*objects)[0].spki_hash, chain_->leaf.spki_hash);
  EXPECT_EQ((*objects)[1].label, "PUBLIC KEY");
  EXPECT_EQ((*objects)[1].spki_hash, chain_->root.spki_hash);
  EXPECT_EQ((*objects)[2].spki_hash, chain_->intermediate.spki_hash);
}

TEST_F(CertUtilTest, PemLongLinesAccepted) {
  // Chromium's .pins has 76-character base64 lines; OpenSSL reads them.
  std::string pem = chain_->leaf.pem;
  std::string body_begin = "-----\n";
  size_t begin = pem.find(body_begin) + body_begin.size();
  size_t end = pem.find("-----END");
  std::string body = absl::StrReplaceAll(pem.substr(begin, end - begin),
                                         {{"\n", ""}});
  std::string rewrapped;
  for (size_t i = 0; i < body.size(); i += 76) {
    absl::StrAppend(&rewrapped, body.substr(i, 76), "\n");
  }
  std::string long_lines = absl::StrCat(pem.substr(0, begin), rewrapped,
                                        pem.substr(end));
  absl::StatusOr<std::vector<PemKeyObject>> objects =
      ParsePemKeyObjects(long_lines);
  ASSERT_TRUE(objects.ok()) << objects.status() << "\n" << long_lines;
  EXPECT_EQ((*objects)[0].spki_hash, chain_->leaf.spki_hash);
}

TEST_F(CertUtilTest, PemRejectsNoBlock) {
  for (absl::string_view text : {"", "hello\n", "-----BEGIN"}) {
    absl::StatusOr<std::vector<PemKeyObject>> objects =
        ParsePemKeyObjects(text);
    ASSERT_FALSE(objects.ok()) << text;
    EXPECT_EQ(objects.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(objects.status().message(), HasSubstr("no PEM block"));
  }
}

TEST_F(CertUtilTest, PemRejectsUnknownLabelNamingTheBlock) {
  std::string pem = absl::StrCat(chain_->leaf.pem,
                                 ToPem("PRIVATE KEY", chain_->leaf.spki_der));
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(pem);
  ASSERT_FALSE(objects.ok());
  EXPECT_THAT(objects.status().message(), HasSubstr("PEM block 2"));
  EXPECT_THAT(objects.status().message(), HasSubstr("PRIVATE KEY"));
}

TEST_F(CertUtilTest, PemRejectsBadBase64) {
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(
      "-----BEGIN CERTIFICATE-----\n!!!!not*base64\n"
      "-----END CERTIFICATE-----\n");
  ASSERT_FALSE(objects.ok());
  EXPECT_THAT(objects.status().message(), HasSubstr("PEM block 1"));
}

TEST_F(CertUtilTest, PemRejectsMissingEnd) {
  std::string pem = chain_->leaf.pem;
  pem.resize(pem.find("-----END"));
  EXPECT_FALSE(ParsePemKeyObjects(pem).ok());
}

TEST_F(CertUtilTest, PemRejectsContentsNotMatchingLabel) {
  // A public key under a CERTIFICATE label and vice versa.
  EXPECT_FALSE(
      ParsePemKeyObjects(ToPem("CERTIFICATE", chain_->leaf.spki_der)).ok());
  EXPECT_FALSE(ParsePemKeyObjects(ToPem("PUBLIC KEY", chain_->leaf.der)).ok());
  // Valid base64 of bytes that are no DER at all.
  absl::StatusOr<std::vector<PemKeyObject>> objects =
      ParsePemKeyObjects(ToPem("PUBLIC KEY", "hello world"));
  ASSERT_FALSE(objects.ok());
  EXPECT_THAT(objects.status().message(), HasSubstr("PUBLIC KEY"));
}

TEST_F(CertUtilTest, PemRejectsTrailingBytesInsideBlock) {
  EXPECT_FALSE(ParsePemKeyObjects(
                   ToPem("PUBLIC KEY", chain_->leaf.spki_der + "x"))
                   .ok());
  EXPECT_FALSE(
      ParsePemKeyObjects(ToPem("CERTIFICATE", chain_->leaf.der + "x")).ok());
}

TEST_F(CertUtilTest, PemRejectsHeaders) {
  std::string pem = chain_->leaf.pem;
  std::string begin = "-----BEGIN CERTIFICATE-----\n";
  pem.insert(begin.size(), "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
                           "00000000000000000000000000000000\n\n");
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(pem);
  EXPECT_FALSE(objects.ok());
}

TEST_F(CertUtilTest, PemSafeOnRandomBytes) {
  std::mt19937 rng(7);
  const std::string prefix = "-----BEGIN CERTIFICATE-----\n";
  for (int i = 0; i < 300; ++i) {
    std::string bytes(rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    EXPECT_FALSE(ParsePemKeyObjects(bytes).ok());
    EXPECT_FALSE(
        ParsePemKeyObjects(prefix + bytes + "\n-----END CERTIFICATE-----\n")
            .ok());
  }
}

TEST_F(CertUtilTest, CertificateChain) {
  absl::StatusOr<std::vector<std::string>> ders =
      ParsePemCertificateChain(chain_->ChainPem());
  ASSERT_TRUE(ders.ok()) << ders.status();
  ASSERT_EQ(ders->size(), 2u);
  EXPECT_EQ((*ders)[0], chain_->leaf.der);
  EXPECT_EQ((*ders)[1], chain_->intermediate.der);
}

TEST_F(CertUtilTest, CertificateChainRejectsOtherBlocks) {
  absl::StatusOr<std::vector<std::string>> ders = ParsePemCertificateChain(
      absl::StrCat(chain_->leaf.pem, chain_->root.pubkey_pem));
  ASSERT_FALSE(ders.ok());
  EXPECT_THAT(ders.status().message(), HasSubstr("PEM block 2"));
  EXPECT_FALSE(ParsePemCertificateChain("").ok());
  EXPECT_FALSE(
      ParsePemCertificateChain(ToPem("CERTIFICATE", "not der")).ok());
}

}  // namespace
}  // namespace pinbake
