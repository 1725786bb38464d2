// Little-endian loads and stores of fixed-width integers, for the table
// format (docs/format.md). Byte by byte: no alignment is assumed.

#ifndef PINBAKE_FORMAT_LITTLE_ENDIAN_H_
#define PINBAKE_FORMAT_LITTLE_ENDIAN_H_

#include <cstdint>
#include <string>

namespace pinbake {
namespace little_endian {

// Reads the N-byte little-endian unsigned integer at `p`.
template <typename T>
T Load(const uint8_t* p) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<T>(p[i]) << (8 * i);
  }
  return value;
}

// Appends `value` to `out` as sizeof(T) little-endian bytes.
template <typename T>
void Append(T value, std::string* out) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

}  // namespace little_endian
}  // namespace pinbake

#endif  // PINBAKE_FORMAT_LITTLE_ENDIAN_H_
