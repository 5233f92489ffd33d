// testing/syscall_fuzz/handle_pool.cc — HandlePool.
#include "testing/syscall_fuzz/handle_pool.h"

#include "services/lib/syscalls.h"

namespace hiillos::syscall_fuzz {

void HandlePool::Add(uapi::Handle handle, Rng& rng) {
  auto info = rt::CapIdentify(handle);
  if (!info.ok()) return;  // not ours (e.g. a handle given to another process)
  Entry entry{handle, info.value().type};
  if (count_ < kCapacity) {
    entries_[count_++] = entry;
    return;
  }
  Entry& victim = entries_[pinned_ + rng.Below(kCapacity - pinned_)];
  (void)rt::CapDelete(victim.handle);
  victim = entry;
}

void HandlePool::Pin(uapi::Handle handle) {
  auto info = rt::CapIdentify(handle);
  if (!info.ok() || count_ != pinned_ || pinned_ >= kCapacity / 2) return;
  entries_[count_++] = Entry{handle, info.value().type};
  pinned_ = count_;
}

uapi::Handle HandlePool::Any(Rng& rng) const {
  if (count_ == 0) return 0;
  return entries_[rng.Below(count_)].handle;
}

bool HandlePool::Holds(uapi::Handle handle, uapi::ObjectType type) const {
  for (uint32_t i = 0; i < count_; ++i) {
    if (entries_[i].handle == handle && entries_[i].type == type) return true;
  }
  return false;
}

uapi::Handle HandlePool::OfType(uapi::ObjectType type, Rng& rng) const {
  uint32_t matches = 0;
  for (uint32_t i = 0; i < count_; ++i) matches += entries_[i].type == type ? 1 : 0;
  if (matches == 0) return Any(rng);
  uint64_t pick = rng.Below(matches);
  for (uint32_t i = 0; i < count_; ++i) {
    if (entries_[i].type != type) continue;
    if (pick-- == 0) return entries_[i].handle;
  }
  return 0;
}

}  // namespace hiillos::syscall_fuzz
