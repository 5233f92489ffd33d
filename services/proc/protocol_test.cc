// Host tests of the proc protocol's string packing (Spawn's argument and capability names).
#include "services/proc/protocol.h"

#include <gtest/gtest.h>

namespace hiillos::proc::protocol {
namespace {

TEST(ProcProtocol, StringsRoundTrip) {
  Spawn::Request request{};
  const char* const in[] = {"initfs:///bin/exit_with", "7", "", "log"};
  ASSERT_TRUE(PackStrings(request.strings, sizeof(request.strings), in, 4));
  const char* out[4];
  ASSERT_TRUE(UnpackStrings(request.strings, sizeof(request.strings), out, 4));
  for (int i = 0; i < 4; ++i) EXPECT_STREQ(out[i], in[i]);
  ipc::Message message;
  ipc::Encode(Spawn::kCode, request, message);
  Spawn::Request decoded{};
  ipc::Decode(message, decoded);
  ASSERT_TRUE(UnpackStrings(decoded.strings, sizeof(decoded.strings), out, 4));
  EXPECT_STREQ(out[0], "initfs:///bin/exit_with");
}

TEST(ProcProtocol, TooLongOrUnterminatedIsRefused) {
  char buffer[8];
  const char* const in[] = {"abcdefgh"};
  EXPECT_FALSE(PackStrings(buffer, sizeof(buffer), in, 1));
  const char unterminated[4] = {'a', 'b', 'c', 'd'};
  const char* out[1];
  EXPECT_FALSE(UnpackStrings(unterminated, sizeof(unterminated), out, 1));
  const char two[4] = {'a', '\0', 'b', '\0'};
  const char* three[3];
  EXPECT_FALSE(UnpackStrings(two, sizeof(two), three, 3));
}

}  // namespace
}  // namespace hiillos::proc::protocol
