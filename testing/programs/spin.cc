// testing/programs/spin.cc — /bin/spin: says it runs, then loops forever without a syscall
// (the process a kill must end; system guest test).
#include "services/lib/print.h"
#include "services/lib/program.h"

int ProgramMain(const hiillos::startinfo::StartInfo& start) {
  hiillos::rt::Printf("spin: pid %lu looping", start.pid());
  for (volatile uint64_t i = 0;; i = i + 1) {
  }
}
