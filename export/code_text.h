// Text pieces shared by the writers of export/: string literals of the
// generated Java, Kotlin and Swift sources, one-line comments, identifier
// checks, and the list's expiry time.

#ifndef PINBAKE_EXPORT_CODE_TEXT_H_
#define PINBAKE_EXPORT_CODE_TEXT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"

namespace pinbake {

// Which language a string literal is for.
enum class SourceLanguage { kJava, kKotlin, kSwift };

// `text` as a double-quoted string literal of `language`: printable ASCII
// as is except `"` and `\` (and Kotlin's `$`), every other byte escaped
// (Java: octal, since javac expands \u escapes before lexing; Kotlin
// \uXXXX; Swift \u{X}), so no input can end the literal.
std::string QuotedString(absl::string_view text, SourceLanguage language);

// `text` made safe inside a one-line comment of a source or JSON output:
// control bytes, non-ASCII and '\\' (javac's \u escapes) become '?', "*/"
// becomes "* /".
std::string CommentSafe(absl::string_view text);

// CommentSafe, and also no "--" (not allowed in XML comments; "- -").
std::string XmlCommentSafe(absl::string_view text);

// Whether `name` is a Java/Kotlin/Swift identifier of ASCII letters,
// digits and '_' not starting with a digit, 1 to 100 bytes, and not a
// Java keyword.
bool IsSourceIdentifier(absl::string_view name);

// Whether `name` is dot-separated IsSourceIdentifier parts (a package).
bool IsPackageName(absl::string_view name);

// Unix seconds after which pinbake stops enforcing the list's pins
// (docs/lookup.md: stale when now > timestamp + max_age_days); 0 when the
// list has no timestamp (never enforced).
int64_t ListExpiresAt(const ListInfo& list);

// The UTC date "YYYY-MM-DD" of unix seconds `t`.
std::string UtcDate(int64_t t);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_CODE_TEXT_H_
