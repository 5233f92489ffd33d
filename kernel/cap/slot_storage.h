// kernel/cap/slot_storage.h — SlotStorage: the memory the capability table lives in.
//
// The table lives in one reserved, page-aligned virtual region [base, base + max_pages pages).
// A page becomes usable when the table commits it and goes back when the table decommits it
// (its last slot was freed). The kernel's storage backs a page with a fresh physical page mapped
// into the reserved kernel region and returns that page to the physical allocator on decommit;
// host tests use a reserved buffer (kernel/cap/testing/buffer_slot_storage.h). Storage is passed
// by value as plain data plus two function pointers, so it needs no virtual calls.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/page_size.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::cap {

struct SlotStorage {
  // Makes page `page` (not committed now) of the region readable and writable; its contents
  // are undefined. The table calls it holding the table lock: it must not block and must not use
  // the capability table (lock order: capability table → physical memory → kernel page tables).
  // Errors: Status::kOutOfMemory (no page to back it); the table returns the error unchanged.
  using CommitPage = Result<void, uapi::Status> (*)(void* context, size_t page);
  // Returns committed page `page` (nothing in it is used any more). The table calls it without
  // holding its lock (the kernel's unmaps flush every CPU's TLB), never concurrently with a
  // commit of the same page. Cannot fail.
  using DecommitPage = void (*)(void* context, size_t page);

  void* base = nullptr;  // start of the region, kPageSize-aligned
  size_t max_pages = 0;  // size of the region in pages
  CommitPage commit_page = nullptr;
  DecommitPage decommit_page = nullptr;
  void* context = nullptr;  // passed to commit_page and decommit_page
};

}  // namespace hiillos::cap
