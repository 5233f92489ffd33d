// kernel/cap/testing/buffer_slot_storage.h — BufferSlotStorage: SlotStorage for host tests, a
// reserved mmap region whose pages become accessible only when the table commits them.
//
// Uncommitted pages are PROT_NONE, so a table touching storage it never committed crashes the
// test; decommitted pages become PROT_NONE again. Committed pages are filled with a poison byte
// (the table must not expect zeroes). It checks the SlotStorage contract (only uncommitted pages
// are committed, only committed ones decommitted) and can inject failures.
// Host only (POSIX mmap). Commit and Decommit are serialised by a mutex (the table decommits
// without its lock); the accessors are for a quiescent table.
#pragma once

#include <stddef.h>

#include <mutex>
#include <vector>

#include "kernel/cap/slot_storage.h"
#include "uapi/status.h"

namespace hiillos::cap::testing {

class BufferSlotStorage {
 public:
  static constexpr unsigned char kPoison = 0xa5;

  // Reserves `max_pages` pages (none accessible yet).
  explicit BufferSlotStorage(size_t max_pages);
  ~BufferSlotStorage();
  BufferSlotStorage(const BufferSlotStorage&) = delete;
  BufferSlotStorage& operator=(const BufferSlotStorage&) = delete;

  // The descriptor to give to CapabilityTable::Init.
  SlotStorage storage();

  // From now on, committing page `page` or later fails with `error` (kOutOfMemory to simulate
  // an empty physical memory manager). ClearFailure() lets commits succeed again.
  void FailFromPage(size_t page, uapi::Status error);
  void ClearFailure();

  size_t committed_pages() const { return committed_; }
  bool is_committed(size_t page) const { return page < state_.size() && state_[page]; }
  size_t commits() const { return commits_; }
  size_t decommits() const { return decommits_; }
  // Commits and decommits that broke the contract (of a page in the wrong state, or beyond the
  // region).
  size_t contract_violations() const { return violations_; }

 private:
  static Result<void, uapi::Status> Commit(void* context, size_t page);
  static void Decommit(void* context, size_t page);

  void* base_ = nullptr;
  size_t max_pages_;
  size_t committed_ = 0;
  size_t commits_ = 0;
  size_t decommits_ = 0;
  std::vector<bool> state_;  // committed pages
  std::mutex mutex_;
  size_t violations_ = 0;
  bool failing_ = false;
  size_t fail_from_ = 0;
  uapi::Status fail_error_ = uapi::Status::kOutOfMemory;
};

}  // namespace hiillos::cap::testing
