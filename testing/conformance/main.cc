// testing/conformance/main.cc — the conformance suite: runs as the root process of a test
// image (cmdline hiillos.test=conformance) and ends with ThreadExit(failures); the kernel turns
// that into the QEMU exit status.
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/start.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "testing/lib/irq_off_report.h"

int UserMain(uint64_t, uint64_t last_handle) {
  using namespace hiillos;
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::Printf("conformance: starting (%lu initial capabilities)", last_handle);
  rt::InitPages(conformance::kMemory, conformance::kOwnVmem);
  testing_lib::IrqOffStartRun();
  uint64_t failures = conformance::RunAll();
  testing_lib::IrqOffPrintWorst();
  return static_cast<int>(failures);
}
