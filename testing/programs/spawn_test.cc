// testing/programs/spawn_test.cc — /bin/spawn_test: the loader's guest test. Spawns
// /bin/exit_with from initfs and waits for its exit code, then makes Spawn fail early (bad ELF
// bytes) and late (after the process, address space and frames exist) and checks that each
// failure left nothing behind: free pages, live capabilities, live kernel objects and the
// Memory's use are back at the baseline. Prints "spawn_test: N passed, N failed" and exits with
// the number of failures. Run alone (testing/loader_test.conf): the counters are system-wide.
#include "services/lib/heap_glue.h"
#include "services/lib/ipc/channel.h"
#include "services/lib/loader.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/root/initfs/protocol.h"

namespace {

using namespace hiillos;

struct Counters {
  uint64_t free_pages;
  uint64_t capabilities;
  uint64_t objects;
  uint64_t memory_used;
};

struct Test {
  uint32_t memory;
  uint32_t vmem;
  uint32_t initfs;
  const uint8_t* image;
  size_t image_size;
  int passed = 0;
  int failed = 0;

  Counters Read() const {
    auto system = rt::SystemInfo();
    auto memory_info = rt::MemoryInfo(memory);
    if (!system.ok() || !memory_info.ok()) return Counters{0, 0, 0, 0};
    return Counters{system.value().free_pages, system.value().capability_slots_used,
                    system.value().objects_live, memory_info.value().used_bytes};
  }

  void Check(bool ok, const char* what) {
    if (ok) {
      ++passed;
      rt::Printf("spawn_test: ok: %s", what);
    } else {
      ++failed;
      rt::Printf("spawn_test: FAILED: %s", what);
    }
  }

  void CheckBaseline(const Counters& before, const char* what) {
    const Counters after = Read();
    const bool same = after.free_pages == before.free_pages &&
                      after.capabilities == before.capabilities &&
                      after.objects == before.objects && after.memory_used == before.memory_used;
    if (!same) {
      rt::Printf(
          "spawn_test: %s: free pages %lu -> %lu, caps %lu -> %lu, objects %lu -> %lu, "
          "memory used %lu -> %lu",
          what, before.free_pages, after.free_pages, before.capabilities, after.capabilities,
          before.objects, after.objects, before.memory_used, after.memory_used);
    }
    Check(same, what);
  }

  rt::SpawnRequest Request(const uint8_t* bytes, size_t size, const char* const* args,
                           size_t arg_count, const rt::SpawnCap* caps, size_t cap_count) const {
    rt::SpawnRequest request;
    request.memory = memory;
    request.own_vmem = vmem;
    request.image = bytes;
    request.image_size = size;
    request.args = args;
    request.arg_count = arg_count;
    request.caps = caps;
    request.cap_count = cap_count;
    request.pid = 100;
    return request;
  }

  // Spawns exit_with CODE and waits: true when it exited with CODE.
  bool RunExitWith(const char* code_text, uint64_t code) {
    const char* const args[] = {"initfs:///bin/exit_with", code_text};
    const rt::SpawnCap caps[] = {{"memory", memory, uapi::Rights::kAll}};
    auto spawned = rt::Spawn(Request(image, image_size, args, 2, caps, 1));
    if (!spawned.ok()) {
      char reason[128];
      rt::DescribeSpawnError(spawned.error(), reason, sizeof(reason));
      rt::Printf("spawn_test: spawn failed: %s", reason);
      return false;
    }
    auto exit = rt::ThreadWait(spawned.value().thread);
    rt::Release(spawned.value());
    return exit.ok() && exit.value().reason == uapi::ExitReason::kExited &&
           exit.value().code == code;
  }

  // A Spawn that must fail with `kind`; then the counters must be back at `before`.
  void ExpectFailure(const rt::SpawnRequest& request, rt::SpawnError::Kind kind, const char* what) {
    const Counters before = Read();
    auto spawned = rt::Spawn(request);
    if (spawned.ok()) {
      rt::Release(spawned.value());
      Check(false, what);
      return;
    }
    char reason[128];
    rt::DescribeSpawnError(spawned.error(), reason, sizeof(reason));
    rt::Printf("spawn_test: %s: %s", what, reason);
    Check(spawned.error().kind == kind, what);
    CheckBaseline(before, what);
  }
};

// A whole file of initfs:// on the heap (inline reads), or nullptr.
uint8_t* ReadFile(uint32_t initfs, const char* path, size_t* size) {
  namespace ip = initfs::protocol;
  ip::Open::Request open{};
  ipc::CopyString(open.path, sizeof(open.path), path, ip::kMaxPath);
  auto opened = ipc::Call<ip::Open>(initfs, open);
  if (!opened.ok() || opened.value().type != ip::kFile) return nullptr;
  auto* data = static_cast<uint8_t*>(malloc(opened.value().size));
  size_t done = 0;
  while (data != nullptr && done < opened.value().size) {
    auto read = ipc::Call<ip::Read>(
        initfs, ip::Read::Request{opened.value().handle, done, opened.value().size - done});
    if (!read.ok() || read.value().bytes == 0) break;
    __builtin_memcpy(data + done, read.value().data, read.value().bytes);
    done += read.value().bytes;
  }
  (void)ipc::Call<ip::Close>(initfs, ip::Close::Request{opened.value().handle});
  if (data == nullptr || done != opened.value().size) return nullptr;
  *size = done;
  return data;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  Test test{rt::FindCap(start, "memory"), rt::FindCap(start, "vmem"), rt::FindCap(start, "initfs"),
            nullptr, 0};
  if (test.initfs == 0) {
    rt::Printf("spawn_test: no initfs capability");
    return 1;
  }
  ipc::SetBuffer(reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress));
  size_t image_size = 0;
  uint8_t* image = ReadFile(test.initfs, "/bin/exit_with", &image_size);
  if (image == nullptr) {
    rt::Printf("spawn_test: no /bin/exit_with in initfs");
    return 1;
  }
  test.image = image;
  test.image_size = image_size;
  // A writable copy to corrupt (allocated before any baseline is taken).
  auto* copy = static_cast<uint8_t*>(malloc(test.image_size));
  if (copy == nullptr) return 1;

  // Warm-up (the scratch window's page tables appear on first use), then a full life cycle.
  test.Check(test.RunExitWith("42", 42), "spawned /bin/exit_with 42 and waited: exit code 42");
  const Counters baseline = test.Read();
  test.Check(test.RunExitWith("3", 3), "a second run exits with code 3");
  test.CheckBaseline(baseline, "spawn, exit, wait and release leave nothing behind");

  const char* const args[] = {"initfs:///bin/exit_with", "1"};
  const rt::SpawnCap memory_cap[] = {{"memory", test.memory, uapi::Rights::kAll}};
  __builtin_memcpy(copy, test.image, test.image_size);
  copy[0] = 0;  // bad magic
  test.ExpectFailure(test.Request(copy, test.image_size, args, 2, memory_cap, 1),
                     rt::SpawnError::Kind::kElf, "a bad ELF header fails early");
  test.ExpectFailure(test.Request(test.image, test.image_size / 2, args, 2, memory_cap, 1),
                     rt::SpawnError::Kind::kElf, "a truncated ELF fails early");
  // Late failures: the image is loaded, then a capability cannot be given.
  const rt::SpawnCap bad_handle[] = {{"memory", test.memory, uapi::Rights::kAll},
                                     {"bogus", 0xfffff, uapi::Rights::kRead}};
  test.ExpectFailure(test.Request(test.image, test.image_size, args, 2, bad_handle, 2),
                     rt::SpawnError::Kind::kSyscall, "a bad capability handle fails after loading");
  const rt::SpawnCap too_many_rights[] = {
      {"memory", test.memory, uapi::Rights::kAll},
      {"initfs", test.initfs, uapi::Rights::kRead | uapi::Rights::kWrite}};
  test.ExpectFailure(test.Request(test.image, test.image_size, args, 2, too_many_rights, 2),
                     rt::SpawnError::Kind::kSyscall,
                     "rights beyond the spawner's fail after loading");
  free(copy);
  test.Check(test.RunExitWith("0", 0), "spawning still works after the failures");
  rt::Printf("spawn_test: %d passed, %d failed", test.passed, test.failed);
  return test.failed;
}
