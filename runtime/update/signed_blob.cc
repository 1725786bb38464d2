#include "runtime/update/signed_blob.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "runtime/list_id.h"
#include "format/little_endian.h"

namespace pinbake {
namespace {

namespace sb = signed_blob_format;
using little_endian::Load;

std::string SignedMessage(absl::string_view signed_part) {
  return absl::StrCat(sb::kSignatureContext, signed_part);
}

}  // namespace

absl::StatusOr<VerifiedBlob> ParseAndVerifySignedBlob(
    absl::string_view blob, absl::Span<const UpdatePublicKey> trusted_keys,
    absl::string_view expected_list_id) {
  const auto* data = reinterpret_cast<const uint8_t*>(blob.data());
  // 1-3: magic and version, shared by every blob format version.
  if (blob.size() < sb::kVersionedPrefixSize) {
    return UpdateErrorStatus(
        UpdateError::kTruncated,
        absl::StrCat("the blob is ", blob.size(),
                     " bytes, too short for its magic and version"));
  }
  if (blob.substr(sb::kOffMagic, sb::kMagic.size()) != sb::kMagic) {
    return UpdateErrorStatus(UpdateError::kBadMagic,
                             "not a pinbake signed update blob (magic is not "
                             "\"PINBSIG\\0\")");
  }
  const uint32_t version = Load<uint32_t>(data + sb::kOffFormatVersion);
  if (version != sb::kFormatVersion) {
    return UpdateErrorStatus(
        UpdateError::kUnsupportedBlobVersion,
        absl::StrCat("blob format version ", version, " (this reader supports ",
                     sb::kFormatVersion,
                     version == 1 ? "; version 1 blobs carry no list id: "
                                    "re-sign the table with pinbake sign "
                                    "--list-id)"
                                  : ")"));
  }
  if (blob.size() < sb::kHeaderSize) {
    return UpdateErrorStatus(
        UpdateError::kTruncated,
        absl::StrCat("the blob is ", blob.size(), " bytes, its header alone is ",
                     sb::kHeaderSize));
  }
  // 4: lengths, in 64 bits with no overflow: compare the table length with
  // what is left after the header and the signature.
  const uint64_t table_length = Load<uint64_t>(data + sb::kOffTableLength);
  const uint64_t available =
      blob.size() < sb::kMinBlobSize ? 0 : blob.size() - sb::kMinBlobSize;
  if (blob.size() < sb::kMinBlobSize || table_length > available) {
    return UpdateErrorStatus(
        UpdateError::kTruncated,
        absl::StrCat("the header announces a ", table_length,
                     "-byte table and a ", sb::kSignatureSize,
                     "-byte signature, but only ",
                     blob.size() - sb::kHeaderSize, " bytes follow it"));
  }
  if (table_length < available) {
    return UpdateErrorStatus(
        UpdateError::kTrailingBytes,
        absl::StrCat(available - table_length,
                     " unexpected bytes after the signature"));
  }
  const size_t signed_size = sb::kHeaderSize + static_cast<size_t>(table_length);

  // 5: key id.
  KeyId key_id;
  std::memcpy(key_id.data(), data + sb::kOffKeyId, key_id.size());
  size_t key_index = trusted_keys.size();
  for (size_t i = 0; i < trusted_keys.size(); ++i) {
    if (trusted_keys[i].key_id() == key_id) {
      key_index = i;
      break;
    }
  }
  if (key_index == trusted_keys.size()) {
    return UpdateErrorStatus(
        UpdateError::kUnknownKey,
        absl::StrCat("signed by key id ", KeyIdToHex(key_id),
                     ", which is not among the ", trusted_keys.size(),
                     " trusted key(s)"));
  }

  // 6: signature, over the context string and every byte before it.
  if (!trusted_keys[key_index].Verify(SignedMessage(blob.substr(0, signed_size)),
                                      blob.substr(signed_size))) {
    return UpdateErrorStatus(
        UpdateError::kBadSignature,
        absl::StrCat("the Ed25519 signature does not verify with key id ",
                     KeyIdToHex(key_id)));
  }

  // 7: the list id, a NUL-padded field.
  const absl::string_view id_field =
      blob.substr(sb::kOffListId, sb::kListIdFieldSize);
  const absl::string_view list_id = id_field.substr(0, id_field.find('\0'));
  const bool padding_is_zero =
      id_field.find_first_not_of('\0', list_id.size()) ==
      absl::string_view::npos;
  if (!padding_is_zero || !IsValidListId(list_id)) {
    return UpdateErrorStatus(UpdateError::kWrongList,
                             absl::StrCat("the blob's list id field is not a "
                                          "valid list id (", kListIdRules,
                                          ")"));
  }
  if (!IsValidListId(expected_list_id) || list_id != expected_list_id) {
    return UpdateErrorStatus(
        UpdateError::kWrongList,
        absl::StrCat("the blob is for list \"", list_id,
                     "\", but this client expects list \"", expected_list_id,
                     "\""));
  }

  // 8: the table itself.
  const absl::string_view table =
      blob.substr(sb::kHeaderSize, static_cast<size_t>(table_length));
  absl::StatusOr<TableReader> reader = TableReader::Open(table);
  if (!reader.ok()) {
    const UpdateError error =
        reader.status().code() == absl::StatusCode::kFailedPrecondition
            ? UpdateError::kUnsupportedTableVersion
            : UpdateError::kBadTable;
    return UpdateErrorStatus(error, reader.status().message());
  }
  // A table that names its list must be the list the header names.
  if (!reader->list_id().empty() && reader->list_id() != list_id) {
    return UpdateErrorStatus(
        UpdateError::kWrongList,
        absl::StrCat("the blob's header is for list \"", list_id,
                     "\", but its table is list \"", reader->list_id(), "\""));
  }
  VerifiedBlob out;
  out.table = table;
  out.list_id = list_id;
  out.reader = *reader;
  out.key_id = key_id;
  out.key_index = key_index;
  return out;
}

absl::StatusOr<std::string> SignTableUnchecked(absl::string_view table,
                                               absl::string_view list_id,
                                               const UpdatePrivateKey& key,
                                               uint32_t blob_format_version) {
  std::string blob;
  blob.reserve(sb::kMinBlobSize + table.size());
  blob.append(sb::kMagic.data(), sb::kMagic.size());
  little_endian::Append<uint32_t>(blob_format_version, &blob);
  const KeyId& id = key.public_key().key_id();
  blob.append(reinterpret_cast<const char*>(id.data()), id.size());
  const absl::string_view list_id_bytes =
      list_id.substr(0, sb::kListIdFieldSize);
  blob.append(list_id_bytes.data(), list_id_bytes.size());
  blob.append(sb::kListIdFieldSize - list_id_bytes.size(), '\0');
  little_endian::Append<uint64_t>(table.size(), &blob);
  blob.append(table.data(), table.size());
  absl::StatusOr<std::string> signature = key.Sign(SignedMessage(blob));
  if (!signature.ok()) return signature.status();
  blob += *signature;
  return blob;
}

absl::StatusOr<std::string> SignTable(absl::string_view table,
                                      absl::string_view list_id,
                                      const UpdatePrivateKey& key) {
  if (!IsValidListId(list_id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to sign: \"", list_id, "\" is not a valid list id (",
        kListIdRules, ")"));
  }
  absl::StatusOr<TableReader> reader = TableReader::Open(table);
  if (!reader.ok()) {
    return absl::Status(
        reader.status().code(),
        absl::StrCat("refusing to sign: ", reader.status().message()));
  }
  if (!reader->list_id().empty() && reader->list_id() != list_id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "refusing to sign: the table is list \"", reader->list_id(),
        "\" (its list.id), not \"", list_id, "\""));
  }
  return SignTableUnchecked(table, list_id, key,
                            signed_blob_format::kFormatVersion);
}

}  // namespace pinbake
