// testing/conformance/harness.cc — case registry walk, expectations, leak checks, summary.
#include "testing/conformance/harness.h"

#include "services/lib/print.h"
#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"

extern "C" const hiillos::conformance::Case __start_conformance_cases[];
extern "C" const hiillos::conformance::Case __stop_conformance_cases[];

namespace hiillos::conformance {
namespace {

uint64_t g_failures_in_case = 0;

// Objects whose teardown finishes on another CPU context (a thread's last reference is
// dropped after its CPU switched away) may need a moment: retry for a while.
constexpr int kSettleAttempts = 2000;

struct Counters {
  uint64_t free_pages;
  uint64_t slots;
  uint64_t objects;
  uint64_t memory_used;  // charged to the suite's (root) Memory
  bool operator==(const Counters&) const = default;
};

Counters Measure() {
  auto info = rt::SystemInfo();
  auto memory = rt::MemoryInfo(uapi::kRootMemoryHandle);
  if (!info.ok() || !memory.ok()) return {0, 0, 0, ~uint64_t{0}};
  return {info.value().free_pages, info.value().capability_slots_used, info.value().objects_live,
          memory.value().used_bytes};
}

// Nothing the case made is left: no page fewer free, no capability, object or charged byte
// more. (More free pages or fewer objects than the baseline means the kernel finished freeing
// something older, e.g. the boot's kernel thread: not this case's doing.)
bool NoLeak(const Counters& baseline, const Counters& now) {
  return now.free_pages >= baseline.free_pages && now.slots <= baseline.slots &&
         now.objects <= baseline.objects && now.memory_used <= baseline.memory_used;
}

bool Settled(const Counters& baseline, Counters* now) {
  for (int i = 0; i < kSettleAttempts; ++i) {
    *now = Measure();
    if (NoLeak(baseline, *now)) return true;
    (void)rt::Yield();
  }
  return false;
}

// Waits until the counters have not changed for a while (the kernel's boot threads are gone).
void Quiesce() {
  constexpr int kStableReadings = 200;
  Counters last = Measure();
  int stable = 0;
  for (int i = 0; i < 20 * kSettleAttempts && stable < kStableReadings; ++i) {
    (void)rt::Yield();
    Counters now = Measure();
    stable = now == last ? stable + 1 : 0;
    last = now;
  }
}

int CompareNames(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}

}  // namespace

bool Expect(bool ok, const char* text, const char* file, int line) {
  if (!ok) {
    ++g_failures_in_case;
    rt::Printf("conformance:   FAILED %s:%d: %s", file, line, text);
  }
  return ok;
}

bool ExpectStatus(uapi::Status actual, uapi::Status expected, const char* text, const char* file,
                  int line) {
  if (actual == expected) return true;
  ++g_failures_in_case;
  rt::Printf("conformance:   FAILED %s:%d: %s -> %s, expected %s", file, line, text,
             uapi::StatusName(actual), uapi::StatusName(expected));
  return false;
}

bool ExpectEq(uint64_t actual, uint64_t expected, const char* text, const char* file, int line) {
  if (actual == expected) return true;
  ++g_failures_in_case;
  rt::Printf("conformance:   FAILED %s:%d: %s: %#lx != %#lx", file, line, text, actual, expected);
  return false;
}

uint64_t RunAll() {
  // Sort the registry by name (a stable order whatever the link order).
  constexpr size_t kMaxCases = 256;
  const Case* cases[kMaxCases];
  size_t count = 0;
  for (const Case* c = __start_conformance_cases; c < __stop_conformance_cases && count < kMaxCases;
       ++c) {
    size_t at = count++;
    while (at > 0 && CompareNames(cases[at - 1]->name, c->name) > 0) {
      cases[at] = cases[at - 1];
      --at;
    }
    cases[at] = c;
  }
  uint64_t passed = 0;
  uint64_t failed = 0;
  Quiesce();
  for (size_t i = 0; i < count; ++i) {
    const Case& c = *cases[i];
    g_failures_in_case = 0;
    c.run();  // warm-up
    Counters baseline = Measure();
    c.run();
    Counters after{};
    bool clean = Settled(baseline, &after);
    if (!clean) {
      ++g_failures_in_case;
      rt::Printf(
          "conformance:   LEAK: free pages %lu -> %lu, capabilities %lu -> %lu, objects "
          "%lu -> %lu, memory used %lu -> %lu",
          baseline.free_pages, after.free_pages, baseline.slots, after.slots, baseline.objects,
          after.objects, baseline.memory_used, after.memory_used);
    }
    if (g_failures_in_case == 0) {
      ++passed;
      rt::Printf("conformance: [ OK ] %s", c.name);
    } else {
      ++failed;
      rt::Printf("conformance: [FAIL] %s", c.name);
    }
  }
  rt::Printf("conformance: %lu passed, %lu failed", passed, failed);
  return failed;
}

}  // namespace hiillos::conformance
