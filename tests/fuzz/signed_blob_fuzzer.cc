// Fuzzes the signed update blob verifier, ParseAndVerifySignedBlob
// (runtime/update/signed_blob.h), in two modes picked by the first input byte:
//
//   even: the rest is a blob, verified against two fixed trusted keys. This
//         covers the framing checks (length, magic, version, key id) and
//         signature verification of arbitrary bytes.
//   odd:  the byte after it picks a blob format version (mostly the current
//         one, 2) and the rest is a table, signed here with the fuzz key for
//         the list "fuzz-list", so the fuzzer gets past the signature into
//         the list id and table checks. Then:
//           - a blob with the current format version verifies exactly when
//             TableReader::Open accepts the table, and the verified table
//             is the signed bytes;
//           - changing any one byte of a good blob makes it fail.
//
// Every failure must carry an UpdateError (runtime/update/update_error.h).
// The two keys are fixed test keys made for this fuzzer and used nowhere
// else.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "runtime/pin_list.h"
#include "runtime/update/signed_blob.h"
#include "runtime/table_reader.h"
#include "runtime/update/update_error.h"
#include "runtime/update/update_key.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr char kFuzzKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIIlVNrCcMBSdlxDuB36CP/Dao1ZPN3Nf8MXdc+Y2aXC8
-----END PRIVATE KEY-----
)";
constexpr char kOtherKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIF85g/chMzrE4VFW4YWQn/vH++Qd1H0K6cbzLDI5BbmX
-----END PRIVATE KEY-----
)";

struct Keys {
  pinbake::UpdatePrivateKey signer;
  // The other key first, so that the signer's index is 1.
  std::vector<pinbake::UpdatePublicKey> trusted;
};

const Keys& GetKeys() {
  static const Keys* const keys = [] {
    absl::StatusOr<pinbake::UpdatePrivateKey> signer =
        pinbake::UpdatePrivateKey::FromPem(kFuzzKeyPem);
    absl::StatusOr<pinbake::UpdatePrivateKey> other =
        pinbake::UpdatePrivateKey::FromPem(kOtherKeyPem);
    FUZZ_CHECK(signer.ok() && other.ok());
    return new Keys{*signer, {other->public_key(), signer->public_key()}};
  }();
  return *keys;
}

constexpr absl::string_view kListId = "fuzz-list";

absl::StatusOr<pinbake::VerifiedBlob> Verify(absl::string_view blob) {
  absl::StatusOr<pinbake::VerifiedBlob> result =
      pinbake::ParseAndVerifySignedBlob(blob, GetKeys().trusted, kListId);
  if (!result.ok()) {
    FUZZ_CHECK(pinbake::GetUpdateError(result.status()).has_value());
    return result;
  }
  // The verified table is a view into the blob, signed by a trusted key.
  FUZZ_CHECK(result->table.data() >= blob.data());
  FUZZ_CHECK(result->table.data() + result->table.size() <=
             blob.data() + blob.size());
  FUZZ_CHECK(result->key_index < GetKeys().trusted.size());
  FUZZ_CHECK(result->key_id ==
             GetKeys().trusted[result->key_index].key_id());
  FUZZ_CHECK(result->reader.bytes() == result->table);
  FUZZ_CHECK(result->list_id == kListId);
  // A few lookups over the verified table.
  const pinbake::PinList list(result->reader);
  for (const char* host : {"example.com", "www.example.com", "a.b.example.org"}) {
    pinbake::LookupResult r = list.Lookup(host);
    if (r.pinned()) (void)r.pinset->good_count();
  }
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  if ((data[0] & 1) == 0) {
    (void)Verify(rest);
    return 0;
  }

  if (rest.empty()) return 0;
  const uint8_t v = static_cast<uint8_t>(rest[0]);
  const uint32_t current = pinbake::signed_blob_format::kFormatVersion;
  const uint32_t version = v < 0xF0 ? current : v - 0xF0;
  const absl::string_view table = rest.substr(1);
  absl::StatusOr<std::string> blob =
      pinbake::SignTableUnchecked(table, kListId, GetKeys().signer, version);
  FUZZ_CHECK(blob.ok());

  absl::StatusOr<pinbake::VerifiedBlob> verified = Verify(*blob);
  if (version == current) {
    // Verifies exactly when the table opens and names no list or this one.
    absl::StatusOr<pinbake::TableReader> reader =
        pinbake::TableReader::Open(table);
    const bool acceptable =
        reader.ok() &&
        (reader->list_id().empty() || reader->list_id() == kListId);
    FUZZ_CHECK(verified.ok() == acceptable);
  }
  if (verified.ok()) {
    FUZZ_CHECK(version == current);
    FUZZ_CHECK(verified->table == table);
    FUZZ_CHECK(verified->key_index == 1);
    // Tamper with one byte, chosen by the input, and expect a refusal.
    std::string tampered = *blob;
    size_t at = 0;
    for (size_t i = 0; i < size; ++i) at = at * 31 + data[i];
    at %= tampered.size();
    tampered[at] = static_cast<char>(tampered[at] ^ (1 + (size % 255)));
    FUZZ_CHECK(!Verify(tampered).ok());
  }
  return 0;
}
