// services/lib/program_start.cc — UserMain for spawned programs: start block → heap → ProgramMain.
#include "lib/startinfo/start_info.h"
#include "services/lib/heap_glue.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/vm/client.h"

namespace hiillos::rt {

uint32_t FindCap(const startinfo::StartInfo& start, const char* name) {
  size_t length = 0;
  while (name[length] != '\0') ++length;
  return start.FindCap(startinfo::Text{name, length});
}

const char* Arg(const startinfo::StartInfo& start, uint64_t index) {
  return index < start.arg_count() ? start.Arg(index).data : nullptr;
}

}  // namespace hiillos::rt

// rdi = the block's address, rsi = its size (process_layout.h).
int UserMain(uint64_t block_address, uint64_t block_size) {
  using namespace hiillos;
  auto start = startinfo::StartInfo::Decode(reinterpret_cast<const uint8_t*>(block_address),
                                            static_cast<size_t>(block_size));
  if (!start.ok()) {
    rt::Printf("program: bad start information block: %s", startinfo::ErrorName(start.error()));
    return rt::kExitBadStartInfo;
  }
  const startinfo::StartInfo& info = start.value();  // lives as long as the program
  rt::SetLogHandle(rt::FindCap(info, "log"));        // 0 (no log capability): output is dropped
  const uint32_t memory = rt::FindCap(info, "memory");
  const uint32_t vmem = rt::FindCap(info, "vmem");
  if (memory != 0 && vmem != 0) rt::InitPages(memory, vmem);
  // The heap: from the vm server when the program has a space there ("vm"), or can register
  // its own with the registration endpoint ("vm_register", until proc registers processes);
  // else from its own Memory and Vmem.
  uint32_t vm = rt::FindCap(info, "vm");
  bool registered_here = false;
  if (const uint32_t registrar = rt::FindCap(info, "vm_register");
      vm == 0 && registrar != 0 && memory != 0 && vmem != 0) {
    auto budget = rt::MemoryInfo(memory);
    auto space = budget.ok()
                     ? vm::RegisterSpace(registrar, vmem, memory, budget.value().budget_bytes)
                     : Err(vm::ClientError{vm::protocol::Status::kKernel, 0});
    if (space.ok()) {
      vm = space.value().sender;
      registered_here = true;
    } else {
      rt::Printf("program: vm registration failed (status %lu, detail %lu)",
                 static_cast<uint64_t>(space.error().status), space.error().detail);
    }
  }
  if (vm != 0) {
    rt::InitVmHeap(vm);
  } else if (memory != 0 && vmem != 0) {
    rt::InitHeap();
  }
  const int code = ProgramMain(info);
  // A space this program registered goes with it (proc releases the spaces it registers).
  if (registered_here) (void)vm::ReleaseSpace(vm);
  return code;
}
