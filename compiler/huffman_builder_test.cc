#include "compiler/huffman_builder.h"

#include <random>

#include "gtest/gtest.h"
#include "format/huffman_code.h"

namespace pinbake {
namespace {

// Encodes `symbols` with the code of `lengths` and decodes them back.
void RoundTrip(const std::vector<uint8_t>& lengths,
               const std::vector<uint32_t>& symbols) {
  const std::vector<uint32_t> codes = CanonicalCodes(lengths);
  BitWriter writer;
  for (uint32_t s : symbols) writer.Append(codes[s], lengths[s]);
  const std::string bytes = writer.PaddedBytes();
  HuffmanDecoder decoder;
  ASSERT_TRUE(HuffmanDecoder::Build(lengths.data(), lengths.size(), &decoder).ok());
  BitCursor cursor(reinterpret_cast<const uint8_t*>(bytes.data()),
                   writer.bit_size(), 0);
  for (uint32_t s : symbols) EXPECT_EQ(decoder.Decode(&cursor), s);
  EXPECT_EQ(cursor.position(), writer.bit_size());
}

TEST(HuffmanBuilderTest, SkewedCodeRoundTripsAndIsLengthLimited) {
  std::vector<uint64_t> freq(300);
  for (size_t i = 0; i < freq.size(); ++i) freq[i] = uint64_t{1} << (i % 40);
  const std::vector<uint8_t> lengths = HuffmanLengths(freq, kMaxCodeLength);
  for (uint8_t l : lengths) {
    EXPECT_GE(l, 1);
    EXPECT_LE(l, kMaxCodeLength);
  }
  std::mt19937 rng(1);
  std::vector<uint32_t> symbols;
  for (int i = 0; i < 5000; ++i) symbols.push_back(rng() % freq.size());
  RoundTrip(lengths, symbols);
}

TEST(HuffmanBuilderTest, OneUsedSymbolStillGetsACompleteCode) {
  std::vector<uint64_t> freq(5, 0);
  freq[3] = 10;
  const std::vector<uint8_t> lengths = HuffmanLengths(freq, kMaxCodeLength);
  EXPECT_EQ(lengths[3], 1);
  EXPECT_EQ(lengths[0], 1);
  RoundTrip(lengths, {3, 3, 3});
}

TEST(HuffmanBuilderTest, UnusedAlphabetIsAllZero) {
  const std::vector<uint8_t> lengths =
      HuffmanLengths(std::vector<uint64_t>(7, 0), kMaxCodeLength);
  for (uint8_t l : lengths) EXPECT_EQ(l, 0);
  HuffmanDecoder decoder;
  ASSERT_TRUE(HuffmanDecoder::Build(lengths.data(), lengths.size(), &decoder).ok());
  EXPECT_TRUE(decoder.empty());
}

TEST(HuffmanDecoderTest, RefusesIncompleteAndOverfullCodes) {
  HuffmanDecoder decoder;
  const uint8_t incomplete[] = {1, 2, 0};
  EXPECT_FALSE(HuffmanDecoder::Build(incomplete, 3, &decoder).ok());
  const uint8_t overfull[] = {1, 1, 1};
  EXPECT_FALSE(HuffmanDecoder::Build(overfull, 3, &decoder).ok());
  const uint8_t too_long[] = {1, 16};
  EXPECT_FALSE(HuffmanDecoder::Build(too_long, 2, &decoder).ok());
}

TEST(BitCursorTest, ReadsZerosPastTheEnd) {
  const uint8_t bytes[9] = {0xE0};  // 3 bits, then the 8 padding bytes.
  BitCursor cursor(bytes, 3, 0);
  EXPECT_EQ(cursor.Peek() >> 61, 7u);
  cursor.Skip(3);
  EXPECT_EQ(cursor.Peek(), 0u);
  for (int i = 0; i < 1000; ++i) cursor.Skip(16);
  EXPECT_EQ(cursor.Peek(), 0u);
  EXPECT_EQ(cursor.position(), 3u + 16000u);
}

}  // namespace
}  // namespace pinbake
