// tools/initfs/host_files.cc — reading input files and writing outputs on the host.
#include "tools/initfs/host_files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <memory>

namespace hiillos::initfs {
namespace {

struct FileCloser {
  void operator()(FILE* file) const { fclose(file); }
};
using File = std::unique_ptr<FILE, FileCloser>;

Failure ErrnoFailure(const std::string& what, const std::string& path) {
  return Failure{"cannot " + what + " '" + path + "': " + strerror(errno)};
}

}  // namespace

Expected<InputFile> ReadInputFile(const std::string& dest, const std::string& src) {
  struct stat info;
  if (stat(src.c_str(), &info) != 0) return ErrnoFailure("read source file", src);
  if (!S_ISREG(info.st_mode)) {
    return Failure{"source '" + src + "' for '" + dest + "' is not a regular file"};
  }
  File file(fopen(src.c_str(), "rb"));
  if (file == nullptr) return ErrnoFailure("open source file", src);
  InputFile input;
  input.dest = dest;
  input.executable = (info.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
  uint8_t buffer[1 << 16];
  while (true) {
    const size_t n = fread(buffer, 1, sizeof(buffer), file.get());
    input.contents.insert(input.contents.end(), buffer, buffer + n);
    if (n < sizeof(buffer)) break;
  }
  if (ferror(file.get())) return ErrnoFailure("read source file", src);
  return input;
}

MaybeFailure WriteOutputFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  File file(fopen(path.c_str(), "wb"));
  if (file == nullptr) return ErrnoFailure("create output file", path);
  const bool written = fwrite(bytes.data(), 1, bytes.size(), file.get()) == bytes.size();
  const bool closed = fclose(file.release()) == 0;
  if (!written || !closed) {
    Failure failure = ErrnoFailure("write output file", path);
    remove(path.c_str());
    return failure;
  }
  return std::nullopt;
}

}  // namespace hiillos::initfs
