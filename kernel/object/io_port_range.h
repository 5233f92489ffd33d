// kernel/object/io_port_range.h — IoPortRange: authority over x86 I/O ports [first, first +
// count), and IoPortGrant, the per-thread record of what a thread was allowed to use.
//
// The root receives all 65536 ports (kRootIoPortHandle); IoPortRangeSplit derives narrower
// ranges, so a driver can be handed exactly its device's ports. IoPortRangeEnable lets the
// calling thread use a range's ports in user mode (arch/io_ports.h: the TSS I/O bitmap,
// switched with the thread; a thread that was never granted ports faults (#GP, killed) on
// in/out). A grant lasts for the thread's life: deleting the capability afterwards does not
// revoke it (revocation would have to reach every thread it was enabled for).
//
// Ownership: a range is owned by its references and immutable. A thread's IoPortGrant (inside
// object::Thread) owns the bitmap pages and their charge (to the Memory named by the first
// IoPortRangeEnable) until the thread is destroyed.
#pragma once

#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "kernel/sched/thread_sched.h"
#include "uapi/object_type.h"

namespace hiillos::object {

class IoPortRange : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kIoPortRange;

  // Every port (kernel use: the root's capability; not charged). Errors: kOutOfMemory.
  static KResult<Ref<IoPortRange>> CreateAll();
  // Whether [first, first + count) is a non-empty part of this range (the split's decode check).
  bool Covers(uint64_t first, uint64_t count) const;
  // A new range [first, first + count) (Covers), charged to `memory`. Errors: kOutOfMemory.
  KResult<Ref<IoPortRange>> Split(const Ref<Memory>& memory, uint64_t first, uint64_t count) const;
  static void Destroy(IoPortRange* range);

  uint32_t first() const { return first_; }
  uint32_t count() const { return count_; }

 private:
  IoPortRange(uint32_t first, uint32_t count, MemoryCharge charge)
      : KernelObject(kObjectType), first_(first), count_(count), charge_(Move(charge)) {}
  ~IoPortRange() = default;

  const uint32_t first_;
  const uint32_t count_;
  MemoryCharge charge_;
};

// The ports one thread may use: its permission bitmap's pages and their charge.
class IoPortGrant {
 public:
  IoPortGrant() = default;
  IoPortGrant(const IoPortGrant&) = delete;
  IoPortGrant& operator=(const IoPortGrant&) = delete;
  ~IoPortGrant();

  // Lets the calling thread, whose grant this is, use `range`'s ports from now on. The first
  // grant allocates the bitmap and charges it to `memory`. Errors: kOutOfMemory (then nothing
  // changed).
  KResult<void> Enable(sched::ThreadSched& self, const IoPortRange& range,
                       const Ref<Memory>& memory);

 private:
  uint64_t phys_ = 0;  // the bitmap's pages (0: none yet)
  MemoryCharge charge_;
};

}  // namespace hiillos::object
