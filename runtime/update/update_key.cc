#include "runtime/update/update_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <climits>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/openssl_error.h"

namespace pinbake {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using UniqueBio = std::unique_ptr<BIO, BioDeleter>;
using UniqueMdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

std::shared_ptr<EVP_PKEY> Share(EVP_PKEY* pkey) {
  return std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);
}

// Password callback that refuses: an encrypted key is an error, never a
// prompt on the terminal.
int RefusePassword(char* /*buf*/, int /*size*/, int /*rwflag*/,
                   void* /*userdata*/) {
  return -1;
}

// Checks that `pem` holds exactly one PEM block, labelled `label`.
absl::Status CheckSinglePemBlock(absl::string_view pem,
                                 absl::string_view label) {
  constexpr absl::string_view kBegin = "-----BEGIN ";
  size_t count = 0;
  size_t first = absl::string_view::npos;
  for (size_t pos = pem.find(kBegin); pos != absl::string_view::npos;
       pos = pem.find(kBegin, pos + kBegin.size())) {
    if (count == 0) first = pos;
    ++count;
  }
  if (count == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("no PEM block (want one \"", label, "\" block)"));
  }
  if (count > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        count, " PEM blocks (want exactly one \"", label, "\" block)"));
  }
  const std::string expected = absl::StrCat(kBegin, label, "-----");
  if (pem.substr(first, expected.size()) != expected) {
    const size_t end = pem.find("-----", first + kBegin.size());
    const absl::string_view found =
        end == absl::string_view::npos
            ? absl::string_view("?")
            : pem.substr(first + kBegin.size(), end - first - kBegin.size());
    return absl::InvalidArgumentError(absl::StrCat(
        "PEM block is \"", found, "\" (want \"", label, "\")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<UniqueBio> MemBio(absl::string_view text) {
  if (text.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("PEM text too large");
  }
  UniqueBio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  return bio;
}

// The contents of a memory BIO written by PEM_write_bio_*.
std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return "";
  return std::string(data, static_cast<size_t>(len));
}

bool IsEd25519(const EVP_PKEY* pkey) {
  return EVP_PKEY_is_a(pkey, "ED25519") == 1;
}

}  // namespace

std::string KeyIdToHex(const KeyId& id) {
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(id.data()), id.size()));
}

absl::StatusOr<UpdatePublicKey> UpdatePublicKey::FromEvpPkey(
    std::shared_ptr<EVP_PKEY> pkey) {
  if (pkey == nullptr || !IsEd25519(pkey.get())) {
    return absl::InvalidArgumentError("not an Ed25519 key");
  }
  UpdatePublicKey key;
  size_t len = key.raw_.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), key.raw_.data(), &len) != 1 ||
      len != kEd25519PublicKeySize) {
    return absl::InternalError(
        absl::StrCat("cannot read the raw Ed25519 public key: ",
                     LastOpenSslErrorReason("unknown error")));
  }
  SHA256(key.raw_.data(), key.raw_.size(), key.key_id_.data());
  key.pkey_ = std::move(pkey);
  return key;
}

absl::StatusOr<UpdatePublicKey> UpdatePublicKey::FromPem(
    absl::string_view pem) {
  OpenSslErrorScope cleaner;
  if (absl::Status s = CheckSinglePemBlock(pem, "PUBLIC KEY"); !s.ok()) {
    return s;
  }
  absl::StatusOr<UniqueBio> bio = MemBio(pem);
  if (!bio.ok()) return bio.status();
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio->get(), nullptr, RefusePassword,
                                       nullptr);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed PUBLIC KEY block: ", LastOpenSslErrorReason("unknown error")));
  }
  std::shared_ptr<EVP_PKEY> owned = Share(pkey);
  if (!IsEd25519(owned.get())) {
    return absl::InvalidArgumentError(
        absl::StrCat("the public key is ", EVP_PKEY_get0_type_name(pkey),
                     ", not Ed25519"));
  }
  return FromEvpPkey(std::move(owned));
}

absl::StatusOr<UpdatePublicKey> UpdatePublicKey::FromRaw(
    absl::string_view raw) {
  OpenSslErrorScope cleaner;
  if (raw.size() != kEd25519PublicKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 public key is ", kEd25519PublicKeySize,
                     " bytes, got ", raw.size()));
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad Ed25519 public key: ", LastOpenSslErrorReason("unknown error")));
  }
  return FromEvpPkey(Share(pkey));
}

absl::StatusOr<std::string> UpdatePublicKey::ToPem() const {
  OpenSslErrorScope cleaner;
  if (pkey_ == nullptr) return absl::FailedPreconditionError("empty key");
  UniqueBio bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) {
    return absl::InternalError(absl::StrCat(
        "cannot encode the public key: ", LastOpenSslErrorReason("unknown error")));
  }
  return BioContents(bio.get());
}

bool UpdatePublicKey::Verify(absl::string_view message,
                             absl::string_view signature) const {
  OpenSslErrorScope cleaner;
  if (pkey_ == nullptr || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  if (ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                           pkey_.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(
             ctx.get(),
             reinterpret_cast<const unsigned char*>(signature.data()),
             signature.size(),
             reinterpret_cast<const unsigned char*>(message.data()),
             message.size()) == 1;
}

absl::StatusOr<UpdatePrivateKey> UpdatePrivateKey::FromEvpPkey(
    std::shared_ptr<EVP_PKEY> pkey) {
  absl::StatusOr<UpdatePublicKey> pub = UpdatePublicKey::FromEvpPkey(pkey);
  if (!pub.ok()) return pub.status();
  UpdatePrivateKey key;
  key.pkey_ = std::move(pkey);
  key.public_key_ = *std::move(pub);
  return key;
}

absl::StatusOr<UpdatePrivateKey> UpdatePrivateKey::Generate() {
  OpenSslErrorScope cleaner;
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) {
    return absl::InternalError(absl::StrCat(
        "Ed25519 key generation failed: ", LastOpenSslErrorReason("unknown error")));
  }
  return FromEvpPkey(Share(pkey));
}

absl::StatusOr<UpdatePrivateKey> UpdatePrivateKey::FromPem(
    absl::string_view pem) {
  OpenSslErrorScope cleaner;
  if (absl::StrContains(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
    return absl::InvalidArgumentError(
        "the private key is encrypted; pinbake reads only unencrypted keys");
  }
  if (absl::Status s = CheckSinglePemBlock(pem, "PRIVATE KEY"); !s.ok()) {
    return s;
  }
  absl::StatusOr<UniqueBio> bio = MemBio(pem);
  if (!bio.ok()) return bio.status();
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio->get(), nullptr,
                                           RefusePassword, nullptr);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed PRIVATE KEY block: ", LastOpenSslErrorReason("unknown error")));
  }
  std::shared_ptr<EVP_PKEY> owned = Share(pkey);
  if (!IsEd25519(owned.get())) {
    return absl::InvalidArgumentError(
        absl::StrCat("the private key is ", EVP_PKEY_get0_type_name(pkey),
                     ", not Ed25519"));
  }
  return FromEvpPkey(std::move(owned));
}

absl::StatusOr<std::string> UpdatePrivateKey::ToPem() const {
  OpenSslErrorScope cleaner;
  if (pkey_ == nullptr) return absl::FailedPreconditionError("empty key");
  UniqueBio bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1) {
    return absl::InternalError(absl::StrCat(
        "cannot encode the private key: ", LastOpenSslErrorReason("unknown error")));
  }
  return BioContents(bio.get());
}

absl::StatusOr<std::string> UpdatePrivateKey::Sign(
    absl::string_view message) const {
  OpenSslErrorScope cleaner;
  if (pkey_ == nullptr) return absl::FailedPreconditionError("empty key");
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureSize, '\0');
  size_t len = signature.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(&signature[0]),
                     &len,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      len != kEd25519SignatureSize) {
    return absl::InternalError(absl::StrCat(
        "Ed25519 signing failed: ", LastOpenSslErrorReason("unknown error")));
  }
  return signature;
}

}  // namespace pinbake
