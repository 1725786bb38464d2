#include "runtime/cert_util.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "runtime/openssl_error.h"

namespace pinbake {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* x509) const { X509_free(x509); }
};
struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
// PEM_read_bio's outputs: name, header and data are OPENSSL_malloc'ed.
struct OpensslBytesDeleter {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
struct OpensslCharDeleter {
  void operator()(char* p) const { OPENSSL_free(p); }
};

using UniqueBio = std::unique_ptr<BIO, BioDeleter>;
using UniqueX509 = std::unique_ptr<X509, X509Deleter>;
using UniqueEvpPkey = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;
using UniqueOpensslChars = std::unique_ptr<char, OpensslCharDeleter>;
using UniqueOpensslBytes = std::unique_ptr<unsigned char, OpensslBytesDeleter>;

constexpr absl::string_view kCertificateLabel = "CERTIFICATE";
constexpr absl::string_view kPublicKeyLabel = "PUBLIC KEY";

// Encodes `pubkey` (owned by its certificate) as DER SubjectPublicKeyInfo.
absl::StatusOr<std::string> EncodeX509Pubkey(const X509_PUBKEY* pubkey) {
  if (pubkey == nullptr) {
    return absl::InvalidArgumentError("certificate has no public key");
  }
  unsigned char* out = nullptr;
  int len = i2d_X509_PUBKEY(pubkey, &out);
  UniqueOpensslBytes owned(out);
  if (len <= 0 || out == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot encode the certificate's public key: ",
                     LastOpenSslErrorReason("unknown error")));
  }
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(len));
}

// Decodes exactly one DER certificate and returns the DER of its SPKI.
absl::StatusOr<std::string> SpkiDerOfDerCertificate(absl::string_view der) {
  if (der.empty()) {
    return absl::InvalidArgumentError("certificate DER is empty");
  }
  if (der.size() > static_cast<size_t>(LONG_MAX)) {
    return absl::InvalidArgumentError("certificate DER is too large");
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* const end = p + der.size();
  UniqueX509 cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a DER X.509 certificate: ",
                     LastOpenSslErrorReason("decoding failed")));
  }
  if (p != end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "certificate DER has ", end - p, " trailing bytes after the certificate"));
  }
  return EncodeX509Pubkey(X509_get_X509_PUBKEY(cert.get()));
}

// Decodes exactly one DER SubjectPublicKeyInfo and re-encodes it as DER.
absl::StatusOr<std::string> SpkiDerOfDerPublicKey(absl::string_view der) {
  if (der.empty()) {
    return absl::InvalidArgumentError("public key DER is empty");
  }
  if (der.size() > static_cast<size_t>(LONG_MAX)) {
    return absl::InvalidArgumentError("public key DER is too large");
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* const end = p + der.size();
  UniqueEvpPkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a DER SubjectPublicKeyInfo: ",
                     LastOpenSslErrorReason("decoding failed")));
  }
  if (p != end) {
    return absl::InvalidArgumentError(absl::StrCat(
        "public key DER has ", end - p, " trailing bytes after the key"));
  }
  unsigned char* out = nullptr;
  int len = i2d_PUBKEY(key.get(), &out);
  UniqueOpensslBytes owned(out);
  if (len <= 0 || out == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot re-encode the public key: ",
                     LastOpenSslErrorReason("unknown error")));
  }
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(len));
}

// One raw PEM block: its label and decoded bytes.
struct PemBlock {
  std::string label;
  std::string der;
};

// Reads every PEM block of `pem` with OpenSSL's PEM reader. Text outside
// blocks is ignored (as OpenSSL does); a malformed block, a block with
// RFC 1421 headers (encrypted PEM) or no block at all is InvalidArgument.
absl::StatusOr<std::vector<PemBlock>> ReadPemBlocks(absl::string_view pem) {
  if (pem.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InvalidArgumentError("PEM text is too large");
  }
  UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) {
    return absl::InternalError("BIO_new_mem_buf failed");
  }
  std::vector<PemBlock> blocks;
  while (true) {
    const size_t block_number = blocks.size() + 1;
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    int ok = PEM_read_bio(bio.get(), &name, &header, &data, &len);
    UniqueOpensslChars owned_name(name);
    UniqueOpensslChars owned_header(header);
    UniqueOpensslBytes owned_data(data);
    if (ok != 1) {
      unsigned long err = ERR_peek_last_error();
      bool no_more_blocks = ERR_GET_LIB(err) == ERR_LIB_PEM &&
                            ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
      if (no_more_blocks && !blocks.empty()) break;
      if (no_more_blocks) {
        return absl::InvalidArgumentError("no PEM block found");
      }
      return absl::InvalidArgumentError(
          absl::StrCat("PEM block ", block_number, " is malformed: ",
                       LastOpenSslErrorReason("cannot be decoded")));
    }
    if (name == nullptr || data == nullptr || len < 0) {
      return absl::InternalError("PEM_read_bio returned no data");
    }
    if (header != nullptr && header[0] != '\0') {
      return absl::InvalidArgumentError(absl::StrCat(
          "PEM block ", block_number, " (", name,
          ") has headers; encrypted or annotated PEM is not supported"));
    }
    if (len == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("PEM block ", block_number, " (", name, ") is empty"));
    }
    blocks.push_back(
        {name, std::string(reinterpret_cast<const char*>(data),
                           static_cast<size_t>(len))});
  }
  return blocks;
}

}  // namespace

absl::StatusOr<SpkiHash> SpkiHashOfDerCertificate(absl::string_view der) {
  OpenSslErrorScope cleaner;
  absl::StatusOr<std::string> spki = SpkiDerOfDerCertificate(der);
  if (!spki.ok()) return spki.status();
  return HashSpkiDer(*spki);
}

absl::StatusOr<std::vector<PemKeyObject>> ParsePemKeyObjects(
    absl::string_view pem) {
  OpenSslErrorScope cleaner;
  absl::StatusOr<std::vector<PemBlock>> blocks = ReadPemBlocks(pem);
  if (!blocks.ok()) return blocks.status();
  std::vector<PemKeyObject> objects;
  objects.reserve(blocks->size());
  for (size_t i = 0; i < blocks->size(); ++i) {
    PemBlock& block = (*blocks)[i];
    absl::StatusOr<std::string> spki;
    if (block.label == kCertificateLabel) {
      spki = SpkiDerOfDerCertificate(block.der);
    } else if (block.label == kPublicKeyLabel) {
      spki = SpkiDerOfDerPublicKey(block.der);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "PEM block ", i + 1, " has label \"", block.label,
          "\"; expected \"CERTIFICATE\" or \"PUBLIC KEY\""));
    }
    if (!spki.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PEM block ", i + 1, " (", block.label,
          "): ", spki.status().message()));
    }
    PemKeyObject object;
    object.label = std::move(block.label);
    object.der = std::move(block.der);
    object.spki_hash = HashSpkiDer(*spki);
    objects.push_back(std::move(object));
  }
  return objects;
}

absl::StatusOr<std::vector<std::string>> ParsePemCertificateChain(
    absl::string_view pem) {
  OpenSslErrorScope cleaner;
  absl::StatusOr<std::vector<PemBlock>> blocks = ReadPemBlocks(pem);
  if (!blocks.ok()) return blocks.status();
  std::vector<std::string> chain;
  chain.reserve(blocks->size());
  for (size_t i = 0; i < blocks->size(); ++i) {
    PemBlock& block = (*blocks)[i];
    if (block.label != kCertificateLabel) {
      return absl::InvalidArgumentError(
          absl::StrCat("PEM block ", i + 1, " has label \"", block.label,
                       "\"; expected \"CERTIFICATE\""));
    }
    absl::StatusOr<std::string> spki = SpkiDerOfDerCertificate(block.der);
    if (!spki.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "PEM block ", i + 1, " (CERTIFICATE): ", spki.status().message()));
    }
    chain.push_back(std::move(block.der));
  }
  return chain;
}

}  // namespace pinbake
