// kernel/cap/slot_storage.h — SlotStorage: the memory the capability table grows into.
//
// The table lives in one reserved, page-aligned virtual region [base, base + max_pages pages).
// Pages become usable one at a time, in order, when the table asks for them. The kernel's
// storage backs a page with a fresh physical page mapped into the reserved kernel region; host
// tests use a preallocated buffer (kernel/cap/testing/buffer_slot_storage.h). Storage is passed
// by value as plain data plus one function pointer, so it needs no virtual calls.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/page_size.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::cap {

struct SlotStorage {
  // Makes page `page` of the region readable and writable. The table calls it with page 0,
  // 1, 2, ... each at most once, holding the table lock: it must not block and must not use the
  // capability table (lock order: capability table → physical memory → kernel page tables).
  // Errors: Status::kOutOfMemory (no page to back it); the table returns the error unchanged.
  using CommitPage = Result<void, uapi::Status> (*)(void* context, size_t page);

  void* base = nullptr;  // start of the region, kPageSize-aligned
  size_t max_pages = 0;  // size of the region in pages
  CommitPage commit_page = nullptr;
  void* context = nullptr;  // passed to commit_page
};

}  // namespace hiillos::cap
