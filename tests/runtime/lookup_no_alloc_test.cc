// The lookup path never allocates: operator new is counted while
// PinList::Lookup and CheckChain run over many kinds of hosts.

#include <atomic>
#include <cstdlib>
#include <new>

#include "absl/time/time.h"
#include "compiler/table_writer.h"
#include "gtest/gtest.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"
#include "tools/host_generator.h"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};
}  // namespace

// Every replaceable non-aligned form, so that all allocations and frees
// pair up through malloc/free (also under ASan).
namespace {
void* CountedAlloc(size_t size) noexcept {
  if (g_counting.load(std::memory_order_relaxed)) ++g_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* CountedAllocOrThrow(size_t size) {
  void* p = CountedAlloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
}  // namespace

void* operator new(size_t size) { return CountedAllocOrThrow(size); }
void* operator new[](size_t size) { return CountedAllocOrThrow(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  return CountedAlloc(size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return CountedAlloc(size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace pinbake {
namespace {

TEST(LookupNoAllocTest, LookupAndCheckDoNotAllocate) {
  PinListModel model;
  model.list.timestamp = 1700000000;
  SpkiHash good;
  good.bytes.fill(7);
  model.pinsets.push_back({"set", {good}, {}, "", ""});
  const char* names[] = {"example.com", "*.cdn.example.net", "a.b.c.example.org",
                         "open.example.com", "google"};
  for (const char* n : names) {
    HostEntry e;
    e.name = n;
    e.include_subdomains = std::string(n).find('*') == std::string::npos;
    e.force_https = true;
    e.pinset = "set";
    model.entries.push_back(e);
  }
  absl::StatusOr<std::string> bytes = WriteTable(model);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<PinList> list = PinList::FromBytes(*bytes);
  ASSERT_TRUE(list.ok());
  std::vector<std::string> queries = GenerateQueries(
      {"example.com", "*.cdn.example.net", "a.b.c.example.org"}, 20000, 9);
  for (const std::string& q :
       WorstCaseQueries({"example.com", "a.b.c.example.org"})) {
    queries.push_back(q);
  }
  const SpkiHash chain[] = {good};
  const absl::Time now = absl::FromUnixSeconds(1700000000 + 86400);

  g_allocations = 0;
  g_counting = true;
  uint64_t answers = 0;
  for (const std::string& q : queries) {
    LookupResult r = list->Lookup(q);
    answers += r.pinned() + r.force_https();
    ChainCheckResult c = CheckChain(*list, q, chain, true, now);
    answers += c.allowed;
  }
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
  EXPECT_GT(answers, 1000u);  // The loop really looked things up.
}

}  // namespace
}  // namespace pinbake
