#include "format/host_name.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace pinbake {
namespace {

// Canonicalises `input`; on success returns kNone and sets `*canonical`.
HostError Canon(absl::string_view input, std::string* canonical = nullptr) {
  CanonicalHost host;
  HostError error = CanonicalizeHost(input, &host);
  if (error != HostError::kNone) {
    EXPECT_TRUE(host.view().empty()) << "output not empty on error";
  }
  if (canonical != nullptr) *canonical = std::string(host.view());
  return error;
}

std::string CanonOrDie(absl::string_view input) {
  std::string out;
  EXPECT_EQ(Canon(input, &out), HostError::kNone) << input;
  return out;
}

TEST(HostNameTest, WildcardNameIsStarDotAndANonEmptyName) {
  EXPECT_TRUE(IsWildcardName("*.example.com"));
  EXPECT_TRUE(IsWildcardName("*.a"));
  EXPECT_FALSE(IsWildcardName("*."));
  EXPECT_FALSE(IsWildcardName("*"));
  EXPECT_FALSE(IsWildcardName(""));
  EXPECT_FALSE(IsWildcardName("*a.example.com"));
  EXPECT_FALSE(IsWildcardName("a.*.example.com"));
}

TEST(HostNameTest, LowercasesAscii) {
  EXPECT_EQ(CanonOrDie("WWW.Example.COM"), "www.example.com");
  EXPECT_EQ(CanonOrDie("a-b_c.d9"), "a-b_c.d9");
  EXPECT_EQ(CanonOrDie("xn--bcher-kva.example"), "xn--bcher-kva.example");
}

TEST(HostNameTest, StripsExactlyOneTrailingDot) {
  EXPECT_EQ(CanonOrDie("example.com."), "example.com");
  EXPECT_EQ(CanonOrDie("com."), "com");
  EXPECT_EQ(Canon("example.com.."), HostError::kEmptyLabel);
  EXPECT_EQ(Canon("a.."), HostError::kEmptyLabel);
}

TEST(HostNameTest, Empty) {
  EXPECT_EQ(Canon(""), HostError::kEmpty);
  EXPECT_EQ(Canon("."), HostError::kEmpty);
  EXPECT_EQ(Canon(".."), HostError::kEmptyLabel);
}

TEST(HostNameTest, EmptyLabels) {
  EXPECT_EQ(Canon(".a"), HostError::kEmptyLabel);
  EXPECT_EQ(Canon("a..b"), HostError::kEmptyLabel);
  EXPECT_EQ(Canon(".example.com"), HostError::kEmptyLabel);
}

TEST(HostNameTest, LabelLengthLimit) {
  std::string label63(63, 'a');
  std::string label64(64, 'a');
  EXPECT_EQ(CanonOrDie(label63 + ".com"), label63 + ".com");
  EXPECT_EQ(CanonOrDie("x." + label63), "x." + label63);
  EXPECT_EQ(Canon(label64 + ".com"), HostError::kLabelTooLong);
  EXPECT_EQ(Canon("x." + label64), HostError::kLabelTooLong);
  EXPECT_EQ(Canon("x." + label64 + "."), HostError::kLabelTooLong);
}

TEST(HostNameTest, NameLengthLimit) {
  // 63+1+63+1+63+1+61 = 253 bytes.
  std::string l63(63, 'a');
  std::string name253 = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b');
  ASSERT_EQ(name253.size(), 253u);
  EXPECT_EQ(CanonOrDie(name253), name253);
  // The one removable trailing dot does not count.
  EXPECT_EQ(CanonOrDie(name253 + "."), name253);
  EXPECT_EQ(Canon(name253 + "b"), HostError::kNameTooLong);
  EXPECT_EQ(Canon(name253 + "b."), HostError::kNameTooLong);
  EXPECT_EQ(Canon(std::string(100000, 'a')), HostError::kNameTooLong);
}

TEST(HostNameTest, InvalidCharacters) {
  for (absl::string_view bad :
       {"exa mple.com", "example.com/", "ex*ample.com", "a:443", "a@b",
        "b\xc3\xbc" "cher.de", "[::1]", "a\tb", "a+b"}) {
    EXPECT_EQ(Canon(bad), HostError::kInvalidCharacter) << bad;
  }
  EXPECT_EQ(Canon(absl::string_view("a\0b", 3)), HostError::kInvalidCharacter);
  EXPECT_EQ(Canon(absl::string_view("ab\0", 3)), HostError::kInvalidCharacter);
}

TEST(HostNameTest, EveryByteClassified) {
  for (int b = 0; b < 256; ++b) {
    char c = static_cast<char>(b);
    std::string input = std::string("x") + c + "y";
    bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    std::string out;
    HostError error = Canon(input, &out);
    if (valid) {
      EXPECT_EQ(error, HostError::kNone) << b;
    } else {
      EXPECT_EQ(error, HostError::kInvalidCharacter) << b;
    }
  }
}

TEST(HostNameTest, IpLiterals) {
  EXPECT_EQ(Canon("127.0.0.1"), HostError::kIpLiteral);
  EXPECT_EQ(Canon("10.0.0.1."), HostError::kIpLiteral);
  EXPECT_EQ(Canon("12345"), HostError::kIpLiteral);
  EXPECT_EQ(Canon("example.123"), HostError::kIpLiteral);
  // Digits only in earlier labels are fine.
  EXPECT_EQ(CanonOrDie("1.2.3.com"), "1.2.3.com");
  EXPECT_EQ(CanonOrDie("1.2.3.4a"), "1.2.3.4a");
  EXPECT_EQ(CanonOrDie("123.example"), "123.example");
}

TEST(HostNameTest, FirstProblemWins) {
  // Invalid character comes before the empty label.
  EXPECT_EQ(Canon("a*..b"), HostError::kInvalidCharacter);
  // Empty label comes before the invalid character.
  EXPECT_EQ(Canon("a..*b"), HostError::kEmptyLabel);
  // Length is checked before anything else.
  EXPECT_EQ(Canon(std::string(300, '*')), HostError::kNameTooLong);
  // A bad character makes the last label not an IP literal error.
  EXPECT_EQ(Canon("1.2.3.4*"), HostError::kInvalidCharacter);
}

TEST(HostNameTest, OutputResetOnReuse) {
  CanonicalHost host;
  ASSERT_EQ(CanonicalizeHost("Example.ORG", &host), HostError::kNone);
  EXPECT_EQ(host.view(), "example.org");
  EXPECT_EQ(CanonicalizeHost("bad..name", &host), HostError::kEmptyLabel);
  EXPECT_TRUE(host.view().empty());
}

TEST(HostNameTest, ReadsOnlyTheGivenBytes) {
  // The view stops before ".evil"; bytes past it must not be read.
  const char buffer[] = "example.com.evil";
  std::string out;
  EXPECT_EQ(Canon(absl::string_view(buffer, 11), &out), HostError::kNone);
  EXPECT_EQ(out, "example.com");
  EXPECT_EQ(Canon(absl::string_view(buffer, 12), &out), HostError::kNone);
  EXPECT_EQ(out, "example.com");
}

TEST(HostNameTest, ErrorNames) {
  EXPECT_STREQ(HostErrorName(HostError::kNone), "none");
  EXPECT_STREQ(HostErrorName(HostError::kEmpty), "empty");
  EXPECT_STREQ(HostErrorName(HostError::kEmptyLabel), "empty-label");
  EXPECT_STREQ(HostErrorName(HostError::kLabelTooLong), "label-too-long");
  EXPECT_STREQ(HostErrorName(HostError::kNameTooLong), "name-too-long");
  EXPECT_STREQ(HostErrorName(HostError::kInvalidCharacter),
               "invalid-character");
  EXPECT_STREQ(HostErrorName(HostError::kIpLiteral), "ip-literal");
  EXPECT_NE(HostErrorName(static_cast<HostError>(99)), nullptr);
}

}  // namespace
}  // namespace pinbake
