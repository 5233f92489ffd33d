// kernel/syscall/log.cc — Log: one line of user text to the kernel log.
#include "kernel/lib/log.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/log_text.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {

KResult<void> SysLog(user::UserIn<char> text, object::BoundedValue<uapi::kMaxLogLength> length) {
  char buffer[uapi::kMaxLogLength + 1];
  TRY(user::CopyFromUser(buffer, text.address(), length.value()));
  buffer[SanitizeLogText(buffer, length.value())] = '\0';
  klog::Log("user", "p%lu: %s", Caller().id(), buffer);
  return Ok();
}

}  // namespace hiillos::syscall
