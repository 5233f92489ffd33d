// services/proc/protocol.h — the proc protocol (docs/protocols/proc.md): spawn a program from
// initfs://, wait for a child's end, kill a child, list processes. Typed payloads for
// services/lib/ipc, used by proc, its clients (init, tests) and host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/lib/ipc/message.h"

namespace hiillos::proc::protocol {

// Reply statuses (w0): 0 ok; uapi::Status values (kInvalidSyscall: unknown operation,
// kInvalidArgument: a malformed request); kErrorBase + proc::ProcError
// (services/proc/process_table.h) for the table's refusals; kSpawnFailed when the program could
// not be started (the reason is in proc's log line); kNotInInitfs when the path is not a file
// in initfs.
inline constexpr uint64_t kErrorBase = 0x200;
inline constexpr uint64_t StatusOf(uint8_t proc_error) {
  return kErrorBase + proc_error;
}
inline constexpr uint64_t kSpawnFailed = 0x280;
inline constexpr uint64_t kNotInInitfs = 0x281;

inline constexpr size_t kStringBytes = 280;
inline constexpr size_t kMaxNameBytes = 32;

// Process states as ProcessTable has them.
enum State : uint64_t { kStarting = 0, kRunning = 1, kExited = 2, kKilled = 3 };

// Start a program. `strings` holds arg_count + cap_count NUL-terminated strings back to back:
// argv[0] (the program's initfs:// URL or absolute initfs path), the other arguments, then one
// name per attached capability (in attachment order). Attached capabilities (at most 4) must
// carry Clone and Transfer; the child gets them under those names with the same rights. The
// child also gets "memory" (a Memory of its own), "log" (if proc has one) and "proc" (a Sender
// to proc whose badge is the child's pid).
struct Spawn {
  static constexpr uint64_t kCode = 1;
  struct Request {
    uint64_t arg_count;  // >= 1
    uint64_t cap_count;  // = attached capabilities
    char strings[kStringBytes];
  };
  struct Reply {
    uint64_t pid;
  };
};

// Wait for a child to end: answered when it has (at once if it already has). The child's
// record goes with the answer.
struct Wait {
  static constexpr uint64_t kCode = 2;
  struct Request {
    uint64_t pid;
  };
  struct Reply {
    uint64_t pid;
    uint64_t state;     // kExited or kKilled
    int64_t exit_code;  // kExited: its exit code; kKilled: 0 (killed) or the fault's vector
  };
};

// Kill a child (ProcessKill): answered once the kill is requested; a Wait then reports kKilled.
struct Kill {
  static constexpr uint64_t kCode = 3;
  struct Request {
    uint64_t pid;
  };
  struct Reply {
    uint64_t unused;
  };
};

// The index-th process in pid order (live and ended-but-not-waited ones); kErrorBase +
// kNoSuchPid past the end.
struct List {
  static constexpr uint64_t kCode = 4;
  struct Request {
    uint64_t index;
  };
  struct Reply {
    uint64_t pid;
    uint64_t parent;
    uint64_t state;
    int64_t exit_code;
    uint64_t memory_bytes;  // charged to the process's Memory now
    char name[kMaxNameBytes];
  };
};

// The caller (told apart by its Sender's badge: its pid) says it serves now: the readiness
// handshake of services (docs/services.md). Recorded once; answered at once. kErrorBase +
// kNoSuchPid / kBadState when the caller is not a running child of proc.
struct Ready {
  static constexpr uint64_t kCode = 5;
  struct Request {
    uint64_t unused;
  };
  struct Reply {
    uint64_t unused;
  };
};

// Wait until the child `pid` has said Ready or has ended, whichever comes first (at once if one
// has). Only its parent may ask, one WaitReady per child at a time (kErrorBase +
// kAlreadyWaited). It does not reap the child: a Wait still follows.
struct WaitReady {
  static constexpr uint64_t kCode = 6;
  struct Request {
    uint64_t pid;
  };
  struct Reply {
    uint64_t pid;
    uint64_t ready;  // 1: it said Ready; 0: it ended without saying so
  };
};

static_assert(ipc::Operation<Spawn> && ipc::Operation<Wait> && ipc::Operation<Kill> &&
              ipc::Operation<List> && ipc::Operation<Ready> && ipc::Operation<WaitReady>);

// Packs `count` NUL-terminated strings into a Spawn request's buffer; false when they do not fit.
inline bool PackStrings(char* out, size_t capacity, const char* const* strings, size_t count) {
  size_t used = 0;
  for (size_t i = 0; i < count; ++i) {
    const char* s = strings[i];
    do {
      if (used == capacity) return false;
      out[used++] = *s;
    } while (*s++ != '\0');
  }
  for (size_t i = used; i < capacity; ++i) out[i] = '\0';
  return true;
}

// Splits a received buffer into `count` strings (pointers into `in`); false when it does not
// hold that many terminated strings.
inline bool UnpackStrings(const char* in, size_t capacity, const char** out, size_t count) {
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    out[i] = in + at;
    while (at < capacity && in[at] != '\0') ++at;
    if (at == capacity) return false;
    ++at;
  }
  return true;
}

}  // namespace hiillos::proc::protocol
