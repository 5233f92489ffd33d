// services/vfsd/initfs_driver.cc — driver requests against the initfs archive.
#include "services/vfsd/initfs_driver.h"

#include "services/fsd_fat32/protocol.h"

namespace hiillos::vfsd {

namespace {

uapi::IpcMessage Reply(vfs::Error error, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                       uint64_t w4 = 0) {
  return fs::Request(static_cast<uint64_t>(error), w1, w2, w3, w4);
}

vfs::Error FromInitfs(initfs::Error error) {
  switch (error) {
    case initfs::Error::kBadPath:
    case initfs::Error::kWrongScheme:
      return vfs::Error::kBadPath;
    case initfs::Error::kNotFound:
      return vfs::Error::kNotFound;
    case initfs::Error::kNotADirectory:
      return vfs::Error::kNotADirectory;
    case initfs::Error::kNotAFile:
      return vfs::Error::kIsADirectory;
    case initfs::Error::kBadHandle:
    case initfs::Error::kEndOfDirectory:
      return vfs::Error::kBadHandle;
    case initfs::Error::kTooManyOpen:
      return vfs::Error::kTooManyOpen;
  }
  return vfs::Error::kBadRequest;
}

constexpr uint64_t kClient = 0;  // vfsd is the service's only client

}  // namespace

Result<uapi::IpcMessage, uapi::Status> InitfsDriver::Call(const uapi::IpcMessage& request) {
  const uint64_t* w = request.words;
  switch (static_cast<fsd::Op>(w[0])) {
    case fsd::Op::kOpen:
    case fsd::Op::kStat: {
      if (!fs::InBuffer(w[1], w[2], buffer_size_)) return Reply(vfs::Error::kOutOfRange);
      const bool open = static_cast<fsd::Op>(w[0]) == fsd::Op::kOpen;
      if (open && w[3] != 0) return Reply(vfs::Error::kReadOnly);
      auto handle = service_.Open(kClient, reinterpret_cast<const char*>(buffer_ + w[1]), w[2]);
      if (!handle.ok()) return Reply(FromInitfs(handle.error()));
      auto stat = service_.Stat(kClient, handle.value());
      if (!stat.ok()) return Reply(FromInitfs(stat.error()));
      const uint64_t directory = stat.value().type == initfs::NodeType::kDirectory ? 1 : 0;
      if (open) return Reply(vfs::Error::kOk, handle.value(), stat.value().size, directory);
      (void)service_.Close(kClient, handle.value());
      return Reply(vfs::Error::kOk, stat.value().size, directory, stat.value().mtime);
    }
    case fsd::Op::kRead: {
      if (!fs::InBuffer(w[3], w[4], buffer_size_)) return Reply(vfs::Error::kOutOfRange);
      auto read =
          service_.Read(kClient, static_cast<initfs::Handle>(w[1]), w[2], buffer_ + w[3], w[4]);
      if (!read.ok()) return Reply(FromInitfs(read.error()));
      return Reply(vfs::Error::kOk, read.value());
    }
    case fsd::Op::kReadDir: {
      if (!fs::InBuffer(w[3], w[4], buffer_size_)) return Reply(vfs::Error::kOutOfRange);
      auto entry = service_.ReadDir(kClient, static_cast<initfs::Handle>(w[1]), w[2]);
      if (!entry.ok()) {
        if (entry.error() == initfs::Error::kEndOfDirectory) return Reply(vfs::Error::kOk, 0);
        return Reply(FromInitfs(entry.error()));
      }
      if (entry.value().name_length > w[4]) return Reply(vfs::Error::kOutOfRange);
      __builtin_memcpy(buffer_ + w[3], entry.value().name, entry.value().name_length);
      return Reply(vfs::Error::kOk, 1, entry.value().stat.size,
                   entry.value().stat.type == initfs::NodeType::kDirectory ? 1 : 0,
                   entry.value().name_length);
    }
    case fsd::Op::kClose: {
      auto closed = service_.Close(kClient, static_cast<initfs::Handle>(w[1]));
      return Reply(closed.ok() ? vfs::Error::kOk : FromInitfs(closed.error()));
    }
    case fsd::Op::kWrite:
    case fsd::Op::kMkdir:
    case fsd::Op::kUnlink:
    case fsd::Op::kRename:
      return Reply(vfs::Error::kReadOnly);
    case fsd::Op::kShutdown:
      service_.CloseAll(kClient);
      return Reply(vfs::Error::kOk);
  }
  return Reply(vfs::Error::kBadRequest);
}

}  // namespace hiillos::vfsd
