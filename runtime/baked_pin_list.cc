#include "runtime/baked_pin_list.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "runtime/pin_list.h"

namespace pinbake {

const PinList* NewBakedPinListOrDie(absl::string_view table,
                                    const char* name) {
  absl::StatusOr<PinList> list = PinList::FromBytes(table);
  if (!list.ok()) {
    const std::string reason = list.status().ToString();
    std::fprintf(stderr,
                 "pinbake: the baked pin list %s does not validate (was it "
                 "compiled by a pinbake whose table format this runtime "
                 "does not read?): %s\n",
                 name, reason.c_str());
    std::abort();
  }
  return new PinList(*list);
}

}  // namespace pinbake
