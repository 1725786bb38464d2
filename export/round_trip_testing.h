// Test helpers of export/'s round trips (header-only, so that the CMake
// build compiles them into each test): a lossless sample list, writing
// and compiling files, and comparing two lists' answers on every name the
// first implies.

#ifndef PINBAKE_EXPORT_ROUND_TRIP_TESTING_H_
#define PINBAKE_EXPORT_ROUND_TRIP_TESTING_H_

#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "compiler/compile.h"
#include "compiler/file_util.h"
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"
#include "export/implied_names.h"
#include "export/platform_answer.h"
#include "format/spki_hash.h"
#include "gtest/gtest.h"
#include "runtime/pin_list.h"

namespace pinbake {

// TestHash(b): a hash whose 32 bytes are all `b`.
// LosslessModel(): a list every platform expresses exactly (two pins per
//   pinset, no wildcards, exclusions or blocked keys, enforced, one report
//   URI): example.com with subdomains, accounts.example.org (exact),
//   timestamp 2025-12-01, max_age_days 70.
// WriteTestFile(name, contents): written to TEST_TMPDIR/name; the path.
// CompileListFile(list, pins): CompilePinList's table (a failed assertion
//   and "" on errors).
// ExpectSameAnswers(model, other, aspects): the table `other` answers every
//   implied name of `model` like `model` compiled.

inline SpkiHash TestHash(uint8_t b) {
  SpkiHash h;
  h.bytes.fill(b);
  return h;
}

inline PinListModel LosslessModel() {
  PinListModel model;
  model.list.timestamp = 1764547200;  // 2025-12-01T00:00:00Z
  model.list.max_age_days = 70;
  model.pinsets.push_back({"main", {TestHash(1), TestHash(2)}, {},
                           "https://reports.example.com/pkp", "pinsets[0]"});
  model.pinsets.push_back(
      {"accounts", {TestHash(3), TestHash(4)}, {}, "", "pinsets[1]"});
  HostEntry parent;
  parent.name = "example.com";
  parent.location = "entries[0]";
  parent.include_subdomains = true;
  parent.pinset = "main";
  model.entries.push_back(parent);
  HostEntry accounts;
  accounts.name = "accounts.example.org";
  accounts.location = "entries[1]";
  accounts.pinset = "accounts";
  model.entries.push_back(accounts);
  return model;
}

inline std::string WriteTestFile(absl::string_view name, absl::string_view contents) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(dir ? dir : "/tmp", "/", name);
  const absl::Status written = WriteFileAtomically(path, contents);
  EXPECT_TRUE(written.ok()) << written;
  return path;
}

inline std::string CompileListFile(const std::string& list_path,
                            const std::string& pins_path) {
  CompileOptions options;
  options.list_path = list_path;
  options.pins_path = pins_path;
  Diagnostics diags;
  CompileOutput out = CompilePinList(options, &diags);
  EXPECT_FALSE(diags.has_errors()) << list_path << " does not compile";
  return out.table;
}

inline void ExpectSameAnswers(const PinListModel& model, absl::string_view other,
                       const AnswerAspects& aspects) {
  absl::StatusOr<std::string> table = WriteTable(model);
  ASSERT_TRUE(table.ok()) << table.status();
  absl::StatusOr<PinList> original = PinList::FromBytes(*table);
  absl::StatusOr<PinList> copy = PinList::FromBytes(other);
  ASSERT_TRUE(original.ok() && copy.ok());
  int compared = 0;
  for (const ImpliedName& name : ImpliedNames(model)) {
    const PlatformAnswer a = PinbakeAnswer(*original, name.host);
    const PlatformAnswer b = PinbakeAnswer(*copy, name.host);
    EXPECT_TRUE(SameAnswer(a, b, aspects))
        << name.host << ": original " << DescribeAnswer(a, aspects)
        << "; round trip " << DescribeAnswer(b, aspects);
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_ROUND_TRIP_TESTING_H_
