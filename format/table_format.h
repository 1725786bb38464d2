// Constants of the binary table format. The format itself is described in
// one place, docs/format.md; keep the two in step.

#ifndef PINBAKE_FORMAT_TABLE_FORMAT_H_
#define PINBAKE_FORMAT_TABLE_FORMAT_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace pinbake {
namespace table_format {

inline constexpr absl::string_view kMagic("PINBAKE\0", 8);
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr size_t kHeaderSize = 104;
inline constexpr size_t kChecksumSize = 32;
inline constexpr size_t kKeySize = 32;
inline constexpr size_t kKeyRefSize = 2;
inline constexpr size_t kPinsetRecordSize = 24;
inline constexpr size_t kClassRecordSize = 4;
inline constexpr size_t kKindRecordSize = 2;
inline constexpr uint16_t kNoPinset = 0xFFFF;
inline constexpr size_t kMaxPinsets = 0xFFFF;  // Index 0xFFFF means "none".
inline constexpr size_t kMaxKeys = 0x10000;
inline constexpr size_t kMaxClasses = 256;
inline constexpr size_t kMaxKinds = 4096;
// Entries per block of the name stream: the default and the allowed range.
inline constexpr int kDefaultBlockSize = 16;
inline constexpr int kMinBlockSize = 1;
inline constexpr int kMaxBlockSize = 64;
// Symbols of the head prefix kept per block in the block index (6 bits
// each).
inline constexpr int kHeadPrefixSymbols = 5;
inline constexpr int kHeadPrefixBits = 30;
// Most labels a canonical entry name can have ("*" counts).
inline constexpr int kMaxLabels = 127;
// Alphabets of the codes: name symbols (one code per context), lcp values,
// kinds.
inline constexpr int kNameContexts = 41;
inline constexpr int kNameSymbols = 41;
inline constexpr int kLcpSymbols = 256;
// The list id is at most this long.
inline constexpr size_t kMaxListIdLength = 64;

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
inline constexpr size_t kOffKindCount = 56;
inline constexpr size_t kOffBlockCount = 60;
inline constexpr size_t kOffBlockSize = 64;
inline constexpr size_t kOffMaxEntryLabels = 65;
inline constexpr size_t kOffOffsetBits = 66;
inline constexpr size_t kOffReserved8 = 67;
inline constexpr size_t kOffWildcardCount = 68;
inline constexpr size_t kOffStringPoolSize = 72;
inline constexpr size_t kOffListIdOffset = 76;
inline constexpr size_t kOffListIdLength = 80;
inline constexpr size_t kOffReserved32 = 84;
inline constexpr size_t kOffStreamBits = 88;
inline constexpr size_t kOffTotalSize = 96;

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

#endif  // PINBAKE_FORMAT_TABLE_FORMAT_H_
