// testing/initsvc/never_ready.cc — /bin/never_ready: a service that runs but never says Ready
// (`ready = notify` in testing/initsvc/initsvc.conf): it says it is up, then blocks on a Notify
// nobody signals, so init must report its ready timeout, kill it and apply its restart policy.
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"

int ProgramMain(const hiillos::startinfo::StartInfo& start) {
  using namespace hiillos;
  rt::Printf("never_ready: pid %lu up; it will not say Ready", start.pid());
  const uint32_t memory = rt::FindCap(start, "memory");
  auto notify = rt::MemoryAllocNotify(memory);
  if (!notify.ok()) return 2;
  for (;;) (void)rt::NotifyWait(notify.value());
}
