// Tests of the signed update blob (runtime/update/signed_blob.h): round trip, every
// single-bit flip and every truncation refused with its specific reason,
// unknown and rotated keys, future format versions, domain separation, the
// list id binding.
// Tables come from the compiler's writer (a test-only dependency).

#include "runtime/update/signed_blob.h"

#include <openssl/err.h>

#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "absl/strings/str_cat.h"
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"
#include "format/table_format.h"
#include "runtime/update/update_error.h"
#include "runtime/update/update_key.h"

namespace pinbake {
namespace {

namespace sb = signed_blob_format;
using ::testing::HasSubstr;

constexpr absl::string_view kListId = "example-app";

SpkiHash HashOf(uint8_t fill) {
  SpkiHash h;
  h.bytes.fill(fill);
  return h;
}

// A small valid table: one pinned host with two pins.
std::string SmallTable(uint64_t version = 3, std::string list_id = "") {
  PinListModel m;
  m.list.version = version;
  m.list.list_id = std::move(list_id);
  m.list.timestamp = 1800000000;
  m.list.max_age_days = 70;
  m.pinsets.push_back({"p", {HashOf(1), HashOf(2)}, {}, "", "pinsets[0]"});
  HostEntry e;
  e.name = "a.example.com";
  e.pinset = "p";
  m.entries.push_back(e);
  absl::StatusOr<std::string> table = WriteTable(m);
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *table : std::string();
}

UpdatePrivateKey NewKey() {
  absl::StatusOr<UpdatePrivateKey> key = UpdatePrivateKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status();
  return *key;
}

std::optional<UpdateError> ErrorOf(absl::string_view blob,
                                   const std::vector<UpdatePublicKey>& keys) {
  absl::StatusOr<VerifiedBlob> v = ParseAndVerifySignedBlob(blob, keys, kListId);
  if (v.ok()) return std::nullopt;
  // Every refusal names its reason in the message too.
  std::optional<UpdateError> error = GetUpdateError(v.status());
  EXPECT_TRUE(error.has_value()) << v.status();
  if (error) {
    EXPECT_EQ(v.status().code(), UpdateErrorCode(*error));
    EXPECT_THAT(std::string(v.status().message()),
                ::testing::StartsWith(std::string(UpdateErrorName(*error)) +
                                      ": "));
  }
  return error;
}

class SignedBlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = SmallTable();
    key_a_ = NewKey();
    key_b_ = NewKey();
    absl::StatusOr<std::string> blob = SignTable(table_, kListId, key_a_);
    ASSERT_TRUE(blob.ok()) << blob.status();
    blob_ = *blob;
    trusted_ = {key_a_.public_key()};
  }
  void TearDown() override { EXPECT_EQ(ERR_peek_error(), 0u); }

  std::string table_;
  UpdatePrivateKey key_a_;
  UpdatePrivateKey key_b_;
  std::string blob_;
  std::vector<UpdatePublicKey> trusted_;
};

TEST_F(SignedBlobTest, LayoutIsAsDocumented) {
  ASSERT_EQ(blob_.size(), sb::kHeaderSize + table_.size() + sb::kSignatureSize);
  EXPECT_EQ(blob_.substr(0, 8), std::string("PINBSIG\0", 8));
  EXPECT_EQ(blob_.substr(8, 4), std::string("\x02\0\0\0", 4));
  const KeyId& id = key_a_.public_key().key_id();
  EXPECT_EQ(blob_.substr(12, 32),
            std::string(reinterpret_cast<const char*>(id.data()), 32));
  EXPECT_EQ(blob_.substr(44, 32),
            std::string("example-app") + std::string(32 - 11, '\0'));
  uint64_t len = 0;
  for (int i = 0; i < 8; ++i) {
    len |= uint64_t{static_cast<uint8_t>(blob_[76 + i])} << (8 * i);
  }
  EXPECT_EQ(len, table_.size());
  EXPECT_EQ(blob_.substr(84, table_.size()), table_);
}

TEST_F(SignedBlobTest, RoundTrip) {
  absl::StatusOr<VerifiedBlob> v = ParseAndVerifySignedBlob(blob_, trusted_, kListId);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->table, table_);
  EXPECT_EQ(v->table.data(), blob_.data() + sb::kHeaderSize);  // Zero-copy.
  EXPECT_EQ(v->reader.list_version(), 3u);
  EXPECT_EQ(v->key_id, key_a_.public_key().key_id());
  EXPECT_EQ(v->key_index, 0u);
  EXPECT_EQ(v->list_id, kListId);
  EXPECT_TRUE(v->reader.FindEntry("a.example.com").has_value());
}

TEST_F(SignedBlobTest, SigningIsDeterministic) {
  // Ed25519 signatures are deterministic: same key and table, same blob.
  absl::StatusOr<std::string> again = SignTable(table_, kListId, key_a_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, blob_);
}

TEST_F(SignedBlobTest, EverySingleBitFlipIsRejectedWithItsReason) {
  size_t flips = 0;
  for (size_t byte = 0; byte < blob_.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string mutated = blob_;
      mutated[byte] = static_cast<char>(mutated[byte] ^ (1 << bit));
      std::optional<UpdateError> error = ErrorOf(mutated, trusted_);
      ASSERT_TRUE(error.has_value())
          << "flip of bit " << bit << " of byte " << byte << " accepted";
      ++flips;
      if (byte < sb::kOffFormatVersion) {
        EXPECT_EQ(*error, UpdateError::kBadMagic) << byte;
      } else if (byte < sb::kOffKeyId) {
        EXPECT_EQ(*error, UpdateError::kUnsupportedBlobVersion) << byte;
      } else if (byte < sb::kOffListId) {
        EXPECT_EQ(*error, UpdateError::kUnknownKey) << byte;
      } else if (byte < sb::kOffTableLength) {
        // The list id is signed.
        EXPECT_EQ(*error, UpdateError::kBadSignature) << byte;
      } else if (byte < sb::kHeaderSize) {
        // A longer announced table is cut short; a shorter one leaves bytes.
        const bool longer =
            (static_cast<uint8_t>(blob_[byte]) & (1 << bit)) == 0;
        EXPECT_EQ(*error, longer ? UpdateError::kTruncated
                                 : UpdateError::kTrailingBytes)
            << byte;
      } else {
        // Table and signature bytes: the signature no longer verifies.
        EXPECT_EQ(*error, UpdateError::kBadSignature) << byte;
      }
    }
  }
  EXPECT_EQ(flips, blob_.size() * 8);
}

TEST_F(SignedBlobTest, EveryTruncationIsRejectedAsTruncated) {
  for (size_t len = 0; len < blob_.size(); ++len) {
    EXPECT_EQ(ErrorOf(blob_.substr(0, len), trusted_), UpdateError::kTruncated)
        << "prefix of " << len << " bytes";
  }
}

TEST_F(SignedBlobTest, TrailingBytesAreRejected) {
  EXPECT_EQ(ErrorOf(blob_ + std::string(1, '\0'), trusted_),
            UpdateError::kTrailingBytes);
  EXPECT_EQ(ErrorOf(blob_ + blob_, trusted_), UpdateError::kTrailingBytes);
}

TEST_F(SignedBlobTest, HugeAnnouncedLengthDoesNotOverflow) {
  std::string mutated = blob_;
  for (int i = 0; i < 8; ++i) mutated[sb::kOffTableLength + i] = '\xff';
  EXPECT_EQ(ErrorOf(mutated, trusted_), UpdateError::kTruncated);
  // 2^64 - 64 + small: would wrap if header + length + 64 were added.
  mutated[sb::kOffTableLength] = '\xc0';
  EXPECT_EQ(ErrorOf(mutated, trusted_), UpdateError::kTruncated);
}

TEST_F(SignedBlobTest, UnknownKeyIsRejected) {
  absl::StatusOr<std::string> by_b = SignTable(table_, kListId, key_b_);
  ASSERT_TRUE(by_b.ok());
  EXPECT_EQ(ErrorOf(*by_b, trusted_), UpdateError::kUnknownKey);
  absl::StatusOr<VerifiedBlob> v = ParseAndVerifySignedBlob(*by_b, trusted_, kListId);
  EXPECT_THAT(std::string(v.status().message()),
              HasSubstr(KeyIdToHex(key_b_.public_key().key_id())));
  // No trusted key at all.
  EXPECT_EQ(ErrorOf(blob_, {}), UpdateError::kUnknownKey);
}

TEST_F(SignedBlobTest, ClaimingATrustedKeyIdDoesNotHelpAForger) {
  // Signed by B but labelled with A's key id.
  absl::StatusOr<std::string> by_b = SignTable(table_, kListId, key_b_);
  ASSERT_TRUE(by_b.ok());
  const KeyId& a_id = key_a_.public_key().key_id();
  by_b->replace(sb::kOffKeyId, kKeyIdSize,
                reinterpret_cast<const char*>(a_id.data()), kKeyIdSize);
  EXPECT_EQ(ErrorOf(*by_b, trusted_), UpdateError::kBadSignature);
}

TEST_F(SignedBlobTest, KeyRotationAcceptsTheSecondTrustedKey) {
  absl::StatusOr<std::string> by_b = SignTable(table_, kListId, key_b_);
  ASSERT_TRUE(by_b.ok());
  const std::vector<UpdatePublicKey> both = {key_a_.public_key(),
                                             key_b_.public_key()};
  absl::StatusOr<VerifiedBlob> v = ParseAndVerifySignedBlob(*by_b, both, kListId);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->key_index, 1u);
  EXPECT_EQ(v->key_id, key_b_.public_key().key_id());
  // The old key keeps working during the rotation.
  v = ParseAndVerifySignedBlob(blob_, both, kListId);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->key_index, 0u);
}

TEST_F(SignedBlobTest, FutureBlobFormatVersionIsRejected) {
  absl::StatusOr<std::string> future =
      SignTableUnchecked(table_, kListId, key_a_, sb::kFormatVersion + 1);
  ASSERT_TRUE(future.ok());
  EXPECT_EQ(ErrorOf(*future, trusted_), UpdateError::kUnsupportedBlobVersion);
  absl::StatusOr<VerifiedBlob> v = ParseAndVerifySignedBlob(*future, trusted_, kListId);
  EXPECT_THAT(std::string(v.status().message()),
              HasSubstr("blob format version 3"));
}

TEST_F(SignedBlobTest, VersionOneBlobWithoutListIdIsRefused) {
  // The version 1 layout: magic, version 1, key id, table length, table,
  // signature. Readers refuse it: it names no list.
  std::string v1(sb::kMagic);
  v1 += std::string("\x01\0\0\0", 4);
  const KeyId& id = key_a_.public_key().key_id();
  v1.append(reinterpret_cast<const char*>(id.data()), id.size());
  for (int i = 0; i < 8; ++i) {
    v1 += static_cast<char>((table_.size() >> (8 * i)) & 0xFF);
  }
  v1 += table_;
  absl::StatusOr<std::string> sig =
      key_a_.Sign(absl::StrCat(sb::kSignatureContext, v1));
  ASSERT_TRUE(sig.ok());
  v1 += *sig;
  EXPECT_EQ(ErrorOf(v1, trusted_), UpdateError::kUnsupportedBlobVersion);
  absl::StatusOr<VerifiedBlob> v = ParseAndVerifySignedBlob(v1, trusted_, kListId);
  EXPECT_THAT(std::string(v.status().message()), HasSubstr("--list-id"));
}

TEST_F(SignedBlobTest, BlobOfAnotherListIsRefusedAsWrongList) {
  // Another product's blob, signed with the same trusted key.
  absl::StatusOr<std::string> other = SignTable(table_, "other-app", key_a_);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(ErrorOf(*other, trusted_), UpdateError::kWrongList);
  absl::StatusOr<VerifiedBlob> v =
      ParseAndVerifySignedBlob(*other, trusted_, kListId);
  EXPECT_THAT(std::string(v.status().message()),
              HasSubstr("for list \"other-app\", but this client expects "
                        "list \"example-app\""));
  // A prefix of the expected id is another id.
  other = SignTable(table_, "example", key_a_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(ErrorOf(*other, trusted_), UpdateError::kWrongList);
  // An empty or invalid expected id never matches, whatever was signed.
  EXPECT_EQ(GetUpdateError(ParseAndVerifySignedBlob(blob_, trusted_, "")
                               .status()),
            UpdateError::kWrongList);
  absl::StatusOr<std::string> empty_id =
      SignTableUnchecked(table_, "", key_a_, sb::kFormatVersion);
  ASSERT_TRUE(empty_id.ok());
  EXPECT_EQ(GetUpdateError(
                ParseAndVerifySignedBlob(*empty_id, trusted_, "").status()),
            UpdateError::kWrongList);
}

TEST_F(SignedBlobTest, TableNamingAnotherListIsNeitherSignedNorAccepted) {
  // The table carries its list.id: signing it for another list is refused,
  // and a blob whose header and table disagree (made by hand) is wrong-list.
  const std::string named = SmallTable(3, "other-app");
  absl::StatusOr<std::string> refused = SignTable(named, kListId, key_a_);
  EXPECT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("the table is list \"other-app\""));
  absl::StatusOr<std::string> forged =
      SignTableUnchecked(named, kListId, key_a_, sb::kFormatVersion);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(ErrorOf(*forged, trusted_), UpdateError::kWrongList);
  // The same table signed for its own list verifies for that list.
  absl::StatusOr<std::string> own = SignTable(named, "other-app", key_a_);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(ParseAndVerifySignedBlob(*own, trusted_, "other-app").ok());
}

TEST_F(SignedBlobTest, MalformedSignedListIdIsRefused) {
  for (std::string id : {std::string("Example-App"), std::string("a b"),
                         std::string("example-app\0x", 13)}) {
    absl::StatusOr<std::string> blob =
        SignTableUnchecked(table_, id, key_a_, sb::kFormatVersion);
    ASSERT_TRUE(blob.ok());
    EXPECT_EQ(ErrorOf(*blob, trusted_), UpdateError::kWrongList) << id;
  }
  // SignTable refuses an invalid list id in the first place.
  absl::StatusOr<std::string> refused = SignTable(table_, "Bad Id", key_a_);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("not a valid list id"));
}

TEST_F(SignedBlobTest, FutureTableFormatVersionIsRejected) {
  // A correctly signed table that announces a format version this reader
  // does not know.
  std::string table = table_;
  const uint32_t future = table_format::kFormatVersion + 1;
  for (int i = 0; i < 4; ++i) {
    table[table_format::kOffFormatVersion + i] =
        static_cast<char>((future >> (8 * i)) & 0xFF);
  }
  absl::StatusOr<std::string> blob =
      SignTableUnchecked(table, kListId, key_a_, sb::kFormatVersion);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(ErrorOf(*blob, trusted_), UpdateError::kUnsupportedTableVersion);
  // SignTable refuses to sign it in the first place.
  absl::StatusOr<std::string> refused = SignTable(table, kListId, key_a_);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("refusing to sign"));
}

TEST_F(SignedBlobTest, SignedGarbageTableIsRejectedAsBadTable) {
  std::string garbage = table_;
  garbage[garbage.size() - 1] ^= 1;  // Breaks the table's own checksum.
  absl::StatusOr<std::string> blob =
      SignTableUnchecked(garbage, kListId, key_a_, sb::kFormatVersion);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(ErrorOf(*blob, trusted_), UpdateError::kBadTable);
  blob = SignTableUnchecked("", kListId, key_a_, sb::kFormatVersion);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(blob->size(), sb::kMinBlobSize);
  EXPECT_EQ(ErrorOf(*blob, trusted_), UpdateError::kBadTable);
}

TEST_F(SignedBlobTest, SignatureWithoutTheContextStringDoesNotVerify) {
  // Sign the same bytes without the domain-separation prefix.
  const size_t signed_size = blob_.size() - sb::kSignatureSize;
  absl::StatusOr<std::string> raw_sig =
      key_a_.Sign(absl::string_view(blob_).substr(0, signed_size));
  ASSERT_TRUE(raw_sig.ok());
  std::string forged = blob_.substr(0, signed_size) + *raw_sig;
  EXPECT_EQ(ErrorOf(forged, trusted_), UpdateError::kBadSignature);
}

TEST_F(SignedBlobTest, OtherTablesSignatureDoesNotTransfer) {
  absl::StatusOr<std::string> other = SignTable(SmallTable(4), kListId, key_a_);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), blob_.size());
  std::string spliced = blob_.substr(0, blob_.size() - sb::kSignatureSize) +
                        other->substr(other->size() - sb::kSignatureSize);
  EXPECT_EQ(ErrorOf(spliced, trusted_), UpdateError::kBadSignature);
}

TEST(UpdateErrorTest, NamesCodesAndPayloadRoundTrip) {
  const UpdateError all[] = {
      UpdateError::kTruncated,       UpdateError::kBadMagic,
      UpdateError::kUnsupportedBlobVersion, UpdateError::kTrailingBytes,
      UpdateError::kUnknownKey,      UpdateError::kBadSignature,
      UpdateError::kUnsupportedTableVersion, UpdateError::kBadTable,
      UpdateError::kWrongList,       UpdateError::kFutureTimestamp,
      UpdateError::kMaxAgeTooLong,
      UpdateError::kRollback,        UpdateError::kReplay,
      UpdateError::kOlderTimestamp,  UpdateError::kStale};
  std::set<std::string> names;
  for (UpdateError e : all) {
    absl::Status s = UpdateErrorStatus(e, "detail");
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(GetUpdateError(s), e);
    EXPECT_EQ(s.code(), UpdateErrorCode(e));
    EXPECT_EQ(s.message(), std::string(UpdateErrorName(e)) + ": detail");
    names.insert(UpdateErrorName(e));
  }
  EXPECT_EQ(names.size(), std::size(all));
  EXPECT_EQ(GetUpdateError(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(GetUpdateError(absl::InvalidArgumentError("truncated: x")),
            std::nullopt);
}

}  // namespace
}  // namespace pinbake
