// services/lib/loader.cc — Spawn: parse and plan the ELF, build the address space frame by frame
// through the scratch window, hand out capabilities, write the start block, start the thread;
// on any failure, delete everything made so far.
#include "services/lib/loader.h"

#include "lib/elf/load_plan.h"
#include "lib/elf/parse.h"
#include "lib/format/format.h"
#include "lib/startinfo/builder.h"
#include "services/lib/process_layout.h"
#include "services/lib/syscalls.h"
#include "uapi/syscalls.h"

namespace hiillos::rt {
namespace {

startinfo::Text TextOf(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return startinfo::Text{text, length};
}

SpawnError ElfError(elf::Error error) {
  return SpawnError{SpawnError::Kind::kElf, error, {}, uapi::Status::kOk, "checking the ELF"};
}
SpawnError StartInfoError(startinfo::Error error) {
  return SpawnError{
      SpawnError::Kind::kStartInfo, {}, error, uapi::Status::kOk, "writing the start information"};
}
SpawnError SyscallError(uapi::Status status, const char* step) {
  return SpawnError{SpawnError::Kind::kSyscall, {}, {}, status, step};
}

uint64_t MapFlagsOf(uint32_t elf_flags) {
  uint64_t flags = uapi::kMapRead;  // x86 cannot map write- or execute-only
  if (elf_flags & elf::kFlagWrite) flags |= uapi::kMapWrite;
  if (elf_flags & elf::kFlagExecute) flags |= uapi::kMapExecute;
  return flags;
}

// Everything a Spawn has made so far; Abandon deletes it (objects go with their last handle:
// the Process and Vmem take their mappings, frames and given capabilities with them).
class Construction {
 public:
  explicit Construction(const SpawnRequest& request) : request_(request) {}

  void Abandon() {
    if (hooked_) (void)ProcessKill(spawned_.process);  // watchers of the thread see it end
    if (scratch_mapped_) (void)VmemUnmap(request_.own_vmem, kLoaderScratchAddress);
    if (frame_ != 0) (void)CapDelete(frame_);
    if (spawned_.thread != 0) (void)CapDelete(spawned_.thread);
    if (spawned_.process != 0) (void)CapDelete(spawned_.process);
    if (spawned_.vmem != 0) (void)CapDelete(spawned_.vmem);
  }

  Result<void, SpawnError> CreateProcess() {
    auto vmem = MemoryAllocVmem(request_.memory);
    if (!vmem.ok()) return Err(SyscallError(vmem.error(), "creating the address space"));
    spawned_.vmem = vmem.value();
    auto process = MemoryAllocProcess(request_.memory, spawned_.vmem);
    if (!process.ok()) return Err(SyscallError(process.error(), "creating the process"));
    spawned_.process = process.value();
    return Ok<SpawnError>();
  }

  // One frame of 0x1000 << order bytes: `fill` writes into it through the scratch window, then
  // it is mapped in the child at `vaddr` and the spawner's handle is dropped (the mapping keeps
  // the frame).
  template <typename Fill>
  Result<void, SpawnError> PlaceFrame(unsigned order, uint64_t vaddr, uint64_t flags,
                                      const char* step, Fill fill) {
    auto frame = MemoryAllocFrame(request_.memory, order);
    if (!frame.ok()) return Err(SyscallError(frame.error(), step));
    frame_ = frame.value();
    const uint32_t scratch_payer =
        request_.scratch_memory != 0 ? request_.scratch_memory : request_.memory;
    if (auto mapped = VmemMap(request_.own_vmem, frame_, kLoaderScratchAddress,
                              uapi::kMapRead | uapi::kMapWrite, scratch_payer);
        !mapped.ok()) {
      return Err(SyscallError(mapped.error(), "mapping a frame to fill it"));
    }
    scratch_mapped_ = true;
    TRY(fill(reinterpret_cast<uint8_t*>(kLoaderScratchAddress)));
    if (auto unmapped = VmemUnmap(request_.own_vmem, kLoaderScratchAddress); !unmapped.ok()) {
      return Err(SyscallError(unmapped.error(), "unmapping a filled frame"));
    }
    scratch_mapped_ = false;
    if (auto mapped = VmemMap(spawned_.vmem, frame_, vaddr, flags, request_.memory); !mapped.ok()) {
      return Err(SyscallError(mapped.error(), step));
    }
    (void)CapDelete(frame_);
    frame_ = 0;
    return Ok<SpawnError>();
  }

  // A frame the child gets as the kernel hands it out (zeroed): no scratch mapping needed.
  Result<void, SpawnError> PlaceZeroFrame(unsigned order, uint64_t vaddr, uint64_t flags,
                                          const char* step) {
    auto frame = MemoryAllocFrame(request_.memory, order);
    if (!frame.ok()) return Err(SyscallError(frame.error(), step));
    frame_ = frame.value();
    if (auto mapped = VmemMap(spawned_.vmem, frame_, vaddr, flags, request_.memory); !mapped.ok()) {
      return Err(SyscallError(mapped.error(), step));
    }
    (void)CapDelete(frame_);
    frame_ = 0;
    return Ok<SpawnError>();
  }

  Result<uint32_t, SpawnError> Give(uint32_t handle, uapi::Rights rights) {
    auto given = ProcessGiveCap(spawned_.process, handle, rights);
    if (!given.ok()) return Err(SyscallError(given.error(), "giving a capability"));
    return given.value();
  }

  Result<void, SpawnError> CreateThread() {
    auto thread = MemoryAllocThread(request_.memory, spawned_.process);
    if (!thread.ok()) return Err(SyscallError(thread.error(), "creating the thread"));
    spawned_.thread = thread.value();
    return Ok<SpawnError>();
  }

  // The request's hook: its capability for the child (the spawner's handle).
  Result<uint32_t, SpawnError> Prepare() {
    hooked_ = true;
    auto handle = request_.hook->prepare(request_.hook->context, spawned_);
    if (!handle.ok()) return Err(SyscallError(handle.error(), "preparing a capability"));
    return handle.value();
  }

  const Spawned& spawned() const { return spawned_; }

 private:
  const SpawnRequest& request_;
  Spawned spawned_{0, 0, 0};
  uint32_t frame_ = 0;
  bool scratch_mapped_ = false;
  bool hooked_ = false;
};

// The start block with the given capability handles (placeholders to check that it fits).
Result<startinfo::Builder, startinfo::Error> BuildStartInfo(const SpawnRequest& request,
                                                            const uint32_t* handles,
                                                            uint32_t vmem_handle,
                                                            uint32_t process_handle) {
  startinfo::Builder builder;
  builder.SetPid(request.pid);
  for (size_t i = 0; i < request.arg_count; ++i) TRY(builder.AddArg(TextOf(request.args[i])));
  for (size_t i = 0; i < request.env_count; ++i) TRY(builder.AddEnv(TextOf(request.env[i])));
  for (size_t i = 0; i < request.cap_count; ++i) {
    TRY(builder.AddCap(TextOf(request.caps[i].name), handles[i]));
  }
  if (request.hook != nullptr) {
    TRY(builder.AddCap(TextOf(request.hook->name), handles[request.cap_count]));
  }
  TRY(builder.AddCap(TextOf("vmem"), vmem_handle));
  if (process_handle != 0) TRY(builder.AddCap(TextOf("process"), process_handle));
  return builder;
}

Result<Spawned, SpawnError> Build(const SpawnRequest& request, const elf::LoadPlan& plan,
                                  Construction& construction) {
  TRY(construction.CreateProcess());
  TRY(construction.CreateThread());
  uint32_t hook_handle = 0;
  if (request.hook != nullptr) hook_handle = TRY(construction.Prepare());
  for (size_t i = 0; i < plan.count; ++i) {
    const elf::LoadChunk& chunk = plan.chunks[i];
    if (chunk.copy_size == 0) {  // all .bss: the kernel's zeroed frame is the content
      TRY(construction.PlaceZeroFrame(chunk.order, chunk.vaddr, MapFlagsOf(chunk.flags),
                                      "loading a segment"));
      continue;
    }
    TRY(construction.PlaceFrame(
        chunk.order, chunk.vaddr, MapFlagsOf(chunk.flags), "loading a segment",
        [&](uint8_t* frame) -> Result<void, SpawnError> {
          __builtin_memcpy(frame + chunk.copy_offset, request.image + chunk.file_offset,
                           chunk.copy_size);
          return Ok<SpawnError>();
        }));
  }
  TRY(construction.PlaceZeroFrame(kStackOrder, kStackTop - kStackSize,
                                  uapi::kMapRead | uapi::kMapWrite, "allocating the stack"));
  TRY(construction.PlaceZeroFrame(0, kIpcBufferAddress, uapi::kMapRead | uapi::kMapWrite,
                                  "allocating the IPC buffer"));
  uint32_t handles[startinfo::kMaxCaps] = {};
  for (size_t i = 0; i < request.cap_count; ++i) {
    handles[i] = TRY(construction.Give(request.caps[i].handle, request.caps[i].rights));
  }
  if (request.hook != nullptr) {
    handles[request.cap_count] = TRY(construction.Give(hook_handle, request.hook->rights));
  }
  const uint32_t vmem_handle = TRY(construction.Give(
      construction.spawned().vmem, uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap |
                                       uapi::Rights::kClone | uapi::Rights::kTransfer));
  const uint32_t process_handle =
      request.give_process ? TRY(construction.Give(construction.spawned().process,
                                                   uapi::Rights::kRead | uapi::Rights::kWrite))
                           : 0;
  size_t block_size = 0;
  TRY(construction.PlaceFrame(0, kStartInfoAddress, uapi::kMapRead, "writing the start information",
                              [&](uint8_t* frame) -> Result<void, SpawnError> {
                                auto builder =
                                    BuildStartInfo(request, handles, vmem_handle, process_handle);
                                if (!builder.ok()) return Err(StartInfoError(builder.error()));
                                auto size = builder.value().Encode(frame, startinfo::kMaxBlockSize);
                                if (!size.ok()) return Err(StartInfoError(size.error()));
                                block_size = size.value();
                                return Ok<SpawnError>();
                              }));
  uapi::ThreadRegs regs{};
  regs.rip = plan.entry;
  regs.rsp = kStackTop;
  regs.rdi = kStartInfoAddress;
  regs.rsi = block_size;
  if (auto set = ThreadSetRegs(construction.spawned().thread, &regs); !set.ok()) {
    return Err(SyscallError(set.error(), "setting the entry registers"));
  }
  if (auto set = ThreadSetIpcBuffer(construction.spawned().thread, kIpcBufferAddress); !set.ok()) {
    return Err(SyscallError(set.error(), "registering the IPC buffer"));
  }
  if (auto started = ThreadStart(construction.spawned().thread); !started.ok()) {
    return Err(SyscallError(started.error(), "starting the thread"));
  }
  return construction.spawned();
}

}  // namespace

void DescribeSpawnError(const SpawnError& error, char* out, size_t capacity) {
  switch (error.kind) {
    case SpawnError::Kind::kElf:
      format::FormatToBuffer(out, capacity, "invalid ELF: %s", elf::ErrorString(error.elf));
      return;
    case SpawnError::Kind::kStartInfo:
      format::FormatToBuffer(out, capacity, "bad start information: %s",
                             startinfo::ErrorName(error.startinfo));
      return;
    case SpawnError::Kind::kSyscall:
      format::FormatToBuffer(out, capacity, "%s: %s", error.step, uapi::StatusName(error.status));
      return;
  }
  format::FormatToBuffer(out, capacity, "unknown error");
}

Result<Spawned, SpawnError> Spawn(const SpawnRequest& request) {
  // Everything that can be checked without the kernel comes first.
  auto image = elf::Parse(request.image, request.image_size, elf::kUserPolicy);
  if (!image.ok()) return Err(ElfError(image.error()));
  auto plan = elf::PlanLoad(image.value(), request.image_size, elf::kUserPolicy);
  if (!plan.ok()) return Err(ElfError(plan.error()));
  for (size_t i = 0; i < plan.value().count; ++i) {
    const elf::LoadChunk& chunk = plan.value().chunks[i];
    const uint64_t end = chunk.vaddr + chunk.size();
    if ((chunk.vaddr < kStartInfoAddress + 0x1000 && kStartInfoAddress < end) ||
        (chunk.vaddr < kIpcBufferAddress + 0x1000 && kIpcBufferAddress < end) ||
        end > kStackTop - kStackSize) {
      return Err(ElfError(elf::Error::kAddressOutOfRange));
    }
  }
  if (request.pid == 0) return Err(StartInfoError(startinfo::Error::kBadPid));
  if (request.cap_count + (request.hook != nullptr ? 1 : 0) > startinfo::kMaxCaps - 1) {
    return Err(StartInfoError(startinfo::Error::kTooManyCaps));
  }
  uint32_t placeholders[startinfo::kMaxCaps];
  for (uint32_t& handle : placeholders) handle = ~0u;
  auto fits = BuildStartInfo(request, placeholders, ~0u, request.give_process ? ~0u : 0);
  if (!fits.ok()) return Err(StartInfoError(fits.error()));
  if (fits.value().EncodedSize() > startinfo::kMaxBlockSize) {
    return Err(StartInfoError(startinfo::Error::kNoRoom));
  }
  Construction construction(request);
  auto built = Build(request, plan.value(), construction);
  if (!built.ok()) construction.Abandon();
  return built;
}

void Release(const Spawned& spawned) {
  (void)CapDelete(spawned.thread);
  (void)CapDelete(spawned.process);
  (void)CapDelete(spawned.vmem);
}

}  // namespace hiillos::rt
