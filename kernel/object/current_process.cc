// kernel/object/current_process.cc — CurrentProcess(): the calling thread's process (kept out
// of process.cc so the Process library does not depend on the Thread library, which needs it).
#include "kernel/object/process.h"
#include "kernel/object/thread.h"

namespace hiillos::object {

Process* CurrentProcess() {
  Thread* thread = CurrentThread();
  if (thread == nullptr || !thread->is_user()) return nullptr;
  return &thread->process();
}

}  // namespace hiillos::object
