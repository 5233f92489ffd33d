// The header //third_party/googletest:gtest_pch precompiles. GoogleTest's header is included
// through its -isystem path, as a test includes it, so that its templates stay a system
// header's: precompiled as the main file, gtest.h's EXPECT_EQ raised -Wsign-compare in tests.
#include <gtest/gtest.h>
