#include "runtime/idn_host.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(IdnHostTest, ULabelsBecomeALabels) {
  EXPECT_EQ(HostToALabels("bücher.shop.test").value(), "xn--bcher-kva.shop.test");
  // UTS #46 mapping: upper case folds, as browsers do.
  EXPECT_EQ(HostToALabels("BÜCHER.shop.test").value(), "xn--bcher-kva.shop.test");
  // Only the U-label changes.
  EXPECT_EQ(HostToALabels("www.bücher.Shop.test").value(),
            "www.xn--bcher-kva.shop.test");
}

TEST(IdnHostTest, NonTransitionalKeepsSharpS) {
  // IDNA2008 non-transitional (what browsers do): "ß" stays a deviation
  // character, it is not mapped to "ss".
  EXPECT_EQ(HostToALabels("faß.de").value(), "xn--fa-hia.de");
}

TEST(IdnHostTest, AsciiIsUnchanged) {
  EXPECT_EQ(HostToALabels("WWW.Example.COM.").value(), "WWW.Example.COM.");
  EXPECT_EQ(HostToALabels("xn--bcher-kva.shop.test").value(),
            "xn--bcher-kva.shop.test");
  EXPECT_EQ(HostToALabels("").value(), "");
}

TEST(IdnHostTest, InvalidNamesAreRefused) {
  EXPECT_FALSE(HostToALabels("b\xc3").ok());              // Truncated UTF-8.
  EXPECT_FALSE(HostToALabels("\xff\xfe.test").ok());      // Not UTF-8.
  EXPECT_FALSE(HostToALabels("a\xe2\x98\x83.test").ok());  // U+2603.
  EXPECT_FALSE(HostToALabels(std::string("b\xc3\xbc\0x.test", 9)).ok());
  // A label of 64 bytes after conversion.
  EXPECT_FALSE(HostToALabels(std::string(60, 'a') + "ü.test").ok());
  const absl::Status s = HostToALabels("\xff.test").status();
  EXPECT_NE(s.message().find("not a valid internationalised host name"),
            std::string::npos)
      << s;
}

TEST(IdnHostTest, HostForLookupFallsBackToTheInput) {
  EXPECT_EQ(HostForLookup("bücher.shop.test"), "xn--bcher-kva.shop.test");
  EXPECT_EQ(HostForLookup("Example.COM"), "Example.COM");
  EXPECT_EQ(HostForLookup("\xff.test"), "\xff.test");
}

TEST(IdnHostTest, HasNonAsciiByte) {
  EXPECT_FALSE(HasNonAsciiByte("example.com"));
  EXPECT_TRUE(HasNonAsciiByte("bücher.test"));
}

}  // namespace
}  // namespace pinbake
