#include "runtime/list_id.h"

namespace pinbake {
namespace {

bool IsLetterOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

bool IsValidListId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxListIdLength) return false;
  if (!IsLetterOrDigit(id[0])) return false;
  for (char c : id) {
    if (!IsLetterOrDigit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace pinbake
