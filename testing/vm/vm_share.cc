// testing/vm/vm_share.cc — /bin/vm_share: the two sides of the vm guest test's Share check. Both
// have a "vm" space (registered by the test with their thread) and a "test" Sender to the test.
//   vm_share give SPACE: allocates a two-page shared region, fills it with a pattern, shares it
//     into space SPACE (read-write) and sends the test the address there (op kShared); when the
//     test answers, it checks that the other side's mark is visible here, then exits.
//   vm_share take: asks the test for the address (op kReady), checks the pattern, writes its
//     mark into the first 8 bytes, reports (op kChecked); when the test answers (the giver has
//     exited by then) it checks the pattern is still there, then exits.
// Exit code 0 when every check held, else the number of the first that failed.
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/vm/client.h"
#include "testing/vm/share_protocol.h"

namespace {

using namespace hiillos;
using namespace hiillos::testing_vm;

uint8_t Pattern(uint64_t i) {
  return static_cast<uint8_t>(i * 13 + 5);
}

uapi::IpcMessage Message(uint64_t op, uint64_t w1 = 0) {
  uapi::IpcMessage message;
  message.words[0] = op;
  message.words[1] = w1;
  return message;
}

int Give(uint32_t vm, uint32_t test, uint64_t to_space) {
  auto region = vm::Alloc(vm, kShareBytes, vm::protocol::kAllocShared, kProtReadWrite);
  if (!region.ok()) return 30;
  auto* bytes = reinterpret_cast<volatile uint8_t*>(region.value());
  for (uint64_t i = 0; i < kShareBytes; ++i) bytes[i] = Pattern(i);
  auto there = vm::Share(vm, region.value(), to_space, kProtReadWrite);
  if (!there.ok()) return 31;
  auto go = rt::Call(test, Message(kShared, there.value()));
  if (!go.ok()) return 32;
  if (*reinterpret_cast<volatile uint64_t*>(bytes) != kMark) return 33;  // the taker's write
  for (uint64_t i = 8; i < kShareBytes; ++i) {
    if (bytes[i] != Pattern(i)) return 34;
  }
  rt::Printf("vm_share: giver sees the taker's mark");
  return 0;
}

int Take(uint32_t test) {
  auto address = rt::Call(test, Message(kReady));
  if (!address.ok() || address.value().words[1] == 0) return 40;
  auto* bytes = reinterpret_cast<volatile uint8_t*>(address.value().words[1]);
  for (uint64_t i = 0; i < kShareBytes; ++i) {
    if (bytes[i] != Pattern(i)) return 41;
  }
  *reinterpret_cast<volatile uint64_t*>(bytes) = kMark;
  auto go = rt::Call(test, Message(kChecked));
  if (!go.ok()) return 42;
  for (uint64_t i = 8; i < kShareBytes; ++i) {
    if (bytes[i] != Pattern(i)) return 43;  // the frame outlives the giver's space
  }
  rt::Printf("vm_share: taker read the giver's %lu bytes, before and after the giver exited",
             kShareBytes);
  return 0;
}

uint64_t ParseNumber(const char* text) {
  uint64_t value = 0;
  for (; text != nullptr && *text >= '0' && *text <= '9'; ++text)
    value = value * 10 + (*text - '0');
  return value;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t vm = rt::FindCap(start, "vm");
  const uint32_t test = rt::FindCap(start, "test");
  const char* role = rt::Arg(start, 1);
  if (vm == 0 || test == 0 || role == nullptr) return 1;
  if (role[0] == 'g') return Give(vm, test, ParseNumber(rt::Arg(start, 2)));
  return Take(test);
}
