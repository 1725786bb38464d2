// gen_queries TABLE.pinb N [SEED]: prints N query hosts, one per line, over
// the entry names of a table (see tools/host_generator.h), followed by the
// worst-case shapes for a few names.

#include <cstdlib>
#include <iostream>

#include "compiler/file_util.h"
#include "runtime/table_reader.h"
#include "tools/host_generator.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: gen_queries TABLE.pinb N [SEED] > queries.txt\n";
    return 2;
  }
  absl::StatusOr<std::string> bytes = pinbake::ReadFileToString(argv[1]);
  if (!bytes.ok()) {
    std::cerr << bytes.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<pinbake::TableReader> table =
      pinbake::TableReader::Open(*bytes);
  if (!table.ok()) {
    std::cerr << argv[1] << ": " << table.status().message() << "\n";
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> names = table->EntryNames();
  if (!names.ok()) {
    std::cerr << argv[1] << ": " << names.status().message() << "\n";
    return 2;
  }
  const uint64_t count = std::strtoull(argv[2], nullptr, 10);
  const uint64_t seed = argc == 4 ? std::strtoull(argv[3], nullptr, 10) : 1;
  for (const std::string& q : pinbake::GenerateQueries(*names, count, seed)) {
    std::cout << q << "\n";
  }
  std::vector<std::string> sample(names->begin(),
                                  names->begin() + std::min<size_t>(8, names->size()));
  for (const std::string& q : pinbake::WorstCaseQueries(sample)) {
    std::cout << q << "\n";
  }
  return 0;
}
