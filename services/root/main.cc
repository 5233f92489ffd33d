// services/root/main.cc — the root server (first user process). It unpacks the initfs boot
// module (initfs.tar.zst: zstd, then ustar), starts /sbin/proc and /sbin/init from it with
// their capabilities and start information (StartServers), then serves initfs:// over IPC
// (docs/protocols/initfs.md) until init ends, and exits with init's exit code. A corrupt
// archive ends root with one error line and exit code 1; the system then stops.
#include "lib/base/placement_new.h"
#include "lib/format/format.h"
#include "services/lib/exit_watch.h"
#include "services/lib/ipc/channel.h"
#include "services/lib/loader.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "services/root/initfs/initfs_service.h"
#include "services/root/initfs/protocol.h"
#include "services/root/start_vm.h"
#include "services/root/unpack.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr char kInitfsModule[] = "initfs.tar.zst";
constexpr char kRootModule[] = "root.elf";
constexpr char kInitPath[] = "sbin/init";
constexpr char kInitUrl[] = "initfs:///sbin/init";
constexpr char kProcPath[] = "sbin/proc";
constexpr char kProcUrl[] = "initfs:///sbin/proc";
// proc is not in its own table; the pid in its start block is outside proc's numbering.
constexpr uint64_t kProcPid = ~uint64_t{0};
constexpr uint64_t kVmPid = ~uint64_t{0} - 1;  // like proc, outside proc's numbering
// Where root maps the compressed module while it decodes it.
constexpr uint64_t kModuleAddress = 0x0000'3100'0000'0000ull;

bool NameIs(const uapi::Module& module, const char* name) {
  for (size_t i = 0; i < uapi::kModuleNameSize; ++i) {
    if (module.name[i] != name[i]) return false;
    if (name[i] == '\0') return true;
  }
  return false;
}

// The frame handle of boot module `wanted` (uapi/initial_caps.h: one per module but root.elf,
// in BootInfo order, from kRootFirstModuleHandle), or 0 with *module unset.
uint32_t FindModule(const uapi::BootInfo& info, const char* wanted, const uapi::Module** module) {
  uint32_t handle = uapi::kRootFirstModuleHandle;
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    if (NameIs(info.modules[i], kRootModule)) continue;
    if (NameIs(info.modules[i], wanted)) {
      *module = &info.modules[i];
      return handle;
    }
    ++handle;
  }
  return 0;
}

void ReportCapabilities(uint32_t last_handle) {
  rt::Printf("root: started with %u initial capabilities", last_handle);
  for (uint32_t handle = 1; handle <= last_handle; ++handle) {
    auto cap = rt::CapIdentify(handle);
    if (cap.ok()) {
      rt::Printf("root:   cap %u: %s, rights %#x", handle, uapi::ObjectTypeName(cap.value().type),
                 cap.value().rights.bits);
    }
  }
}

// Badges of the Senders root makes: to its initfs:// receiver (the client id of
// InitfsService) and, for init, to proc's receiver (init is pid 1 in proc's table).
constexpr uint64_t kInitBadge = 1;
constexpr uint64_t kProcBadge = 2;
// Where root maps a client's frame while it fills it (initfs Read).
constexpr uint64_t kReadWindow = 0x0000'3200'0000'0000ull;

// What root's initfs:// server loop works on.
struct Server {
  initfs::InitfsService* service;
  rt::ExitWatcher* watcher;
  bool init_ended = false;
  uint64_t init_reason = 0;
  uint64_t init_code = 0;
};

namespace ip = initfs::protocol;

uint64_t ErrorStatus(initfs::Error error) {
  return ip::StatusOf(static_cast<uint8_t>(error));
}

uint64_t TypeOf(initfs::NodeType type) {
  switch (type) {
    case initfs::NodeType::kFile:
      return ip::kFile;
    case initfs::NodeType::kDirectory:
      return ip::kDirectory;
    case initfs::NodeType::kSymlink:
      return ip::kSymlink;
  }
  return ip::kFile;
}

uint64_t HandleOpen(Server& server, ipc::Request& request, const ip::Open::Request& in,
                    ip::Open::Reply& out) {
  auto opened =
      server.service->Open(request.badge, in.path, ipc::BoundedLength(in.path, ip::kMaxPath));
  if (!opened.ok()) return ErrorStatus(opened.error());
  auto stat = server.service->Stat(request.badge, opened.value());
  out.handle = opened.value();
  out.type = stat.ok() ? TypeOf(stat.value().type) : ip::kFile;
  out.size = stat.ok() ? stat.value().size : 0;
  return ipc::kOk;
}

// Fills the client's frame (request.caps[0]), which root maps for the copy and then deletes.
uint64_t ReadIntoFrame(Server& server, ipc::Request& request, const ip::Read::Request& in,
                       ip::Read::Reply& out) {
  const uint32_t frame = request.caps[0].handle;  // the loop deletes it afterwards
  auto info = rt::FrameInfo(frame);
  if (!info.ok() || !rt::VmemMap(uapi::kRootVmemHandle, frame, kReadWindow,
                                 uapi::kMapRead | uapi::kMapWrite, uapi::kRootMemoryHandle)
                         .ok()) {
    return ipc::kBadRequest;
  }
  const uint64_t capacity =
      in.length < info.value().size_bytes ? in.length : info.value().size_bytes;
  auto read = server.service->Read(request.badge, static_cast<initfs::Handle>(in.handle), in.offset,
                                   reinterpret_cast<uint8_t*>(kReadWindow), capacity);
  (void)rt::VmemUnmap(uapi::kRootVmemHandle, kReadWindow);
  if (!read.ok()) return ErrorStatus(read.error());
  out.bytes = read.value();
  return ipc::kOk;
}

uint64_t HandleRead(Server& server, ipc::Request& request, const ip::Read::Request& in,
                    ip::Read::Reply& out) {
  if (request.cap_count > 1) return ipc::kBadRequest;
  if (request.cap_count == 1) return ReadIntoFrame(server, request, in, out);
  const uint64_t capacity = in.length < ip::kInlineReadBytes ? in.length : ip::kInlineReadBytes;
  auto read = server.service->Read(request.badge, static_cast<initfs::Handle>(in.handle), in.offset,
                                   out.data, capacity);
  if (!read.ok()) return ErrorStatus(read.error());
  out.bytes = read.value();
  return ipc::kOk;
}

uint64_t HandleStat(Server& server, ipc::Request& request, const ip::Stat::Request& in,
                    ip::Stat::Reply& out) {
  auto stat = server.service->Stat(request.badge, static_cast<initfs::Handle>(in.handle));
  if (!stat.ok()) return ErrorStatus(stat.error());
  out.type = TypeOf(stat.value().type);
  out.size = stat.value().size;
  out.mode = stat.value().mode;
  out.mtime = stat.value().mtime;
  return ipc::kOk;
}

uint64_t HandleReadDir(Server& server, ipc::Request& request, const ip::ReadDir::Request& in,
                       ip::ReadDir::Reply& out) {
  auto entry =
      server.service->ReadDir(request.badge, static_cast<initfs::Handle>(in.handle), in.index);
  if (!entry.ok()) return ErrorStatus(entry.error());
  out.type = TypeOf(entry.value().stat.type);
  out.size = entry.value().stat.size;
  ipc::CopyString(out.name, sizeof(out.name), entry.value().name, entry.value().name_length);
  return ipc::kOk;
}

uint64_t HandleClose(Server& server, ipc::Request& request, const ip::Close::Request& in,
                     ip::Close::Reply&) {
  auto closed = server.service->Close(request.badge, static_cast<initfs::Handle>(in.handle));
  if (!closed.ok()) return ErrorStatus(closed.error());
  return ipc::kOk;
}

// Init ended (the only thread root watches): the system's run is over.
uint64_t HandleExitNotice(Server& server, ipc::Request& request, const rt::ExitNotice::Request& in,
                          rt::ExitNotice::Reply&) {
  if (request.badge != rt::kExitNoticeBadge) return ipc::kBadRequest;
  server.watcher->Done(in.slot);
  server.init_ended = true;
  server.init_reason = in.reason;
  server.init_code = in.code;
  request.StopServing();
  return ipc::kOk;
}

// Root's own IPC buffer (one zeroed page from its heap), for extended words and capabilities.
bool SetUpIpcBuffer() {
  auto page = rt::Pages().Allocate(0);
  if (!page.ok()) return false;
  if (!rt::ThreadSetIpcBuffer(uapi::kRootThreadHandle, reinterpret_cast<uint64_t>(page.value()))
           .ok()) {
    return false;
  }
  ipc::SetBuffer(static_cast<uapi::IpcBuffer*>(page.value()));
  return true;
}

// One program of the boot sequence from the archive; false on failure (reported).
bool StartProgram(const root::Unpacked& initfs, const char* path, const char* url, uint64_t pid,
                  uint32_t memory, const rt::SpawnCap* caps, size_t cap_count,
                  const char* const* env, size_t env_count, rt::Spawned* spawned) {
  auto entry = initfs.archive.Lookup(path);
  if (!entry.ok()) {
    rt::Printf("root: %s: no /%s in the archive", kInitfsModule, path);
    return false;
  }
  const char* const args[] = {url};
  rt::SpawnRequest request;
  request.memory = memory;
  request.own_vmem = uapi::kRootVmemHandle;
  request.scratch_memory = uapi::kRootMemoryHandle;  // the scratch window's page tables
  request.image = entry.value().data;
  request.image_size = entry.value().size;
  request.args = args;
  request.arg_count = 1;
  request.env = env;
  request.env_count = env_count;
  request.caps = caps;
  request.cap_count = cap_count;
  request.pid = pid;
  auto started = rt::Spawn(request);
  if (!started.ok()) {
    char reason[128];
    rt::DescribeSpawnError(started.error(), reason, sizeof(reason));
    rt::Printf("root: cannot start %s: %s", url, reason);
    return false;
  }
  *spawned = started.value();
  return true;
}

// The value of the command line's first word `key`VALUE, written as `env_key`VALUE into `out`;
// false when there is no such word or it does not fit.
bool CommandLineValue(const uapi::BootInfo& info, const char* key, const char* env_key, char* out,
                      size_t capacity) {
  size_t key_length = 0;
  while (key[key_length] != '\0') ++key_length;
  const char* line = info.command_line;
  size_t i = 0;
  while (i < uapi::kCommandLineSize && line[i] != '\0') {
    while (i < uapi::kCommandLineSize && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < uapi::kCommandLineSize && line[i] != '\0' && line[i] != ' ' && line[i] != '\t') ++i;
    if (i - start <= key_length || __builtin_memcmp(line + start, key, key_length) != 0) continue;
    char value[uapi::kCommandLineSize + 1];
    const size_t length = i - start - key_length;
    __builtin_memcpy(value, line + start + key_length, length);
    value[length] = '\0';
    return format::FormatToBuffer(out, capacity, "%s%s", env_key, value) < capacity;
  }
  return false;
}

// A child Memory of root's with `fraction_shift`: 1/2^shift of what root may still hand out.
uint32_t BudgetFor(unsigned fraction_shift) {
  auto info = rt::MemoryInfo(uapi::kRootMemoryHandle);
  if (!info.ok()) return 0;
  auto memory =
      rt::MemoryCreate(uapi::kRootMemoryHandle, info.value().budget_bytes >> fraction_shift);
  return memory.ok() ? memory.value() : 0;
}

// The boot sequence after the initfs: /sbin/proc (it gets its Receiver, a Sender to initfs://
// and half of root's memory), then /sbin/init (Senders to initfs:// and proc, CMOS ports 0x70-0x71
// as "ioports", the device-memory and IRQ authorities as "devices" and "irq", the unpacked
// archive's frame as "initfs_image", an eighth of root's memory; environment: the boot-stage
// timestamps, acpi.rsdp=, and boot.root= / boot.rootfstype= from the command line), whose end
// root watches. /sbin/vm was started before
// (its registration Sender `vm_registrar`, 0 without vm): proc gets it and hands it to every child,
// whose runtime registers its address space there. Returns false when a step failed (reported).
bool StartServers(const uapi::BootInfo& info, const root::Unpacked& initfs, uint64_t tsc_root,
                  uint32_t initfs_receiver, uint32_t vm_registrar, rt::ExitWatcher& watcher) {
  const uint64_t tsc_proc = rt::ReadTsc();  // the end of the root stage
  const uapi::Rights kPassOn =
      uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer;
  auto proc_receiver = rt::MemoryAllocReceiver(uapi::kRootMemoryHandle);
  auto proc_initfs = rt::ReceiverCreateSender(uapi::kRootMemoryHandle, initfs_receiver, kProcBadge);
  if (!proc_receiver.ok() || !proc_initfs.ok()) {
    rt::Printf("root: cannot make the endpoints for %s", kProcUrl);
    return false;
  }
  auto init_proc =
      rt::ReceiverCreateSender(uapi::kRootMemoryHandle, proc_receiver.value(), kInitBadge);
  auto init_initfs = rt::ReceiverCreateSender(uapi::kRootMemoryHandle, initfs_receiver, kInitBadge);
  const uint32_t proc_memory = BudgetFor(1);
  const uint32_t init_memory = BudgetFor(3);
  if (!init_proc.ok() || !init_initfs.ok() || proc_memory == 0 || init_memory == 0) {
    rt::Printf("root: cannot make the capabilities for %s", kInitUrl);
    return false;
  }
  const rt::SpawnCap proc_caps[] = {
      {"memory", proc_memory, uapi::Rights::kAll},
      {"log", uapi::kRootLogHandle, kPassOn},
      {"receiver", proc_receiver.value(), uapi::Rights::kAll},
      {"initfs", proc_initfs.value(), kPassOn},
      {"vm_register", vm_registrar, kPassOn},
  };
  const size_t proc_cap_count = sizeof(proc_caps) / sizeof(proc_caps[0]) - (vm_registrar ? 0 : 1);
  rt::Spawned proc;
  if (!StartProgram(initfs, kProcPath, kProcUrl, kProcPid, proc_memory, proc_caps, proc_cap_count,
                    nullptr, 0, &proc)) {
    return false;
  }
  rt::Printf("root: stage proc done: started %s", kProcUrl);
  // Boot-stage timestamps for init's summary (docs/boot-stages.md).
  char loader[40];
  char kernel[40];
  char root_stage[40];
  char proc_stage[40];
  format::FormatToBuffer(loader, sizeof(loader), "boot.tsc.loader=%lu", info.tsc_loader_start);
  format::FormatToBuffer(kernel, sizeof(kernel), "boot.tsc.kernel=%lu", info.tsc_handoff);
  format::FormatToBuffer(root_stage, sizeof(root_stage), "boot.tsc.root=%lu", tsc_root);
  format::FormatToBuffer(proc_stage, sizeof(proc_stage), "boot.tsc.proc=%lu", tsc_proc);
  // What the device services need from the boot information, which init substitutes into
  // their arguments (docs/services.md): the ACPI RSDP (pcid) and root= / rootfstype= (vfsd).
  char rsdp[40];
  format::FormatToBuffer(rsdp, sizeof(rsdp), "acpi.rsdp=%lx", info.acpi_rsdp);
  char root_device[uapi::kCommandLineSize + 16];
  char root_type[uapi::kCommandLineSize + 16];
  const char* env[7] = {loader, kernel, root_stage, proc_stage, rsdp};
  size_t env_count = 5;
  if (CommandLineValue(info, "root=", "boot.root=", root_device, sizeof(root_device))) {
    env[env_count++] = root_device;
  }
  if (CommandLineValue(info, "rootfstype=", "boot.rootfstype=", root_type, sizeof(root_type))) {
    env[env_count++] = root_type;
  }
  // CMOS ports 0x70-0x71 for timed's wall clock, which init hands it as "ioports".
  auto cmos = rt::IoPortRangeSplit(uapi::kRootIoPortHandle, uapi::kRootMemoryHandle, 0x70, 2);
  if (!cmos.ok()) {
    rt::Printf("root: no CMOS ports for init: %s", uapi::StatusName(cmos.error()));
  }
  const rt::SpawnCap init_caps[] = {
      {"memory", init_memory, uapi::Rights::kAll},
      {"log", uapi::kRootLogHandle, kPassOn},
      {"initfs", init_initfs.value(), kPassOn},
      {"proc", init_proc.value(), kPassOn},
      // For pcid (docs/services.md): the device-memory and IRQ authorities.
      {"devices", uapi::kRootDeviceMemoryHandle, kPassOn | uapi::Rights::kRead},
      {"irq", uapi::kRootIrqHandle, kPassOn | uapi::Rights::kRead},
      // For vfsd: the unpacked archive (its drivers' programs and /etc/fstab), read-only.
      {"initfs_image", initfs.frame,
       uapi::Rights::kRead | uapi::Rights::kMap | uapi::Rights::kClone | uapi::Rights::kTransfer},
      {"ioports", cmos.ok() ? cmos.value() : 0, kPassOn | uapi::Rights::kRead},
  };
  const size_t init_cap_count = sizeof(init_caps) / sizeof(init_caps[0]) - (cmos.ok() ? 0 : 1);
  rt::Spawned init;
  if (!StartProgram(initfs, kInitPath, kInitUrl, kInitBadge, init_memory, init_caps, init_cap_count,
                    env, env_count, &init)) {
    return false;
  }
  if (auto watched = watcher.Watch(init.thread, kInitBadge); !watched.ok()) {
    rt::Printf("root: cannot watch %s: %s", kInitUrl, uapi::StatusName(watched.error()));
    return false;
  }
  rt::Printf("root: stage root done: started %s as pid 1", kInitUrl);
  // Root's copies of what it gave away (the children hold their own).
  const uint32_t given[] = {proc_receiver.value(), proc_initfs.value(), init_proc.value(),
                            init_initfs.value(),   proc_memory,         init_memory};
  for (uint32_t handle : given) (void)rt::CapDelete(handle);
  if (cmos.ok()) (void)rt::CapDelete(cmos.value());
  return true;
}

// Serves initfs:// until init ends; init's exit code (1 if it did not exit cleanly).
int ServeUntilInitEnds(const root::Unpacked& initfs, uint32_t receiver, rt::ExitWatcher& watcher) {
  alignas(initfs::InitfsService) static uint8_t storage[sizeof(initfs::InitfsService)];
  Server server{new (storage) initfs::InitfsService(initfs.archive), &watcher};
  ipc::Dispatcher<Server> dispatcher;
  dispatcher.On<ip::Open, &HandleOpen>();
  dispatcher.On<ip::Read, &HandleRead>();
  dispatcher.On<ip::Stat, &HandleStat>();
  dispatcher.On<ip::ReadDir, &HandleReadDir>();
  dispatcher.On<ip::Close, &HandleClose>();
  dispatcher.On<rt::ExitNotice, &HandleExitNotice>();
  auto reply = rt::MemoryAllocReply(uapi::kRootMemoryHandle);
  if (!reply.ok()) {
    rt::Printf("root: no Reply for the initfs:// loop: %s", uapi::StatusName(reply.error()));
    return 1;
  }
  const uapi::Status ended =
      ipc::Serve(receiver, reply.value(), uapi::kRootMemoryHandle, dispatcher, server);
  if (!server.init_ended) {
    rt::Printf("root: the initfs:// loop ended: %s", uapi::StatusName(ended));
    return 1;
  }
  if (server.init_reason != static_cast<uint64_t>(uapi::ExitReason::kExited)) {
    rt::Printf("root: init died (reason %lu, code %lu)", server.init_reason, server.init_code);
    return 1;
  }
  rt::Printf("root: init exited with code %lu", server.init_code);
  return static_cast<int>(server.init_code);
}

int StartAndServe(const uapi::BootInfo& info, const root::Unpacked& initfs, uint64_t tsc_root) {
  if (!SetUpIpcBuffer()) {
    rt::Printf("root: cannot set up its IPC buffer");
    return 1;
  }
  auto receiver = rt::MemoryAllocReceiver(uapi::kRootMemoryHandle);
  auto notices = receiver.ok() ? rt::ReceiverCreateSender(uapi::kRootMemoryHandle, receiver.value(),
                                                          rt::kExitNoticeBadge)
                               : receiver;
  if (!receiver.ok() || !notices.ok()) {
    rt::Printf("root: cannot make the initfs:// receiver");
    return 1;
  }
  rt::ExitWatcher watcher(uapi::kRootMemoryHandle, uapi::kRootVmemHandle, notices.value());
  const uint32_t vm_registrar = root::StartVm(initfs.archive, kVmPid);
  if (!StartServers(info, initfs, tsc_root, receiver.value(), vm_registrar, watcher)) return 1;
  return ServeUntilInitEnds(initfs, receiver.value(), watcher);
}

int Run(const uapi::BootInfo& info, uint32_t last_handle) {
  const uint64_t tsc_root = rt::ReadTsc();
  rt::SetLogHandle(uapi::kRootLogHandle);
  ReportCapabilities(last_handle);
  rt::InitPages(uapi::kRootMemoryHandle, uapi::kRootVmemHandle);
  const uapi::Module* module = nullptr;
  const uint32_t module_frame = FindModule(info, kInitfsModule, &module);
  if (module_frame == 0) {
    rt::Printf("root: no %s boot module: nothing to start", kInitfsModule);
    return 1;
  }
  auto initfs = root::UnpackInitfs(uapi::kRootMemoryHandle, uapi::kRootVmemHandle, module_frame,
                                   module->size, kModuleAddress, rt::kSharedDataAddress);
  if (!initfs.ok()) {
    rt::Printf("root: %s is corrupt: %s", kInitfsModule, initfs.error().message);
    return 1;
  }
  rt::Printf("root: %s unpacked: %lu bytes, %lu entries", kInitfsModule, initfs.value().size,
             initfs.value().archive.entry_count());
  return StartAndServe(info, initfs.value(), tsc_root);
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t last_handle) {
  const auto* info = reinterpret_cast<const uapi::BootInfo*>(boot_info_address);
  return Run(*info, static_cast<uint32_t>(last_handle));
}
