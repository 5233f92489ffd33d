// kernel/object/log.h — Log: the authority to write lines to the kernel log (ObjectType::kLog,
// the first argument of the Log syscall). There is one Log object: the root process gets a
// capability to it at boot (uapi::kRootLogHandle) and hands it on like any other capability.
//
// Ownership and lifetime: the object lives in static storage and the kernel keeps one
// reference forever, so it is never destroyed (Destroy is a broken invariant). It costs no
// Memory: there is nothing to charge per capability beyond the slot.
//
// Writing: a user line is formatted into a buffer first (interrupts on), then written to the
// console in chunks of kChunkBytes, each under the kernel's line lock (kernel/lib/log.h, the
// only place interrupts are off), with interrupts enabled between chunks (a short window even
// inside a syscall, which otherwise runs with interrupts off). User lines are
// serialised by a sleeping lock (a wait queue), so two users' lines never mix; a kernel line
// may land between two chunks of a user line (it is never held up by one).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/ref.h"
#include "uapi/object_type.h"

namespace hiillos::object {

class Log : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kLog;
  // Console bytes written per interrupts-off step (the 16550's FIFO depth).
  static constexpr size_t kChunkBytes = 16;

  // A new reference to the one Log object (made on first use; thread context).
  static Ref<Log> Get();
  // Never called (the kernel's own reference keeps the object): panics.
  static void Destroy(Log* log);

  // Writes "p<process_id>: <text>" as one log line of subsystem "user". `text` must already be
  // sanitised (printable, no line breaks). Thread context, no spinlock held; may sleep while
  // another user line is being written.
  void WriteUserLine(uint64_t process_id, const char* text, size_t length);

 private:
  Log() : KernelObject(kObjectType) {}
  ~Log() = default;
};

}  // namespace hiillos::object
