// lib/startinfo/test_block.h — a typical block (init's: two arguments, two environment
// entries, four capabilities) for the tests.
#pragma once

#include <gtest/gtest.h>
#include <stdint.h>
#include <string.h>

#include <vector>

#include "lib/startinfo/builder.h"

namespace hiillos::startinfo {

inline Text T(const char* s) {
  return Text{s, strlen(s)};
}

inline std::vector<uint8_t> TypicalBlock() {
  Builder builder;
  builder.SetPid(7);
  EXPECT_TRUE(builder.AddArg(T("/sbin/init")).ok());
  EXPECT_TRUE(builder.AddArg(T("--verbose")).ok());
  EXPECT_TRUE(builder.AddEnv(T("HOME=/")).ok());
  EXPECT_TRUE(builder.AddEnv(T("EMPTY=")).ok());
  EXPECT_TRUE(builder.AddCap(T("initfs"), 3).ok());
  EXPECT_TRUE(builder.AddCap(T("vm"), 4).ok());
  EXPECT_TRUE(builder.AddCap(T("proc"), 5).ok());
  EXPECT_TRUE(builder.AddCap(T("log"), 9).ok());
  std::vector<uint8_t> block(kMaxBlockSize);
  auto size = builder.Encode(block.data(), block.size());
  EXPECT_TRUE(size.ok());
  block.resize(size.value_or(0));
  return block;
}

}  // namespace hiillos::startinfo
