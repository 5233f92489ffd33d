// services/proc/main.cc — /sbin/proc, the process server: spawns programs from initfs:// (the
// ELF read through the initfs protocol into a frame), each with a Memory budget of its own, the
// requester's capabilities and a Sender back to proc; tracks them in a ProcessTable; answers
// waits when children end (an ExitWatcher turns each child's end into a message); records a
// child's "ready" and answers its parent's WaitReady; kills; lists.
// Protocol: services/proc/protocol.h, docs/protocols/proc.md.
//
// Clients are told apart by the badge of their Sender: root gives init badge 1 (init is pid 1 in
// the table), and proc gives each child a Sender badged with the child's pid.
#include "lib/startinfo/start_info.h"
#include "services/lib/exit_watch.h"
#include "services/lib/ipc/channel.h"
#include "services/lib/loader.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/proc/image_cache.h"
#include "services/proc/process_table.h"
#include "services/proc/protocol.h"
#include "services/root/initfs/protocol.h"
#include "services/vm/client.h"

namespace {

using namespace hiillos;
namespace pp = proc::protocol;
namespace ip = initfs::protocol;

// Every child's Memory budget.
constexpr uint64_t kChildBudget = uint64_t{8} << 20;
constexpr size_t kMaxChildren = rt::kMaxWatches;
constexpr size_t kMaxArgs = 16;
// Where proc maps the program images it keeps (image_cache.h): one window per cache slot, each
// large enough for the largest frame.
constexpr uint64_t kImageWindow = 0x0000'3300'0000'0000ull;
constexpr uint64_t kImageWindowStride = uint64_t{0x1000} << uapi::kMaxFrameOrder;
constexpr char kInitfsScheme[] = "initfs://";

struct Child {
  bool used = false;
  proc::Pid pid = proc::kNoPid;
  rt::Spawned spawned{0, 0, 0};
  uint32_t memory = 0;
  uint32_t vm = 0;           // the child's space Sender at the vm server (0: no vm)
  uint32_t wait_reply = 0;   // a deferred Wait's Reply capability
  uint32_t ready_reply = 0;  // a deferred WaitReady's Reply capability
};

struct Proc {
  uint32_t memory;
  uint32_t vmem;
  uint32_t receiver;
  uint32_t initfs;
  uint32_t log;
  uint32_t vm_register;  // vm's registration Sender: proc registers every child's space (0: no vm)
  proc::ProcessTable* table;
  rt::ExitWatcher* watcher;
  proc::ImageCache* images;
  Child children[kMaxChildren];
};

Child* FindChild(Proc& proc, proc::Pid pid) {
  for (Child& child : proc.children) {
    if (child.used && child.pid == pid) return &child;
  }
  return nullptr;
}

void ReleaseChild(Child& child) {
  rt::Release(child.spawned);
  (void)rt::CapDelete(child.memory);
  if (child.vm != 0) (void)rt::CapDelete(child.vm);
  if (child.wait_reply != 0) (void)rt::CapDelete(child.wait_reply);
  if (child.ready_reply != 0) (void)rt::CapDelete(child.ready_reply);
  child = Child{};
}

uint64_t TableStatus(proc::ProcError error) {
  return pp::StatusOf(static_cast<uint8_t>(error));
}

// The program's ELF, mapped read-only in proc (read through initfs:// once, then kept in the
// image cache: initfs never changes, so a kept image is current).
struct Image {
  const uint8_t* data = nullptr;
  uint64_t size = 0;
};

uint64_t WindowOf(size_t slot) {
  return kImageWindow + slot * kImageWindowStride;
}

Result<Image, uint64_t> LoadImage(Proc& proc, const char* path) {
  size_t length = 0;
  while (path[length] != '\0') ++length;
  if (length > proc::kMaxImagePath) return Err(pp::kNotInInitfs);  // initfs paths are shorter
  if (const int hit = proc.images->Find(path); hit >= 0) {
    return Image{reinterpret_cast<const uint8_t*>(WindowOf(hit)), proc.images->at(hit).size};
  }
  ip::Open::Request open{};
  ipc::CopyString(open.path, sizeof(open.path), path, ip::kMaxPath);
  auto opened = ipc::Call<ip::Open>(proc.initfs, open);
  if (!opened.ok()) return Err(pp::kNotInInitfs);
  const uint64_t handle = opened.value().handle;
  auto close = [&] { (void)ipc::Call<ip::Close>(proc.initfs, ip::Close::Request{handle}); };
  if (opened.value().type != ip::kFile || opened.value().size == 0) {
    close();
    return Err(pp::kNotInInitfs);
  }
  const uint64_t size = opened.value().size;
  unsigned order = 0;
  while ((uint64_t{0x1000} << order) < size && order < uapi::kMaxFrameOrder) ++order;
  auto frame = rt::MemoryAllocFrame(proc.memory, order);
  if (!frame.ok()) {
    close();
    return Err(static_cast<uint64_t>(frame.error()));
  }
  const uapi::IpcCap cap =
      ipc::CopyCap(frame.value(), uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap);
  auto read = ipc::Call<ip::Read>(proc.initfs, ip::Read::Request{handle, 0, size}, &cap, 1);
  close();
  if (!read.ok() || read.value().bytes != size) {
    (void)rt::CapDelete(frame.value());
    return Err(pp::kSpawnFailed);
  }
  proc::CachedImage evicted;
  const size_t slot = proc.images->Victim(&evicted);
  if (evicted.used) {
    (void)rt::VmemUnmap(proc.vmem, WindowOf(slot));
    (void)rt::CapDelete(evicted.frame);
  }
  if (!rt::VmemMap(proc.vmem, frame.value(), WindowOf(slot), uapi::kMapRead, proc.memory).ok()) {
    (void)rt::CapDelete(frame.value());
    return Err(pp::kSpawnFailed);
  }
  if (!proc.images->Fill(slot, path, frame.value(), size)) {  // the length was checked
    (void)rt::VmemUnmap(proc.vmem, WindowOf(slot));
    (void)rt::CapDelete(frame.value());
    return Err(pp::kSpawnFailed);
  }
  return Image{reinterpret_cast<const uint8_t*>(WindowOf(slot)), size};
}

const char* BaseName(const char* path) {
  const char* base = path;
  for (const char* p = path; *p != '\0'; ++p) {
    if (*p == '/') base = p + 1;
  }
  return base;
}

size_t Length(const char* text) {
  size_t n = 0;
  while (text[n] != '\0') ++n;
  return n;
}

// Registers a child's address space with the vm server, before the child starts (rt::SpawnHook):
// with the child's thread, so vm releases the space by itself when the child ends, however it
// ends. The child gets the space's Sender as "vm" (its heap comes from there).
struct VmRegistration {
  uint32_t vm_register;
  uint32_t memory;
  proc::Pid pid;
  uint32_t sender = 0;  // proc's handle of the space Sender
};

Result<uint32_t, uapi::Status> RegisterChildSpace(void* context, const rt::Spawned& child) {
  auto& registration = *static_cast<VmRegistration*>(context);
  auto space = vm::RegisterSpace(registration.vm_register, child.vmem, registration.memory,
                                 kChildBudget, child.thread);
  if (!space.ok()) {
    rt::Printf("proc: vm refused the address space of pid %lu: status %lu, detail %lu",
               registration.pid, static_cast<uint64_t>(space.error().status), space.error().detail);
    return Err(space.error().status == vm::protocol::Status::kKernel
                   ? static_cast<uapi::Status>(space.error().detail)
                   : uapi::Status::kOutOfMemory);
  }
  registration.sender = space.value().sender;
  return space.value().sender;
}

// Starts the program: everything proc makes for a child happens here, in one call.
uint64_t StartChild(Proc& proc, proc::Pid parent, const char* const* args, size_t arg_count,
                    const char* const* cap_names, const uapi::IpcCap* caps, size_t cap_count,
                    proc::Pid* pid_out) {
  const char* path = args[0];
  bool url = true;
  for (size_t i = 0; kInitfsScheme[i] != '\0'; ++i) url = url && path[i] == kInitfsScheme[i];
  const char* name = BaseName(url ? path + sizeof(kInitfsScheme) - 1 : path);
  Child* child = FindChild(proc, proc::kNoPid);
  for (Child& c : proc.children) {
    if (!c.used && child == nullptr) child = &c;
  }
  if (child == nullptr) return TableStatus(proc::ProcError::kTableFull);
  auto image = LoadImage(proc, path);
  if (!image.ok()) return image.error();
  auto pid = proc.table->Spawn(parent, name, Length(name));
  if (!pid.ok()) return TableStatus(pid.error());
  auto abandon = [&](uint64_t status) {
    (void)proc.table->Killed(pid.value());
    (void)proc.table->Wait(parent, pid.value());  // reaps the record
    return status;
  };
  auto memory = rt::MemoryCreate(proc.memory, kChildBudget);
  if (!memory.ok()) return abandon(static_cast<uint64_t>(memory.error()));
  auto sender = rt::ReceiverCreateSender(proc.memory, proc.receiver, pid.value());
  if (!sender.ok()) {
    (void)rt::CapDelete(memory.value());
    return abandon(static_cast<uint64_t>(sender.error()));
  }
  rt::SpawnCap spawn_caps[4 + uapi::kIpcMaxCaps];
  size_t count = 0;
  spawn_caps[count++] = rt::SpawnCap{"memory", memory.value(), uapi::Rights::kAll};
  spawn_caps[count++] =
      rt::SpawnCap{"proc", sender.value(),
                   uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer};
  // Write to print; Clone + Transfer so a child can hand the log to programs it starts itself
  // (vfsd its file-system drivers).
  if (proc.log != 0) {
    spawn_caps[count++] = rt::SpawnCap{
        "log", proc.log, uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer};
  }
  for (size_t i = 0; i < cap_count; ++i) {
    spawn_caps[count++] = rt::SpawnCap{cap_names[i], caps[i].handle,
                                       uapi::Rights{static_cast<uint8_t>(caps[i].rights)}};
  }
  rt::SpawnRequest request;
  request.memory = memory.value();
  request.own_vmem = proc.vmem;
  request.scratch_memory = proc.memory;  // the scratch window's page tables are proc's
  request.image = image.value().data;
  request.image_size = image.value().size;
  request.args = args;
  request.arg_count = arg_count;
  request.caps = spawn_caps;
  request.cap_count = count;
  request.pid = pid.value();
  VmRegistration registration{proc.vm_register, memory.value(), pid.value()};
  const rt::SpawnHook vm_hook{"vm", uapi::Rights::kWrite, &registration, &RegisterChildSpace};
  if (proc.vm_register != 0) request.hook = &vm_hook;
  auto spawned = rt::Spawn(request);
  (void)rt::CapDelete(sender.value());  // the child has its own
  if (!spawned.ok()) {
    char reason[128];
    rt::DescribeSpawnError(spawned.error(), reason, sizeof(reason));
    rt::Printf("proc: cannot start %s: %s", path, reason);
    (void)rt::CapDelete(memory.value());
    if (registration.sender != 0) (void)rt::CapDelete(registration.sender);
    return abandon(pp::kSpawnFailed);
  }
  if (auto watched = proc.watcher->Watch(spawned.value().thread, pid.value()); !watched.ok()) {
    rt::Printf("proc: cannot watch pid %lu: %s", pid.value(), uapi::StatusName(watched.error()));
    (void)rt::ProcessKill(spawned.value().process);
    (void)rt::ThreadWait(spawned.value().thread);
    rt::Release(spawned.value());
    (void)rt::CapDelete(memory.value());
    if (registration.sender != 0) (void)rt::CapDelete(registration.sender);
    (void)proc.table->Killed(pid.value());
    (void)proc.table->Wait(parent, pid.value());
    return static_cast<uint64_t>(watched.error());
  }
  (void)proc.table->MarkRunning(pid.value());
  *child = Child{true, pid.value(), spawned.value(), memory.value(), registration.sender, 0, 0};
  *pid_out = pid.value();
  return ipc::kOk;
}

uint64_t HandleSpawn(Proc& proc, ipc::Request& request, const pp::Spawn::Request& in,
                     pp::Spawn::Reply& out) {
  if (in.arg_count == 0 || in.arg_count > kMaxArgs || in.cap_count != request.cap_count) {
    return ipc::kBadRequest;
  }
  const char* strings[kMaxArgs + uapi::kIpcMaxCaps];
  if (!pp::UnpackStrings(in.strings, sizeof(in.strings), strings, in.arg_count + in.cap_count)) {
    return ipc::kBadRequest;
  }
  proc::Pid pid = proc::kNoPid;
  const uint64_t status = StartChild(proc, request.badge, strings, in.arg_count,
                                     strings + in.arg_count, request.caps, request.cap_count, &pid);
  out.pid = pid;
  return status;  // the received capabilities go (the child has its own copies)
}

void FillWait(const proc::ProcessInfo& info, pp::Wait::Reply& out) {
  out.pid = info.pid;
  out.state = static_cast<uint64_t>(info.state);
  out.exit_code = info.exit_code;
}

uint64_t HandleWait(Proc& proc, ipc::Request& request, const pp::Wait::Request& in,
                    pp::Wait::Reply& out) {
  auto waited = proc.table->Wait(request.badge, in.pid);
  if (!waited.ok()) return TableStatus(waited.error());
  const proc::ProcessInfo& info = waited.value();
  if (info.state == proc::ProcessState::kExited || info.state == proc::ProcessState::kKilled) {
    FillWait(info, out);
    if (Child* child = FindChild(proc, in.pid)) ReleaseChild(*child);
    return ipc::kOk;
  }
  Child* child = FindChild(proc, in.pid);
  if (child == nullptr || request.reply == 0) return ipc::kBadRequest;
  child->wait_reply = request.Defer();
  return ipc::kOk;
}

uint64_t HandleKill(Proc& proc, ipc::Request& request, const pp::Kill::Request& in,
                    pp::Kill::Reply&) {
  if (auto allowed = proc.table->CheckKill(request.badge, in.pid); !allowed.ok()) {
    return TableStatus(allowed.error());
  }
  Child* child = FindChild(proc, in.pid);
  if (child == nullptr) return TableStatus(proc::ProcError::kNoSuchPid);
  if (auto killed = rt::ProcessKill(child->spawned.process); !killed.ok()) {
    return static_cast<uint64_t>(killed.error());
  }
  return ipc::kOk;
}

uint64_t HandleList(Proc& proc, ipc::Request&, const pp::List::Request& in, pp::List::Reply& out) {
  auto info = proc.table->List(in.index);
  if (!info.ok()) return TableStatus(info.error());
  out.pid = info.value().pid;
  out.parent = info.value().parent;
  out.state = static_cast<uint64_t>(info.value().state);
  out.exit_code = info.value().exit_code;
  out.memory_bytes = info.value().memory_bytes;
  if (Child* child = FindChild(proc, info.value().pid)) {
    if (auto memory = rt::MemoryInfo(child->memory); memory.ok()) {
      out.memory_bytes = memory.value().used_bytes;
    }
  }
  ipc::CopyString(out.name, sizeof(out.name), info.value().name, sizeof(info.value().name));
  return ipc::kOk;
}

// Answers `child`'s deferred WaitReady, if any: ready (1) or ended first (0).
void AnswerReadyWait(Child& child, uint64_t ready) {
  if (child.ready_reply == 0) return;
  (void)ipc::Answer(child.ready_reply, ipc::kOk, pp::WaitReady::Reply{child.pid, ready});
  child.ready_reply = 0;  // Answer deleted it
}

// A child says it serves (its badge is its pid).
uint64_t HandleReady(Proc& proc, ipc::Request& request, const pp::Ready::Request&,
                     pp::Ready::Reply&) {
  auto marked = proc.table->MarkReady(request.badge);
  if (!marked.ok()) return TableStatus(marked.error());
  if (Child* child = FindChild(proc, request.badge)) AnswerReadyWait(*child, 1);
  return ipc::kOk;
}

uint64_t HandleWaitReady(Proc& proc, ipc::Request& request, const pp::WaitReady::Request& in,
                         pp::WaitReady::Reply& out) {
  auto state = proc.table->ReadyState(request.badge, in.pid);
  if (!state.ok()) return TableStatus(state.error());
  out.pid = in.pid;
  if (state.value() != proc::Readiness::kPending) {
    out.ready = state.value() == proc::Readiness::kReady ? 1 : 0;
    return ipc::kOk;
  }
  Child* child = FindChild(proc, in.pid);
  if (child == nullptr || request.reply == 0) return ipc::kBadRequest;
  if (child->ready_reply != 0) return TableStatus(proc::ProcError::kAlreadyWaited);
  child->ready_reply = request.Defer();
  return ipc::kOk;
}

// A child's thread ended (from the ExitWatcher's helper): record it, answer its waiter.
uint64_t HandleExitNotice(Proc& proc, ipc::Request& request, const rt::ExitNotice::Request& in,
                          rt::ExitNotice::Reply&) {
  if (request.badge != rt::kExitNoticeBadge) return ipc::kBadRequest;
  proc.watcher->Done(in.slot);
  Child* child = FindChild(proc, in.cookie);
  if (child == nullptr) return ipc::kOk;
  if (auto memory = rt::MemoryInfo(child->memory); memory.ok()) {
    (void)proc.table->SetMemory(child->pid, memory.value().used_bytes);
  }
  auto ended = in.reason == static_cast<uint64_t>(uapi::ExitReason::kExited)
                   ? proc.table->Exit(child->pid, static_cast<int64_t>(in.code))
                   : proc.table->Killed(child->pid);
  if (!ended.ok()) return ipc::kOk;
  AnswerReadyWait(*child, 0);  // it ended without saying Ready
  if (ended.value().waited) {
    auto info = proc.table->Collect(child->pid);
    if (info.ok() && child->wait_reply != 0) {
      pp::Wait::Reply reply{};
      FillWait(info.value(), reply);
      (void)ipc::Answer(child->wait_reply, ipc::kOk, reply);  // deletes the Reply
      child->wait_reply = 0;
    }
    ReleaseChild(*child);
  } else if (ended.value().reaped) {
    ReleaseChild(*child);
  }
  return ipc::kOk;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  ipc::SetBuffer(reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress));
  static Proc proc_state;
  Proc& proc = proc_state;
  proc.memory = rt::FindCap(start, "memory");
  proc.vmem = rt::FindCap(start, "vmem");
  proc.receiver = rt::FindCap(start, "receiver");
  proc.initfs = rt::FindCap(start, "initfs");
  proc.log = rt::FindCap(start, "log");
  proc.vm_register = rt::FindCap(start, "vm_register");
  if (proc.memory == 0 || proc.vmem == 0 || proc.receiver == 0 || proc.initfs == 0 ||
      !rt::HeapAvailable()) {
    rt::Printf("proc: started without its memory, vmem, receiver or initfs capability");
    return 1;
  }
  auto notices = rt::ReceiverCreateSender(proc.memory, proc.receiver, rt::kExitNoticeBadge);
  auto reply = rt::MemoryAllocReply(proc.memory);
  if (!notices.ok() || !reply.ok()) {
    rt::Printf("proc: cannot make its endpoints");
    return 1;
  }
  proc.table = new proc::ProcessTable;
  proc.watcher = new rt::ExitWatcher(proc.memory, proc.vmem, notices.value());
  proc.images = new proc::ImageCache;
  // Init (started by root) is pid 1: its requests come with badge 1.
  auto init = proc.table->Spawn(proc::kNoPid, "init", 4);
  if (!init.ok() || init.value() != 1 || !proc.table->MarkRunning(1).ok()) {
    rt::Printf("proc: cannot record init");
    return 1;
  }
  ipc::Dispatcher<Proc> dispatcher;
  dispatcher.On<pp::Spawn, &HandleSpawn>();
  dispatcher.On<pp::Wait, &HandleWait>();
  dispatcher.On<pp::Kill, &HandleKill>();
  dispatcher.On<pp::List, &HandleList>();
  dispatcher.On<pp::Ready, &HandleReady>();
  dispatcher.On<pp::WaitReady, &HandleWaitReady>();
  dispatcher.On<rt::ExitNotice, &HandleExitNotice>();
  rt::Printf("proc: up, serving");
  const uapi::Status ended =
      ipc::Serve(proc.receiver, reply.value(), proc.memory, dispatcher, proc);
  rt::Printf("proc: loop ended: %s", uapi::StatusName(ended));
  return 1;
}
