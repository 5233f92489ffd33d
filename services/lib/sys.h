// services/lib/sys.h — typed wrappers over the generated syscalls (syscall.h): handles, rights
// and uapi structs instead of raw words, Result<T, uapi::Status> instead of status registers.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/lib/syscall.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::rt {

using Handle = uint32_t;
using Status = uapi::Status;
template <typename T>
using SysOr = Result<T, uapi::Status>;

struct CapInfo {
  uapi::ObjectType type;
  uapi::Rights rights;
};

inline SysOr<void> Log(const char* text, size_t length) {
  TRY(ToResult(SysLog(reinterpret_cast<uint64_t>(text), length)));
  return Ok<Status>();
}
inline void Yield() {
  (void)SysYield();
}

inline SysOr<CapInfo> CapIdentify(Handle handle) {
  uint64_t raw = TRY(ToResult(SysCapIdentify(handle)));
  return CapInfo{static_cast<uapi::ObjectType>(raw & 0xff),
                 uapi::Rights{static_cast<uint32_t>(raw >> 8)}};
}
inline SysOr<Handle> CapDerive(Handle handle, uapi::Rights rights) {
  return static_cast<Handle>(TRY(ToResult(SysCapDerive(handle, rights.bits))));
}
inline SysOr<void> CapDelete(Handle handle) {
  TRY(ToResult(SysCapDelete(handle)));
  return Ok<Status>();
}

inline SysOr<Handle> MemoryAllocFrame(Handle memory, unsigned order) {
  return static_cast<Handle>(TRY(ToResult(SysMemoryAllocFrame(memory, order))));
}
inline SysOr<Handle> MemoryAllocVmem(Handle memory) {
  return static_cast<Handle>(TRY(ToResult(SysMemoryAllocVmem(memory))));
}
inline SysOr<Handle> MemoryAllocProcess(Handle memory, Handle vmem) {
  return static_cast<Handle>(TRY(ToResult(SysMemoryAllocProcess(memory, vmem))));
}
inline SysOr<Handle> MemoryAllocThread(Handle memory, Handle process) {
  return static_cast<Handle>(TRY(ToResult(SysMemoryAllocThread(memory, process))));
}
inline SysOr<uapi::MemoryInfo> MemoryInfo(Handle memory) {
  uapi::MemoryInfo info{};
  TRY(ToResult(SysMemoryInfo(memory, reinterpret_cast<uint64_t>(&info))));
  return info;
}
inline SysOr<uapi::FrameInfo> FrameInfo(Handle frame) {
  uapi::FrameInfo info{};
  TRY(ToResult(SysFrameInfo(frame, reinterpret_cast<uint64_t>(&info))));
  return info;
}
inline SysOr<void> VmemMap(Handle vmem, Handle frame, uint64_t vaddr, uint64_t flags) {
  TRY(ToResult(SysVmemMap(vmem, frame, vaddr, flags)));
  return Ok<Status>();
}
inline SysOr<void> VmemUnmap(Handle vmem, uint64_t vaddr) {
  TRY(ToResult(SysVmemUnmap(vmem, vaddr)));
  return Ok<Status>();
}
inline SysOr<Handle> ProcessGiveCap(Handle process, Handle handle, uapi::Rights rights) {
  return static_cast<Handle>(TRY(ToResult(SysProcessGiveCap(process, handle, rights.bits))));
}
inline SysOr<uapi::ThreadRegs> ThreadGetRegs(Handle thread) {
  uapi::ThreadRegs regs{};
  TRY(ToResult(SysThreadGetRegs(thread, reinterpret_cast<uint64_t>(&regs))));
  return regs;
}
inline SysOr<void> ThreadSetRegs(Handle thread, const uapi::ThreadRegs& regs) {
  TRY(ToResult(SysThreadSetRegs(thread, reinterpret_cast<uint64_t>(&regs))));
  return Ok<Status>();
}
inline SysOr<void> ThreadStart(Handle thread) {
  TRY(ToResult(SysThreadStart(thread)));
  return Ok<Status>();
}
inline SysOr<void> ThreadStop(Handle thread) {
  TRY(ToResult(SysThreadStop(thread)));
  return Ok<Status>();
}
inline SysOr<void> ThreadSetPriority(Handle thread, unsigned priority) {
  TRY(ToResult(SysThreadSetPriority(thread, priority)));
  return Ok<Status>();
}
inline SysOr<void> ThreadSetAffinity(Handle thread, uint64_t cpu_mask) {
  TRY(ToResult(SysThreadSetAffinity(thread, cpu_mask)));
  return Ok<Status>();
}
inline SysOr<uapi::ThreadExit> ThreadWait(Handle thread) {
  uapi::ThreadExit exit{};
  TRY(ToResult(SysThreadWait(thread, reinterpret_cast<uint64_t>(&exit))));
  return exit;
}
[[noreturn]] inline void ThreadExit(uint64_t code) {
  (void)SysThreadExit(code);
  __builtin_trap();  // the kernel never returns from ThreadExit
}
inline SysOr<uapi::SystemInfo> SystemInfo() {
  uapi::SystemInfo info{};
  TRY(ToResult(SysSystemInfo(reinterpret_cast<uint64_t>(&info))));
  return info;
}

}  // namespace hiillos::rt
