// Signed update blob: a pin table wrapped with an Ed25519 signature, the
// unit a release pipeline ships to clients (docs/format.md, "Signed update
// blob"; docs/release.md). This file holds the format's constants, the
// client-side parser/verifier and the signer.
//
// Layout (all integers little-endian):
//   0   8   magic "PINBSIG\0"
//   8   4   blob format version (1)
//   12  32  key id: SHA-256 of the signer's raw Ed25519 public key
//   44  8   table length N
//   52  N   table bytes (docs/format.md)
//   52+N 64 Ed25519 signature of kSignatureContext || bytes [0, 52+N)

#ifndef PINBAKE_RUNTIME_SIGNED_BLOB_H_
#define PINBAKE_RUNTIME_SIGNED_BLOB_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "runtime/table_reader.h"
#include "runtime/update_error.h"
#include "runtime/update_key.h"

namespace pinbake {
namespace signed_blob_format {

inline constexpr absl::string_view kMagic("PINBSIG\0", 8);
inline constexpr uint32_t kFormatVersion = 1;
// Field offsets and sizes.
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffFormatVersion = 8;
inline constexpr size_t kOffKeyId = 12;
inline constexpr size_t kOffTableLength = 44;
inline constexpr size_t kHeaderSize = 52;  // The table starts here.
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
  // A validated reader over `table`.
  TableReader reader;
  // The key that signed it, and its index in the trusted keys given.
  KeyId key_id{};
  size_t key_index = 0;
};

// Parses `blob`, checks its signature against `trusted_keys` and opens the
// table. Checks, in this order, each failing with the UpdateError named
// (runtime/update_error.h):
//   1. fewer than 52 header bytes                      -> kTruncated
//   2. magic is not "PINBSIG\0"                        -> kBadMagic
//   3. blob format version is not 1                    -> kUnsupportedBlobVersion
//   4. fewer bytes than header + table length + 64     -> kTruncated
//      more bytes than that                            -> kTrailingBytes
//   5. key id matches no key in `trusted_keys`         -> kUnknownKey
//   6. signature does not verify with that key         -> kBadSignature
//   7. TableReader::Open refuses the table: an unsupported table format
//      version                                         -> kUnsupportedTableVersion
//      anything else (its reason is kept)              -> kBadTable
// Nothing in the table is looked at before the signature verifies. Safe on
// any bytes; the returned views point into `blob`, which must outlive them.
absl::StatusOr<VerifiedBlob> ParseAndVerifySignedBlob(
    absl::string_view blob, absl::Span<const UpdatePublicKey> trusted_keys);

// Wraps `table` into a signed blob (current blob format version) signed by
// `key`. Refuses (InvalidArgument / FailedPrecondition, with
// TableReader::Open's reason) a table the runtime would not open, so that
// a broken table is never signed.
absl::StatusOr<std::string> SignTable(absl::string_view table,
                                      const UpdatePrivateKey& key);

// Like SignTable but signs any bytes as the table and writes
// `blob_format_version` into the header: for tests and tools that need
// blobs a client must refuse. Never use it in a release pipeline.
absl::StatusOr<std::string> SignTableUnchecked(absl::string_view table,
                                               const UpdatePrivateKey& key,
                                               uint32_t blob_format_version);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_SIGNED_BLOB_H_
