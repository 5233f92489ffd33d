// testing/bench/child/child_main.cc — the benchmark's child program. "exit": returns at once
// (the process spawn + exit + wait row). "server": the server half of the cross-address-space
// round trip; it stamps the TSC right after each receive returns and right before each
// ReplyRecv and hands both stamps back in the reply's w0 and w1 (child_protocol.h).
#include "lib/startinfo/start_info.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "testing/bench/child/child_protocol.h"
#include "testing/lib/tsc.h"
#include "uapi/ipc.h"

namespace {

using namespace hiillos;
namespace proto = bench::child;
using testing_lib::ReadTsc;

bool Equal(const char* a, const char* b) {
  if (a == nullptr) return false;
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

int Serve(const startinfo::StartInfo& start) {
  const uint32_t receiver = rt::FindCap(start, proto::kCapReceiver);
  const uint32_t memory = rt::FindCap(start, proto::kCapMemory);
  if (receiver == 0 || memory == 0) return proto::kExitBadArgs;
  auto reply = rt::MemoryAllocReply(memory);
  if (!reply.ok()) return proto::kExitNoReply;
  uapi::IpcMessage out;
  auto first = rt::Recv(receiver, reply.value(), out);
  if (!first.ok()) return proto::kExitIpcFailed;
  uapi::IpcMessage in = first.value();
  for (;;) {
    const uint64_t received_at = ReadTsc();
    if (in.words[0] == proto::kStop) {
      (void)rt::Reply(reply.value(), out);
      (void)rt::CapDelete(reply.value());
      return proto::kExitOk;
    }
    out.words[proto::kReplyReceivedAt] = received_at;
    out.words[proto::kReplySentAt] = ReadTsc();
    auto next = rt::ReplyRecv(receiver, reply.value(), out);
    if (!next.ok()) return proto::kExitIpcFailed;
    in = next.value();
  }
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const char* mode = rt::Arg(start, 1);
  if (Equal(mode, proto::kModeExit)) return proto::kExitOk;
  if (Equal(mode, proto::kModeServer)) return Serve(start);
  return proto::kExitBadArgs;
}
