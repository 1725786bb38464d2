// Constants of the binary table format. The format itself is described in
// one place, docs/format.md; keep the two in step.

#ifndef PINBAKE_RUNTIME_TABLE_FORMAT_H_
#define PINBAKE_RUNTIME_TABLE_FORMAT_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace pinbake {
namespace table_format {

inline constexpr absl::string_view kMagic("PINBAKE\0", 8);
inline constexpr uint32_t kFormatVersion = 2;
inline constexpr size_t kHeaderSize = 96;
inline constexpr size_t kChecksumSize = 32;
inline constexpr size_t kKeySize = 32;
inline constexpr size_t kKeyRefSize = 2;
inline constexpr size_t kPinsetRecordSize = 24;
inline constexpr size_t kClassRecordSize = 4;
inline constexpr uint16_t kNoPinset = 0xFFFF;
inline constexpr size_t kMaxPinsets = 0xFFFF;  // Index 0xFFFF means "none".
inline constexpr size_t kMaxKeys = 0x10000;
inline constexpr int kMinFingerprintBits = 16;
inline constexpr int kMaxFingerprintBits = 48;
inline constexpr int kDefaultFingerprintBits = 36;
inline constexpr int kMaxClassBits = 8;
inline constexpr int kMaxPilotBits = 32;
// Most labels a canonical name can have: 253 bytes of one-byte labels.
inline constexpr int kMaxLabels = 127;
// Largest names section the reader will inflate.
inline constexpr uint64_t kMaxNamesBytes = uint64_t{1} << 30;

// Header field offsets.
inline constexpr size_t kOffMagic = 0;
inline constexpr size_t kOffFormatVersion = 8;
inline constexpr size_t kOffHeaderSize = 12;
inline constexpr size_t kOffListVersion = 16;
inline constexpr size_t kOffTimestamp = 24;
inline constexpr size_t kOffMaxAgeDays = 32;
inline constexpr size_t kOffEntryCount = 36;
inline constexpr size_t kOffPinsetCount = 40;
inline constexpr size_t kOffKeyCount = 44;
inline constexpr size_t kOffKeyRefCount = 48;
inline constexpr size_t kOffClassCount = 52;
inline constexpr size_t kOffHashSeed = 56;
inline constexpr size_t kOffSlotCount = 64;
inline constexpr size_t kOffBucketCount = 68;
inline constexpr size_t kOffFingerprintBits = 72;
inline constexpr size_t kOffClassBits = 73;
inline constexpr size_t kOffPilotBits = 74;
inline constexpr size_t kOffMaxEntryLabels = 75;
inline constexpr size_t kOffStringPoolSize = 76;
inline constexpr size_t kOffNamesSize = 80;
inline constexpr size_t kOffReserved = 84;
inline constexpr size_t kOffTotalSize = 88;

// Entry flag bits (in class records).
inline constexpr uint8_t kFlagIncludeSubdomains = 1 << 0;
inline constexpr uint8_t kFlagIncludeSubdomainsForPinning = 1 << 1;
inline constexpr uint8_t kFlagForceHttps = 1 << 2;
inline constexpr uint8_t kFlagReportOnly = 1 << 3;
inline constexpr uint8_t kFlagPublicSuffixPolicy = 1 << 4;
inline constexpr uint8_t kFlagWildcard = 1 << 5;
inline constexpr uint8_t kKnownFlags = 0x3F;

}  // namespace table_format
}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_TABLE_FORMAT_H_
