// testing/syscall_fuzz/call_table.cc — CallTable from HIILLOS_SYSCALLS and the confinement
// rules.
//
// Confinement (the only hand-written knowledge of particular calls):
// - NoReturn calls are never made (ThreadExit would end the worker early).
// - kBlockingCalls are never made: they block until another thread acts, which may never
//   happen (ThreadWait on a thread that is never started). Add IPC receives and waits here.
// - CapDelete never deletes a worker's starting handles (its Memory capability: without it a
//   worker could allocate nothing for the rest of the run).
// - ProcessGiveCap never gives a Process or Thread capability: a process that never runs and
//   holds a capability to itself (or to a process that holds one to it, or to its own
//   thread) is a reference cycle the kernel cannot reclaim yet (docs/objects.md, "Known gap").
//   Drop this rule once processes can be killed.
// - SystemIrqOffStats never resets the kernel's record (the parent reports the run's worst).
// - NotifyWaitUntil only with a deadline at most 2^24 TSC ticks (a few ms) away: a drawn
//   deadline is mostly decades ahead, which would block the worker for good.
#include "testing/syscall_fuzz/call_table.h"

#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "uapi/object_type.h"

namespace hiillos::syscall_fuzz {
namespace {

using uapi::Syscall;

constexpr Syscall kBlockingCalls[] = {Syscall::kThreadWait, Syscall::kNotifyWait, Syscall::kCall,
                                      Syscall::kRecv, Syscall::kReplyRecv};

constexpr bool IsBlocking(Syscall call) {
  for (Syscall blocking : kBlockingCalls) {
    if (blocking == call) return true;
  }
  return false;
}

template <typename Value>
constexpr bool kReturns = true;
template <>
constexpr bool kReturns<uapi::NoReturn> = false;

template <typename Value>
constexpr bool kMakesHandle = false;
template <>
constexpr bool kMakesHandle<uapi::NewHandle> = true;

// The rules for CapDelete, SystemIrqOffStats, NotifyWaitUntil and ProcessGiveCap (see the top of
// the file); every other call is admitted.
template <Syscall kCall>
bool Admit(const Context&, const uint64_t*) {
  return true;
}
template <>
bool Admit<Syscall::kCapDelete>(const Context& c, const uint64_t* registers) {
  for (uint32_t i = 0; i < c.protected_count; ++i) {
    if (registers[0] == c.protected_handles[i]) return false;
  }
  return true;
}
// SystemIrqOffStats never resets: the parent reports the worst stretch over the whole run.
template <>
bool Admit<Syscall::kSystemIrqOffStats>(const Context&, const uint64_t* registers) {
  return registers[1] != uapi::kIrqOffReset;
}
template <>
bool Admit<Syscall::kNotifyWaitUntil>(const Context&, const uint64_t* registers) {
  return registers[1] <= rt::ReadTsc() + (uint64_t{1} << 24);
}
template <>
bool Admit<Syscall::kProcessGiveCap>(const Context&, const uint64_t* registers) {
  if (registers[1] > 0xffff'ffffu) return true;  // fails: too wide for a handle
  auto info = rt::CapIdentify(static_cast<uapi::Handle>(registers[1]));
  if (!info.ok()) return true;  // fails: not a capability of ours
  return info.value().type != uapi::ObjectType::kProcess &&
         info.value().type != uapi::ObjectType::kThread;
}

template <typename Kind>
constexpr bool kIsWord = false;
template <>
constexpr bool kIsWord<uapi::Word> = true;

// The object type a Cap kind names (kNull for other kinds).
template <typename Kind>
constexpr uapi::ObjectType kCapType = uapi::ObjectType::kNull;
template <uapi::ObjectType kType, uapi::Rights kRights>
constexpr uapi::ObjectType kCapType<uapi::Cap<kType, kRights>> = kType;

template <Syscall kCall, typename Value, typename... Kinds>
Outcome InvokeKinds(Context& c, Value (*)(Kinds...)) {
  uint64_t registers[6] = {};
  size_t next = 0;
  // A braced list evaluates left to right: the draws happen in argument order.
  uint64_t drawn[] = {ArgumentFor<Kinds>::Make(c)..., 0};
  for (size_t i = 0; i < sizeof...(Kinds); ++i) registers[next++] = drawn[i];
  if (!Admit<kCall>(c, registers)) return Outcome::kSkipped;
  rt::SysResult result = rt::RawSyscall(static_cast<uint64_t>(kCall), registers[0], registers[1],
                                        registers[2], registers[3], registers[4], registers[5]);
  if (!result.ok()) return Outcome::kFailed;
  constexpr bool kWords[] = {kIsWord<Kinds>..., false};
  constexpr uapi::ObjectType kCaps[] = {kCapType<Kinds>..., uapi::ObjectType::kNull};
  for (size_t i = 0; i < sizeof...(Kinds); ++i) {
    if (kWords[i]) c.RememberWord(registers[i]);
    if (kCaps[i] != uapi::ObjectType::kNull) c.RememberHandle(kCaps[i], registers[i]);
  }
  if constexpr (kMakesHandle<Value>) c.pool.Add(static_cast<uapi::Handle>(result.value), c.rng);
  return Outcome::kSucceeded;
}

template <Syscall kCall>
Outcome Invoke(Context& c) {
  using Signature = typename uapi::SyscallSpec<kCall>::Signature;
  return InvokeKinds<kCall>(c, static_cast<Signature*>(nullptr));
}

template <Syscall kCall>
constexpr bool Fuzzed() {
  using Signature = typename uapi::SyscallSpec<kCall>::Signature;
  return kReturns<typename uapi::SignatureTraits<Signature>::Value> && !IsBlocking(kCall);
}

constexpr CallEntry kTable[] = {
#define HIILLOS_FUZZ_ENTRY(number, name, ...) \
  {#name, number, &Invoke<Syscall::k##name>, Fuzzed<Syscall::k##name>()},
    HIILLOS_SYSCALLS(HIILLOS_FUZZ_ENTRY)
#undef HIILLOS_FUZZ_ENTRY
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == uapi::kSyscallsDefined);

// kTable's index of each syscall number, or -1 for a number in a gap of the numbering.
struct NumberIndex {
  int16_t entry[uapi::kSyscallCount];
};
constexpr NumberIndex MakeNumberIndex() {
  NumberIndex index{};
  for (uint64_t n = 0; n < uapi::kSyscallCount; ++n) index.entry[n] = -1;
  for (uint64_t i = 0; i < uapi::kSyscallsDefined; ++i) {
    index.entry[kTable[i].number] = static_cast<int16_t>(i);
  }
  return index;
}
constexpr NumberIndex kNumberIndex = MakeNumberIndex();

constexpr unsigned Weight(const CallEntry& entry) {
  if (!entry.fuzzed) return 0;
  return entry.number == static_cast<uint64_t>(Syscall::kLog) ? 1 : 10;
}

constexpr unsigned TotalWeight() {
  unsigned total = 0;
  for (const CallEntry& entry : kTable) total += Weight(entry);
  return total;
}

static_assert(TotalWeight() > 0);

}  // namespace

const CallEntry* CallByNumber(uint64_t number) {
  if (number >= uapi::kSyscallCount || kNumberIndex.entry[number] < 0) return nullptr;
  return &kTable[kNumberIndex.entry[number]];
}

const CallEntry& PickCall(Rng& rng) {
  uint64_t pick = rng.Below(TotalWeight());
  for (const CallEntry& entry : kTable) {
    if (pick < Weight(entry)) return entry;
    pick -= Weight(entry);
  }
  return kTable[0];  // not reached: the weights add up to TotalWeight()
}

}  // namespace hiillos::syscall_fuzz
