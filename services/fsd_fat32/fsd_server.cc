// services/fsd_fat32/fsd_server.cc — driver requests on a lib/fat32 volume.
#include "services/fsd_fat32/fsd_server.h"

#include "services/vfsd/text.h"

#include "lib/base/placement_new.h"
#include "lib/path/limits.h"
#include "services/vfsd/channel.h"

namespace hiillos::fsd {

namespace {

uapi::IpcMessage Reply(vfs::Error error, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                       uint64_t w4 = 0) {
  uapi::IpcMessage reply;
  reply.words[0] = static_cast<uint64_t>(error);
  reply.words[1] = w1;
  reply.words[2] = w2;
  reply.words[3] = w3;
  reply.words[4] = w4;
  return reply;
}

bool SameEntry(const fat32::Node& a, const fat32::Node& b) {
  return !a.is_root && !b.is_root && a.entry.cluster == b.entry.cluster &&
         a.entry.index == b.entry.index && a.entry.slot_in_cluster == b.entry.slot_in_cluster;
}

}  // namespace

vfs::Error FromFat32(fat32::Error error) {
  using fat32::Error;
  switch (error) {
    case Error::kIo:
      return vfs::Error::kIoError;
    case Error::kNotFound:
      return vfs::Error::kNotFound;
    case Error::kNotADirectory:
      return vfs::Error::kNotADirectory;
    case Error::kIsADirectory:
      return vfs::Error::kIsADirectory;
    case Error::kExists:
      return vfs::Error::kExists;
    case Error::kBadName:
    case Error::kNameTooLong:
    case Error::kBadPath:
      return vfs::Error::kBadPath;
    case Error::kNoSpace:
    case Error::kDirectoryFull:
      return vfs::Error::kNoSpace;
    case Error::kDirectoryNotEmpty:
      return vfs::Error::kNotEmpty;
    case Error::kFileTooLarge:
      return vfs::Error::kFileTooLarge;
    case Error::kInvalidRename:
      return vfs::Error::kInvalidRename;
    default:  // the mount checks and corrupt chains or directories
      return vfs::Error::kCorrupt;
  }
}

FsdServer::~FsdServer() {
  if (fs_ != nullptr) fs_->~FileSystem();
}

size_t FsdServer::open_handles() const {
  size_t count = 0;
  for (bool used : used_) count += used ? 1 : 0;
  return count;
}

Result<void, vfs::Error> FsdServer::EnsureMounted() {
  if (mounted_) return Ok<vfs::Error>();
  if (mount_failed_) return Err(mount_error_);
  auto fs = fat32::FileSystem::Mount(device_, clock_);
  if (!fs.ok()) {
    mount_failed_ = true;
    mount_error_ = FromFat32(fs.error());
    if (mount_error_ != vfs::Error::kIoError) mount_error_ = vfs::Error::kCorrupt;
    if (report_ != nullptr) report_(fs.error());
    return Err(mount_error_);
  }
  fs_ = new (storage_) fat32::FileSystem(Move(fs.value()));
  mounted_ = true;
  return Ok<vfs::Error>();
}

Result<void, vfs::Error> FsdServer::CopyPath(uint64_t offset, uint64_t length, char* out) {
  if (length == 0 || length > path::kMaxPathLength) return Err(vfs::Error::kBadPath);
  if (!fs::InBuffer(offset, length, buffer_size_)) return Err(vfs::Error::kOutOfRange);
  __builtin_memcpy(out, buffer_ + offset, length);
  out[length] = '\0';
  if (fs::Length(out) != length) return Err(vfs::Error::kBadPath);  // a NUL inside
  return Ok<vfs::Error>();
}

Result<fat32::Node*, vfs::Error> FsdServer::OpenNode(uint64_t handle) {
  if (handle >= kMaxHandles || !used_[handle]) return Err(vfs::Error::kBadHandle);
  return &nodes_[handle];
}

Result<void, vfs::Error> FsdServer::CheckNotOpen(const char* path) {
  auto node = fs_->Lookup(path);
  if (!node.ok()) return Ok<vfs::Error>();  // the operation itself reports it
  for (size_t i = 0; i < kMaxHandles; ++i) {
    if (used_[i] && SameEntry(nodes_[i], node.value())) return Err(vfs::Error::kBusy);
  }
  return Ok<vfs::Error>();
}

Result<uint64_t, vfs::Error> FsdServer::Open(const char* path, uint64_t flags) {
  if ((flags & ~(vfs::kOpenCreate | vfs::kOpenTruncate | vfs::kOpenExclusive)) != 0) {
    return Err(vfs::Error::kBadRequest);
  }
  size_t slot = kMaxHandles;
  for (size_t i = 0; i < kMaxHandles; ++i) {
    if (!used_[i]) {
      slot = i;
      break;
    }
  }
  if (slot == kMaxHandles) return Err(vfs::Error::kTooManyOpen);
  auto found = fs_->Lookup(path);
  fat32::Node node;
  if (found.ok()) {
    if ((flags & vfs::kOpenCreate) != 0 && (flags & vfs::kOpenExclusive) != 0) {
      return Err(vfs::Error::kExists);
    }
    node = found.value();
    if ((flags & vfs::kOpenTruncate) != 0) {
      if (node.is_directory()) return Err(vfs::Error::kIsADirectory);
      if (auto cut = fs_->Truncate(node, 0); !cut.ok()) return Err(FromFat32(cut.error()));
    }
  } else if (found.error() == fat32::Error::kNotFound && (flags & vfs::kOpenCreate) != 0) {
    auto created = fs_->CreateFile(path);
    if (!created.ok()) return Err(FromFat32(created.error()));
    node = created.value();
  } else {
    return Err(FromFat32(found.error()));
  }
  nodes_[slot] = node;
  used_[slot] = true;
  return slot;
}

uapi::IpcMessage FsdServer::Handle(const uapi::IpcMessage& request) {
  if (auto mounted = EnsureMounted(); !mounted.ok()) return Reply(mounted.error());
  return Dispatch(request);
}

uapi::IpcMessage FsdServer::Dispatch(const uapi::IpcMessage& request) {
  const uint64_t* w = request.words;
  char path[path::kMaxPathLength + 1];
  char other[path::kMaxPathLength + 1];
  switch (static_cast<Op>(w[0])) {
    case Op::kOpen: {
      if (auto copied = CopyPath(w[1], w[2], path); !copied.ok()) return Reply(copied.error());
      auto handle = Open(path, w[3]);
      if (!handle.ok()) return Reply(handle.error());
      const fat32::Node& node = nodes_[handle.value()];
      return Reply(vfs::Error::kOk, handle.value(), node.size, node.is_directory() ? 1 : 0);
    }
    case Op::kRead:
    case Op::kWrite: {
      auto node = OpenNode(w[1]);
      if (!node.ok()) return Reply(node.error());
      if (!fs::InBuffer(w[3], w[4], buffer_size_)) return Reply(vfs::Error::kOutOfRange);
      if (static_cast<Op>(w[0]) == Op::kRead) {
        auto read = fs_->Read(*node.value(), w[2], buffer_ + w[3], w[4]);
        if (!read.ok()) return Reply(FromFat32(read.error()));
        return Reply(vfs::Error::kOk, read.value());
      }
      auto written = fs_->Write(*node.value(), w[2], buffer_ + w[3], w[4]);
      if (!written.ok()) return Reply(FromFat32(written.error()));
      return Reply(vfs::Error::kOk, written.value(), node.value()->size);
    }
    case Op::kStat: {
      if (auto copied = CopyPath(w[1], w[2], path); !copied.ok()) return Reply(copied.error());
      auto node = fs_->Lookup(path);
      if (!node.ok()) return Reply(FromFat32(node.error()));
      return Reply(vfs::Error::kOk, node.value().size, node.value().is_directory() ? 1 : 0,
                   node.value().modified);
    }
    case Op::kReadDir: {
      auto node = OpenNode(w[1]);
      if (!node.ok()) return Reply(node.error());
      if (!node.value()->is_directory()) return Reply(vfs::Error::kNotADirectory);
      if (!fs::InBuffer(w[3], w[4], buffer_size_)) return Reply(vfs::Error::kOutOfRange);
      auto reader = fs_->OpenDirectory(*node.value());
      if (!reader.ok()) return Reply(FromFat32(reader.error()));
      // Entry `index`: walked from the start each time (bounded by the directory's 65536 slots),
      // so a directory changing between calls never leaves a dangling cursor.
      fat32::DirEntry entry;
      for (uint64_t i = 0;; ++i) {
        auto next = reader.value().Next(&entry);
        if (!next.ok()) return Reply(FromFat32(next.error()));
        if (!next.value()) return Reply(vfs::Error::kOk, 0);
        if (i == w[2]) break;
      }
      if (entry.name_length > w[4]) return Reply(vfs::Error::kOutOfRange);
      __builtin_memcpy(buffer_ + w[3], entry.name, entry.name_length);
      return Reply(vfs::Error::kOk, 1, entry.size, entry.is_directory() ? 1 : 0, entry.name_length);
    }
    case Op::kMkdir: {
      if (auto copied = CopyPath(w[1], w[2], path); !copied.ok()) return Reply(copied.error());
      auto made = fs_->MakeDirectory(path);
      return Reply(made.ok() ? vfs::Error::kOk : FromFat32(made.error()));
    }
    case Op::kUnlink: {
      if (auto copied = CopyPath(w[1], w[2], path); !copied.ok()) return Reply(copied.error());
      if (auto open = CheckNotOpen(path); !open.ok()) return Reply(open.error());
      auto node = fs_->Lookup(path);
      if (!node.ok()) return Reply(FromFat32(node.error()));
      if (node.value().is_root) return Reply(vfs::Error::kBusy);
      auto removed = node.value().is_directory() ? fs_->RemoveDirectory(path) : fs_->Unlink(path);
      return Reply(removed.ok() ? vfs::Error::kOk : FromFat32(removed.error()));
    }
    case Op::kRename: {
      if (auto copied = CopyPath(w[1], w[2], path); !copied.ok()) return Reply(copied.error());
      if (auto copied = CopyPath(w[3], w[4], other); !copied.ok()) return Reply(copied.error());
      if (auto open = CheckNotOpen(path); !open.ok()) return Reply(open.error());
      if (auto open = CheckNotOpen(other); !open.ok()) return Reply(open.error());
      auto renamed = fs_->Rename(path, other);
      return Reply(renamed.ok() ? vfs::Error::kOk : FromFat32(renamed.error()));
    }
    case Op::kClose: {
      auto node = OpenNode(w[1]);
      if (!node.ok()) return Reply(node.error());
      used_[w[1]] = false;
      return Reply(vfs::Error::kOk);
    }
    case Op::kShutdown:
      break;
  }
  return Reply(vfs::Error::kBadRequest);
}

}  // namespace hiillos::fsd
