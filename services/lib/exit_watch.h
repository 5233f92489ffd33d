// services/lib/exit_watch.h — ExitWatcher: turns "this thread ended" into an IPC message, so a
// single-threaded server (proc, root) learns of its children's exits in its receive loop.
//
// For each watched thread the watcher makes a helper Process that shares the caller's address
// space (its own Vmem) and gives it two capabilities: the watched thread (Read) and a Sender to
// the server's Receiver. The helper's one thread runs WatchEntry on a stack from a fixed pool:
// ThreadWait on the watched thread, delete its handle to it, then Call the server with an
// ExitNotice, then exit — and the helper process dies with its last capability. Because the
// handle goes first, a notice means the helper no longer keeps the watched thread (and its
// process and address space) alive: what they were charged is back once the server and the
// other holders let go of theirs. The server answers the notice (any reply)
// and calls Done(slot); the slot's helper objects are deleted when it is next reused.
//
// The same helpers watch a lease (WatchLease): a Sender to a Receiver another process holds and
// never receives on. The helper Calls it; the call waits on the endpoint until that Receiver is
// closed — its holder died or deleted it — and then fails with Dead (docs/ipc.md), which is the
// notice (reason 0, code = the Call's status, kDead). A holder that receives and answers the
// call ends its own lease early (code 0): the server treats any notice as the lease's end.
// pcid leases claims this way and vfsd sessions (docs/protocols/pci.md, vfs.md).
//
// Everything is charged to `memory`. At most kMaxWatches watches at a time. Notices come with
// the badge of `notice_sender`: a server must make that Sender itself (ReceiverCreateSender with
// a badge no client gets) and accept ExitNotice only with that badge.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::rt {

inline constexpr size_t kMaxWatches = 64;
// The badge servers in this tree give their notice Sender.
inline constexpr uint64_t kExitNoticeBadge = 0xffff'ffff'ffff'fff0ull;

// The notice (a typed IPC operation, services/lib/ipc).
struct ExitNotice {
  static constexpr uint64_t kCode = 0xe0;
  struct Request {
    uint64_t cookie;      // what Watch was given
    uint64_t reason;      // uapi::ExitReason, or 0 when the wait itself failed
    uint64_t code;        // the exit code (or vector; or the wait's uapi::Status)
    uint64_t fault_addr;  // as uapi::ThreadExit
    uint64_t slot;        // for Done()
  };
  struct Reply {
    uint64_t unused;
  };
};

class ExitWatcher {
 public:
  ExitWatcher(uint32_t memory, uint32_t own_vmem, uint32_t notice_sender)
      : memory_(memory), own_vmem_(own_vmem), sender_(notice_sender) {}
  ExitWatcher(const ExitWatcher&) = delete;
  ExitWatcher& operator=(const ExitWatcher&) = delete;

  // Starts watching `thread` (a handle of the caller with Read, Clone and Transfer). Errors:
  // kNoSlots when kMaxWatches watches are running, else the failing syscall's status (nothing
  // is left behind).
  Result<void, uapi::Status> Watch(uint32_t thread, uint64_t cookie);
  // Starts watching the lease `sender` (a handle of the caller with Write, Clone and Transfer;
  // the caller may delete its own handle afterwards). Returns the slot (for Cancel; the notice
  // carries it too). Errors as Watch.
  Result<uint64_t, uapi::Status> WatchLease(uint32_t sender, uint64_t cookie);
  // Instead of copying `notice_sender`, give each helper a Sender (badge kExitNoticeBadge) made
  // from `receiver` (Write) for that watch only: a server that exits when its last Sender is gone
  // (pcid, vfsd) then holds none of its own, and a helper's Sender dies with the helper.
  void MintSendersFrom(uint32_t receiver) { receiver_ = receiver; }
  // Stops watching `slot` without a notice (the server ended the lease itself) and frees it.
  // A notice of that slot already on its way is then stale: check the slot is still yours.
  void Cancel(uint64_t slot);
  // The notice of `slot` has been handled: the slot may be reused.
  void Done(uint64_t slot);

 private:
  enum class State : uint8_t { kFree, kWatching, kDone };
  struct Slot {
    State state = State::kFree;
    uint32_t process = 0;  // the caller's handles to the helper
    uint32_t thread = 0;
  };
  void Reclaim(Slot& slot);
  Result<uint64_t, uapi::Status> Start(uint32_t watched, uapi::Rights rights, bool lease,
                                       uint64_t cookie);

  uint32_t memory_;
  uint32_t own_vmem_;
  uint32_t sender_;
  uint32_t receiver_ = 0;
  Slot slots_[kMaxWatches];
};

}  // namespace hiillos::rt
