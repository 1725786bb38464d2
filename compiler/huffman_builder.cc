#include "compiler/huffman_builder.h"

#include <algorithm>
#include <queue>
#include <tuple>

namespace pinbake {
namespace {

// Unlimited Huffman lengths for the used symbols (frequency > 0).
std::vector<int> PlainLengths(const std::vector<uint64_t>& freq) {
  // Nodes: leaves 0..n-1, internal nodes after. Queue of (weight, order).
  struct Node {
    uint64_t weight;
    size_t order;
  };
  auto greater = [](const Node& a, const Node& b) {
    return std::tie(a.weight, a.order) > std::tie(b.weight, b.order);
  };
  std::priority_queue<Node, std::vector<Node>, decltype(greater)> queue(greater);
  const size_t n = freq.size();
  std::vector<size_t> parent(n, 0);
  for (size_t s = 0; s < n; ++s) {
    if (freq[s] > 0) queue.push({freq[s], s});
  }
  std::vector<int> lengths(n, 0);
  if (queue.size() < 2) return lengths;
  size_t next = n;
  while (queue.size() > 1) {
    const Node a = queue.top();
    queue.pop();
    const Node b = queue.top();
    queue.pop();
    parent.resize(next + 1, 0);
    parent[a.order] = next;
    parent[b.order] = next;
    queue.push({a.weight + b.weight, next});
    ++next;
  }
  const size_t root = next - 1;
  std::vector<int> depth(next, 0);
  for (size_t node = root; node-- > 0;) {
    if (node >= n || freq[node] > 0) depth[node] = depth[parent[node]] + 1;
  }
  for (size_t s = 0; s < n; ++s) {
    if (freq[s] > 0) lengths[s] = depth[s];
  }
  return lengths;
}

}  // namespace

std::vector<uint8_t> HuffmanLengths(const std::vector<uint64_t>& frequencies,
                                    int max_length) {
  std::vector<uint64_t> freq = frequencies;
  size_t used = 0;
  for (uint64_t f : freq) used += f > 0 ? 1 : 0;
  std::vector<uint8_t> out(freq.size(), 0);
  if (used == 0) return out;
  if (used == 1) {
    // A complete code needs two symbols: give the first unused one a code.
    for (size_t s = 0; s < freq.size(); ++s) {
      if (freq[s] == 0) {
        freq[s] = 1;
        break;
      }
    }
  }
  while (true) {
    const std::vector<int> lengths = PlainLengths(freq);
    const int longest = *std::max_element(lengths.begin(), lengths.end());
    if (longest <= max_length) {
      for (size_t s = 0; s < freq.size(); ++s) {
        out[s] = static_cast<uint8_t>(lengths[s]);
      }
      return out;
    }
    // Flatten the distribution and try again; terminates because all
    // weights reach 1 (a balanced code) within 64 rounds.
    for (uint64_t& f : freq) {
      if (f > 0) f = (f + 1) / 2;
    }
  }
}

std::vector<uint32_t> CanonicalCodes(const std::vector<uint8_t>& lengths) {
  int longest = 0;
  for (uint8_t l : lengths) longest = std::max<int>(longest, l);
  std::vector<uint32_t> count(longest + 2, 0);
  for (uint8_t l : lengths) {
    if (l > 0) ++count[l];
  }
  std::vector<uint32_t> next(longest + 2, 0);
  uint32_t code = 0;
  for (int len = 1; len <= longest; ++len) {
    code = (code + count[len - 1]) << 1;
    if (len == 1) code = 0;
    next[len] = code;
  }
  std::vector<uint32_t> codes(lengths.size(), 0);
  for (size_t s = 0; s < lengths.size(); ++s) {
    if (lengths[s] > 0) codes[s] = next[lengths[s]]++;
  }
  return codes;
}

void BitWriter::Append(uint32_t code, int length) {
  for (int i = length - 1; i >= 0; --i) {
    if (bit_size_ % 8 == 0) bytes_.push_back('\0');
    if ((code >> i) & 1) {
      bytes_.back() = static_cast<char>(static_cast<uint8_t>(bytes_.back()) |
                                        (0x80 >> (bit_size_ % 8)));
    }
    ++bit_size_;
  }
}

std::string BitWriter::PaddedBytes() const {
  std::string out = bytes_;
  out.append(8, '\0');
  return out;
}

}  // namespace pinbake
