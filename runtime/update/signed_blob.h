// Signed update blob: a pin table wrapped with an Ed25519 signature, the
// unit a release pipeline ships to clients (docs/format.md, "Signed update
// blob"; docs/release.md). This file holds the format's constants, the
// client-side parser/verifier and the signer.
//
// Layout of blob format version 2 (all integers little-endian):
//   0   8   magic "PINBSIG\0"
//   8   4   blob format version (2)
//   12  32  key id: SHA-256 of the signer's raw Ed25519 public key
//   44  32  list id (runtime/list_id.h), ASCII, NUL-padded to 32 bytes
//   76  8   table length N
//   84  N   table bytes (docs/format.md)
//   84+N 64 Ed25519 signature of kSignatureContext || bytes [0, 84+N)
// Version 1 (no list id) is refused: a blob that names no list cannot be
// bound to one.

#ifndef PINBAKE_RUNTIME_UPDATE_SIGNED_BLOB_H_
#define PINBAKE_RUNTIME_UPDATE_SIGNED_BLOB_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "runtime/table_reader.h"
#include "runtime/update/update_error.h"
#include "runtime/update/update_key.h"

namespace pinbake {
namespace signed_blob_format {

inline constexpr absl::string_view kMagic("PINBSIG\0", 8);
inline constexpr uint32_t kFormatVersion = 2;
// Field offsets and sizes.
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffFormatVersion = 8;
inline constexpr size_t kOffKeyId = 12;
inline constexpr size_t kOffListId = 44;
inline constexpr size_t kListIdFieldSize = 32;  // kMaxListIdLength.
inline constexpr size_t kOffTableLength = 76;
inline constexpr size_t kHeaderSize = 84;  // The table starts here.
// The fixed part every version shares (magic and version).
inline constexpr size_t kVersionedPrefixSize = 12;
inline constexpr size_t kSignatureSize = kEd25519SignatureSize;  // 64.
// Smallest possible blob: a header, an empty table and a signature.
inline constexpr size_t kMinBlobSize = kHeaderSize + kSignatureSize;
// Domain separation: the signed message is this string (25 bytes, the last
// one NUL) followed by every blob byte before the signature, so that a
// signature made for anything else with the same key never verifies here.
inline constexpr absl::string_view kSignatureContext(
    "pinbake/signed-update/v1\0", 25);

}  // namespace signed_blob_format

// The result of a successful ParseAndVerifySignedBlob.
struct VerifiedBlob {
  // The signed table: a view into the blob bytes given to the parser.
  absl::string_view table;
  // The list id from the signed header (equal to the expected one): a view
  // into the blob bytes.
  absl::string_view list_id;
  // A validated reader over `table`.
  TableReader reader;
  // The key that signed it, and its index in the trusted keys given.
  KeyId key_id{};
  size_t key_index = 0;
};

// Parses `blob`, checks its signature against `trusted_keys`, checks that
// it was made for the list `expected_list_id`, and opens the table. Checks,
// in this order, each failing with the UpdateError named
// (runtime/update/update_error.h):
//   1. fewer than 12 bytes (magic and version)         -> kTruncated
//   2. magic is not "PINBSIG\0"                        -> kBadMagic
//   3. blob format version is not 2                    -> kUnsupportedBlobVersion
//   4. fewer than 84 header bytes, or fewer bytes than
//      header + table length + 64                      -> kTruncated
//      more bytes than that                            -> kTrailingBytes
//   5. key id matches no key in `trusted_keys`         -> kUnknownKey
//   6. signature does not verify with that key         -> kBadSignature
//   7. the signed list id is not a valid list id (bad
//      characters, or bytes after its NUL padding)     -> kWrongList
//      or differs from `expected_list_id` (an empty or
//      invalid expected id never matches)              -> kWrongList
//   8. TableReader::Open refuses the table: an unsupported table format
//      version                                         -> kUnsupportedTableVersion
//      anything else (its reason is kept)              -> kBadTable
//   9. the table names a list (TableReader::list_id) other
//      than the header's                               -> kWrongList
// No byte of the list id or the table is interpreted before the signature
// verifies. Safe on any bytes; the returned views point into
// `blob`, which must outlive them.
absl::StatusOr<VerifiedBlob> ParseAndVerifySignedBlob(
    absl::string_view blob, absl::Span<const UpdatePublicKey> trusted_keys,
    absl::string_view expected_list_id);

// Wraps `table` into a signed blob (current blob format version) for the
// list `list_id`, signed by `key`. Refuses an invalid list id
// (InvalidArgument) and (InvalidArgument / FailedPrecondition, with
// TableReader::Open's reason) a table the runtime would not open, so that
// a broken table is never signed.
absl::StatusOr<std::string> SignTable(absl::string_view table,
                                      absl::string_view list_id,
                                      const UpdatePrivateKey& key);

// Like SignTable but signs any bytes as the table, writes
// `blob_format_version` into the header and copies at most 32 bytes of
// `list_id` unchecked: for tests and tools that need blobs a client must
// refuse. Never use it in a release pipeline.
absl::StatusOr<std::string> SignTableUnchecked(absl::string_view table,
                                               absl::string_view list_id,
                                               const UpdatePrivateKey& key,
                                               uint32_t blob_format_version);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_UPDATE_SIGNED_BLOB_H_
