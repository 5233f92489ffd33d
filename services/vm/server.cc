// services/vm/server.cc — the vm server (/sbin/vm): address spaces of registered processes over
// IPC (services/vm/protocol.h, docs/protocols/vm.md), driven by VmState (vm_state.h). It is the
// pager of every space it holds: a fault thread waits on the pager Notify (one bit per space)
// and hands the pending faults to the main loop as a Call, so every state change happens in
// the one server thread, one message at a time. A space registered with a thread of its process
// is released when that thread ends (exit, kill, fault: an ExitWatcher turns it into a message);
// releasing runs in bounded steps (space_release.h), one per message, driven by the fault thread
// ("worker" calls) or by the client's repeated ReleaseSpace calls.
//
// Capabilities (start information): "receiver" (the Receiver root made; root keeps the admin
// Sender, badge 0), "memory" (the server's own: capability slots, the fault thread, the exit
// watchers), "process" (its own Process, for the fault thread), "vmem" (its own Vmem, for the
// watchers' helper processes), "log".
#include "lib/base/placement_new.h"
#include "lib/startinfo/start_info.h"
#include "services/lib/exit_watch.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vm/mapping_table.h"
#include "services/vm/protocol.h"
#include "services/vm/space_release.h"
#include "services/vm/vm_state.h"
#include "uapi/ipc.h"

namespace hiillos::vm {
namespace {

using protocol::Status;
using uapi::IpcMessage;

struct Space {
  bool used = false;
  bool releasing = false;  // ReleaseSpace or the process's end started it; steps follow
  uint64_t generation = 0;
  uint64_t id = 0;  // VmState's pid
  uint32_t vmem = 0;
  uint32_t memory = 0;
  uint64_t next_address = 0;  // where the next region goes (kAreaBase upwards, never reused)
};

// The server places every region of a space at or above kAreaBase, clear of what the spawner
// mapped before registration (image, stack, start block, IPC buffer, the runtime's own
// windows), which VmState does not know about. Addresses are not reused after a Free: the
// area is 16 TiB.
constexpr uint64_t kAreaBase = 0x0000'4000'0000'0000ull;
constexpr uint64_t kAreaEnd = 0x0000'5000'0000'0000ull;

// Frames the server holds (FrameId → bytes), for Stats.
struct HeldFrame {
  uint32_t handle = 0;
  uint16_t slot = 0;
  uint64_t bytes = 0;
};

constexpr uint64_t kPageSize = 0x1000;
// Frame references, mappings and frame deletions per release step (one message).
constexpr size_t kReleaseSteps = 32;

// Built in ProgramMain (the runtime runs no global constructors; VmState's tables need one).
alignas(VmState) unsigned char g_state_storage[sizeof(VmState)];
VmState* g_vm_state = nullptr;
VmState& State() {
  return *g_vm_state;
}
alignas(MappingTable) unsigned char g_mappings_storage[sizeof(MappingTable)];
MappingTable* g_mappings = nullptr;
alignas(rt::ExitWatcher) unsigned char g_watcher_storage[sizeof(rt::ExitWatcher)];
rt::ExitWatcher* g_watcher = nullptr;
Space g_spaces[kMaxProcesses];
HeldFrame g_held[kMaxFrames];
uint64_t g_next_id = 1;
uint32_t g_memory = 0;
uint32_t g_notify = 0;
uint32_t g_receiver = 0;

uapi::IpcBuffer& Buffer() {
  return *reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress);
}

IpcMessage Reply(Status status, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0) {
  IpcMessage reply;
  reply.words[0] = static_cast<uint64_t>(status);
  reply.words[1] = w1;
  reply.words[2] = w2;
  reply.words[3] = w3;
  return reply;
}
IpcMessage KernelError(uapi::Status status) {
  return Reply(Status::kKernel, static_cast<uint64_t>(status));
}
IpcMessage VmFailure(VmError error) {
  return Reply(Status::kVm, static_cast<uint64_t>(error));
}

Space* SpaceOf(uint64_t badge) {
  if (badge == protocol::kAdminBadge || badge == rt::kExitNoticeBadge ||
      (badge & protocol::kFaultThreadBadge) != 0) {
    return nullptr;
  }
  uint64_t slot = protocol::BadgeSlot(badge);
  if (slot >= kMaxProcesses) return nullptr;
  Space& space = g_spaces[slot];
  if (!space.used || space.generation != protocol::BadgeGeneration(badge)) return nullptr;
  return &space;
}
uint16_t SlotOf(const Space& space) {
  return static_cast<uint16_t>(&space - g_spaces);
}
Space* SpaceById(uint64_t id) {
  for (Space& space : g_spaces) {
    if (space.used && !space.releasing && space.id == id) return &space;
  }
  return nullptr;
}

// Scans of g_held stop at g_held_limit (one past the highest entry ever used; Hold takes the
// lowest free one).
size_t g_held_limit = 0;
bool Hold(uint32_t handle, uint16_t slot, uint64_t bytes) {
  for (size_t i = 0; i < kMaxFrames; ++i) {
    if (g_held[i].handle == 0) {
      g_held[i] = HeldFrame{handle, slot, bytes};
      if (i + 1 > g_held_limit) g_held_limit = i + 1;
      return true;
    }
  }
  return false;
}
void DeleteFrame(uint32_t handle) {
  for (size_t i = 0; i < g_held_limit; ++i) {
    if (g_held[i].handle == handle) g_held[i] = HeldFrame{};
  }
  (void)rt::CapDelete(handle);
}
bool Record(uint16_t slot, uint64_t vaddr, uint32_t map_handle, uint32_t frame) {
  return g_mappings->Record(slot, vaddr, map_handle, frame);
}

// The kernel side of a release step (space_release.h) for one space.
struct ReleaseCalls {
  uint32_t vmem;
  void Unmap(const Mapping& mapping) {
    (void)rt::VmemUnmap(vmem, mapping.vaddr);
    if (mapping.map_handle != mapping.frame) (void)rt::CapDelete(mapping.map_handle);
  }
  void DeleteFrame(FrameId frame) { vm::DeleteFrame(static_cast<uint32_t>(frame)); }
};

uint64_t MapFlags(uint8_t protection) {
  uint64_t flags = uapi::kMapRead;
  if ((protection & kProtWrite) != 0) flags |= uapi::kMapWrite;
  if ((protection & kProtExecute) != 0) flags |= uapi::kMapExecute;
  return flags;
}

// Removes the server's mappings of `space` in [start, end) and deletes the clones; then deletes
// the frames VmState released.
void UnmapRange(const Space& space, uint64_t start, uint64_t end) {
  ReleaseCalls calls{space.vmem};
  Mapping taken[16];
  for (size_t n; (n = g_mappings->Take(SlotOf(space), start, end, taken, 16)) != 0;) {
    for (size_t i = 0; i < n; ++i) calls.Unmap(taken[i]);
  }
  FrameId released[16];
  for (size_t n; (n = State().TakeReleased(released, 16)) != 0;) {
    for (size_t i = 0; i < n; ++i) DeleteFrame(static_cast<uint32_t>(released[i]));
  }
}

// --- operations -----------------------------------------------------------------------------

// caps[0] Vmem, caps[1] Memory, optionally caps[2] a thread of the process: the space is
// released when that thread ends.
IpcMessage RegisterSpace(const IpcMessage& request) {
  const uint32_t cap_count = uapi::IpcInfo::Caps(request.info);
  if (cap_count != 2 && cap_count != 3) {
    for (uint32_t i = 0; i < cap_count && i < uapi::kIpcMaxCaps; ++i) {
      (void)rt::CapDelete(Buffer().caps[i].handle);
    }
    return Reply(Status::kBadArgument);
  }
  uint32_t vmem = Buffer().caps[0].handle;
  uint32_t memory = Buffer().caps[1].handle;
  uint32_t thread = cap_count == 3 ? Buffer().caps[2].handle : 0;
  auto drop = [&](IpcMessage reply) {
    (void)rt::CapDelete(vmem);
    (void)rt::CapDelete(memory);
    return reply;
  };
  // The watcher keeps its own copy of the thread; the server needs none.
  struct ThreadHandle {
    uint32_t handle;
    ~ThreadHandle() {
      if (handle != 0) (void)rt::CapDelete(handle);
    }
  } thread_handle{thread};
  Space* free_space = nullptr;
  for (Space& space : g_spaces) {
    if (!space.used) {
      free_space = &space;
      break;
    }
  }
  if (free_space == nullptr) return drop(Reply(Status::kTooManySpaces));
  const uint16_t slot = SlotOf(*free_space);
  const uint64_t id = g_next_id++;
  if (auto created = State().CreateProcess(id, request.words[1]); !created.ok()) {
    return drop(VmFailure(created.error()));
  }
  // An empty space: one Teardown step removes it.
  auto forget = [&] { (void)State().Teardown(id, kReleaseSteps); };
  if (auto pager = rt::VmemSetPager(vmem, g_notify, uint64_t{1} << slot); !pager.ok()) {
    forget();
    return drop(KernelError(pager.error()));
  }
  const uint64_t generation = free_space->generation + 1;
  const uint64_t badge = protocol::SpaceBadge(slot, generation);
  auto sender = rt::ReceiverCreateSender(g_memory, g_receiver, badge);
  if (!sender.ok()) {
    (void)rt::VmemClearPager(vmem);
    forget();
    return drop(KernelError(sender.error()));
  }
  if (thread != 0) {
    if (auto watched = g_watcher->Watch(thread, badge); !watched.ok()) {
      (void)rt::CapDelete(sender.value());
      (void)rt::VmemClearPager(vmem);
      forget();
      return drop(KernelError(watched.error()));
    }
  }
  *free_space = Space{true, false, generation, id, vmem, memory, kAreaBase};
  Buffer().caps[0] = uapi::IpcCap{sender.value(), uapi::kIpcMove, 0, 0};
  IpcMessage reply = Reply(Status::kOk, id);
  reply.info = uapi::IpcInfo::Make(0, 1);
  return reply;
}

// A fixed placement at the space's cursor, which then moves past the region and a guard page.
Result<Placement, VmError> TakeRange(Space& space, uint64_t size) {
  if (size == 0 || size % kPageSize != 0 || size > kAreaEnd - space.next_address) {
    return Err(VmError::kNoFreeRange);
  }
  return Placement{space.next_address, 0};
}
void CommitRange(Space& space, uint64_t address, uint64_t size) {
  space.next_address = address + size + kPageSize;
}

IpcMessage Alloc(Space& space, const IpcMessage& request) {
  const uint64_t size = request.words[1];
  const uint64_t flags = request.words[2];
  const uint8_t protection = static_cast<uint8_t>(request.words[3]);
  if ((flags & ~uint64_t{protocol::kAllocShared}) != 0 || request.words[3] > kProtAll) {
    return Reply(Status::kBadArgument);
  }
  if ((flags & protocol::kAllocShared) == 0) {
    auto placement = TakeRange(space, size);
    if (!placement.ok()) return VmFailure(placement.error());
    auto address = State().MapAnonymous(space.id, size, placement.value(), protection);
    if (!address.ok()) return VmFailure(address.error());
    CommitRange(space, address.value(), size);
    return Reply(Status::kOk, address.value());
  }
  // Shared: one frame of the smallest order that covers `size` (which must be that size).
  unsigned order = 0;
  while ((kPageSize << order) < size && order < uapi::kMaxFrameOrder) ++order;
  if (size == 0 || (kPageSize << order) != size) return Reply(Status::kBadArgument);
  auto placement = TakeRange(space, size);
  if (!placement.ok()) return VmFailure(placement.error());
  auto frame = rt::MemoryAllocFrame(space.memory, order);
  if (!frame.ok()) return KernelError(frame.error());
  auto address = State().MapFrame(space.id, frame.value(), size, RegionKind::kShared,
                                  placement.value(), protection);
  if (!address.ok()) {
    (void)rt::CapDelete(frame.value());
    return VmFailure(address.error());
  }
  CommitRange(space, address.value(), size);
  auto clone = rt::CapDerive(frame.value(), uapi::Rights::kAll);
  uapi::Status failed = uapi::Status::kOk;
  if (!clone.ok()) {
    failed = clone.error();
  } else if (auto mapped = rt::VmemMap(space.vmem, clone.value(), address.value(),
                                       MapFlags(protection), space.memory);
             !mapped.ok()) {
    failed = mapped.error();
    (void)rt::CapDelete(clone.value());
  } else if (!Record(SlotOf(space), address.value(), clone.value(), frame.value()) ||
             !Hold(frame.value(), SlotOf(space), size)) {
    failed = uapi::Status::kOutOfMemory;
    (void)rt::VmemUnmap(space.vmem, address.value());
    (void)rt::CapDelete(clone.value());
  }
  if (failed != uapi::Status::kOk) {
    (void)State().Unmap(space.id, address.value(), size);
    UnmapRange(space, address.value(), address.value() + size);
    DeleteFrame(frame.value());
    return KernelError(failed);
  }
  return Reply(Status::kOk, address.value());
}

IpcMessage Free(Space& space, const IpcMessage& request) {
  const uint64_t address = request.words[1];
  uint64_t size = request.words[2];
  if (size == 0) {  // the whole region that starts at `address`
    const AddressSpace* own = State().Space(space.id);
    const Region* region = own != nullptr ? own->Find(address) : nullptr;
    if (region == nullptr || region->start != address) return VmFailure(VmError::kNotMapped);
    size = region->pages * kPageSize;
  }
  if (auto unmapped = State().Unmap(space.id, address, size); !unmapped.ok()) {
    return VmFailure(unmapped.error());
  }
  UnmapRange(space, address, address + size);
  return Reply(Status::kOk);
}

IpcMessage Share(Space& space, const IpcMessage& request) {
  Space* to = SpaceById(request.words[2]);
  if (to == nullptr) return Reply(Status::kNoSuchSpace);
  const uint8_t protection = static_cast<uint8_t>(request.words[3]);
  const AddressSpace* from_space = State().Space(space.id);
  const Region* region = from_space != nullptr ? from_space->Find(request.words[1]) : nullptr;
  if (region == nullptr || region->kind != RegionKind::kShared) {
    return VmFailure(VmError::kNotShared);
  }
  auto placement = TakeRange(*to, region->pages * kPageSize);
  if (!placement.ok()) return VmFailure(placement.error());
  auto address = State().Share(space.id, request.words[1], to->id, placement.value(), protection);
  if (!address.ok()) return VmFailure(address.error());
  CommitRange(*to, address.value(), region->pages * kPageSize);
  const uint32_t frame = static_cast<uint32_t>(State().frames().record(region->frame).id);
  const uint64_t size = region->pages * kPageSize;
  auto clone = rt::CapDerive(frame, uapi::Rights::kAll);
  uapi::Status failed = uapi::Status::kOk;
  if (!clone.ok()) {
    failed = clone.error();
  } else if (auto mapped = rt::VmemMap(to->vmem, clone.value(), address.value(),
                                       MapFlags(protection), to->memory);
             !mapped.ok()) {
    failed = mapped.error();
    (void)rt::CapDelete(clone.value());
  } else if (!Record(SlotOf(*to), address.value(), clone.value(), frame)) {
    failed = uapi::Status::kOutOfMemory;
    (void)rt::VmemUnmap(to->vmem, address.value());
    (void)rt::CapDelete(clone.value());
  }
  if (failed != uapi::Status::kOk) {
    (void)State().Unmap(to->id, address.value(), size);
    UnmapRange(*to, address.value(), address.value() + size);
    return KernelError(failed);
  }
  return Reply(Status::kOk, address.value());
}

// From now on the space takes no requests but ReleaseSpace and Stats; faults still waiting are
// refused (those threads die) and no new ones come.
void StartRelease(Space& space) {
  if (space.releasing) return;
  space.releasing = true;
  (void)rt::VmemClearPager(space.vmem);
}

// One bounded step; true when the space is gone (its slot is free again, its badge dead).
bool ReleaseStepOf(Space& space) {
  StartRelease(space);
  ReleaseCalls calls{space.vmem};
  if (!ReleaseStep(State(), *g_mappings, SlotOf(space), space.id, kReleaseSteps, calls).done) {
    return false;
  }
  (void)rt::CapDelete(space.vmem);
  (void)rt::CapDelete(space.memory);
  space = Space{false, false, space.generation, 0, 0, 0, 0};
  return true;
}

// The client repeats the call while the reply is kInProgress (client.h does).
IpcMessage ReleaseSpace(Space& space) {
  return Reply(ReleaseStepOf(space) ? Status::kOk : Status::kInProgress);
}

// A space's process ended (its watched thread): release the space, one step per worker call.
IpcMessage ExitNotice(const IpcMessage& request) {
  g_watcher->Done(request.words[5]);
  if (request.words[2] == 0) {  // the watcher's wait failed: the process may still run
    rt::Printf("vm: watching space badge %#lx failed: %s", request.words[1],
               uapi::StatusName(static_cast<uapi::Status>(request.words[3])));
    return Reply(Status::kOk);
  }
  if (Space* space = SpaceOf(request.words[1]); space != nullptr && !space->releasing) {
    StartRelease(*space);
    (void)rt::NotifySignal(g_notify, uint64_t{1} << SlotOf(*space));  // wakes the worker
  }
  return Reply(Status::kOk);
}

// One release step for the next space being released (round robin); whether any is left.
bool ReleaseWork() {
  static uint16_t next = 0;
  for (uint16_t i = 0; i < kMaxProcesses; ++i) {
    Space& space = g_spaces[(next + i) % kMaxProcesses];
    if (!space.used || !space.releasing) continue;
    next = static_cast<uint16_t>((SlotOf(space) + 1) % kMaxProcesses);
    (void)ReleaseStepOf(space);
    break;
  }
  for (const Space& space : g_spaces) {
    if (space.used && space.releasing) return true;
  }
  return false;
}

IpcMessage Stats(const Space* space) {
  uint64_t frames = 0;
  uint64_t bytes = 0;
  for (size_t i = 0; i < g_held_limit; ++i) {
    const HeldFrame& held = g_held[i];
    if (held.handle == 0 || (space != nullptr && held.slot != SlotOf(*space))) continue;
    ++frames;
    bytes += held.bytes;
  }
  if (space != nullptr) {
    return Reply(Status::kOk, State().ResidentPages(space->id), State().ChargedBytes(space->id),
                 frames);
  }
  uint64_t spaces = 0;
  for (const Space& s : g_spaces) spaces += s.used ? 1 : 0;
  return Reply(Status::kOk, spaces, frames, bytes);
}

// One fault of `space`: a zeroed page for an untouched anonymous page, else the thread dies.
void HandleFault(Space& space, const uapi::PageFault& fault) {
  Access access = (fault.access & uapi::kFaultWrite) != 0     ? Access::kWrite
                  : (fault.access & uapi::kFaultExecute) != 0 ? Access::kExecute
                                                              : Access::kRead;
  const char* failed = nullptr;
  uint64_t detail = 0;
  auto plan = State().Fault(space.id, fault.address, access);
  if (!plan.ok()) {
    failed = VmErrorName(plan.error());
  } else {
    const uint64_t page = plan.value().page;
    auto frame = rt::MemoryAllocFrame(space.memory, 0);  // the kernel hands out zeroed frames
    if (!frame.ok()) {
      failed = "allocating a frame";
      detail = static_cast<uint64_t>(frame.error());
    } else if (auto mapped = rt::VmemMap(space.vmem, frame.value(), page,
                                         MapFlags(plan.value().protection), space.memory);
               !mapped.ok()) {
      failed = "mapping the frame";
      detail = static_cast<uint64_t>(mapped.error());
      DeleteFrame(frame.value());
    } else if (auto committed = State().CommitPage(space.id, page, frame.value());
               !committed.ok()) {
      failed = VmErrorName(committed.error());
      (void)rt::VmemUnmap(space.vmem, page);
      DeleteFrame(frame.value());
    } else if (!Record(SlotOf(space), page, frame.value(), frame.value()) ||
               !Hold(frame.value(), SlotOf(space), kPageSize)) {
      // VmState tracks the page now: it goes with the region (Free, ReleaseSpace).
      failed = "the server's tables are full";
    }
  }
  if (failed != nullptr) {
    rt::Printf("vm: space %lu: fault at %#lx (access %lu) refused: %s (%lu)", space.id,
               fault.address, fault.access, failed, detail);
  }
  (void)rt::VmemResolveFault(space.vmem, fault.token,
                             failed == nullptr ? uapi::kFaultRetry : uapi::kFaultRefuse);
}

void DrainFaults(uint64_t bits) {
  for (uint16_t slot = 0; slot < kMaxProcesses; ++slot) {
    if ((bits & (uint64_t{1} << slot)) == 0 || !g_spaces[slot].used) continue;
    if (g_spaces[slot].releasing) continue;
    Space& space = g_spaces[slot];
    for (;;) {
      auto fault = rt::VmemTakeFault(space.vmem);
      if (!fault.ok()) break;
      HandleFault(space, fault.value());
    }
  }
}

IpcMessage Dispatch(const IpcMessage& request) {
  const uint64_t op = request.words[0];
  if (request.badge == rt::kExitNoticeBadge) {
    return op == rt::ExitNotice::kCode ? ExitNotice(request) : Reply(Status::kBadOperation);
  }
  if (request.badge == protocol::kFaultThreadBadge) {
    DrainFaults(request.words[1]);
    // w1: more release steps are waiting (the worker calls again at once).
    return Reply(Status::kOk, ReleaseWork() ? 1 : 0);
  }
  Space* space = SpaceOf(request.badge);
  if (request.badge == protocol::kAdminBadge) {
    switch (op) {
      case protocol::kRegisterSpace:
        return RegisterSpace(request);
      case protocol::kStats:
        return Stats(nullptr);
      case protocol::kReleaseSpace: {
        for (Space& target : g_spaces) {
          if (target.used && target.id == request.words[1]) return ReleaseSpace(target);
        }
        return Reply(Status::kNoSuchSpace);
      }
      default:
        return Reply(Status::kBadOperation);
    }
  }
  if (space == nullptr) return Reply(Status::kNoSuchSpace);
  if (space->releasing && op != protocol::kReleaseSpace && op != protocol::kStats) {
    return Reply(Status::kNoSuchSpace);
  }
  switch (op) {
    case protocol::kAlloc:
      return Alloc(*space, request);
    case protocol::kFree:
      return Free(*space, request);
    case protocol::kShare:
      return Share(*space, request);
    case protocol::kReleaseSpace:
      return ReleaseSpace(*space);
    case protocol::kStats:
      return Stats(space);
    default:
      return Reply(Status::kBadOperation);
  }
}

// --- the fault thread -----------------------------------------------------------------------

uint32_t g_fault_sender = 0;
alignas(16) uint8_t g_fault_stack[16 * 1024];

// Also the release worker: while the main loop answers that release steps are waiting, it
// calls again (each call is one step; clients queued meanwhile are served in between).
[[noreturn]] void FaultThread() {
  for (;;) {
    auto bits = rt::NotifyWait(g_notify);
    if (!bits.ok() || bits.value() == 0) continue;
    IpcMessage message;
    message.words[1] = bits.value();
    for (;;) {
      auto reply = rt::Call(g_fault_sender, message);
      if (!reply.ok() || reply.value().words[1] == 0) break;
      message.words[1] = 0;
    }
  }
}

Result<void, uapi::Status> StartFaultThread(uint32_t process) {
  g_fault_sender = TRY(rt::ReceiverCreateSender(g_memory, g_receiver, protocol::kFaultThreadBadge));
  const uint32_t thread = TRY(rt::MemoryAllocThread(g_memory, process));
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&FaultThread);
  regs.rsp = reinterpret_cast<uint64_t>(g_fault_stack + sizeof(g_fault_stack)) - 8;
  regs.rflags = 0x202;
  TRY(rt::ThreadSetRegs(thread, &regs));
  TRY(rt::ThreadStart(thread));
  return Ok<uapi::Status>();
}

}  // namespace
}  // namespace hiillos::vm

int ProgramMain(const hiillos::startinfo::StartInfo& start) {
  using namespace hiillos;
  using namespace hiillos::vm;
  g_vm_state = new (g_state_storage) VmState(FitPolicy::kFirstFit);
  g_mappings = new (g_mappings_storage) MappingTable;
  g_memory = rt::FindCap(start, "memory");
  g_receiver = rt::FindCap(start, "receiver");
  const uint32_t process = rt::FindCap(start, "process");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (g_memory == 0 || g_receiver == 0 || process == 0 || vmem == 0) {
    rt::Printf("vm: missing capabilities (memory, receiver, process, vmem)");
    return 1;
  }
  auto notices = rt::ReceiverCreateSender(g_memory, g_receiver, rt::kExitNoticeBadge);
  if (!notices.ok()) return 1;
  g_watcher = new (g_watcher_storage) rt::ExitWatcher(g_memory, vmem, notices.value());
  auto notify = rt::MemoryAllocNotify(g_memory);
  if (!notify.ok()) return 1;
  g_notify = notify.value();
  auto reply = rt::MemoryAllocReply(g_memory);
  if (!reply.ok()) return 1;
  if (auto started = StartFaultThread(process); !started.ok()) {
    rt::Printf("vm: cannot start the fault thread: %s", uapi::StatusName(started.error()));
    return 1;
  }
  rt::Printf("vm: up, serving up to %lu address spaces", static_cast<uint64_t>(kMaxProcesses));
  bool answering = false;  // a request was received and `answer` is its reply
  uapi::IpcMessage answer;
  for (;;) {
    auto request = answering ? rt::ReplyRecv(g_receiver, reply.value(), answer)
                             : rt::Recv(g_receiver, reply.value(), uapi::IpcMessage{});
    answering = request.ok();
    if (answering) answer = Dispatch(request.value());
  }
}
