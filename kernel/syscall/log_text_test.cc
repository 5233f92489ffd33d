// kernel/syscall/log_text_test.cc — SanitizeLogText: control bytes, escapes, line breaks.
#include "kernel/syscall/log_text.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::syscall {
namespace {

std::string Clean(std::string text) {
  size_t length = SanitizeLogText(text.data(), text.size());
  return text.substr(0, length);
}

TEST(LogTextTest, PrintableTextIsUnchanged) {
  EXPECT_EQ(Clean("root: 3 caps, 100% ok ~"), "root: 3 caps, 100% ok ~");
  EXPECT_EQ(Clean(""), "");
}

TEST(LogTextTest, TrailingLineBreaksAreDropped) {
  EXPECT_EQ(Clean("hello\n"), "hello");
  EXPECT_EQ(Clean("hello\r\n\n"), "hello");
  EXPECT_EQ(Clean("\n"), "");
}

TEST(LogTextTest, ControlAndNonAsciiBytesBecomeQuestionMarks) {
  EXPECT_EQ(Clean("a\nb"), "a?b");  // no forged second log line
  EXPECT_EQ(Clean("\x1b[2Jx"), "?[2Jx");
  EXPECT_EQ(Clean(std::string("a\0b", 3)), "a?b");
  EXPECT_EQ(Clean("\x7f\xff\x80"), "???");
  EXPECT_EQ(Clean("\t"), "?");
}

}  // namespace
}  // namespace hiillos::syscall
