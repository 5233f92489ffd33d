// bootloader/command_line_test.cc — host tests for the command line file sanitiser.
#include "bootloader/command_line.h"

#include <string>

#include "gtest/gtest.h"

namespace hiillos::loader {
namespace {

struct Copied {
  bool ok;
  CommandLineError error;
  std::string text;
};

Copied Copy(const std::string& file, size_t out_size = 256) {
  std::string out(out_size + 8, 'X');  // canary bytes after out_size
  auto result = CopyCommandLine(reinterpret_cast<const uint8_t*>(file.data()), file.size(),
                                out.data(), out_size);
  for (size_t i = out_size; i < out.size(); ++i) EXPECT_EQ(out[i], 'X') << "overrun at " << i;
  if (!result.ok()) return {false, result.error(), ""};
  EXPECT_EQ(out[result.value()], '\0');
  return {true, CommandLineError::kTooLong, out.substr(0, result.value())};
}

TEST(CommandLine, EmptyAndBlankFiles) {
  EXPECT_EQ(Copy("").text, "");
  EXPECT_TRUE(Copy("").ok);
  EXPECT_EQ(Copy(" \t\r\n\n").text, "");
}

TEST(CommandLine, TrimsAndJoinsLines) {
  EXPECT_EQ(Copy("root=fat32 log=debug\n").text, "root=fat32 log=debug");
  EXPECT_EQ(Copy("  a=1\r\nb=2\tc=3  \r\n").text, "a=1  b=2 c=3");
}

TEST(CommandLine, KeepsUtf8) {
  EXPECT_EQ(Copy("name=h\xc3\xa4").text, "name=h\xc3\xa4");
}

TEST(CommandLine, RejectsControlCharacters) {
  Copied nul = Copy(std::string("a\0b", 3));
  EXPECT_FALSE(nul.ok);
  EXPECT_EQ(nul.error, CommandLineError::kControlCharacter);
  EXPECT_FALSE(Copy("a\x1b[2Jb").ok);
  EXPECT_FALSE(Copy("a\x7f").ok);
}

TEST(CommandLine, LengthLimit) {
  EXPECT_EQ(Copy(std::string(255, 'a')).text.size(), 255u);
  EXPECT_EQ(Copy(std::string(255, 'a') + "\n\n").text.size(), 255u);  // trimmed before the check
  Copied long_line = Copy(std::string(256, 'a'));
  EXPECT_FALSE(long_line.ok);
  EXPECT_EQ(long_line.error, CommandLineError::kTooLong);
  EXPECT_TRUE(Copy("", 1).ok);
  EXPECT_FALSE(Copy("a", 1).ok);
  EXPECT_STREQ(CommandLineErrorString(CommandLineError::kTooLong), "command line too long");
}

}  // namespace
}  // namespace hiillos::loader
