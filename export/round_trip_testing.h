// Test helpers of export/'s round trips: a lossless sample list, writing
// and compiling files, and comparing two lists' answers on every name the
// first implies.

#ifndef PINBAKE_EXPORT_ROUND_TRIP_TESTING_H_
#define PINBAKE_EXPORT_ROUND_TRIP_TESTING_H_

#include <string>

#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/platform_answer.h"
#include "format/spki_hash.h"

namespace pinbake {

// A hash whose 32 bytes are all `b`.
SpkiHash TestHash(uint8_t b);

// A list every platform expresses exactly (two pins per pinset, no
// wildcards, exclusions or blocked keys, enforced, one report URI):
// example.com and its subdomains, accounts.example.org (exact), with a
// timestamp and max_age_days 70.
PinListModel LosslessModel();

// `contents` written to TEST_TMPDIR/`name`; returns the path.
std::string WriteTestFile(absl::string_view name, absl::string_view contents);

// The table of `list_path` (+ `pins_path`, may be "") compiled with
// CompilePinList; a failed test assertion (and "") on compile errors.
std::string CompileListFile(const std::string& list_path,
                            const std::string& pins_path);

// Expects that the table `other` answers every implied name of `model`
// like `model` compiled, on `aspects`.
void ExpectSameAnswers(const PinListModel& model, absl::string_view other,
                       const AnswerAspects& aspects);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_ROUND_TRIP_TESTING_H_
