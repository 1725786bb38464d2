#include "compiler/cc_emitter.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace pinbake {
namespace {

// Bytes per line of the generated array.
constexpr size_t kBytesPerLine = 12;

// C++ keywords and alternative tokens up to C++20: none may name a
// generated declaration or namespace.
constexpr absl::string_view kKeywords[] = {
    "alignas",      "alignof",       "and",          "and_eq",
    "asm",          "auto",          "bitand",       "bitor",
    "bool",         "break",         "case",         "catch",
    "char",         "char8_t",       "char16_t",     "char32_t",
    "class",        "compl",         "concept",      "const",
    "consteval",    "constexpr",     "constinit",    "const_cast",
    "continue",     "co_await",      "co_return",    "co_yield",
    "decltype",     "default",       "delete",       "do",
    "double",       "dynamic_cast",  "else",         "enum",
    "explicit",     "export",        "extern",       "false",
    "float",        "for",           "friend",       "goto",
    "if",           "inline",        "int",          "long",
    "mutable",      "namespace",     "new",          "noexcept",
    "not",          "not_eq",        "nullptr",      "operator",
    "or",           "or_eq",         "private",      "protected",
    "public",       "register",      "reinterpret_cast", "requires",
    "return",       "short",         "signed",       "sizeof",
    "static",       "static_assert", "static_cast",  "struct",
    "switch",       "template",      "this",         "thread_local",
    "throw",        "true",          "try",          "typedef",
    "typeid",       "typename",      "union",        "unsigned",
    "using",        "virtual",       "void",         "volatile",
    "wchar_t",      "while",         "xor",          "xor_eq",
};

// Names that common C/C++ headers (or GCC in GNU modes) define as macros:
// a declaration with such a name would not compile. Not exhaustive.
constexpr absl::string_view kMacroNames[] = {
    "NULL",   "EOF",    "assert", "errno", "stdin", "stdout",
    "stderr", "offsetof", "unix", "linux", "i386",
};

bool IsIdentStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// Printable ASCII without '"' and '\\', and without "??" (trigraphs): safe
// inside the string literal of an #include.
absl::Status ValidateTextField(absl::string_view text, absl::string_view what) {
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" contains a control or non-ASCII byte 0x%02x", what,
          absl::CHexEscape(text), u));
    }
    if (c == '\\' || c == '"') {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" must not contain '%c'", what, absl::CHexEscape(text), c));
    }
  }
  if (absl::StrContains(text, "??")) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" must not contain \"??\" (a trigraph start)", what,
        absl::CHexEscape(text)));
  }
  return absl::OkStatus();
}

// "examples/app/example_pins.h" -> "PINBAKE_GENERATED_EXAMPLES_APP_EXAMPLE_PINS_H_".
// Runs of non-alphanumerics become one '_', so the guard never holds "__".
std::string HeaderGuard(absl::string_view include_path) {
  std::string guard = "PINBAKE_GENERATED_";
  for (char c : include_path) {
    if (absl::ascii_isalnum(c)) {
      guard.push_back(absl::ascii_toupper(c));
    } else if (guard.back() != '_') {
      guard.push_back('_');
    }
  }
  if (guard.back() != '_') guard.push_back('_');
  return guard;
}

// The table as the lines of an array initializer, kBytesPerLine per line.
void AppendArrayBody(absl::string_view table, std::string* out) {
  for (size_t i = 0; i < table.size(); i += kBytesPerLine) {
    out->append("    ");
    const size_t end = std::min(table.size(), i + kBytesPerLine);
    for (size_t j = i; j < end; ++j) {
      absl::StrAppendFormat(out, "0x%02x,",
                            static_cast<unsigned char>(table[j]));
      if (j + 1 < end) out->push_back(' ');
    }
    out->push_back('\n');
  }
}

}  // namespace

absl::Status ValidateCcIdentifier(absl::string_view name,
                                  absl::string_view what) {
  if (name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": empty; need a C++ identifier"));
  }
  if (!IsIdentStart(name[0])) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" is not a C++ identifier (must start with a letter or "
        "'_')",
        what, absl::CHexEscape(name)));
  }
  for (char c : name) {
    if (!IsIdentChar(c)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" is not a C++ identifier (character '%s' is not "
          "[A-Za-z0-9_])",
          what, absl::CHexEscape(name),
          absl::CHexEscape(absl::string_view(&c, 1))));
    }
  }
  if (name[0] == '_') {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" starts with '_' (such names are reserved at global scope "
        "or with an uppercase letter next); start with a letter",
        what, name));
  }
  if (absl::StrContains(name, "__")) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" contains \"__\" (reserved for the implementation)", what,
        name));
  }
  for (absl::string_view keyword : kKeywords) {
    if (name == keyword) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: \"%s\" is a C++ keyword", what, name));
    }
  }
  for (absl::string_view macro : kMacroNames) {
    if (name == macro) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" is a macro in common headers; choose another name", what,
          name));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCcNamespace(absl::string_view ns,
                                 absl::string_view what) {
  if (ns.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": empty; need a C++ namespace such as my_app or my::app"));
  }
  if (absl::StartsWith(ns, "::")) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" must not start with \"::\" (write a::b, which is always "
        "relative to the global namespace here)",
        what, absl::CHexEscape(ns)));
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(ns, "::");
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: \"%s\" has an empty component (components are C++ identifiers "
          "joined by \"::\")",
          what, absl::CHexEscape(ns)));
    }
    absl::Status status = ValidateCcIdentifier(
        parts[i], absl::StrFormat("%s: component %d of \"%s\"", what, i + 1,
                                  absl::CHexEscape(ns)));
    if (!status.ok()) return status;
  }
  if (parts[0] == "std" || parts[0] == "pinbake") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" is inside namespace %s, which generated code must not "
        "extend; choose your own namespace",
        what, ns, parts[0]));
  }
  return absl::OkStatus();
}

absl::Status ValidateCcName(absl::string_view name, absl::string_view what) {
  absl::Status status = ValidateCcIdentifier(name, what);
  if (!status.ok()) return status;
  if (absl::EndsWith(name, "_")) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: \"%s\" ends with '_', so %s_table would contain \"__\" "
        "(reserved); drop the trailing '_'",
        what, name, name));
  }
  return absl::OkStatus();
}

absl::StatusOr<CcSources> EmitCcSources(absl::string_view table,
                                        const CcEmitterOptions& options) {
  if (table.empty()) {
    return absl::InvalidArgumentError("cc emitter: the table is empty");
  }
  absl::Status status = ValidateCcNamespace(options.cc_namespace, "namespace");
  if (!status.ok()) return status;
  status = ValidateCcName(options.name, "name");
  if (!status.ok()) return status;
  if (options.include_path.empty()) {
    return absl::InvalidArgumentError("include path: empty");
  }
  status = ValidateTextField(options.include_path, "include path");
  if (!status.ok()) return status;
  std::string description = options.source_description;
  for (char& c : description) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '\\' || c == '?') c = '_';
  }

  const std::vector<absl::string_view> ns_parts =
      absl::StrSplit(options.cc_namespace, "::");
  const std::string& name = options.name;
  const std::string qualified = absl::StrCat(options.cc_namespace, "::", name);
  const std::string generated_by =
      description.empty()
          ? std::string("// Generated by `pinbake compile`; do not edit.\n")
          : absl::StrCat("// Generated by `pinbake compile` from ",
                         description, "; do not edit.\n");
  std::string open_ns;
  std::string close_ns;
  for (absl::string_view part : ns_parts) {
    absl::StrAppend(&open_ns, "namespace ", part, " {\n");
  }
  for (size_t i = ns_parts.size(); i > 0; --i) {
    absl::StrAppend(&close_ns, "}  // namespace ", ns_parts[i - 1], "\n");
  }

  CcSources out;
  const std::string guard = HeaderGuard(options.include_path);
  std::string& h = out.header;
  absl::StrAppend(&h, generated_by);
  absl::StrAppend(
      &h,
      "// A baked TLS pin list (pinbake's docs/baking.md). To look hosts up,\n"
      "// also include \"runtime/pin_list.h\" (and \"runtime/chain_checker.h\"\n"
      "// for pinbake::CheckChain).\n\n",
      "#ifndef ", guard, "\n#define ", guard, "\n\n",
      "#include \"absl/strings/string_view.h\"\n\n",
      "namespace pinbake {\nclass PinList;\n}  // namespace pinbake\n\n",
      open_ns, "\n");
  absl::StrAppend(
      &h,
      "// The baked list, ready for lookups (pinbake::PinList::Lookup,\n"
      "// pinbake::CheckChain). Built on first use from constant data and\n"
      "// never destroyed; safe to call from any thread, also during static\n"
      "// initialization and exit. Aborts with a message if the table does not\n"
      "// validate, which happens only if the runtime linked in cannot read\n"
      "// the table format the pinbake compiler wrote.\n",
      "const ::pinbake::PinList& ", name, "();\n\n",
      "// The raw table bytes (static storage), e.g. to write them out for\n"
      "// `pinbake dump` or to open another reader.\n",
      "::absl::string_view ", name, "_table();\n\n", close_ns, "\n#endif  // ",
      guard, "\n");

  // Only headers without static initializers: see runtime/baked_pin_list.h.
  std::string& cc = out.source;
  const std::string bytes_name = absl::StrCat(name, "_bytes");
  absl::StrAppend(&cc, generated_by);
  absl::StrAppend(
      &cc,
      "// The pin table as constant data and its accessors (no static\n"
      "// initializers); the interface is in the header.\n\n",
      "#include \"", options.include_path, "\"\n\n",
      "#include \"absl/strings/string_view.h\"\n",
      "#include \"runtime/baked_pin_list.h\"\n\n", open_ns,
      "namespace {\n\n",
      "// The table, opaque bytes as `pinbake compile` wrote and verified them.\n",
      "alignas(8) constexpr unsigned char ", bytes_name, "[] = {\n");
  AppendArrayBody(table, &cc);
  absl::StrAppend(
      &cc, "};\n", "static_assert(sizeof(", bytes_name, ") == ", table.size(),
      ", \"pinbake: truncated table\");\n\n", "}  // namespace\n\n",
      "::absl::string_view ", name, "_table() {\n",
      "  return ::absl::string_view(reinterpret_cast<const char*>(", bytes_name,
      "),\n", "                             sizeof(", bytes_name, "));\n}\n\n",
      "const ::pinbake::PinList& ", name, "() {\n",
      "  // Built on first use (thread-safe), never destroyed.\n",
      "  static const ::pinbake::PinList* const list_ =\n",
      "      ::pinbake::NewBakedPinListOrDie(", name, "_table(), \"", qualified,
      "\");\n", "  return *list_;\n", "}\n\n", close_ns);
  return out;
}

}  // namespace pinbake
