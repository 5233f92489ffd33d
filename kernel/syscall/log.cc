// kernel/syscall/log.cc — Log: one line of user text to the kernel log, with the caller's Log
// capability (object/log.h writes it in bounded, interrupts-off pieces).
#include "kernel/object/log.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/log_text.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {

KResult<void> SysLog(Capability<object::Log> log, user::UserIn<char> text,
                     object::BoundedValue<uapi::kMaxLogLength> length) {
  char buffer[uapi::kMaxLogLength];
  TRY(user::CopyFromUser(buffer, text.address(), length.value()));
  size_t sanitized = SanitizeLogText(buffer, length.value());
  log->WriteUserLine(Caller().id(), buffer, sanitized);
  return Ok();
}

}  // namespace hiillos::syscall
