// lib/fat32/testing/image_tools.h — runs the pinned dosfstools/mtools on image files for the
// host tests (paths come from the environment the BUILD file sets).
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/base/result.h"
#include "lib/fat32/error.h"
#include "lib/fat32/testing/deterministic_bytes.h"

namespace hiillos::fat32::testing {

struct ToolResult {
  int status;          // exit status, or -1 when the tool could not run
  std::string output;  // stdout and stderr
};

// Runs the tool named by environment variable `tool_env` (e.g. "FAT32_MKFS") with `args`.
ToolResult RunTool(const char* tool_env, const std::vector<std::string>& args);

// A fresh file under $TEST_TMPDIR (unique per call).
std::string TempPath(const std::string& stem);
// `mkfs.fat -F 32` on a new zero-filled image of `size_mib` MiB with a fixed volume id.
std::string MakeImage(uint32_t size_mib, const std::vector<std::string>& extra_args = {});

std::vector<uint8_t> ReadHostFile(const std::string& path);
void WriteHostFile(const std::string& path, const std::vector<uint8_t>& bytes);
// Sets a host file's modification time (seconds since 1970).
void SetMtime(const std::string& path, int64_t seconds);
int64_t Mtime(const std::string& path);

// `fsck.fat -n`: status 0 and the tool's output.
ToolResult Fsck(const std::string& image);
// mcopy -m a host file into the image / a file out of the image.
void CopyIn(const std::string& image, const std::string& host, const std::string& target);
std::vector<uint8_t> CopyOut(const std::string& image, const std::string& source);
void MakeDirectoryIn(const std::string& image, const std::string& target);

// Expects `result` to have failed with `error` (and names the error it got).
template <typename T>
void ExpectError(const Result<T, Error>& result, Error error) {
  ASSERT_FALSE(result.ok()) << "expected " << ErrorName(error);
  EXPECT_EQ(result.error(), error) << ErrorName(result.error());
}

}  // namespace hiillos::fat32::testing
