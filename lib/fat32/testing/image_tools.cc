// lib/fat32/testing/image_tools.cc — process spawning and file helpers for the image tests.
#include "lib/fat32/testing/image_tools.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "gtest/gtest.h"

extern char** environ;

namespace hiillos::fat32::testing {

ToolResult RunTool(const char* tool_env, const std::vector<std::string>& args) {
  const char* tool = getenv(tool_env);
  if (tool == nullptr) return {-1, std::string("environment variable not set: ") + tool_env};
  const std::string log = TempPath("tool-output");
  std::vector<std::string> argv_strings = {tool};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  setenv("MTOOLS_SKIP_CHECK", "1", 1);
  setenv("TZ", "UTC", 1);
  setenv("LC_ALL", "C.UTF-8", 1);  // mtools converts host names from the locale's charset
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, tool, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return {-1, std::string("cannot run ") + tool};
  int status = 0;
  waitpid(pid, &status, 0);
  const std::vector<uint8_t> output = ReadHostFile(log);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, std::string(output.begin(), output.end())};
}

std::string TempPath(const std::string& stem) {
  static int counter = 0;
  const char* base = getenv("TEST_TMPDIR");
  return std::string(base ? base : "/tmp") + "/" + stem + "-" + std::to_string(getpid()) + "-" +
         std::to_string(counter++);
}

std::string MakeImage(uint32_t size_mib, const std::vector<std::string>& extra_args) {
  const std::string path = TempPath("image") + ".img";
  {
    std::ofstream file(path, std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size_mib) * 1024 * 1024 - 1);
    file.put('\0');
  }
  std::vector<std::string> args = {"-F", "32", "-i", "12345678", "-n", "HIILLOSTEST"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  args.push_back(path);
  const ToolResult made = RunTool("FAT32_MKFS", args);
  EXPECT_EQ(made.status, 0) << made.output;
  return path;
}

std::vector<uint8_t> ReadHostFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file),
                              std::istreambuf_iterator<char>());
}

void WriteHostFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

void SetMtime(const std::string& path, int64_t seconds) {
  struct timeval times[2] = {{seconds, 0}, {seconds, 0}};
  ASSERT_EQ(utimes(path.c_str(), times), 0);
}

int64_t Mtime(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return -1;
  return info.st_mtime;
}

ToolResult Fsck(const std::string& image) {
  return RunTool("FAT32_FSCK", {"-n", image});
}

void CopyIn(const std::string& image, const std::string& host, const std::string& target) {
  const ToolResult copied = RunTool("FAT32_MCOPY", {"-m", "-i", image, host, "::" + target});
  EXPECT_EQ(copied.status, 0) << copied.output;
}

std::vector<uint8_t> CopyOut(const std::string& image, const std::string& source) {
  const std::string host = TempPath("copied");
  const ToolResult copied = RunTool("FAT32_MCOPY", {"-m", "-n", "-i", image, "::" + source, host});
  EXPECT_EQ(copied.status, 0) << source << ": " << copied.output;
  return ReadHostFile(host);
}

void MakeDirectoryIn(const std::string& image, const std::string& target) {
  const ToolResult made = RunTool("FAT32_MMD", {"-i", image, "::" + target});
  EXPECT_EQ(made.status, 0) << made.output;
}

}  // namespace hiillos::fat32::testing
