// testing/programs/spin.cc — /bin/spin: says it runs (and Calls its "ready" capability if it
// has one), then loops forever without a syscall (the process a kill must end; system test).
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"

int ProgramMain(const hiillos::startinfo::StartInfo& start) {
  hiillos::rt::Printf("spin: pid %lu looping", start.pid());
  // Tell the spawner (proc_test) it runs, when it asked to know.
  if (const uint32_t ready = hiillos::rt::FindCap(start, "ready"); ready != 0) {
    (void)hiillos::rt::Call(ready, hiillos::uapi::IpcMessage{});
  }
  for (volatile uint64_t i = 0;; i = i + 1) {
  }
}
