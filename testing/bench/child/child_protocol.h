// testing/bench/child/child_protocol.h — what the benchmark and its child program agree on:
// the child's modes (argv[1]), the names of its start capabilities and the words of the
// cross-address-space round trip.
#pragma once

#include <stdint.h>

namespace hiillos::bench::child {

// argv[1]: return 0 at once (process spawn + exit + wait).
inline constexpr char kModeExit[] = "exit";
// argv[1]: serve round trips on the "receiver" capability until a request has w0 = kStop.
inline constexpr char kModeServer[] = "server";

// Start capabilities of the server mode.
inline constexpr char kCapReceiver[] = "receiver";
inline constexpr char kCapMemory[] = "memory";

// Request: w0 = kStop ends the server (it replies, then exits 0); any other w0 is a sample.
inline constexpr uint64_t kStop = 1;
// Reply of a sample: w0 = the server's TSC right after its receive returned, w1 = its TSC right
// before ReplyRecv.
inline constexpr uint64_t kReplyReceivedAt = 0;
inline constexpr uint64_t kReplySentAt = 1;

// Exit codes of the server mode.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadArgs = 2;
inline constexpr int kExitNoReply = 3;
inline constexpr int kExitIpcFailed = 4;

}  // namespace hiillos::bench::child
