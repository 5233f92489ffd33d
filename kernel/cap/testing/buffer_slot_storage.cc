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
  state_.assign(max_pages, false);
}

BufferSlotStorage::~BufferSlotStorage() {
  if (base_ != nullptr) munmap(base_, max_pages_ * kPageSize);
}

SlotStorage BufferSlotStorage::storage() {
  return SlotStorage{.base = base_,
                     .max_pages = max_pages_,
                     .commit_page = &Commit,
                     .decommit_page = &Decommit,
                     .context = this};
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
  std::lock_guard<std::mutex> guard(self->mutex_);
  if (page >= self->max_pages_ || self->state_[page]) {
    ++self->violations_;
    return Err(uapi::Status::kInvalidArgument);
  }
  if (self->failing_ && page >= self->fail_from_) return Err(self->fail_error_);
  char* address = static_cast<char*>(self->base_) + page * kPageSize;
  if (mprotect(address, kPageSize, PROT_READ | PROT_WRITE) != 0) std::abort();
  std::memset(address, kPoison, kPageSize);
  self->state_[page] = true;
  ++self->committed_;
  ++self->commits_;
  return Ok<uapi::Status>();
}

void BufferSlotStorage::Decommit(void* context, size_t page) {
  auto* self = static_cast<BufferSlotStorage*>(context);
  std::lock_guard<std::mutex> guard(self->mutex_);
  if (page >= self->max_pages_ || !self->state_[page]) {
    ++self->violations_;
    return;
  }
  char* address = static_cast<char*>(self->base_) + page * kPageSize;
  std::memset(address, kPoison, kPageSize);  // nothing may rely on what was there
  if (mprotect(address, kPageSize, PROT_NONE) != 0) std::abort();
  self->state_[page] = false;
  --self->committed_;
  ++self->decommits_;
}

}  // namespace hiillos::cap::testing
