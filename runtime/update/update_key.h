// Ed25519 keys that sign and verify pin-list updates (runtime/update/signed_blob.h),
// over OpenSSL 3. A key is named by its key id: the SHA-256 of its raw
// 32-byte public key.
//
// Both classes are cheap to copy (the OpenSSL key is shared and never
// changed after creation) and safe to use from several threads at once.

#ifndef PINBAKE_RUNTIME_UPDATE_UPDATE_KEY_H_
#define PINBAKE_RUNTIME_UPDATE_UPDATE_KEY_H_

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pinbake {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;
inline constexpr size_t kKeyIdSize = 32;

// SHA-256 of a raw Ed25519 public key.
using KeyId = std::array<uint8_t, kKeyIdSize>;

// Lowercase hex of `id` (64 characters).
std::string KeyIdToHex(const KeyId& id);

class UpdatePublicKey {
 public:
  // Parses a PEM text holding exactly one "PUBLIC KEY" block (as written by
  // `pinbake keygen` to KEY.pub) of an Ed25519 key. InvalidArgument if there
  // is no block, more than one, a malformed block, or a key of another type.
  static absl::StatusOr<UpdatePublicKey> FromPem(absl::string_view pem);

  // From the raw 32-byte Ed25519 public key (RFC 8032). InvalidArgument on
  // any other length or bytes OpenSSL refuses.
  static absl::StatusOr<UpdatePublicKey> FromRaw(absl::string_view raw);

  const KeyId& key_id() const { return key_id_; }
  const std::array<uint8_t, kEd25519PublicKeySize>& raw() const {
    return raw_;
  }

  // The key as a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo).
  absl::StatusOr<std::string> ToPem() const;

  // Whether `signature` is a valid Ed25519 signature of `message` by this
  // key (pure Ed25519, no pre-hash). false for a signature of the wrong
  // size. Never throws; leaves OpenSSL's error queue empty.
  bool Verify(absl::string_view message, absl::string_view signature) const;

 private:
  friend class UpdatePrivateKey;
  // Takes ownership of an Ed25519 key (public or private; only the public
  // part is used).
  static absl::StatusOr<UpdatePublicKey> FromEvpPkey(
      std::shared_ptr<EVP_PKEY> pkey);

  std::shared_ptr<EVP_PKEY> pkey_;
  std::array<uint8_t, kEd25519PublicKeySize> raw_{};
  KeyId key_id_{};
};

class UpdatePrivateKey {
 public:
  // A fresh key from OpenSSL's CSPRNG. Internal on an OpenSSL failure.
  static absl::StatusOr<UpdatePrivateKey> Generate();

  // Parses an unencrypted PEM "PRIVATE KEY" (PKCS#8) block of an Ed25519
  // key, as written by ToPem. Never prompts for a passphrase: an encrypted
  // key is InvalidArgument, as are other key types and malformed text.
  static absl::StatusOr<UpdatePrivateKey> FromPem(absl::string_view pem);

  // The key as an unencrypted PEM "PRIVATE KEY" block. Secret material:
  // write it only to a file of mode 0600.
  absl::StatusOr<std::string> ToPem() const;

  const UpdatePublicKey& public_key() const { return public_key_; }

  // The 64-byte Ed25519 signature of `message`. Internal on an OpenSSL
  // failure.
  absl::StatusOr<std::string> Sign(absl::string_view message) const;

 private:
  static absl::StatusOr<UpdatePrivateKey> FromEvpPkey(
      std::shared_ptr<EVP_PKEY> pkey);

  std::shared_ptr<EVP_PKEY> pkey_;
  UpdatePublicKey public_key_;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_UPDATE_UPDATE_KEY_H_
