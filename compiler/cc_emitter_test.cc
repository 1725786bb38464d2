#include "compiler/cc_emitter.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "compiler/compile.h"
#include "compiler/diagnostics.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

CcEmitterOptions Options() {
  CcEmitterOptions options;
  options.cc_namespace = "my_app::pins";
  options.name = "baked";
  options.include_path = "pkg/baked.h";
  options.source_description = "pkg/list.json";
  return options;
}

// Every byte value, then some more so the last line is partial.
std::string AllBytes() {
  std::string table;
  for (int i = 0; i < 256 + 7; ++i) table.push_back(static_cast<char>(i));
  return table;
}

// Parses the array initializer of the generated source back into bytes.
// Fails the test (and returns what it has) on anything unexpected.
std::string ParseArray(const std::string& source) {
  const std::string open = "[] = {\n";
  const size_t begin = source.find(open);
  EXPECT_NE(begin, std::string::npos) << source;
  if (begin == std::string::npos) return "";
  const size_t end = source.find("\n};\n", begin);
  EXPECT_NE(end, std::string::npos);
  if (end == std::string::npos) return "";
  EXPECT_EQ(source.find(open, begin + 1), std::string::npos)
      << "more than one array";
  const std::string body =
      source.substr(begin + open.size(), end - begin - open.size());
  std::string bytes;
  for (absl::string_view token : absl::StrSplit(body, ',')) {
    token = absl::StripAsciiWhitespace(token);
    if (token.empty()) continue;  // After the trailing comma of a line.
    EXPECT_EQ(token.size(), 4u) << token;
    EXPECT_TRUE(absl::StartsWith(token, "0x")) << token;
    const std::string digits(token.substr(2));
    char* rest = nullptr;
    const unsigned long value = std::strtoul(digits.c_str(), &rest, 16);
    EXPECT_EQ(*rest, '\0') << token;
    EXPECT_LE(value, 0xffu);
    bytes.push_back(static_cast<char>(value));
  }
  return bytes;
}

TEST(CcEmitterTest, SourceHoldsExactlyTheTableBytes) {
  for (size_t size : {1, 11, 12, 13, 24, 263, 5000}) {
    std::string table;
    for (size_t i = 0; i < size; ++i) {
      table.push_back(static_cast<char>((i * 131 + 7) & 0xff));
    }
    absl::StatusOr<CcSources> out = EmitCcSources(table, Options());
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(ParseArray(out->source), table) << "size " << size;
    EXPECT_THAT(out->source,
                HasSubstr(absl::StrCat("static_assert(sizeof(baked_bytes) == ",
                                       size, ",")));
  }
  absl::StatusOr<CcSources> out = EmitCcSources(AllBytes(), Options());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(ParseArray(out->source), AllBytes());
}

TEST(CcEmitterTest, RealTableRoundTrips) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/cc_emitter_list.json");
  {
    std::ofstream list(path);
    list << R"({
      "list": {"version": 7, "timestamp": "2026-11-28T00:00:00Z"},
      "pinsets": [{"name": "p", "static_spki_hashes": [
        "sha256/Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=",
        "sha256/7HIpactkIAq2Y49orFOOQKurWxmmSFZhBCoQYcRhJ3Y="]}],
      "entries": [
        {"name": "example.com", "include_subdomains": true,
         "mode": "force-https", "pins": "p"}]})";
  }
  CompileOptions options;
  options.list_path = path;
  Diagnostics diags;
  CompileOutput compiled = CompilePinList(options, &diags);
  ASSERT_FALSE(diags.has_errors()) << diags.ToStatus();
  ASSERT_FALSE(compiled.table.empty());

  absl::StatusOr<CcSources> out = EmitCcSources(compiled.table, Options());
  ASSERT_TRUE(out.ok()) << out.status();
  const std::string parsed = ParseArray(out->source);
  EXPECT_EQ(parsed, compiled.table);
  absl::StatusOr<PinList> list = PinList::FromBytes(parsed);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->Lookup("www.example.com").pinned());
}

TEST(CcEmitterTest, Deterministic) {
  absl::StatusOr<CcSources> a = EmitCcSources(AllBytes(), Options());
  absl::StatusOr<CcSources> b = EmitCcSources(AllBytes(), Options());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->header, b->header);
  EXPECT_EQ(a->source, b->source);

  // The header does not depend on the table (so a list change recompiles
  // only the generated .cc, not the files including the header).
  std::string other = AllBytes() + "more";
  other[5] ^= 1;
  absl::StatusOr<CcSources> c = EmitCcSources(other, Options());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(a->header, c->header);
  EXPECT_NE(a->source, c->source);
}

TEST(CcEmitterTest, HeaderDeclaresTheAccessorsInTheNamespace) {
  absl::StatusOr<CcSources> out = EmitCcSources(AllBytes(), Options());
  ASSERT_TRUE(out.ok());
  const std::string& h = out->header;
  EXPECT_THAT(h, StartsWith("// Generated by `pinbake compile` from "
                            "pkg/list.json; do not edit.\n"));
  EXPECT_THAT(h, HasSubstr("#ifndef PINBAKE_GENERATED_PKG_BAKED_H_\n"
                           "#define PINBAKE_GENERATED_PKG_BAKED_H_\n"));
  EXPECT_THAT(h, HasSubstr("#endif  // PINBAKE_GENERATED_PKG_BAKED_H_\n"));
  EXPECT_THAT(h, HasSubstr("#include \"absl/strings/string_view.h\"\n"));
  EXPECT_THAT(h, HasSubstr("namespace pinbake {\nclass PinList;\n}"));
  EXPECT_THAT(h, HasSubstr("namespace my_app {\nnamespace pins {\n"));
  EXPECT_THAT(h, HasSubstr("const ::pinbake::PinList& baked();\n"));
  EXPECT_THAT(h, HasSubstr("::absl::string_view baked_table();\n"));
  EXPECT_THAT(h, HasSubstr("}  // namespace pins\n}  // namespace my_app\n"));

  const std::string& cc = out->source;
  EXPECT_THAT(cc, HasSubstr("#include \"pkg/baked.h\"\n"));
  EXPECT_THAT(cc, HasSubstr("alignas(8) constexpr unsigned char baked_bytes[]"));
  EXPECT_THAT(cc, HasSubstr("static const ::pinbake::PinList* const list_ =\n"
                            "      ::pinbake::NewBakedPinListOrDie("
                            "baked_table(), \"my_app::pins::baked\");"));
  // Only headers without static initializers (absl/status/status.h
  // includes <iostream>): exactly these three includes.
  std::vector<std::string> includes;
  for (absl::string_view line : absl::StrSplit(cc, '\n')) {
    if (absl::StartsWith(line, "#include")) includes.emplace_back(line);
  }
  EXPECT_THAT(includes, ::testing::ElementsAre(
                            "#include \"pkg/baked.h\"",
                            "#include \"absl/strings/string_view.h\"",
                            "#include \"runtime/baked_pin_list.h\""));
  for (absl::string_view line : absl::StrSplit(h, '\n')) {
    if (absl::StartsWith(line, "#include")) {
      EXPECT_EQ(line, "#include \"absl/strings/string_view.h\"");
    }
  }
}

TEST(CcEmitterTest, DefaultsAndNoDescription) {
  CcEmitterOptions options;
  options.cc_namespace = "pinbake_generated";
  options.include_path = "pins.h";
  absl::StatusOr<CcSources> out = EmitCcSources("abc", options);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->header,
              StartsWith("// Generated by `pinbake compile`; do not edit.\n"));
  EXPECT_THAT(out->header, HasSubstr("const ::pinbake::PinList& pin_list();"));
  EXPECT_THAT(out->source,
              HasSubstr("NewBakedPinListOrDie(pin_list_table(), "
                        "\"pinbake_generated::pin_list\")"));
  EXPECT_THAT(out->header, HasSubstr("::absl::string_view pin_list_table();"));
  EXPECT_THAT(out->header, HasSubstr("#ifndef PINBAKE_GENERATED_PINS_H_\n"));
}

TEST(CcEmitterTest, AcceptsValidIdentifiersAndNamespaces) {
  for (const char* name : {"a", "pin_list", "Pins2", "a_b_c", "x1"}) {
    EXPECT_TRUE(ValidateCcName(name, "--cc-name").ok()) << name;
  }
  for (const char* ns : {"a", "a::b", "my_app::pins::v2", "pinbake_generated",
                         "company::pinbake", "stdx", "pinbake2"}) {
    EXPECT_TRUE(ValidateCcNamespace(ns, "--cc-namespace").ok()) << ns;
  }
}

// The message of `status`, which must be InvalidArgument.
std::string Message(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return std::string(status.message());
}

TEST(CcEmitterTest, RejectsBadNames) {
  struct Case {
    const char* name;
    const char* why;
  };
  const Case cases[] = {
      {"", "empty"},
      {"1abc", "must start with a letter"},
      {"a-b", "character '-'"},
      {"a b", "character ' '"},
      {"a.b", "character '.'"},
      {"a::b", "character ':'"},
      {"\xc3\xa9t\xc3\xa9", "must start with a letter"},
      {"ab\xc3\xa9", "character '\\xc3'"},
      {"class", "is a C++ keyword"},
      {"co_await", "is a C++ keyword"},
      {"and", "is a C++ keyword"},
      {"_x", "starts with '_'"},
      {"_X", "starts with '_'"},
      {"a__b", "contains \"__\""},
      {"stderr", "is a macro"},
      {"pins_", "ends with '_'"},
  };
  for (const Case& c : cases) {
    const std::string message =
        Message(ValidateCcName(c.name, "--cc-name"));
    EXPECT_THAT(message, StartsWith("--cc-name: ")) << c.name;
    EXPECT_THAT(message, HasSubstr(c.why)) << c.name;
  }
  // The emitter checks the name too.
  CcEmitterOptions options = Options();
  options.name = "int";
  EXPECT_THAT(Message(EmitCcSources("abc", options).status()),
              HasSubstr("name: \"int\" is a C++ keyword"));
}

TEST(CcEmitterTest, RejectsBadNamespaces) {
  struct Case {
    const char* ns;
    const char* why;
  };
  const Case cases[] = {
      {"", "empty"},
      {"::a", "must not start with \"::\""},
      {"a::", "empty component"},
      {"a::::b", "empty component"},
      {"a:b", "character ':'"},
      {"a::b c", "component 2 of \"a::b c\": \"b c\" is not a C++ identifier"},
      {"a::class", "component 2 of \"a::class\": \"class\" is a C++ keyword"},
      {"a::__b", "component 2"},
      {"std", "inside namespace std"},
      {"std::pins", "inside namespace std"},
      {"pinbake", "inside namespace pinbake"},
      {"pinbake::generated", "inside namespace pinbake"},
      {"a\nb", "character '\\n'"},
  };
  for (const Case& c : cases) {
    const std::string message =
        Message(ValidateCcNamespace(c.ns, "--cc-namespace"));
    EXPECT_THAT(message, StartsWith("--cc-namespace: ")) << c.ns;
    EXPECT_THAT(message, HasSubstr(c.why)) << c.ns;
  }
  CcEmitterOptions options = Options();
  options.cc_namespace = "a::";
  EXPECT_THAT(Message(EmitCcSources("abc", options).status()),
              HasSubstr("namespace: \"a::\" has an empty component"));
}

TEST(CcEmitterTest, RejectsBadIncludePathDescriptionAndEmptyTable) {
  CcEmitterOptions options = Options();
  options.include_path = "";
  EXPECT_THAT(Message(EmitCcSources("abc", options).status()),
              HasSubstr("include path: empty"));
  options.include_path = "a\"b.h";
  EXPECT_THAT(Message(EmitCcSources("abc", options).status()),
              HasSubstr("must not contain '\"'"));
  options.include_path = "a\nb.h";
  EXPECT_THAT(Message(EmitCcSources("abc", options).status()),
              HasSubstr("control or non-ASCII byte 0x0a"));
  options.include_path = "a?\?/b.h";
  EXPECT_THAT(Message(EmitCcSources("abc", options).status()),
              HasSubstr("trigraph"));

  // The description is only a comment: made safe, never an error.
  options = Options();
  options.source_description = "dir\\list.json\n#error injected?\?/";
  absl::StatusOr<CcSources> out = EmitCcSources("abc", options);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->source,
              StartsWith("// Generated by `pinbake compile` from "
                         "dir_list.json_#error injected__/; do not edit.\n"));
  EXPECT_THAT(out->header, HasSubstr("dir_list.json_#error injected__/;"));

  EXPECT_THAT(Message(EmitCcSources("", Options()).status()),
              HasSubstr("the table is empty"));
}

}  // namespace
}  // namespace pinbake
