#include "format/spki_hash.h"

#include <openssl/evp.h>

#include <string>

#include <gtest/gtest.h>
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"

namespace pinbake {
namespace {

SpkiHash HashWithBytes(uint8_t first, uint8_t last) {
  SpkiHash hash;
  for (size_t i = 0; i < SpkiHash::kSize; ++i) {
    hash.bytes[i] = static_cast<uint8_t>(i * 7 + 3);
  }
  hash.bytes.front() = first;
  hash.bytes.back() = last;
  return hash;
}

void ExpectInvalid(absl::string_view text) {
  absl::StatusOr<SpkiHash> parsed = ParseSpkiHash(text);
  EXPECT_FALSE(parsed.ok()) << "accepted: " << text;
  if (!parsed.ok()) {
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(SpkiHashTest, KnownValueToString) {
  // From Chromium's .pins: TestSPKI is 32 zero bytes.
  EXPECT_EQ(SpkiHashToString(SpkiHash{}),
            "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  SpkiHash all_ones;
  all_ones.bytes.fill(0xff);
  EXPECT_EQ(SpkiHashToString(all_ones),
            "sha256/" + std::string(42, '/') + "8=");
}

TEST(SpkiHashTest, RoundTrip) {
  for (int first : {0, 1, 0x7f, 0xff}) {
    for (int last : {0, 1, 0xfe, 0xff}) {
      SpkiHash hash = HashWithBytes(first, last);
      std::string text = SpkiHashToString(hash);
      EXPECT_EQ(text.size(), 7u + 44u);
      absl::StatusOr<SpkiHash> parsed = ParseSpkiHash(text);
      ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
      EXPECT_EQ(*parsed, hash) << text;
    }
  }
}

TEST(SpkiHashTest, ParsesRealPin) {
  // GoogleG2 from Chromium's spki_hashes.json.
  absl::StatusOr<SpkiHash> parsed =
      ParseSpkiHash("sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->bytes[0], 0xec);
  EXPECT_EQ(parsed->bytes[1], 0x72);
  EXPECT_EQ(parsed->bytes[31], 0x76);
}

TEST(SpkiHashTest, RejectsMissingOrWrongPrefix) {
  ExpectInvalid("7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=");
  ExpectInvalid("sha1/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=");
  ExpectInvalid("SHA256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=");
  ExpectInvalid(" sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=");
  ExpectInvalid("");
  ExpectInvalid("sha256/");
  absl::StatusOr<SpkiHash> parsed = ParseSpkiHash("md5/abc");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("sha256/"), std::string::npos)
      << parsed.status();
}

TEST(SpkiHashTest, WrongLengthSaysHowManyBytesItDecodesTo) {
  auto message = [](absl::string_view pin) {
    return std::string(ParseSpkiHash(pin).status().message());
  };
  // base64 of 31 bytes ("==" padding), of 33 bytes (no padding), of 32
  // bytes without its padding, and not base64 at all.
  EXPECT_EQ(message("sha256/WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWg=="),
            "sha256/ pin decodes to 31 bytes; a SHA-256 hash is 32 (the pin "
            "must be the padded base64 of exactly 32 bytes: 44 characters "
            "ending in one '='), got 44 characters");
  EXPECT_NE(message("sha256/WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa")
                .find("decodes to 33 bytes; a SHA-256 hash is 32"),
            std::string::npos);
  EXPECT_NE(message("sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y")
                .find("holds 32 bytes but is not padded base64"),
            std::string::npos);
  EXPECT_NE(message("sha256/not*base64").find("is not base64"),
            std::string::npos);
}

TEST(SpkiHashTest, RejectsWrongPayloadLength) {
  // 31 bytes: 44 characters with "==" padding.
  std::string bytes31(31, '\x5a');
  unsigned char encoded[64];
  int n = EVP_EncodeBlock(encoded,
                          reinterpret_cast<const unsigned char*>(bytes31.data()),
                          static_cast<int>(bytes31.size()));
  std::string text31(reinterpret_cast<char*>(encoded), n);
  ASSERT_EQ(text31.size(), 44u);
  ExpectInvalid("sha256/" + text31);

  // 33 bytes: 44 characters, no padding.
  std::string bytes33(33, '\x5a');
  n = EVP_EncodeBlock(encoded,
                      reinterpret_cast<const unsigned char*>(bytes33.data()),
                      static_cast<int>(bytes33.size()));
  std::string text33(reinterpret_cast<char*>(encoded), n);
  ASSERT_EQ(text33.size(), 44u);
  ExpectInvalid("sha256/" + text33);

  // Unpadded 32 bytes and extra characters.
  ExpectInvalid("sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y");
  ExpectInvalid("sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y==");
  ExpectInvalid("sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=A");
}

TEST(SpkiHashTest, RejectsBadCharacters) {
  const std::string good = "7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y=";
  for (char bad : {'-', '_', ' ', '.', '\n', '\0', '=', '\xff'}) {
    for (size_t pos : {size_t{0}, size_t{20}, size_t{42}}) {
      std::string text = good;
      text[pos] = bad;
      ExpectInvalid("sha256/" + text);
    }
  }
  // Whitespace around the value.
  ExpectInvalid("sha256/" + good + "\n");
  ExpectInvalid("sha256/ " + good.substr(1));
}

TEST(SpkiHashTest, RejectsNonCanonicalLastCharacter) {
  // "3Y=" ends the canonical form: 'Y' = 24 = 0b011000, the low 2 bits are
  // unused. 'Z' (25) and 'b' (27) set them and decode to the same bytes.
  const std::string stem = "7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3";
  ASSERT_TRUE(ParseSpkiHash("sha256/" + stem + "Y=").ok());
  ExpectInvalid("sha256/" + stem + "Z=");
  ExpectInvalid("sha256/" + stem + "a=");
  ExpectInvalid("sha256/" + stem + "b=");
}

TEST(SpkiHashTest, HashSpkiDerIsSha256) {
  EXPECT_EQ(SpkiHashToString(HashSpkiDer("")),
            "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(SpkiHashToString(HashSpkiDer("abc")),
            "sha256/ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  std::string with_nul("a\0b", 3);
  EXPECT_NE(HashSpkiDer(with_nul), HashSpkiDer("a"));
}

TEST(SpkiHashTest, OrderingAndHashing) {
  SpkiHash a = HashWithBytes(1, 0);
  SpkiHash b = HashWithBytes(2, 0);
  EXPECT_TRUE(a < b);
  EXPECT_FALSE(b < a);
  EXPECT_NE(a, b);
  absl::flat_hash_set<SpkiHash> set = {a, b, a};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace pinbake
