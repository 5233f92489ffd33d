// kernel/syscall/log.cc — Log: one line of user text to the kernel log.
#include "kernel/lib/log.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/log_text.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {

// Log(text, length). Errors: kInvalidArgument (length > kMaxLogLength), kBadAddress.
SyscallResult SysLog(const SyscallArgs& a) {
  const uint64_t text = a.arg[0];
  const uint64_t length = a.arg[1];
  if (length > uapi::kMaxLogLength) return Err(uapi::Status::kInvalidArgument);
  char buffer[uapi::kMaxLogLength + 1];
  TRY(user::CopyFromUser(buffer, text, length));
  buffer[SanitizeLogText(buffer, length)] = '\0';
  klog::Log("user", "p%u: %s", Caller().id(), buffer);
  return uint64_t{0};
}

}  // namespace hiillos::syscall
