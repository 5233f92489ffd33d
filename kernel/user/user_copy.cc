// kernel/user/user_copy.cc — user copies: range check, then the architecture's fault-safe copy.
#include "kernel/user/user_copy.h"

#include "kernel/arch/user_copy.h"
#include "kernel/result/kresult.h"
#include "kernel/user/layout.h"

namespace hiillos::user {
namespace {

Result<void, uapi::Status> ProbedCopy(void* destination, const void* source, size_t size) {
  if (!arch::CopyUserBytes(destination, source, size)) return Err(uapi::Status::kBadAddress);
  return Ok<uapi::Status>();
}

}  // namespace

KResult<void> CopyFromUser(void* kernel_dst, uint64_t user_src, size_t size) {
  if (!IsUserRange(user_src, size)) return Err(uapi::Status::kBadAddress);
  return ProbedCopy(kernel_dst, reinterpret_cast<const void*>(user_src), size);
}

KResult<void> CopyToUser(uint64_t user_dst, const void* kernel_src, size_t size) {
  if (!IsUserRange(user_dst, size)) return Err(uapi::Status::kBadAddress);
  return ProbedCopy(reinterpret_cast<void*>(user_dst), kernel_src, size);
}

}  // namespace hiillos::user
