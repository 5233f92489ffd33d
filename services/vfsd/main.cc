// services/vfsd/main.cc — /sbin/vfsd: the fs:// namespace (services/vfsd/protocol.h).
//
// Capabilities: "endpoint" (the Receiver clients call; badge = session, 0..kMaxSessions-1),
// "memory", "vmem", "initfs" (the unpacked archive: /sbin/fsd.fat32 and /etc/fstab come from
// it), one "block.DEVICE" Sender per block device it may mount, and optionally "timed" (a
// Sender to timed, handed to each fsd.fat32 for its wall clock). root= and rootfstype=
// (services/vfsd/fstab.h) come from the environment's "kernel.cmdline=..." (test spawners) or,
// without it, from the arguments (init: `root=${boot.root}`). Environment "tsc_hz=N" is handed
// to drivers for their fallback clock. It reads /etc/fstab from initfs, mounts root= at "/" and
// every fstab entry (drivers start on first use), asks the root's block device for its size so a
// missing disk is reported at once, then serves requests until its Receiver closes.
// A client that attaches its buffer with a lease (docs/protocols/vfs.md) has its session ended
// when it dies: an rt::ExitWatcher helper waits on the lease and sends vfsd a notice. Making the
// helpers' notice Senders needs Write on "endpoint".
#include "services/block/protocol.h"
#include "services/proc/ready.h"
#include "services/vfsd/text.h"

#include "lib/path/limits.h"
#include "lib/ustar/archive.h"
#include "services/lib/exit_watch.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/fstab.h"
#include "services/vfsd/initfs_driver.h"
#include "services/vfsd/ipc_channel.h"
#include "services/vfsd/spawn.h"
#include "services/vfsd/vfs.h"

namespace {

using namespace hiillos;

constexpr uint64_t kSessionBufferBase = 0x0000'2900'0000'0000ull;  // + session * 16 MiB
constexpr uint64_t kSessionBufferStride = uint64_t{16} << 20;
constexpr uint64_t kDriverBufferBase = 0x0000'2a00'0000'0000ull;  // + mount * 1 MiB
constexpr uint64_t kDriverBufferStride = uint64_t{1} << 20;
constexpr unsigned kDriverBufferOrder = 4;  // 64 KiB
constexpr const char* kDriverPath = "sbin/fsd.fat32";
constexpr size_t kMaxDevices = 8;

struct Device {
  char name[vfsd::kMaxDeviceName + 1];
  uint32_t sender;
};

struct Driver {
  bool running = false;
  rt::Spawned spawned = {};
  uint32_t sender = 0;
  uint32_t buffer = 0;
  fs::IpcChannel channel{0};
};

class SpawningHost final : public vfsd::DriverHost {
 public:
  SpawningHost(uint32_t memory, uint32_t vmem, uint32_t log, uint32_t timed,
               const ustar::Archive* archive, const char* tsc_env)
      : memory_(memory),
        vmem_(vmem),
        log_(log),
        timed_(timed),
        archive_(archive),
        tsc_env_(tsc_env) {}

  bool AddDevice(const char* name, size_t length, uint32_t sender) {
    if (device_count_ == kMaxDevices || length > vfsd::kMaxDeviceName) return false;
    __builtin_memcpy(devices_[device_count_].name, name, length);
    devices_[device_count_].name[length] = '\0';
    devices_[device_count_].sender = sender;
    ++device_count_;
    return true;
  }

  bool Knows(const char* device, const char* type) override {
    if (fs::Same(type, "initfs")) return fs::Same(device, "initfs") && initfs_ != nullptr;
    return fs::Same(type, "fat32") && Find(device) != 0;
  }

  Result<vfsd::DriverPort, vfs::Error> Start(uint32_t mount, const char* device,
                                             const char* type) override {
    if (!Knows(device, type) || archive_ == nullptr) return Err(vfs::Error::kNoDevice);
    if (fs::Same(type, "initfs")) {  // in-process, nothing to start
      return vfsd::DriverPort{initfs_, initfs_->buffer(), initfs_->buffer_size()};
    }
    auto image = archive_->Lookup(kDriverPath);
    if (!image.ok()) {
      rt::Printf("vfsd: no %s in initfs", kDriverPath);
      return Err(vfs::Error::kDriverUnavailable);
    }
    Driver& driver = drivers_[mount];
    const uint64_t buffer_address = kDriverBufferBase + mount * kDriverBufferStride;
    auto receiver = rt::MemoryAllocReceiver(memory_);
    if (!receiver.ok()) return Err(vfs::Error::kDriverUnavailable);
    auto sender = rt::ReceiverCreateSender(memory_, receiver.value(), mount);
    auto buffer = rt::MemoryAllocFrame(memory_, kDriverBufferOrder);
    bool ok = sender.ok() && buffer.ok() &&
              rt::VmemMap(vmem_, buffer.value(), buffer_address, uapi::kMapRead | uapi::kMapWrite,
                          memory_)
                  .ok();
    const char* args[] = {"initfs:///sbin/fsd.fat32", device};
    const char* env[] = {tsc_env_};
    const uint32_t block = Find(device);
    rt::Spawned spawned = {};
    if (ok) {
      rt::SpawnCap caps[6] = {
          {"endpoint", receiver.value(), uapi::Rights::kRead},
          {"buffer", buffer.value(),
           uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap},
          {"block", block, uapi::Rights::kWrite},
          {"memory", memory_, uapi::Rights::kAll},
      };
      size_t cap_count = 4;
      // Without a log capability to hand on, the driver runs silently; without timed, its
      // timestamps come from its fallback clock (services/fsd_fat32/tsc_clock.h).
      if (log_ != 0) caps[cap_count++] = {"log", log_, uapi::Rights::kWrite};
      if (timed_ != 0) caps[cap_count++] = {"timed", timed_, uapi::Rights::kWrite};
      rt::SpawnRequest request;
      request.memory = memory_;
      request.own_vmem = vmem_;
      request.image = image.value().data;
      request.image_size = image.value().size;
      request.args = args;
      request.arg_count = 2;
      request.env = env;
      request.env_count = tsc_env_ == nullptr ? 0 : 1;
      request.caps = caps;
      request.cap_count = cap_count;
      request.pid = 1000 + ++spawn_count_;
      char why[128];
      auto started = fs::SpawnProgram(request, why, sizeof(why));
      if (!started.ok()) {
        rt::Printf("vfsd: cannot start fsd.fat32 for %s: %s", device, why);
        ok = false;
      } else {
        spawned = started.value();
      }
    }
    // The driver holds the only Receiver capability: when it dies, calls to it fail (Dead).
    (void)rt::CapDelete(receiver.value());
    if (!ok) {
      if (sender.ok()) (void)rt::CapDelete(sender.value());
      if (buffer.ok()) {
        (void)rt::VmemUnmap(vmem_, buffer_address);
        (void)rt::CapDelete(buffer.value());
      }
      return Err(vfs::Error::kDriverUnavailable);
    }
    rt::Printf("vfsd: started fsd.fat32 for %s (pid %lu)", device, request_pid());
    driver.running = true;
    driver.spawned = spawned;
    driver.sender = sender.value();
    driver.buffer = buffer.value();
    driver.channel = fs::IpcChannel(sender.value());
    return vfsd::DriverPort{&driver.channel, reinterpret_cast<uint8_t*>(buffer_address),
                            uint64_t{0x1000} << kDriverBufferOrder};
  }

  void Kill(uint32_t mount) override {
    Driver& driver = drivers_[mount];
    if (!driver.running) return;
    rt::Printf("vfsd: killing fsd.fat32 (mount %u)", mount);
    (void)rt::ProcessKill(driver.spawned.process);
  }

  // initfs:// from the archive (services/vfsd/initfs_driver.h).
  void ServeInitfs(vfsd::InitfsDriver* driver) { initfs_ = driver; }

  // The Sender to block device `device`, 0 when vfsd has none.
  uint32_t BlockSender(const char* device) const { return Find(device); }

  void Stop(uint32_t mount) override {
    Driver& driver = drivers_[mount];
    if (!driver.running) return;
    (void)rt::CapDelete(driver.sender);  // a driver still receiving sees Dead and exits
    auto exit = rt::ThreadWait(driver.spawned.thread);
    if (exit.ok() && exit.value().reason == uapi::ExitReason::kExited) {
      rt::Printf("vfsd: fsd.fat32 (mount %u) exited with code %lu", mount, exit.value().code);
    } else {
      rt::Printf("vfsd: fsd.fat32 (mount %u) died", mount);
    }
    fs::ReleaseProgram(driver.spawned);
    (void)rt::VmemUnmap(vmem_, kDriverBufferBase + mount * kDriverBufferStride);
    (void)rt::CapDelete(driver.buffer);
    driver = Driver{};
  }

 private:
  uint32_t Find(const char* device) const {
    for (size_t i = 0; i < device_count_; ++i) {
      if (fs::Same(devices_[i].name, device)) return devices_[i].sender;
    }
    return 0;
  }
  uint64_t request_pid() const { return 1000 + spawn_count_; }

  uint32_t memory_;
  uint32_t vmem_;
  uint32_t log_;
  uint32_t timed_;
  const ustar::Archive* archive_;
  const char* tsc_env_;
  Device devices_[kMaxDevices];
  size_t device_count_ = 0;
  Driver drivers_[path::kMaxMounts];
  vfsd::InitfsDriver* initfs_ = nullptr;
  uint64_t spawn_count_ = 0;
};

// Asks the root file system's block device for its size (block kInfo), so that a missing disk
// or driver is reported at start-up rather than at the first request (the driver itself still
// starts on first use, and requests then fail with an error).
void CheckRootDevice(const vfsd::Fstab& fstab, const SpawningHost& host) {
  if (fstab.size() == 0 || !fs::Same(fstab.entry(0).point, "/")) return;
  const vfsd::FstabEntry& root = fstab.entry(0);
  const uint32_t sender = host.BlockSender(root.device);
  if (sender == 0) {
    rt::Printf(
        "vfsd: error: root device %s: no block driver for it (no block.%s capability); "
        "/ is unusable",
        root.device, root.device);
    return;
  }
  auto info = rt::Call(sender, fs::Request(static_cast<uint64_t>(block::Op::kInfo)));
  if (!info.ok()) {
    rt::Printf("vfsd: error: root device %s: its block driver is unreachable (%s); / is unusable",
               root.device, uapi::StatusName(info.error()));
    return;
  }
  const auto error = static_cast<block::Error>(info.value().words[0]);
  if (error != block::Error::kOk) {
    rt::Printf("vfsd: error: root device %s: %s (the block driver found no disk); / is unusable",
               root.device, block::ErrorName(error));
    return;
  }
  rt::Printf("vfsd: root device %s: %lu sectors of %lu bytes", root.device, info.value().words[2],
             info.value().words[1]);
}

void ReportMount(const vfsd::FstabEntry& entry, vfs::Error error) {
  rt::Printf("vfsd: cannot mount %s at %s (%s, fstab line %zu): %s", entry.device, entry.point,
             entry.type, entry.line, vfs::ErrorName(error));
}

// Per session: the mapped buffer frame and the lease being watched.
struct Session {
  uint32_t frame = 0;
  bool leased = false;
  uint64_t lease_slot = 0;
};

// Forgets a session's buffer (unmapped, its frame deleted).
void DropBuffer(vfsd::Vfs& vfs, size_t session, uint32_t vmem, Session& state) {
  if (state.frame == 0) return;
  vfs.Attach(session, nullptr, 0);
  (void)rt::VmemUnmap(vmem, kSessionBufferBase + session * kSessionBufferStride);
  (void)rt::CapDelete(state.frame);
  state.frame = 0;
}

// A session's lease ended (its client died): its handles closed, its buffer dropped.
void EndSession(vfsd::Vfs& vfs, size_t session, uint32_t vmem, Session& state) {
  vfs.EndSession(session);
  DropBuffer(vfs, session, vmem, state);
  state.leased = false;
  rt::Printf("vfsd: session %zu ended (its client is gone); %zu handles open", session,
             vfs.open_count());
}

// kAttachBuffer: maps the frame the client sent for its session and watches its lease, if any.
vfs::Error AttachBuffer(vfsd::Vfs& vfs, const uapi::IpcMessage& message, size_t session,
                        uint32_t memory, uint32_t vmem, rt::ExitWatcher& watcher, Session& state,
                        uint64_t* size) {
  const uint64_t caps = uapi::IpcInfo::Caps(message.info);
  if (caps != 1 && caps != 2) return vfs::Error::kBadRequest;  // the caller drops them
  const uint32_t frame = fs::IpcBuffer()->caps[0].handle;
  if (caps == 2) {
    const uint32_t lease = fs::IpcBuffer()->caps[1].handle;
    if (state.leased) watcher.Cancel(state.lease_slot);
    state.leased = false;
    auto watch = watcher.WatchLease(lease, session);
    (void)rt::CapDelete(lease);  // the helper holds its own copy
    if (!watch.ok()) {
      (void)rt::CapDelete(frame);
      return vfs::Error::kBadRequest;
    }
    state.leased = true;
    state.lease_slot = watch.value();
  }
  auto info = rt::FrameInfo(frame);
  const uint64_t address = kSessionBufferBase + session * kSessionBufferStride;
  if (!info.ok() || info.value().size_bytes > kSessionBufferStride) {
    (void)rt::CapDelete(frame);
    return vfs::Error::kBadRequest;
  }
  DropBuffer(vfs, session, vmem, state);
  if (!rt::VmemMap(vmem, frame, address, uapi::kMapRead | uapi::kMapWrite, memory).ok()) {
    (void)rt::CapDelete(frame);
    return vfs::Error::kBadRequest;
  }
  state.frame = frame;
  vfs.Attach(session, reinterpret_cast<uint8_t*>(address), info.value().size_bytes);
  *size = info.value().size_bytes;
  return vfs::Error::kOk;
}

// The whole environment entry starting with `prefix` ("tsc_hz=..."), to hand on as it is.
const char* EnvEntry(const startinfo::StartInfo& start, const char* prefix) {
  const size_t length = fs::Length(prefix);
  for (size_t i = 0; i < start.env_count(); ++i) {
    const startinfo::Text entry = start.Env(i);
    if (entry.length >= length && __builtin_memcmp(entry.data, prefix, length) == 0)
      return entry.data;
  }
  return nullptr;
}

// Deletes the capabilities a message brought that no operation takes, so a client cannot fill
// vfsd's capability slots.
void DropCapabilities(const uapi::IpcMessage& message) {
  const uint64_t count = uapi::IpcInfo::Caps(message.info);
  for (uint64_t i = 0; i < count && i < uapi::kIpcMaxCaps; ++i) {
    (void)rt::CapDelete(fs::IpcBuffer()->caps[i].handle);
  }
}

// Arguments 1.. joined by spaces into out (truncated to fit), as a command line.
const char* JoinArgs(const startinfo::StartInfo& start, char* out, size_t capacity,
                     size_t* length) {
  size_t used = 0;
  for (size_t i = 1; i < start.arg_count(); ++i) {
    const char* arg = rt::Arg(start, i);
    const size_t arg_length = fs::Length(arg);
    if (used + arg_length + 1 >= capacity) break;
    if (used > 0) out[used++] = ' ';
    __builtin_memcpy(out + used, arg, arg_length);
    used += arg_length;
  }
  out[used] = '\0';
  *length = used;
  return out;
}

// `handle` when vfsd may hand it on to a driver (it has Clone and Transfer), 0 otherwise (the
// driver then goes without it).
uint32_t Passable(uint32_t handle) {
  if (handle == 0) return 0;
  auto cap = rt::CapIdentify(handle);
  const uapi::Rights needed = uapi::Rights::kClone | uapi::Rights::kTransfer;
  if (!cap.ok() || (cap.value().rights.bits & needed.bits) != needed.bits) {
    rt::Printf(
        "vfsd: capability %u cannot be handed on (no Clone + Transfer): drivers go without it",
        handle);
    return 0;
  }
  return handle;
}

const char* FindEnv(const startinfo::StartInfo& start, const char* key, size_t* length) {
  startinfo::Text value;
  if (!start.FindEnv(startinfo::Text{key, fs::Length(key)}, &value)) return nullptr;
  *length = value.length;
  return value.data;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t endpoint = rt::FindCap(start, "endpoint");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  const uint32_t initfs = rt::FindCap(start, "initfs");
  if (endpoint == 0 || memory == 0 || vmem == 0) {
    rt::Printf("vfsd: missing capabilities (endpoint, memory, vmem)");
    return 1;
  }
  // The archive: the drivers' programs and /etc/fstab.
  const ustar::Archive* archive = nullptr;
  if (auto frame = rt::FrameInfo(initfs);
      initfs != 0 && frame.ok() &&
      rt::VmemMap(vmem, initfs, rt::kSharedDataAddress, uapi::kMapRead, memory).ok()) {
    auto opened = ustar::Archive::Open(reinterpret_cast<const uint8_t*>(rt::kSharedDataAddress),
                                       frame.value().size_bytes);
    if (opened.ok()) archive = new ustar::Archive(opened.value());
  }
  if (archive == nullptr) rt::Printf("vfsd: no initfs archive: no drivers, no /etc/fstab");

  SpawningHost host(memory, vmem, Passable(rt::FindCap(start, "log")),
                    Passable(rt::FindCap(start, "timed")), archive, EnvEntry(start, "tsc_hz="));
  for (size_t i = 0; i < start.cap_count(); ++i) {
    const startinfo::Capability cap = start.Cap(i);
    if (cap.name.length > 6 && __builtin_memcmp(cap.name.data, "block.", 6) == 0) {
      if (!host.AddDevice(cap.name.data + 6, cap.name.length - 6, cap.handle)) {
        rt::Printf("vfsd: ignoring block device capability %s", cap.name.data);
      }
    }
  }

  vfsd::Fstab fstab;
  if (archive != nullptr) {
    if (auto file = archive->Lookup("etc/fstab"); file.ok()) {
      auto parsed =
          vfsd::Fstab::Parse(reinterpret_cast<const char*>(file.value().data), file.value().size);
      if (parsed.ok()) {
        fstab = parsed.value();
      } else {
        rt::Printf("vfsd: /etc/fstab line %zu: %s; ignoring the file", parsed.error().line,
                   vfsd::FstabErrorName(parsed.error().error));
      }
    }
  }
  size_t cmdline_length = 0;
  const char* cmdline = FindEnv(start, "kernel.cmdline", &cmdline_length);
  char joined[256];
  if (cmdline == nullptr) {  // started by init: root= and rootfstype= are arguments
    cmdline = JoinArgs(start, joined, sizeof(joined), &cmdline_length);
  }
  if (cmdline_length == 0 || !fstab.ApplyCommandLine(cmdline, cmdline_length)) {
    rt::Printf("vfsd: error: no root= on the kernel command line: nothing is mounted at /");
  }
  // On the heap: the mount table and handle table are too large for the stack.
  vfsd::Vfs& vfs = *new vfsd::Vfs(host);
  if (archive != nullptr) {
    constexpr uint64_t kInitfsBufferSize = 64 * 1024;
    host.ServeInitfs(
        new vfsd::InitfsDriver(*archive, new uint8_t[kInitfsBufferSize], kInitfsBufferSize));
    const vfs::Error error = vfs.Mount("initfs:///", 10, "initfs", "initfs");
    if (error != vfs::Error::kOk)
      rt::Printf("vfsd: cannot mount initfs:///: %s", vfs::ErrorName(error));
  }
  vfs.MountAll(fstab, ReportMount);
  for (size_t i = 0; i < fstab.size(); ++i) {
    rt::Printf("vfsd: %s on %s type %s", fstab.entry(i).device, fstab.entry(i).point,
               fstab.entry(i).type);
  }
  CheckRootDevice(fstab, host);

  auto reply_slot = rt::MemoryAllocReply(memory);
  if (!reply_slot.ok()) return 1;
  Session sessions[vfsd::kMaxSessions] = {};
  rt::ExitWatcher& watcher = *new rt::ExitWatcher(memory, vmem, 0);
  watcher.MintSendersFrom(endpoint);
  rt::Printf("vfsd: ready");
  (void)proc::SignalReady(rt::FindCap(start, "proc"));  // fstab read, root mounted or reported
  // Receive; after the first request, answer the last one and receive in one call.
  uapi::IpcMessage reply;
  bool answering = false;
  for (;;) {
    auto message = answering ? rt::ReplyRecv(endpoint, reply_slot.value(), reply)
                             : rt::Recv(endpoint, reply_slot.value(), uapi::IpcMessage{});
    answering = false;
    if (!message.ok()) {
      if (message.error() == uapi::Status::kDead) break;  // every client is gone
      continue;  // a caller that went away while we answered it
    }
    const uapi::IpcMessage& request = message.value();
    reply = uapi::IpcMessage{};
    const uint64_t caps = uapi::IpcInfo::Caps(request.info);
    const bool attach = static_cast<vfs::Op>(request.words[0]) == vfs::Op::kAttachBuffer &&
                        (caps == 1 || caps == 2) && request.badge < vfsd::kMaxSessions;
    if (!attach) DropCapabilities(request);  // only AttachBuffer takes them
    if (request.badge == rt::kExitNoticeBadge && request.words[0] == rt::ExitNotice::kCode) {
      // A lease ended: the cookie is the session, the slot must still be that session's.
      const uint64_t session = request.words[1];
      const uint64_t slot = request.words[5];
      if (session < vfsd::kMaxSessions && sessions[session].leased &&
          sessions[session].lease_slot == slot) {
        EndSession(vfs, session, vmem, sessions[session]);
      }
      watcher.Done(slot);
    } else if (request.badge >= vfsd::kMaxSessions) {
      reply.words[0] = static_cast<uint64_t>(vfs::Error::kBadRequest);
    } else if (static_cast<vfs::Op>(request.words[0]) == vfs::Op::kAttachBuffer) {
      const vfs::Error error = AttachBuffer(vfs, request, request.badge, memory, vmem, watcher,
                                            sessions[request.badge], &reply.words[1]);
      reply.words[0] = static_cast<uint64_t>(error);
    } else {
      reply = vfs.Handle(request.badge, request);
    }
    answering = true;
  }
  rt::Printf("vfsd: no clients left; stopping the drivers and exiting");
  vfs.StopAll();
  return 0;
}
