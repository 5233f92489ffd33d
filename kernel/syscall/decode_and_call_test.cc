// kernel/syscall/decode_and_call_test.cc — DecodeAndCall: arguments decoded in order, the first
// error returned with nothing after it decoded and no handler call, decoded values passed on.
#include "kernel/syscall/decode_and_call.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::syscall {
namespace {

enum class Error { kFirst, kSecond };
template <typename T>
using TestResult = Result<T, Error>;

std::string g_log;  // which kinds were decoded, in order

// Kinds: Small<n> accepts register values below 100 (else Error::kFirst) and decodes them as
// value + n; Text accepts anything but 7 (else Error::kSecond) and decodes to a string.
template <int kOffset>
struct Small {};
struct Text {};

template <typename Kind>
struct TestDecode;
template <int kOffset>
struct TestDecode<Small<kOffset>> {
  static TestResult<int> Decode(uint64_t raw) {
    g_log += "S";
    if (raw >= 100) return Err(Error::kFirst);
    return static_cast<int>(raw) + kOffset;
  }
};
template <>
struct TestDecode<Text> {
  static TestResult<std::string> Decode(uint64_t raw) {
    g_log += "T";
    if (raw == 7) return Err(Error::kSecond);
    return std::string(raw, 'x');
  }
};

int g_calls = 0;
TestResult<int> Handler(int a, std::string b, int c) {
  ++g_calls;
  return a * 1000 + static_cast<int>(b.size()) * 10 + c;
}
TestResult<int> NoArguments() {
  ++g_calls;
  return 42;
}

using Signature = void(Small<0>, Text, Small<5>);

TestResult<int> DecodeRegisters(uint64_t r0, uint64_t r1, uint64_t r2) {
  g_log.clear();
  g_calls = 0;
  const uint64_t registers[6] = {r0, r1, r2, 0, 0, 0};
  return DecodeAndCall<TestDecode, Signature>(&Handler, registers);
}

TEST(DecodeAndCallTest, DecodesInOrderAndCallsTheHandlerWithTheValues) {
  auto result = DecodeRegisters(3, 2, 4);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), 3 * 1000 + 2 * 10 + (4 + 5));
  EXPECT_EQ(g_log, "STS");
  EXPECT_EQ(g_calls, 1);
}

TEST(DecodeAndCallTest, StopsAtTheFirstError) {
  auto first = DecodeRegisters(100, 7, 100);  // every argument is bad: the first one is reported
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error(), Error::kFirst);
  EXPECT_EQ(g_log, "S");
  EXPECT_EQ(g_calls, 0);

  auto second = DecodeRegisters(1, 7, 100);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error(), Error::kSecond);
  EXPECT_EQ(g_log, "ST");
  EXPECT_EQ(g_calls, 0);

  auto third = DecodeRegisters(1, 1, 100);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error(), Error::kFirst);
  EXPECT_EQ(g_log, "STS");
  EXPECT_EQ(g_calls, 0);
}

TEST(DecodeAndCallTest, NoArgumentsCallsTheHandlerDirectly) {
  g_log.clear();
  g_calls = 0;
  const uint64_t registers[6] = {};
  auto result = DecodeAndCall<TestDecode, void()>(&NoArguments, registers);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), 42);
  EXPECT_EQ(g_log, "");
  EXPECT_EQ(g_calls, 1);
}

}  // namespace
}  // namespace hiillos::syscall
