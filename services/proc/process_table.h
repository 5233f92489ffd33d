// services/proc/process_table.h — ProcessTable: the proc server's record of every process it
// started — 64-bit pids that are never reused, names, parent, state, exit status, memory — and
// who waits for whose exit. Pure bookkeeping with a fixed capacity (no heap), host-tested; the
// proc server maps its IPC requests and the kernel's death notifications onto these calls.
//
// Life of a process: Spawned → Running → Exited(code) | Killed; an ended process stays in the
// table as a zombie until its parent waits for it (or the parent itself ends), so an exit code
// is never lost and a pid never names another process.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::proc {

using Pid = uint64_t;  // 0 is no process; pids grow from 1 and are never reused
inline constexpr Pid kNoPid = 0;
inline constexpr size_t kMaxProcesses = 256;
inline constexpr size_t kMaxProcessName = 31;

enum class ProcessState : uint8_t { kStarting, kRunning, kExited, kKilled };
const char* ProcessStateName(ProcessState state);

enum class ProcError : uint8_t {
  kTableFull,      // kMaxProcesses records (running or zombie) already
  kNoSuchPid,      // no live or zombie process with that pid
  kNotAChild,      // wait/kill of a process that is not the caller's child
  kBadState,       // the transition does not apply (e.g. Running twice, Kill of an ended process)
  kAlreadyWaited,  // someone already waits for that process
  kBadName,        // empty or longer than kMaxProcessName
};
const char* ProcErrorName(ProcError error);

struct ProcessInfo {
  Pid pid;
  Pid parent;
  char name[kMaxProcessName + 1];
  ProcessState state;
  int64_t exit_code;      // kExited only
  uint64_t memory_bytes;  // the process's Memory budget in use, as the vm server reports it
  bool ready;             // it said it serves (MarkReady); stays set after it ends
};

// Where a child stands in its readiness handshake (ReadyState).
enum class Readiness : uint8_t {
  kPending,  // running (or starting), not ready yet
  kReady,    // it said it serves
  kEnded,    // it ended without saying so
};

// The outcome of a process ending: whom to tell.
struct EndNotice {
  bool waited;  // someone is blocked in Wait for this process: hand it Collect()'s info
  Pid waiter;   // who (kNoPid: the proc server itself)
  bool reaped;  // the record is gone: nobody can ever wait for it (its parent ended)
};

class ProcessTable {
 public:
  ProcessTable() = default;
  ProcessTable(const ProcessTable&) = delete;
  ProcessTable& operator=(const ProcessTable&) = delete;

  // A new process of `parent` (kNoPid for the ones proc starts itself) in state kStarting.
  Result<Pid, ProcError> Spawn(Pid parent, const char* name, size_t name_length);
  // Its first thread runs. Errors: kNoSuchPid, kBadState.
  Result<void, ProcError> MarkRunning(Pid pid);
  Result<void, ProcError> SetMemory(Pid pid, uint64_t bytes);
  // The running process `pid` says it serves (proc's Ready): recorded once, later calls are
  // no-ops. Its parent (kNoPid if orphaned) is returned, to answer a waiting WaitReady.
  // Errors: kNoSuchPid, kBadState (not running).
  Result<Pid, ProcError> MarkReady(Pid pid);
  // `caller` asks where its child `target` stands (proc's WaitReady). Errors: kNoSuchPid
  // (also for an orphan), kNotAChild.
  Result<Readiness, ProcError> ReadyState(Pid caller, Pid target) const;

  // The process ended (exit with a code, or killed/faulted). Its live children are orphaned:
  // ended ones are reaped, running ones get no parent. Errors: kNoSuchPid, kBadState.
  Result<EndNotice, ProcError> Exit(Pid pid, int64_t code);
  Result<EndNotice, ProcError> Killed(Pid pid);

  // `caller` asks to kill `target`: allowed for its own children (and for proc itself, caller
  // kNoPid). Errors: kNoSuchPid, kNotAChild, kBadState. The caller then kills the process
  // through the kernel and reports it with Killed().
  Result<void, ProcError> CheckKill(Pid caller, Pid target) const;

  // `caller` waits for its child `target`. If it has already ended: its info, and the record is
  // reaped. Otherwise the wait is registered (Result holds state kRunning/kStarting) and the
  // end notice will name `caller`. Errors: kNoSuchPid, kNotAChild, kAlreadyWaited.
  Result<ProcessInfo, ProcError> Wait(Pid caller, Pid target);
  // The end notice named a waiter: it takes the info and the record goes.
  Result<ProcessInfo, ProcError> Collect(Pid target);

  Result<ProcessInfo, ProcError> Info(Pid pid) const;
  // Live and zombie processes in pid order: the `index`-th, or kNoSuchPid past the end.
  Result<ProcessInfo, ProcError> List(size_t index) const;
  size_t size() const { return count_; }

 private:
  struct Record {
    bool used = false;
    bool orphan = false;  // its parent ended: nobody can wait, so it is reaped when it ends
    ProcessInfo info{};
    bool waited = false;
    Pid waiter = kNoPid;
  };

  Record* Find(Pid pid);
  const Record* Find(Pid pid) const;
  Result<EndNotice, ProcError> End(Pid pid, ProcessState state, int64_t code);
  void Remove(Record& record);

  Record records_[kMaxProcesses];
  size_t count_ = 0;
  Pid next_pid_ = 1;
};

}  // namespace hiillos::proc
