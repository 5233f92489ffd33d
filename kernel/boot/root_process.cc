// kernel/boot/root_process.cc — StartRootProcess: root.elf → Memory, Vmem, Process, Thread,
// frames for its image and stack, initial capabilities, first thread started.
#include "kernel/boot/root_process.h"

#include "kernel/arch/machine_exit.h"
#include "kernel/arch/user_mode.h"
#include "kernel/cap/kernel_table.h"
#include "kernel/lib/log.h"
#include "kernel/mm/pmm.h"
#include "kernel/object/device_memory.h"
#include "kernel/object/frame.h"
#include "kernel/object/io_port_range.h"
#include "kernel/object/irq_line.h"
#include "kernel/object/log.h"
#include "kernel/object/memory.h"
#include "kernel/object/process.h"
#include "kernel/object/thread.h"
#include "kernel/object/vmem.h"
#include "kernel/result/kresult.h"
#include "kernel/user/layout.h"
#include "kernel/user/load_plan.h"
#include "lib/base/checked.h"
#include "lib/base/page_size.h"
#include "lib/elf/error.h"
#include "lib/elf/parse.h"
#include "uapi/initial_caps.h"
#include "uapi/syscalls.h"

namespace hiillos::boot {

using user::LoadChunk;
using user::LoadPlan;
namespace {

using object::Frame;
using object::Memory;
using object::Process;
using object::Ref;
using object::Thread;
using object::Vmem;
using uapi::Rights;
using uapi::Status;

constexpr char kRootModuleName[] = "root.elf";
// Kept out of the root's budget for the kernel's own allocations (slabs, capability pages,
// kernel stacks beyond the charged ones): the larger of 4 MiB and 1/32 of free memory.
constexpr uint64_t kMinKernelReserveBytes = 4ull << 20;
constexpr unsigned kReserveShift = 5;

const Rights kModuleRights = Rights::kRead | Rights::kMap | Rights::kClone | Rights::kTransfer;
const Rights kFramebufferRights = kModuleRights | Rights::kWrite;
const Rights kLogRights = Rights::kWrite | Rights::kClone | Rights::kTransfer;
const Rights kHardwareRights = Rights::kRead | Rights::kWrite | Rights::kClone | Rights::kTransfer;

bool g_exit_qemu_on_death = false;

bool NameIs(const uapi::Module& module, const char* name) {
  for (size_t i = 0; i < uapi::kModuleNameSize; ++i) {
    if (module.name[i] != name[i]) return false;
    if (name[i] == '\0') return true;
  }
  return false;
}

const uapi::Module* FindRootModule(const uapi::BootInfo& info) {
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    if (NameIs(info.modules[i], kRootModuleName)) return &info.modules[i];
  }
  return nullptr;
}

unsigned OrderForBytes(uint64_t bytes) {
  unsigned order = 0;
  while ((kPageSize << order) < bytes) ++order;
  return order;
}

void OnRootDeath(Process& process) {
  if (process.exited_cleanly()) {
    klog::Log("user", "root process exited with code %lu", process.exit_code());
  } else {
    klog::Log("user", "root process died without exiting (fault or kill)");
  }
  if (!g_exit_qemu_on_death) return;
  bool passed = process.exited_cleanly() && process.exit_code() == 0;
  klog::Log("test", "root process verdict: %s", passed ? "pass" : "fail");
  arch::ExitMachine(passed);
}

// Inserts `object` for the root and checks it landed on the documented handle.
template <typename T>
KResult<void> InsertAt(object::CapOwner& owner, Ref<T> object, Rights rights, uint32_t expected) {
  uint32_t handle = TRY(cap::KernelTable().Insert(owner, Move(object), rights));
  if (handle != expected) {
    klog::Log("user", "root capability landed at handle %u instead of %u", handle, expected);
    return Err(Status::kBusy);
  }
  return Ok();
}

// A kernel-made mapping of a fresh frame (no capability: it cannot be unmapped by handle
// bookkeeping, only through the Vmem).
KResult<Ref<Frame>> MapNewFrame(const Ref<Memory>& memory, Vmem& vmem, uint64_t vaddr,
                                unsigned order, uint64_t flags) {
  Ref<Frame> frame = TRY(Frame::Create(memory, TRY(object::FrameOrder::Check(order))));
  TRY(object::MapForKernel(vmem, frame, vaddr, flags, memory));
  return frame;
}

KResult<void> LoadImage(const uint8_t* file, const elf::Image& image, const Ref<Memory>& memory,
                        Vmem& vmem) {
  // In static storage (boot loads root once): the plan and its copies would otherwise fill most
  // of the kernel main thread's 16 KiB stack, leaving too little for an interrupt on top.
  static LoadPlan plan;
  TRY(user::PlanLoadInto(image.begin(), image.segment_count(), plan));
  for (size_t i = 0; i < plan.count; ++i) {
    const LoadChunk& chunk = plan.chunks[i];
    Ref<Frame> frame = TRY(MapNewFrame(memory, vmem, chunk.vaddr, chunk.order, chunk.flags));
    auto* bytes = static_cast<uint8_t*>(frame->KernelPointer());
    __builtin_memcpy(bytes + chunk.copy_offset, file + chunk.file_offset, chunk.copy_size);
  }
  return Ok();
}

KResult<void> Build(const uapi::BootInfo& info, const uapi::Module& module) {
  // The module lives in memory the PMM does not manage; the HHDM covers it.
  const auto* file = static_cast<const uint8_t*>(mm::PhysToVirt(module.base));
  auto parsed = elf::Parse(file, module.size, elf::kUserPolicy);
  if (!parsed.ok()) {
    klog::Log("user", "root.elf is not a valid user program: %s", elf::ErrorString(parsed.error()));
    return Err(Status::kInvalidArgument);
  }
  const elf::Image& image = parsed.value();

  uint64_t free_bytes = mm::GetPmmStats().free_pages * kPageSize;
  uint64_t reserve = Max(kMinKernelReserveBytes, free_bytes >> kReserveShift);
  uint64_t budget = free_bytes > reserve ? free_bytes - reserve : 0;
  Ref<Memory> memory = TRY(Memory::Create(budget));
  Ref<Vmem> vmem = TRY(Vmem::Create(memory));
  Ref<Process> process = TRY(Process::Create(memory, vmem));
  process->set_death_hook(OnRootDeath);

  TRY(LoadImage(file, image, memory, *vmem));
  TRY(MapNewFrame(memory, *vmem, uapi::kRootStackTop - uapi::kRootStackSize,
                  OrderForBytes(uapi::kRootStackSize), uapi::kMapRead | uapi::kMapWrite));
  Ref<Frame> boot_info = TRY(
      Frame::Create(memory, TRY(object::FrameOrder::Check(OrderForBytes(sizeof(uapi::BootInfo))))));
  __builtin_memcpy(boot_info->KernelPointer(), &info, sizeof(uapi::BootInfo));

  object::MemoryCharge thread_charge = TRY(Memory::Charge(memory, Thread::kMemoryCost));
  Ref<Thread> thread = TRY(Thread::Create(process));
  thread->AttachCharge(Move(thread_charge));

  object::CapOwner& owner = process->cap_owner();
  TRY(InsertAt(owner, process, Rights::kAll, uapi::kRootProcessHandle));
  TRY(InsertAt(owner, vmem, Rights::kAll, uapi::kRootVmemHandle));
  TRY(InsertAt(owner, thread, Rights::kAll, uapi::kRootThreadHandle));
  TRY(InsertAt(owner, memory, Rights::kAll, uapi::kRootMemoryHandle));
  TRY(InsertAt(owner, boot_info, kModuleRights, uapi::kRootBootInfoHandle));
  // The BootInfo mapping is made through its capability, so FrameInfo reports it mapped.
  object::MapRequest boot_info_request =
      TRY(object::MapRequest::Check(uapi::kRootBootInfoAddress, boot_info->size(), uapi::kMapRead));
  TRY(vmem->Map(boot_info, boot_info_request,
                object::MapSource{owner.id, uapi::kRootBootInfoHandle}, memory));
  TRY(InsertAt(owner, object::Log::Get(), kLogRights, uapi::kRootLogHandle));
  TRY(InsertAt(owner, TRY(object::IrqLine::CreateAuthority()), kHardwareRights,
               uapi::kRootIrqHandle));
  TRY(InsertAt(owner, TRY(object::IoPortRange::CreateAll()), kHardwareRights,
               uapi::kRootIoPortHandle));
  TRY(InsertAt(owner, TRY(object::DeviceMemory::CreateAuthority(info)), kHardwareRights,
               uapi::kRootDeviceMemoryHandle));
  static_assert(uapi::kRootDeviceMemoryHandle == uapi::kRootIoPortHandle + 1);
  static_assert(uapi::kRootFirstModuleHandle == uapi::kRootDeviceMemoryHandle + 1);

  uint32_t next = uapi::kRootFirstModuleHandle;
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    const uapi::Module& other = info.modules[i];
    if (&other == &module) continue;
    uint64_t size = 0;
    if (!AlignUp(other.size, kPageSize, &size) || size == 0) continue;
    Ref<Frame> frame = TRY(Frame::CreatePhysical(other.base, size, Frame::Kind::kBorrowed));
    TRY(InsertAt(owner, Move(frame), kModuleRights, next++));
  }
  const uapi::Framebuffer& fb = info.framebuffer;
  uint64_t fb_size = 0;
  if (fb.format != uapi::PixelFormat::kNone && AlignUp(fb.size, kPageSize, &fb_size) &&
      fb_size != 0) {
    Ref<Frame> frame = TRY(Frame::CreatePhysical(fb.base, fb_size, Frame::Kind::kDevice));
    TRY(InsertAt(owner, Move(frame), kFramebufferRights, next++));
  }

  uapi::ThreadRegs regs{};
  regs.rip = image.entry();
  regs.rsp = uapi::kRootStackTop;
  regs.rdi = uapi::kRootBootInfoAddress;
  regs.rsi = next - 1;
  regs.rflags = arch::UserMode::kInitialFlags;
  TRY(thread->SetRegs(regs));
  uapi::MemoryInfo used = memory->Info();
  klog::Log("user",
            "root process p%lu: entry %#lx, %zu segments, %u capabilities, budget %lu "
            "KiB (%lu KiB used)",
            owner.id, image.entry(), image.segment_count(), next - 1,
            (used.budget_bytes + used.used_bytes) >> 10, used.used_bytes >> 10);
  TRY(thread->Start());
  return Ok();
}

}  // namespace

KResult<void> StartRootProcess(const uapi::BootInfo& info, RootOptions options) {
  g_exit_qemu_on_death = options.exit_qemu_on_death;
  const uapi::Module* module = FindRootModule(info);
  if (module == nullptr) {
    klog::Log("user", "no root.elf boot module: nothing to run");
    return Err(Status::kInvalidArgument);
  }
  return Build(info, *module);
}

}  // namespace hiillos::boot
