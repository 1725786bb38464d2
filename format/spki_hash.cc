#include "format/spki_hash.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace pinbake {

std::string SpkiHashToString(const SpkiHash& hash) {
  // 32 bytes -> 44 base64 characters plus the NUL EVP_EncodeBlock writes.
  unsigned char encoded[45];
  int n = EVP_EncodeBlock(encoded, hash.bytes.data(), SpkiHash::kSize);
  return absl::StrCat(kSpkiHashPrefix,
                      absl::string_view(reinterpret_cast<char*>(encoded), n));
}

namespace {

bool IsBase64Character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Why `text` (after "sha256/") is not 44 characters of padded base64: how
// many bytes it would decode to, when it is base64 at all (each base64
// character carries 6 bits; '=' only pads).
std::string WrongLengthMessage(absl::string_view text) {
  absl::string_view digits = text;
  while (absl::ConsumeSuffix(&digits, "=")) {
  }
  bool base64 = text.size() - digits.size() <= 2;
  for (char c : digits) base64 = base64 && IsBase64Character(c);
  const std::string expected =
      "a SHA-256 hash is 32 (the pin must be the padded base64 of exactly 32 "
      "bytes: 44 characters ending in one '=')";
  if (!base64) {
    return absl::StrCat("sha256/ pin of ", text.size(),
                        " characters is not base64; ", expected);
  }
  const size_t bytes = digits.size() * 6 / 8;
  if (bytes == SpkiHash::kSize) {
    return absl::StrCat("sha256/ pin holds 32 bytes but is not padded "
                        "base64 (", text.size(), " characters); ", expected);
  }
  return absl::StrCat("sha256/ pin decodes to ", bytes, " bytes; ", expected,
                      ", got ", text.size(), " characters");
}

}  // namespace

absl::StatusOr<SpkiHash> ParseSpkiHash(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, kSpkiHashPrefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat("pin must start with \"sha256/\": \"", text, "\""));
  }
  // Padded base64 of 32 bytes is exactly 44 characters ending in one '='.
  if (text.size() != 44 || text[43] != '=' || text[42] == '=') {
    return absl::InvalidArgumentError(WrongLengthMessage(text));
  }
  for (char c : text.substr(0, 43)) {
    if (!IsBase64Character(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "sha256/ pin has a character outside the base64 alphabet: \"", text,
          "\""));
    }
  }
  unsigned char decoded[33];  // EVP_DecodeBlock writes 3 bytes per 4 chars.
  int n = EVP_DecodeBlock(decoded,
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  // One '=' of padding: 33 decoded bytes of which the last is padding.
  if (n != 33) {
    return absl::InvalidArgumentError("sha256/ pin is not valid base64");
  }
  SpkiHash hash;
  std::copy(decoded, decoded + SpkiHash::kSize, hash.bytes.begin());
  // Reject non-canonical encodings (stray bits in the last character), so
  // that every hash has exactly one accepted spelling.
  if (SpkiHashToString(hash) != absl::StrCat(kSpkiHashPrefix, text)) {
    return absl::InvalidArgumentError(
        "sha256/ pin is not canonical base64 (unused bits are set)");
  }
  return hash;
}

SpkiHash HashSpkiDer(absl::string_view der_spki) {
  SpkiHash hash;
  SHA256(reinterpret_cast<const unsigned char*>(der_spki.data()),
         der_spki.size(), hash.bytes.data());
  return hash;
}

}  // namespace pinbake
