// services/proc/process_table.cc — the process records, their ends, waits and listing.
#include "services/proc/process_table.h"

namespace hiillos::proc {

const char* ProcessStateName(ProcessState state) {
  switch (state) {
    case ProcessState::kStarting:
      return "starting";
    case ProcessState::kRunning:
      return "running";
    case ProcessState::kExited:
      return "exited";
    case ProcessState::kKilled:
      return "killed";
  }
  return "unknown";
}

const char* ProcErrorName(ProcError error) {
  switch (error) {
    case ProcError::kTableFull:
      return "TableFull";
    case ProcError::kNoSuchPid:
      return "NoSuchPid";
    case ProcError::kNotAChild:
      return "NotAChild";
    case ProcError::kBadState:
      return "BadState";
    case ProcError::kAlreadyWaited:
      return "AlreadyWaited";
    case ProcError::kBadName:
      return "BadName";
  }
  return "Unknown";
}

namespace {
bool Ended(ProcessState state) {
  return state == ProcessState::kExited || state == ProcessState::kKilled;
}
}  // namespace

ProcessTable::Record* ProcessTable::Find(Pid pid) {
  if (pid == kNoPid) return nullptr;
  for (Record& r : records_) {
    if (r.used && r.info.pid == pid) return &r;
  }
  return nullptr;
}

const ProcessTable::Record* ProcessTable::Find(Pid pid) const {
  return const_cast<ProcessTable*>(this)->Find(pid);
}

void ProcessTable::Remove(Record& record) {
  record = Record{};
  --count_;
}

Result<Pid, ProcError> ProcessTable::Spawn(Pid parent, const char* name, size_t name_length) {
  if (name_length == 0 || name_length > kMaxProcessName) return Err(ProcError::kBadName);
  if (parent != kNoPid) {
    const Record* p = Find(parent);
    if (p == nullptr || Ended(p->info.state)) return Err(ProcError::kNoSuchPid);
  }
  Record* slot = nullptr;
  for (Record& r : records_) {
    if (!r.used) {
      slot = &r;
      break;
    }
  }
  if (slot == nullptr) return Err(ProcError::kTableFull);
  *slot = Record{};
  slot->used = true;
  slot->info.pid = next_pid_++;
  slot->info.parent = parent;
  for (size_t i = 0; i < name_length; ++i) slot->info.name[i] = name[i];
  slot->info.name[name_length] = '\0';
  slot->info.state = ProcessState::kStarting;
  ++count_;
  return slot->info.pid;
}

Result<void, ProcError> ProcessTable::MarkRunning(Pid pid) {
  Record* r = Find(pid);
  if (r == nullptr) return Err(ProcError::kNoSuchPid);
  if (r->info.state != ProcessState::kStarting) return Err(ProcError::kBadState);
  r->info.state = ProcessState::kRunning;
  return Ok<ProcError>();
}

Result<Pid, ProcError> ProcessTable::MarkReady(Pid pid) {
  Record* r = Find(pid);
  if (r == nullptr) return Err(ProcError::kNoSuchPid);
  if (r->info.state != ProcessState::kRunning) return Err(ProcError::kBadState);
  r->info.ready = true;
  return r->orphan ? kNoPid : r->info.parent;
}

Result<Readiness, ProcError> ProcessTable::ReadyState(Pid caller, Pid target) const {
  const Record* r = Find(target);
  if (r == nullptr || r->orphan) return Err(ProcError::kNoSuchPid);
  if (r->info.parent != caller) return Err(ProcError::kNotAChild);
  if (r->info.ready) return Readiness::kReady;
  return Ended(r->info.state) ? Readiness::kEnded : Readiness::kPending;
}

Result<void, ProcError> ProcessTable::SetMemory(Pid pid, uint64_t bytes) {
  Record* r = Find(pid);
  if (r == nullptr) return Err(ProcError::kNoSuchPid);
  r->info.memory_bytes = bytes;
  return Ok<ProcError>();
}

Result<EndNotice, ProcError> ProcessTable::End(Pid pid, ProcessState state, int64_t code) {
  Record* r = Find(pid);
  if (r == nullptr) return Err(ProcError::kNoSuchPid);
  if (Ended(r->info.state)) return Err(ProcError::kBadState);
  r->info.state = state;
  r->info.exit_code = state == ProcessState::kExited ? code : 0;
  r->info.memory_bytes = 0;

  // Its children lose their parent: ended ones can never be waited for, running ones are
  // reaped when they end.
  for (Record& child : records_) {
    if (!child.used || child.info.parent != pid) continue;
    if (Ended(child.info.state)) {
      Remove(child);
    } else {
      child.orphan = true;
      child.info.parent = kNoPid;
      child.waited = false;
      child.waiter = kNoPid;
    }
  }

  EndNotice notice{r->waited, r->waiter, false};
  if (!r->waited && r->orphan) {
    Remove(*r);
    notice.reaped = true;
  }
  return notice;
}

Result<EndNotice, ProcError> ProcessTable::Exit(Pid pid, int64_t code) {
  return End(pid, ProcessState::kExited, code);
}

Result<EndNotice, ProcError> ProcessTable::Killed(Pid pid) {
  return End(pid, ProcessState::kKilled, 0);
}

Result<void, ProcError> ProcessTable::CheckKill(Pid caller, Pid target) const {
  const Record* r = Find(target);
  if (r == nullptr) return Err(ProcError::kNoSuchPid);
  if (caller != kNoPid && r->info.parent != caller) return Err(ProcError::kNotAChild);
  if (Ended(r->info.state)) return Err(ProcError::kBadState);
  return Ok<ProcError>();
}

Result<ProcessInfo, ProcError> ProcessTable::Wait(Pid caller, Pid target) {
  Record* r = Find(target);
  if (r == nullptr || r->orphan) return Err(ProcError::kNoSuchPid);
  if (r->info.parent != caller) return Err(ProcError::kNotAChild);
  if (r->waited) return Err(ProcError::kAlreadyWaited);
  const ProcessInfo info = r->info;
  if (Ended(info.state)) {
    Remove(*r);
  } else {
    r->waited = true;
    r->waiter = caller;
  }
  return info;
}

Result<ProcessInfo, ProcError> ProcessTable::Collect(Pid target) {
  Record* r = Find(target);
  if (r == nullptr || !Ended(r->info.state)) return Err(ProcError::kNoSuchPid);
  const ProcessInfo info = r->info;
  Remove(*r);
  return info;
}

Result<ProcessInfo, ProcError> ProcessTable::Info(Pid pid) const {
  const Record* r = Find(pid);
  if (r == nullptr) return Err(ProcError::kNoSuchPid);
  return r->info;
}

Result<ProcessInfo, ProcError> ProcessTable::List(size_t index) const {
  // The index-th smallest pid: pids only grow, slots are reused, so sort on the fly.
  Pid floor = kNoPid;
  for (size_t i = 0;; ++i) {
    const Record* next = nullptr;
    for (const Record& r : records_) {
      if (r.used && r.info.pid > floor && (next == nullptr || r.info.pid < next->info.pid)) {
        next = &r;
      }
    }
    if (next == nullptr) return Err(ProcError::kNoSuchPid);
    if (i == index) return next->info;
    floor = next->info.pid;
  }
}

}  // namespace hiillos::proc
