// kernel/cap/testing/buffer_slot_storage.cc — BufferSlotStorage: mmap-reserved, commit-on-demand
// slot storage for host tests.
#include "kernel/cap/testing/buffer_slot_storage.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

namespace hiillos::cap::testing {

BufferSlotStorage::BufferSlotStorage(size_t max_pages) : max_pages_(max_pages) {
  if (max_pages == 0) return;  // base stays null: Init must reject it
  void* base = mmap(nullptr, max_pages * kPageSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) std::abort();
  base_ = base;
}

BufferSlotStorage::~BufferSlotStorage() {
  if (base_ != nullptr) munmap(base_, max_pages_ * kPageSize);
}

SlotStorage BufferSlotStorage::storage() {
  return SlotStorage{
      .base = base_, .max_pages = max_pages_, .commit_page = &Commit, .context = this};
}

void BufferSlotStorage::FailFromPage(size_t page, uapi::Status error) {
  failing_ = true;
  fail_from_ = page;
  fail_error_ = error;
}

void BufferSlotStorage::ClearFailure() {
  failing_ = false;
}

Result<void, uapi::Status> BufferSlotStorage::Commit(void* context, size_t page) {
  auto* self = static_cast<BufferSlotStorage*>(context);
  if (page != self->committed_ || page >= self->max_pages_) {
    ++self->violations_;
    return Err(uapi::Status::kInvalidArgument);
  }
  if (self->failing_ && page >= self->fail_from_) return Err(self->fail_error_);
  char* address = static_cast<char*>(self->base_) + page * kPageSize;
  if (mprotect(address, kPageSize, PROT_READ | PROT_WRITE) != 0) std::abort();
  std::memset(address, kPoison, kPageSize);
  ++self->committed_;
  return Ok<uapi::Status>();
}

}  // namespace hiillos::cap::testing
