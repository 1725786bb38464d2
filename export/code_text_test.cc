#include "export/code_text.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(CodeTextTest, QuotedStringCannotBeEscaped) {
  EXPECT_EQ(QuotedString("a\"b\\c", SourceLanguage::kJava), "\"a\\\"b\\\\c\"");
  // Java: octal, never \u (javac expands \u0022 to a quote before lexing).
  EXPECT_EQ(QuotedString("x\ny", SourceLanguage::kJava), "\"x\\012y\"");
  EXPECT_EQ(QuotedString("x\ny", SourceLanguage::kKotlin), "\"x\\u000ay\"");
  EXPECT_EQ(QuotedString("$x", SourceLanguage::kKotlin), "\"\\$x\"");
  EXPECT_EQ(QuotedString("$x", SourceLanguage::kJava), "\"$x\"");
  EXPECT_EQ(QuotedString("\x01", SourceLanguage::kSwift), "\"\\u{1}\"");
}

TEST(CodeTextTest, CommentSafe) {
  EXPECT_EQ(CommentSafe("a--b"), "a--b");
  EXPECT_EQ(XmlCommentSafe("a--b-"), "a- -b- ");
  EXPECT_EQ(CommentSafe("x*/y"), "x* /y");
  EXPECT_EQ(CommentSafe("l1\nl2"), "l1?l2");
  EXPECT_EQ(CommentSafe("a\\u000ab"), "a?u000ab");
}

TEST(CodeTextTest, Identifiers) {
  EXPECT_TRUE(IsSourceIdentifier("PinbakePins"));
  EXPECT_FALSE(IsSourceIdentifier("1x"));
  EXPECT_FALSE(IsSourceIdentifier("class"));
  EXPECT_FALSE(IsSourceIdentifier("a-b"));
  EXPECT_FALSE(IsSourceIdentifier(""));
  EXPECT_TRUE(IsPackageName("com.example.app"));
  EXPECT_FALSE(IsPackageName("com..example"));
  EXPECT_FALSE(IsPackageName("com.example;evil"));
}

TEST(CodeTextTest, ExpiryAndDate) {
  ListInfo list;
  EXPECT_EQ(ListExpiresAt(list), 0);
  list.timestamp = 1502841600;  // 2017-08-16T00:00:00Z
  list.max_age_days = 70;
  EXPECT_EQ(ListExpiresAt(list), 1502841600 + 70 * 86400);
  EXPECT_EQ(UtcDate(ListExpiresAt(list)), "2017-10-25");
}

}  // namespace
}  // namespace pinbake
