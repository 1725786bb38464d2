// PinMode: whether a host's pins are enforced or only reported.

#ifndef PINBAKE_FORMAT_PIN_MODE_H_
#define PINBAKE_FORMAT_PIN_MODE_H_

namespace pinbake {

// kEnforce: a chain that fails the pinset is refused.
// kReportOnly: it is allowed, and the result says what would have failed.
enum class PinMode { kEnforce, kReportOnly };

// "enforce" or "report-only", the spelling used in lists and JSON output.
inline const char* PinModeName(PinMode mode) {
  return mode == PinMode::kReportOnly ? "report-only" : "enforce";
}

}  // namespace pinbake

#endif  // PINBAKE_FORMAT_PIN_MODE_H_
