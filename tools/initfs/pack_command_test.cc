// tools/initfs/pack_command_test.cc — end-to-end tests of initfs_pack: host files → RunPack →
// ZSTD_decompress → lib/ustar, byte-for-byte; determinism; command-line and input errors.
#include "tools/initfs/pack_command.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <zstd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "lib/ustar/archive.h"

namespace hiillos::initfs {
namespace {

class PackCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = getenv("TEST_TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/initfs_pack_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string WriteHostFile(const std::string& name, const std::string& contents,
                            mode_t mode = 0644) {
    const std::string path = Path(name);
    std::ofstream(path, std::ios::binary) << contents;
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }

  static std::vector<uint8_t> ReadHostFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
  }

  // Runs the command; returns the exit code and keeps the messages in err_.
  int Run(const std::vector<std::string>& args) {
    std::ostringstream err;
    const int code = RunPack(args, err);
    err_ = err.str();
    return code;
  }

  static std::vector<uint8_t> Decompress(const std::vector<uint8_t>& frame) {
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    EXPECT_NE(size, ZSTD_CONTENTSIZE_UNKNOWN);
    EXPECT_NE(size, ZSTD_CONTENTSIZE_ERROR);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR) return {};
    std::vector<uint8_t> out(size);
    const size_t n = ZSTD_decompress(out.data(), out.size(), frame.data(), frame.size());
    EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
    EXPECT_EQ(n, size);
    return out;
  }

  std::string dir_;
  std::string err_;
};

std::string Contents(const ustar::Entry& entry) {
  return std::string(reinterpret_cast<const char*>(entry.data), entry.size);
}

TEST_F(PackCommandTest, PacksFilesThatReadBackByteForByte) {
  std::string binary =
      "\x7f"
      "ELF";
  for (int i = 0; i < 20000; ++i) binary.push_back(static_cast<char>(i * 31 + (i >> 3)));
  const std::string init = WriteHostFile("init", binary, 0755);
  const std::string conf = WriteHostFile("init.conf", "# services\nrngd\nvfsd\n");
  const std::string empty = WriteHostFile("empty", "");
  const std::string group_exec = WriteHostFile("tool", "#!/bin/sh\n", 0710);

  ASSERT_EQ(Run({"--output", Path("out.tar.zst"), "--uncompressed=" + Path("out.tar"),
                 "sbin/init=" + init, "etc/init.conf=" + conf, "etc/empty=" + empty,
                 "bin/tool=" + group_exec}),
            kExitOk)
      << err_;
  EXPECT_EQ(err_, "");

  const std::vector<uint8_t> tar = Decompress(ReadHostFile(Path("out.tar.zst")));
  EXPECT_EQ(tar, ReadHostFile(Path("out.tar")));
  auto archive = ustar::Archive::Open(tar.data(), tar.size());
  ASSERT_TRUE(archive.ok()) << ustar::ErrorName(archive.error());
  EXPECT_EQ(archive.value().entry_count(), 7u);  // 4 files + bin, etc, sbin

  const ustar::Entry init_entry = archive.value().Lookup("sbin/init").value();
  EXPECT_EQ(Contents(init_entry), binary);
  EXPECT_EQ(init_entry.mode, 0755u);
  const ustar::Entry conf_entry = archive.value().Lookup("etc/init.conf").value();
  EXPECT_EQ(Contents(conf_entry), "# services\nrngd\nvfsd\n");
  EXPECT_EQ(conf_entry.mode, 0644u);
  EXPECT_EQ(archive.value().Lookup("etc/empty").value().size, 0u);
  EXPECT_EQ(archive.value().Lookup("bin/tool").value().mode, 0755u);  // any x bit counts
  EXPECT_EQ(archive.value().Lookup("sbin").value().type, ustar::EntryType::kDirectory);

  std::vector<std::string> order;
  for (const ustar::Entry& entry : archive.value()) order.push_back(entry.path);
  EXPECT_EQ(order, (std::vector<std::string>{"bin", "bin/tool", "etc", "etc/empty", "etc/init.conf",
                                             "sbin", "sbin/init"}));
}

TEST_F(PackCommandTest, SameInputTwiceGivesIdenticalBytes) {
  const std::string a = WriteHostFile("a", std::string(5000, 'a'), 0755);
  const std::string b = WriteHostFile("b", "bee");
  ASSERT_EQ(Run({"--output", Path("1.tar.zst"), "x/a=" + a, "y/b=" + b}), kExitOk) << err_;
  // Different argument order, same archive.
  ASSERT_EQ(Run({"y/b=" + b, "--output", Path("2.tar.zst"), "x/a=" + a}), kExitOk) << err_;
  const std::vector<uint8_t> first = ReadHostFile(Path("1.tar.zst"));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, ReadHostFile(Path("2.tar.zst")));
  // The level matters, so it must be the fixed default when not given.
  ASSERT_EQ(Run({"--output", Path("3.tar.zst"), "--level", "19", "x/a=" + a, "y/b=" + b}), kExitOk);
  EXPECT_EQ(first, ReadHostFile(Path("3.tar.zst")));
  ASSERT_EQ(Run({"--output", Path("4.tar.zst"), "--level=1", "x/a=" + a, "y/b=" + b}), kExitOk);
  EXPECT_EQ(Decompress(first), Decompress(ReadHostFile(Path("4.tar.zst"))));
}

TEST_F(PackCommandTest, UsageErrors) {
  const std::string a = WriteHostFile("a", "a");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string levels =
      "--level expects an integer from 1 to " + std::to_string(ZSTD_maxCLevel()) + ", got ";
  const std::string too_high = std::to_string(ZSTD_maxCLevel() + 1);
  const std::vector<Case> cases = {
      {{"x=" + a}, "--output is required"},
      {{"--output", Path("o")}, "no DEST=SRC arguments: nothing to pack"},
      {{"--output"}, "--output needs a value"},
      {{"--output", Path("o"), "x"}, "expected DEST=SRC, got 'x'"},
      {{"--output", Path("o"), "x="}, "no source file given for 'x'"},
      {{"--output", Path("o"), "--frobnicate", "x=" + a}, "unknown option '--frobnicate'"},
      {{"--output", Path("o"), "--level", "high", "x=" + a}, levels + "'high'"},
      {{"--output", Path("o"), "--level=0", "x=" + a}, levels + "'0'"},
      {{"--output", Path("o"), "--level=" + too_high, "x=" + a}, levels + "'" + too_high + "'"},
      {{"--output", Path("o"), "--level=3x", "x=" + a}, levels + "'3x'"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Run(c.args), kExitUsage) << c.message;
    EXPECT_EQ(err_.substr(0, err_.find('\n')), "initfs_pack: error: " + c.message);
    EXPECT_NE(err_.find("usage: initfs_pack"), std::string::npos);
  }
  struct stat info;
  EXPECT_NE(stat(Path("o").c_str(), &info), 0);  // nothing written
}

TEST_F(PackCommandTest, HelpAndDoubleDash) {
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_EQ(err_.rfind("usage: initfs_pack", 0), 0u);
  // After "--", an argument starting with '-' is a DEST=SRC ("-x" is a valid archive path).
  const std::string a = WriteHostFile("a", "a");
  EXPECT_EQ(Run({"--output", Path("o.tar.zst"), "--", "-x=" + a}), kExitOk) << err_;
}

TEST_F(PackCommandTest, InputErrors) {
  const std::string a = WriteHostFile("a", "a");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string out = Path("bad.tar.zst");
  const std::vector<Case> cases = {
      {{"--output", out, "x=" + Path("missing")},
       "cannot read source file '" + Path("missing") + "': No such file or directory"},
      {{"--output", out, "x=" + dir_}, "source '" + dir_ + "' for 'x' is not a regular file"},
      {{"--output", out, "x=" + a, "x=" + a}, "duplicate destination 'x'"},
      {{"--output", out, "/sbin/init=" + a},
       "destination '/sbin/init' is absolute; archive paths are relative (e.g. sbin/init)"},
      {{"--output", out, "sbin/../init=" + a},
       "destination 'sbin/../init' contains a '..' component"},
      {{"--output", out, "=" + a}, "destination path is empty"},
      {{"--output", out, std::string(100, 'n') + "=" + a},
       "destination '" + std::string(100, 'n') +
           "' does not fit a ustar header: it must split at a '/' into a part of at most 154 "
           "bytes and a last part of at most 99 bytes (directories count their trailing '/')"},
      {{"--output", Path("no/such/dir/o.tar.zst"), "x=" + a},
       "cannot create output file '" + Path("no/such/dir/o.tar.zst") +
           "': No such file or directory"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Run(c.args), kExitFailure) << c.message;
    EXPECT_EQ(err_, "initfs_pack: error: " + c.message + "\n");
  }
  struct stat info;
  EXPECT_NE(stat(out.c_str(), &info), 0);  // nothing written on failure
}

}  // namespace
}  // namespace hiillos::initfs
