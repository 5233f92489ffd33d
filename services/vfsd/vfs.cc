// services/vfsd/vfs.cc — vfs requests: path resolution, handles, forwarding to drivers.
#include "services/vfsd/vfs.h"

#include "services/vfsd/text.h"

namespace hiillos::vfsd {

namespace {

uapi::IpcMessage Reply(vfs::Error error, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                       uint64_t w4 = 0, uint64_t w5 = 0) {
  uapi::IpcMessage reply;
  reply.words[0] = static_cast<uint64_t>(error);
  reply.words[1] = w1;
  reply.words[2] = w2;
  reply.words[3] = w3;
  reply.words[4] = w4;
  reply.words[5] = w5;
  return reply;
}

vfs::Error FromPath(path::Error error) {
  switch (error) {
    case path::Error::kNoMount:
      return vfs::Error::kNoMount;
    case path::Error::kAlreadyMounted:
      return vfs::Error::kAlreadyMounted;
    case path::Error::kNotMounted:
      return vfs::Error::kNotMounted;
    case path::Error::kMountTableFull:
      return vfs::Error::kTooManyOpen;
    default:
      return vfs::Error::kBadPath;
  }
}

uint64_t Op(fsd::Op op) {
  return static_cast<uint64_t>(op);
}

}  // namespace

void Vfs::MountAll(const Fstab& fstab, void (*report)(const FstabEntry&, vfs::Error)) {
  for (size_t i = 0; i < fstab.size(); ++i) {
    const FstabEntry& entry = fstab.entry(i);
    const vfs::Error error = Mount(entry.point, fs::Length(entry.point), entry.device, entry.type);
    if (error != vfs::Error::kOk && report != nullptr) report(entry, error);
  }
}

void Vfs::Attach(size_t session, uint8_t* buffer, uint64_t size) {
  buffers_[session] = buffer;
  buffer_sizes_[session] = buffer == nullptr ? 0 : size;
}

void Vfs::EndSession(size_t session) {
  for (OpenFile& file : open_) {
    if (!file.used || file.session != session) continue;
    if (mounts_[file.mount].running) {
      (void)CallDriver(file.mount, fs::Request(Op(fsd::Op::kClose), file.driver_handle));
    }
    file = OpenFile{};
  }
  Attach(session, nullptr, 0);
  ++sessions_ended_;
}

size_t Vfs::open_count() const {
  size_t count = 0;
  for (const OpenFile& file : open_) count += file.used ? 1 : 0;
  return count;
}

size_t Vfs::open_count(size_t session) const {
  size_t count = 0;
  for (const OpenFile& file : open_) count += file.used && file.session == session ? 1 : 0;
  return count;
}

vfs::Error Vfs::Mount(const char* point, size_t point_length, const char* device,
                      const char* type) {
  auto parsed = path::NormalPath::Parse(point, point_length);
  if (!parsed.ok()) return vfs::Error::kBadPath;
  // initfs:// holds only the archive's own driver.
  if ((parsed.value().scheme() == path::Scheme::kInitfs) != fs::Same(type, "initfs")) {
    return vfs::Error::kNoDevice;
  }
  if (!host_.Knows(device, type)) return vfs::Error::kNoDevice;
  if (fs::Length(device) > kMaxDeviceName || fs::Length(type) > kMaxTypeName)
    return vfs::Error::kNoDevice;
  uint32_t slot = path::kMaxMounts;
  for (uint32_t i = 0; i < path::kMaxMounts; ++i) {
    if (!mounts_[i].used) {
      slot = i;
      break;
    }
  }
  if (slot == path::kMaxMounts) return vfs::Error::kTooManyOpen;
  if (auto mounted = table_.Mount(parsed.value(), slot); !mounted.ok()) {
    return FromPath(mounted.error());
  }
  MountInfo& mount = mounts_[slot];
  mount = MountInfo{};
  mount.used = true;
  __builtin_memcpy(mount.device, device, fs::Length(device) + 1);
  __builtin_memcpy(mount.type, type, fs::Length(type) + 1);
  return vfs::Error::kOk;
}

vfs::Error Vfs::Unmount(const char* point, size_t point_length) {
  auto parsed = path::NormalPath::Parse(point, point_length);
  if (!parsed.ok()) return vfs::Error::kBadPath;
  auto found = table_.Resolve(parsed.value());
  if (!found.ok() || !(*found.value().point == parsed.value())) return vfs::Error::kNotMounted;
  const uint32_t mount = found.value().mount_id;
  for (const OpenFile& file : open_) {
    if (file.used && file.mount == mount) return vfs::Error::kBusy;
  }
  if (mounts_[mount].running) {
    // The driver writes everything back before it answers, then exits.
    (void)mounts_[mount].port.channel->Call(fs::Request(Op(fsd::Op::kShutdown)));
    host_.Stop(mount);
  }
  (void)table_.Unmount(parsed.value());
  mounts_[mount] = MountInfo{};
  return vfs::Error::kOk;
}

void Vfs::StopAll() {
  for (uint32_t mount = 0; mount < path::kMaxMounts; ++mount) {
    if (!mounts_[mount].running) continue;
    (void)mounts_[mount].port.channel->Call(fs::Request(Op(fsd::Op::kShutdown)));
    host_.Stop(mount);
    mounts_[mount].running = false;
  }
  for (OpenFile& file : open_) file = OpenFile{};
}

Result<DriverPort*, vfs::Error> Vfs::Driver(uint32_t mount) {
  MountInfo& info = mounts_[mount];
  if (!info.running) {
    auto started = host_.Start(mount, info.device, info.type);
    if (!started.ok()) return Err(started.error());
    info.port = started.value();
    info.running = true;
    ++driver_starts_;
  }
  return &info.port;
}

void Vfs::DriverFailed(uint32_t mount) {
  host_.Stop(mount);
  mounts_[mount].running = false;
  for (OpenFile& file : open_) {
    if (file.used && file.mount == mount) file = OpenFile{};
  }
}

Result<uapi::IpcMessage, vfs::Error> Vfs::CallDriver(uint32_t mount,
                                                     const uapi::IpcMessage& request) {
  auto port = Driver(mount);
  if (!port.ok()) return Err(port.error());
  auto reply = port.value()->channel->Call(request);
  if (!reply.ok() || reply.value().words[0] == uint64_t(vfs::Error::kDriverUnavailable)) {
    DriverFailed(mount);  // died, or lost its block device and exits (fsd.fat32's main.cc)
    return Err(vfs::Error::kDriverUnavailable);
  }
  if (reply.value().words[0] != 0) return Err(static_cast<vfs::Error>(reply.value().words[0]));
  return reply.value();
}

Result<Vfs::Resolved, vfs::Error> Vfs::ResolveArgument(size_t session, uint64_t offset,
                                                       uint64_t length) {
  if (buffers_[session] == nullptr) return Err(vfs::Error::kNoBuffer);
  if (!fs::InBuffer(offset, length, buffer_sizes_[session])) return Err(vfs::Error::kOutOfRange);
  auto parsed =
      path::NormalPath::Parse(reinterpret_cast<const char*>(buffers_[session] + offset), length);
  if (!parsed.ok()) return Err(vfs::Error::kBadPath);
  auto resolution = table_.Resolve(parsed.value());
  if (!resolution.ok()) return Err(FromPath(resolution.error()));
  Resolved resolved;
  resolved.mount = resolution.value().mount_id;
  resolved.inner_length = resolution.value().inner_length;
  __builtin_memcpy(resolved.inner, resolution.value().inner, resolved.inner_length);
  resolved.inner[resolved.inner_length] = '\0';
  return resolved;
}

Result<Vfs::OpenFile*, vfs::Error> Vfs::Lookup(size_t session, uint64_t handle) {
  if (handle >= kMaxOpen || !open_[handle].used || open_[handle].session != session) {
    return Err(vfs::Error::kBadHandle);
  }
  return &open_[handle];
}

uapi::IpcMessage Vfs::Handle(size_t session, const uapi::IpcMessage& request) {
  const uint64_t* w = request.words;
  switch (static_cast<vfs::Op>(w[0])) {
    case vfs::Op::kOpen:
      return Open(session, w);
    case vfs::Op::kRead:
      return Transfer(session, false, w);
    case vfs::Op::kWrite:
      return Transfer(session, true, w);
    case vfs::Op::kSeek:
      return Seek(session, w);
    case vfs::Op::kStat:
      return PathOp(session, fsd::Op::kStat, w);
    case vfs::Op::kReadDir:
      return ReadDir(session, w);
    case vfs::Op::kMkdir:
      return PathOp(session, fsd::Op::kMkdir, w);
    case vfs::Op::kUnlink:
      return PathOp(session, fsd::Op::kUnlink, w);
    case vfs::Op::kRename:
      return Rename(session, w);
    case vfs::Op::kClose:
      return Close(session, w);
    case vfs::Op::kMount:
      return MountOp(session, w);
    case vfs::Op::kUnmount:
      return UnmountOp(session, w);
    case vfs::Op::kStats: {
      uint64_t attached = 0;
      for (const uint8_t* buffer : buffers_) attached += buffer != nullptr ? 1 : 0;
      return Reply(vfs::Error::kOk, open_count(), attached, sessions_ended_, open_count(session),
                   driver_starts_);
    }
    case vfs::Op::kKillDriver:
      return KillDriverOp(session, w);
    case vfs::Op::kAttachBuffer:  // main.cc handles the capability
      break;
  }
  return Reply(vfs::Error::kBadRequest);
}

uapi::IpcMessage Vfs::PathOp(size_t session, fsd::Op op, const uint64_t* w) {
  auto resolved = ResolveArgument(session, w[1], w[2]);
  if (!resolved.ok()) return Reply(resolved.error());
  const Resolved& target = resolved.value();
  if (op != fsd::Op::kStat && target.inner_length == 1) {
    // The root of a mount: it exists (mkdir) and cannot go (unlink).
    return Reply(op == fsd::Op::kMkdir ? vfs::Error::kExists : vfs::Error::kBusy);
  }
  auto port = Driver(target.mount);
  if (!port.ok()) return Reply(port.error());
  __builtin_memcpy(port.value()->buffer, target.inner, target.inner_length);
  auto reply = CallDriver(target.mount, fs::Request(Op(op), 0, target.inner_length));
  if (!reply.ok()) return Reply(reply.error());
  const uint64_t* r = reply.value().words;
  return Reply(vfs::Error::kOk, r[1], r[2], r[3]);
}

uapi::IpcMessage Vfs::Open(size_t session, const uint64_t* w) {
  auto resolved = ResolveArgument(session, w[1], w[2]);
  if (!resolved.ok()) return Reply(resolved.error());
  const Resolved& target = resolved.value();
  size_t slot = kMaxOpen;
  for (size_t i = 0; i < kMaxOpen; ++i) {
    if (!open_[i].used) {
      slot = i;
      break;
    }
  }
  if (slot == kMaxOpen || open_count(session) >= vfs::kMaxOpenPerSession) {
    return Reply(vfs::Error::kTooManyOpen);
  }
  auto port = Driver(target.mount);
  if (!port.ok()) return Reply(port.error());
  __builtin_memcpy(port.value()->buffer, target.inner, target.inner_length);
  auto reply =
      CallDriver(target.mount, fs::Request(Op(fsd::Op::kOpen), 0, target.inner_length, w[3]));
  if (!reply.ok()) return Reply(reply.error());
  const uint64_t* r = reply.value().words;
  OpenFile& file = open_[slot];
  file = OpenFile{true, session, target.mount, r[1], 0, r[2], r[3] != 0};
  return Reply(vfs::Error::kOk, slot, file.size, file.directory ? 1 : 0);
}

uapi::IpcMessage Vfs::Transfer(size_t session, bool write, const uint64_t* w) {
  auto found = Lookup(session, w[1]);
  if (!found.ok()) return Reply(found.error());
  OpenFile& file = *found.value();
  if (file.directory) return Reply(vfs::Error::kIsADirectory);
  if (buffers_[session] == nullptr) return Reply(vfs::Error::kNoBuffer);
  if (!fs::InBuffer(w[2], w[3], buffer_sizes_[session])) return Reply(vfs::Error::kOutOfRange);
  uint8_t* client = buffers_[session] + w[2];
  const uint64_t length = w[3];
  uint64_t done = 0;
  while (done < length) {
    auto port = Driver(file.mount);
    if (!port.ok()) return Reply(port.error());
    const uint64_t room = port.value()->buffer_size;
    const uint64_t chunk = length - done < room ? length - done : room;
    uint8_t* shared = port.value()->buffer;
    if (write) __builtin_memcpy(shared, client + done, chunk);
    const uint32_t mount = file.mount;
    auto reply = CallDriver(mount, fs::Request(Op(write ? fsd::Op::kWrite : fsd::Op::kRead),
                                               file.driver_handle, file.position, 0, chunk));
    if (!reply.ok()) {
      // What was done stays done; report it when there was some, else the error.
      if (done > 0 && file.used) return Reply(vfs::Error::kOk, done);
      return Reply(reply.error());
    }
    const uint64_t count = reply.value().words[1];
    if (count > chunk) {  // a driver that breaks the protocol
      DriverFailed(mount);
      return Reply(vfs::Error::kDriverUnavailable);
    }
    if (!write) __builtin_memcpy(client + done, shared, count);
    if (write) file.size = reply.value().words[2];
    file.position += count;
    done += count;
    if (count < chunk) break;  // end of file (read) or the driver stopped short
  }
  return Reply(vfs::Error::kOk, done);
}

uapi::IpcMessage Vfs::Seek(size_t session, const uint64_t* w) {
  auto found = Lookup(session, w[1]);
  if (!found.ok()) return Reply(found.error());
  OpenFile& file = *found.value();
  const int64_t offset = static_cast<int64_t>(w[2]);
  int64_t base = 0;
  switch (w[3]) {
    case vfs::kSeekSet:
      base = 0;
      break;
    case vfs::kSeekCurrent:
      base = static_cast<int64_t>(file.position);
      break;
    case vfs::kSeekEnd:
      base = static_cast<int64_t>(file.size);
      break;
    default:
      return Reply(vfs::Error::kBadRequest);
  }
  int64_t position = 0;
  if (__builtin_add_overflow(base, offset, &position) || position < 0) {
    return Reply(vfs::Error::kOutOfRange);
  }
  file.position = static_cast<uint64_t>(position);
  return Reply(vfs::Error::kOk, file.position);
}

uapi::IpcMessage Vfs::ReadDir(size_t session, const uint64_t* w) {
  auto found = Lookup(session, w[1]);
  if (!found.ok()) return Reply(found.error());
  OpenFile& file = *found.value();
  if (!file.directory) return Reply(vfs::Error::kNotADirectory);
  if (buffers_[session] == nullptr) return Reply(vfs::Error::kNoBuffer);
  if (!fs::InBuffer(w[2], w[3], buffer_sizes_[session])) return Reply(vfs::Error::kOutOfRange);
  auto port = Driver(file.mount);
  if (!port.ok()) return Reply(port.error());
  const uint64_t room = port.value()->buffer_size;
  const uint64_t capacity = w[3] < room ? w[3] : room;
  uint8_t* shared = port.value()->buffer;
  auto reply = CallDriver(file.mount, fs::Request(Op(fsd::Op::kReadDir), file.driver_handle,
                                                  file.position, 0, capacity));
  if (!reply.ok()) return Reply(reply.error());
  const uint64_t* r = reply.value().words;
  if (r[1] == 0) return Reply(vfs::Error::kOk, 0);
  if (r[4] > capacity) return Reply(vfs::Error::kDriverUnavailable);
  __builtin_memcpy(buffers_[session] + w[2], shared, r[4]);
  ++file.position;
  return Reply(vfs::Error::kOk, 1, r[2], r[3], r[4]);
}

uapi::IpcMessage Vfs::Rename(size_t session, const uint64_t* w) {
  auto from = ResolveArgument(session, w[1], w[2]);
  if (!from.ok()) return Reply(from.error());
  auto to = ResolveArgument(session, w[3], w[4]);
  if (!to.ok()) return Reply(to.error());
  if (from.value().mount != to.value().mount || from.value().inner_length == 1 ||
      to.value().inner_length == 1) {
    return Reply(vfs::Error::kInvalidRename);
  }
  auto port = Driver(from.value().mount);
  if (!port.ok()) return Reply(port.error());
  const size_t from_length = from.value().inner_length;
  const size_t to_length = to.value().inner_length;
  if (from_length + to_length > port.value()->buffer_size) return Reply(vfs::Error::kBadPath);
  __builtin_memcpy(port.value()->buffer, from.value().inner, from_length);
  __builtin_memcpy(port.value()->buffer + from_length, to.value().inner, to_length);
  auto reply = CallDriver(from.value().mount, fs::Request(Op(fsd::Op::kRename), 0, from_length,
                                                          from_length, to_length));
  return Reply(reply.ok() ? vfs::Error::kOk : reply.error());
}

uapi::IpcMessage Vfs::Close(size_t session, const uint64_t* w) {
  auto found = Lookup(session, w[1]);
  if (!found.ok()) return Reply(found.error());
  OpenFile& file = *found.value();
  const uint32_t mount = file.mount;
  const uint64_t driver_handle = file.driver_handle;
  file = OpenFile{};
  if (mounts_[mount].running) {
    (void)CallDriver(mount, fs::Request(Op(fsd::Op::kClose), driver_handle));
  }
  return Reply(vfs::Error::kOk);
}

uapi::IpcMessage Vfs::MountOp(size_t session, const uint64_t* w) {
  if (buffers_[session] == nullptr) return Reply(vfs::Error::kNoBuffer);
  const uint64_t size = buffer_sizes_[session];
  if (!fs::InBuffer(w[1], w[2], size) || !fs::InBuffer(w[3], w[4], size)) {
    return Reply(vfs::Error::kOutOfRange);
  }
  // The spec: "DEVICE TYPE".
  char spec[kMaxDeviceName + kMaxTypeName + 2];
  if (w[4] >= sizeof(spec)) return Reply(vfs::Error::kNoDevice);
  __builtin_memcpy(spec, buffers_[session] + w[3], w[4]);
  spec[w[4]] = '\0';
  char* type = nullptr;
  for (char* c = spec; *c != '\0'; ++c) {
    if (*c == ' ') {
      *c = '\0';
      type = c + 1;
      break;
    }
  }
  if (type == nullptr || *type == '\0' || spec[0] == '\0') return Reply(vfs::Error::kNoDevice);
  return Reply(Mount(reinterpret_cast<const char*>(buffers_[session] + w[1]), w[2], spec, type));
}

uapi::IpcMessage Vfs::UnmountOp(size_t session, const uint64_t* w) {
  if (buffers_[session] == nullptr) return Reply(vfs::Error::kNoBuffer);
  if (!fs::InBuffer(w[1], w[2], buffer_sizes_[session])) return Reply(vfs::Error::kOutOfRange);
  return Reply(Unmount(reinterpret_cast<const char*>(buffers_[session] + w[1]), w[2]));
}

uapi::IpcMessage Vfs::KillDriverOp(size_t session, const uint64_t* w) {
  if (session != 0) return Reply(vfs::Error::kBadRequest);
  if (buffers_[session] == nullptr) return Reply(vfs::Error::kNoBuffer);
  if (!fs::InBuffer(w[1], w[2], buffer_sizes_[session])) return Reply(vfs::Error::kOutOfRange);
  auto parsed =
      path::NormalPath::Parse(reinterpret_cast<const char*>(buffers_[session] + w[1]), w[2]);
  if (!parsed.ok()) return Reply(vfs::Error::kBadPath);
  auto found = table_.Resolve(parsed.value());
  if (!found.ok() || !(*found.value().point == parsed.value())) {
    return Reply(vfs::Error::kNotMounted);
  }
  if (mounts_[found.value().mount_id].running) host_.Kill(found.value().mount_id);
  return Reply(vfs::Error::kOk);
}

}  // namespace hiillos::vfsd
