// gen_list N [SEED]: prints a synthetic pinbake list of N entries (see
// tools/host_generator.h). Used for the compile-at-scale benchmark.

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "tools/host_generator.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: gen_list N [SEED] > list.json\n";
    return 2;
  }
  const uint64_t count = std::strtoull(argv[1], nullptr, 10);
  const uint64_t seed = argc == 3 ? std::strtoull(argv[2], nullptr, 10) : 1;
  std::cout << pinbake::GenerateListJson(count, seed);
  return 0;
}
