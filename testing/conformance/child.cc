// testing/conformance/child.cc — child process helpers.
#include "testing/conformance/child.h"

#include "services/lib/page_allocator.h"
#include "testing/lib/thread_start.h"

namespace hiillos::conformance {
namespace {

constexpr unsigned kStackOrder = 2;  // 16 KiB
constexpr uint64_t kStackBytes = 0x1000ull << kStackOrder;

}  // namespace

uapi::ThreadRegs SharedChildRegs(ChildFunction fn, uint64_t arg, void* stack) {
  return testing_lib::ThreadStartRegs(fn, arg, stack, kStackBytes);
}

Result<Child, uapi::Status> SpawnShared(ChildFunction fn, uint64_t arg, bool start) {
  Child child;
  child.stack = TRY(rt::Pages().Allocate(kStackOrder));
  auto process = rt::MemoryAllocProcess(kMemory, kOwnVmem);
  if (!process.ok()) {
    Release(child);
    return Err(process.error());
  }
  child.process = process.value();
  auto thread = rt::MemoryAllocThread(kMemory, child.process);
  if (!thread.ok()) {
    Release(child);
    return Err(thread.error());
  }
  child.thread = thread.value();
  const uapi::ThreadRegs regs = SharedChildRegs(fn, arg, child.stack);
  auto set = rt::ThreadSetRegs(child.thread, &regs);
  if (set.ok() && start) set = rt::ThreadStart(child.thread);
  if (!set.ok()) {
    Release(child);
    return Err(set.error());
  }
  return child;
}

Result<Child, uapi::Status> SpawnSnippet(const uint8_t* code, size_t size, bool start) {
  Child child;
  auto fail = [&](uapi::Status status) -> Result<Child, uapi::Status> {
    Release(child);
    return Err(status);
  };
  if (size > 0x1000) return Err(uapi::Status::kInvalidArgument);
  auto vmem = rt::MemoryAllocVmem(kMemory);
  if (!vmem.ok()) return fail(vmem.error());
  child.vmem = vmem.value();
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  if (!frame.ok()) return fail(frame.error());
  child.code_frame = frame.value();
  // Write the code through a temporary mapping in our own space, then hand the page over.
  auto mapped = rt::VmemMap(kOwnVmem, child.code_frame, kScratchBase,
                            uapi::kMapRead | uapi::kMapWrite, kMemory);
  if (!mapped.ok()) return fail(mapped.error());
  __builtin_memcpy(reinterpret_cast<void*>(kScratchBase), code, size);
  (void)rt::VmemUnmap(kOwnVmem, kScratchBase);
  mapped = rt::VmemMap(child.vmem, child.code_frame, kSnippetCode,
                       uapi::kMapRead | uapi::kMapExecute, kMemory);
  if (!mapped.ok()) return fail(mapped.error());
  auto process = rt::MemoryAllocProcess(kMemory, child.vmem);
  if (!process.ok()) return fail(process.error());
  child.process = process.value();
  auto thread = rt::MemoryAllocThread(kMemory, child.process);
  if (!thread.ok()) return fail(thread.error());
  child.thread = thread.value();
  uapi::ThreadRegs regs{};
  regs.rip = kSnippetCode;
  regs.rflags = 0x202;
  auto set = rt::ThreadSetRegs(child.thread, &regs);
  if (set.ok() && start) set = rt::ThreadStart(child.thread);
  if (!set.ok()) return fail(set.error());
  return child;
}

uapi::ThreadExit Wait(const Child& child) {
  auto exit = rt::ThreadWait(child.thread);
  if (!exit.ok()) return uapi::ThreadExit{};
  return exit.value();
}

void Release(Child& child) {
  Handle* const handles[] = {&child.thread, &child.process, &child.code_frame, &child.vmem};
  for (Handle* handle : handles) {
    if (*handle != 0) (void)rt::CapDelete(*handle);
    *handle = 0;
  }
  if (child.stack != nullptr) (void)rt::Pages().Free(child.stack);
  child.stack = nullptr;
}

Result<uapi::ThreadRegs, uapi::Status> StopAndGetRegs(Handle thread) {
  TRY(rt::ThreadStop(thread));
  for (int i = 0; i < 100000; ++i) {
    auto regs = rt::ThreadGetRegs(thread);
    if (regs.ok() || regs.error() != uapi::Status::kBusy) return regs;
    (void)rt::Yield();
  }
  return Err(uapi::Status::kBusy);
}

}  // namespace hiillos::conformance
