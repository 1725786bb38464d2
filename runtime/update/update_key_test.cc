#include "runtime/update/update_key.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "testing/test_pki.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class UpdateKeyTest : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(ERR_peek_error(), 0u); }
};

UpdatePrivateKey NewKey() {
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status();
  return *key;
}

TEST_F(UpdateKeyTest, KeyIdIsSha256OfRawPublicKey) {
  UpdatePrivateKey key = NewKey();
  const auto& raw = key.public_key().raw();
  KeyId expected;
  SHA256(raw.data(), raw.size(), expected.data());
  EXPECT_EQ(key.public_key().key_id(), expected);
  EXPECT_EQ(KeyIdToHex(expected).size(), 64u);
  EXPECT_NE(NewKey().public_key().key_id(), expected);
}

TEST_F(UpdateKeyTest, PemRoundTrips) {
  UpdatePrivateKey key = NewKey();
  absl::StatusOr<std::string> priv_pem = key.ToPem();
  ASSERT_TRUE(priv_pem.ok());
  EXPECT_THAT(*priv_pem, StartsWith("-----BEGIN PRIVATE KEY-----\n"));
  absl::StatusOr<std::string> pub_pem = key.public_key().ToPem();
  ASSERT_TRUE(pub_pem.ok());
  EXPECT_THAT(*pub_pem, StartsWith("-----BEGIN PUBLIC KEY-----\n"));

  absl::StatusOr<UpdatePrivateKey> priv = UpdatePrivateKey::FromPem(*priv_pem);
  ASSERT_TRUE(priv.ok()) << priv.status();
  EXPECT_EQ(priv->public_key().key_id(), key.public_key().key_id());
  absl::StatusOr<UpdatePublicKey> pub = UpdatePublicKey::FromPem(*pub_pem);
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(pub->key_id(), key.public_key().key_id());

  // A signature by the reloaded private key verifies with the reloaded
  // public key.
  absl::StatusOr<std::string> sig = priv->Sign("message");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), kEd25519SignatureSize);
  EXPECT_TRUE(pub->Verify("message", *sig));
  EXPECT_FALSE(pub->Verify("messagE", *sig));
  EXPECT_FALSE(pub->Verify("message", sig->substr(1)));
  EXPECT_FALSE(NewKey().public_key().Verify("message", *sig));
}

TEST_F(UpdateKeyTest, FromRaw) {
  UpdatePrivateKey key = NewKey();
  const auto& raw = key.public_key().raw();
  absl::StatusOr<UpdatePublicKey> pub = UpdatePublicKey::FromRaw(
      absl::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(pub->key_id(), key.public_key().key_id());
  absl::StatusOr<UpdatePublicKey> short_key =
      UpdatePublicKey::FromRaw(std::string(31, 'x'));
  ASSERT_FALSE(short_key.ok());
  EXPECT_THAT(std::string(short_key.status().message()),
              HasSubstr("32 bytes, got 31"));
}

TEST_F(UpdateKeyTest, RejectsOtherKeyTypes) {
  // An EC P-256 key from the test PKI.
  TestCert cert = MakeRootCa();
  absl::StatusOr<UpdatePublicKey> pub = UpdatePublicKey::FromPem(cert.pubkey_pem);
  ASSERT_FALSE(pub.ok());
  EXPECT_THAT(std::string(pub.status().message()), HasSubstr("not Ed25519"));

  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                &BIO_free);
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), cert.key.get(), nullptr,
                                     nullptr, 0, nullptr, nullptr),
            1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  absl::StatusOr<UpdatePrivateKey> priv =
      UpdatePrivateKey::FromPem(std::string(data, static_cast<size_t>(len)));
  ASSERT_FALSE(priv.ok());
  EXPECT_THAT(std::string(priv.status().message()), HasSubstr("not Ed25519"));
}

TEST_F(UpdateKeyTest, RejectsMalformedPem) {
  UpdatePrivateKey key = NewKey();
  const std::string pub_pem = *key.public_key().ToPem();
  const std::string priv_pem = *key.ToPem();

  EXPECT_THAT(std::string(UpdatePublicKey::FromPem("").status().message()),
              HasSubstr("no PEM block"));
  EXPECT_THAT(
      std::string(UpdatePublicKey::FromPem(pub_pem + pub_pem).status().message()),
      HasSubstr("2 PEM blocks"));
  // A private key where a public key is expected, and the other way round.
  EXPECT_THAT(std::string(UpdatePublicKey::FromPem(priv_pem).status().message()),
              HasSubstr("\"PRIVATE KEY\" (want \"PUBLIC KEY\")"));
  EXPECT_THAT(std::string(UpdatePrivateKey::FromPem(pub_pem).status().message()),
              HasSubstr("(want \"PRIVATE KEY\")"));
  // Corrupted base64.
  std::string broken = pub_pem;
  broken[30] = '*';
  EXPECT_THAT(std::string(UpdatePublicKey::FromPem(broken).status().message()),
              HasSubstr("malformed PUBLIC KEY"));
}

TEST_F(UpdateKeyTest, RefusesEncryptedPrivateKeyWithoutPrompting) {
  UpdatePrivateKey key = NewKey();
  absl::StatusOr<UpdatePrivateKey> reloaded =
      UpdatePrivateKey::FromPem(*key.ToPem());
  ASSERT_TRUE(reloaded.ok());
  // Encrypt with a passphrase through OpenSSL directly.
  absl::StatusOr<std::string> pem = key.ToPem();
  std::unique_ptr<BIO, decltype(&BIO_free)> in(
      BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())), &BIO_free);
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr);
  ASSERT_NE(pkey, nullptr);
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()),
                                                &BIO_free);
  char pass[] = "secret";
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(out.get(), pkey, EVP_aes_256_cbc(),
                                          pass, 6, nullptr, nullptr),
            1);
  EVP_PKEY_free(pkey);
  char* data = nullptr;
  const long len = BIO_get_mem_data(out.get(), &data);
  absl::StatusOr<UpdatePrivateKey> encrypted =
      UpdatePrivateKey::FromPem(std::string(data, static_cast<size_t>(len)));
  ASSERT_FALSE(encrypted.ok());
  EXPECT_THAT(std::string(encrypted.status().message()),
              HasSubstr("encrypted"));
}

}  // namespace
}  // namespace pinbake
