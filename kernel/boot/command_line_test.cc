// Host tests for the kernel command-line parser.
#include "kernel/boot/command_line.h"

#include <gtest/gtest.h>

namespace hiillos::boot {
namespace {

TEST(CommandLineTest, FlagsAndValues) {
  const char text[] = "  root=fat32:0 quiet\ttest=boot  smp=4";
  CommandLine cmdline(text, sizeof(text));
  EXPECT_TRUE(cmdline.Has("quiet"));
  EXPECT_TRUE(cmdline.Has("root"));
  EXPECT_FALSE(cmdline.Has("roo"));
  EXPECT_FALSE(cmdline.Has("quie"));
  EXPECT_TRUE(cmdline.Equals("test", "boot"));
  EXPECT_FALSE(cmdline.Equals("test", "boo"));
  EXPECT_FALSE(cmdline.Equals("quiet", ""));
  char value[16];
  ASSERT_TRUE(cmdline.Get("root", value, sizeof(value)));
  EXPECT_STREQ(value, "fat32:0");
  ASSERT_TRUE(cmdline.Get("smp", value, sizeof(value)));
  EXPECT_STREQ(value, "4");
  EXPECT_FALSE(cmdline.Get("quiet", value, sizeof(value)));
  EXPECT_FALSE(cmdline.Get("root", value, 7));  // "fat32:0" + NUL needs 8
}

TEST(CommandLineTest, UnterminatedIsEmpty) {
  const char text[4] = {'a', 'b', 'c', 'd'};
  CommandLine cmdline(text, sizeof(text));
  EXPECT_EQ(cmdline.length(), 0u);
  EXPECT_FALSE(cmdline.Has("abcd"));
}

TEST(CommandLineTest, EmptyValue) {
  const char text[] = "key=";
  CommandLine cmdline(text, sizeof(text));
  char value[4];
  ASSERT_TRUE(cmdline.Get("key", value, sizeof(value)));
  EXPECT_STREQ(value, "");
}

}  // namespace
}  // namespace hiillos::boot
