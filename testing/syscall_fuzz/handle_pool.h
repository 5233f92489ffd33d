// testing/syscall_fuzz/handle_pool.h — the capabilities a worker has made or been given, with
// the object type the kernel reported for each (CapIdentify), so argument generation can pick
// a handle of the type a call expects. Bounded: adding to a full pool deletes a random old
// handle, which keeps the number of live objects (and kernel memory) bounded over long runs.
#pragma once

#include <stdint.h>

#include "testing/syscall_fuzz/rng.h"
#include "uapi/object_type.h"
#include "uapi/syscall_args.h"

namespace hiillos::syscall_fuzz {

class HandlePool {
 public:
  static constexpr uint32_t kCapacity = 24;

  // Records `handle` if the calling process owns it (CapIdentify succeeds); when full, deletes
  // (CapDelete) and replaces a random entry that is not pinned.
  void Add(uapi::Handle handle, Rng& rng);
  // Like Add, for the handles the worker starts with: never evicted. Call before any Add.
  void Pin(uapi::Handle handle);
  bool empty() const { return count_ == 0; }
  // A random entry; 0 when empty.
  uapi::Handle Any(Rng& rng) const;
  // True if `handle` is in the pool with type `type`.
  bool Holds(uapi::Handle handle, uapi::ObjectType type) const;
  // A random entry whose recorded type is `type`; falls back to Any() when there is none.
  uapi::Handle OfType(uapi::ObjectType type, Rng& rng) const;

 private:
  struct Entry {
    uapi::Handle handle;
    uapi::ObjectType type;
  };
  Entry entries_[kCapacity] = {};
  uint32_t count_ = 0;
  uint32_t pinned_ = 0;  // entries [0, pinned_) are never evicted
};

}  // namespace hiillos::syscall_fuzz
