// testing/programs/spin.cc — /bin/spin: says it runs, then loops forever without a syscall
// (the process a kill must end; system guest test). When given a Notify "started", it signals
// it first, so the test kills it only once it loops.
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"

int ProgramMain(const hiillos::startinfo::StartInfo& start) {
  hiillos::rt::Printf("spin: pid %lu looping", start.pid());
  if (const uint32_t started = hiillos::rt::FindCap(start, "started"); started != 0) {
    (void)hiillos::rt::NotifySignal(started, 1);
  }
  for (volatile uint64_t i = 0;; i = i + 1) {
  }
}
