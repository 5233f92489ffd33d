// testing/vm/vm_test.cc — the vm guest test's root program (//testing:vm_test_smp1, _smp4). It
// unpacks the initfs, starts /sbin/vm the way root does (services/vm/launch.h), then spawns
// /bin/vm_child with a Memory of its own and the registration endpoint: the child registers its
// address space, allocates and touches heap memory through the server (lazy zero-fill, checked
// against the server's Stats) and exits, releasing its space. Afterwards the server holds no
// space and no frame, and the child's Memory is back to what it was charged before.
// Then, as proc does, it registers children's spaces itself before they start (rt::SpawnHook,
// with the child's thread) and gives them "vm": a child that touched heap pages is killed — vm
// releases its space by itself, back to the baselines; and /bin/vm_share
// shares a region between two children, both see the same bytes, and the frame stays while
// either side still maps it and goes when both have exited.
// Prints "vm_test: N passed, N failed"; the exit code is the failure count.
#include "lib/format/format.h"
#include "services/lib/loader.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/root/unpack.h"
#include "services/vm/client.h"
#include "services/vm/launch.h"
#include "testing/lib/check_log.h"
#include "testing/lib/root_setup.h"
#include "testing/vm/share_protocol.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr uint64_t kChildBudget = 4 << 20;

constinit testing_lib::CheckLog g_checks("vm_test", testing_lib::CheckLog::Print::kFailures);

void Check(bool ok, const char* what) {
  g_checks.Check(ok, what);
}

void RunChild(const ustar::Archive& archive, uint32_t registrar) {
  auto admin_before = vm::Stats(registrar);
  Check(admin_before.ok() && admin_before.value().w1 == 0 && admin_before.value().w2 == 0,
        "the server starts with no space and no frame");
  auto memory = rt::MemoryCreate(uapi::kRootMemoryHandle, kChildBudget);
  Check(memory.ok(), "a Memory for the child");
  if (!memory.ok()) return;
  const uint64_t used_before = rt::MemoryInfo(memory.value()).value().used_bytes;
  auto image = archive.Lookup("bin/vm_child");
  Check(image.ok(), "/bin/vm_child is in the initfs");
  if (image.ok()) {
    const char* const args[] = {"initfs:///bin/vm_child"};
    const rt::SpawnCap caps[] = {
        {"memory", memory.value(), uapi::Rights::kAll},
        {"log", uapi::kRootLogHandle, uapi::Rights::kWrite},
        {"vm_register", registrar, uapi::Rights::kWrite},
    };
    rt::SpawnRequest request;
    request.memory = uapi::kRootMemoryHandle;
    request.own_vmem = uapi::kRootVmemHandle;
    request.image = image.value().data;
    request.image_size = image.value().size;
    request.args = args;
    request.arg_count = 1;
    request.caps = caps;
    request.cap_count = 3;
    request.pid = 2;
    auto spawned = rt::Spawn(request);
    Check(spawned.ok(), "spawning /bin/vm_child");
    if (spawned.ok()) {
      auto exit = rt::ThreadWait(spawned.value().thread);
      Check(exit.ok() && exit.value().reason == uapi::ExitReason::kExited,
            "the child exited normally");
      if (exit.ok() && exit.value().code != 0) {
        rt::Printf("vm_test: FAILED: vm_child check %lu", exit.value().code);
        ++g_checks.failed;
      }
      rt::Release(spawned.value());
    }
  }
  auto admin_after = vm::Stats(registrar);
  Check(admin_after.ok(), "Stats after the child");
  if (admin_after.ok()) {
    rt::Printf("vm_test: after the child: %lu spaces, %lu frames, %lu bytes held",
               admin_after.value().w1, admin_after.value().w2, admin_after.value().w3);
    Check(admin_after.value().w1 == 0, "the child's space was released");
    Check(admin_after.value().w2 == 0 && admin_after.value().w3 == 0,
          "the server holds no frame any more");
  }
  auto info = rt::MemoryInfo(memory.value());
  Check(info.ok() && info.value().used_bytes == used_before,
        "the child's Memory is back to its baseline");
  (void)rt::CapDelete(memory.value());
}

// --- children whose space the test registers (as proc does) --------------------------------

struct Registration {
  uint32_t registrar;
  uint32_t memory;
  uint32_t sender = 0;
  uint64_t space = 0;
};

Result<uint32_t, uapi::Status> RegisterChild(void* context, const rt::Spawned& child) {
  auto& registration = *static_cast<Registration*>(context);
  auto space = vm::RegisterSpace(registration.registrar, child.vmem, registration.memory,
                                 kChildBudget, child.thread);
  if (!space.ok()) return Err(uapi::Status::kInvalidArgument);
  registration.sender = space.value().sender;
  registration.space = space.value().id;
  return space.value().sender;
}

struct Child {
  bool ok = false;
  rt::Spawned spawned{0, 0, 0};
  uint32_t memory = 0;
  uint64_t used_before = 0;
  Registration registration{0, 0};
};

// Spawns `args[0]` (an initfs path) with a fresh Memory, "log", `extra` (named "test" when
// non-zero) and its space registered with vm before it starts.
Child SpawnRegistered(const ustar::Archive& archive, uint32_t registrar, const char* path,
                      const char* const* args, size_t arg_count, uint32_t extra) {
  Child child;
  auto memory = rt::MemoryCreate(uapi::kRootMemoryHandle, kChildBudget);
  auto image = archive.Lookup(path);
  if (!memory.ok() || !image.ok()) return child;
  child.memory = memory.value();
  child.used_before = rt::MemoryInfo(child.memory).value().used_bytes;
  child.registration = Registration{registrar, child.memory};
  const rt::SpawnCap caps[] = {
      {"memory", child.memory, uapi::Rights::kAll},
      {"log", uapi::kRootLogHandle, uapi::Rights::kWrite},
      {"test", extra, uapi::Rights::kWrite},
  };
  const rt::SpawnHook hook{"vm", uapi::Rights::kWrite, &child.registration, &RegisterChild};
  rt::SpawnRequest request;
  request.memory = uapi::kRootMemoryHandle;
  request.own_vmem = uapi::kRootVmemHandle;
  request.image = image.value().data;
  request.image_size = image.value().size;
  request.args = args;
  request.arg_count = arg_count;
  request.caps = caps;
  request.cap_count = extra != 0 ? 3 : 2;
  request.pid = 3;
  request.hook = &hook;
  auto spawned = rt::Spawn(request);
  if (!spawned.ok()) {
    char reason[128];
    rt::DescribeSpawnError(spawned.error(), reason, sizeof(reason));
    rt::Printf("vm_test: cannot spawn %s: %s", path, reason);
    return child;
  }
  child.spawned = spawned.value();
  child.ok = true;
  return child;
}

// After the child ended: the test's handles go, and its Memory must be back at its baseline.
void Finish(Child& child, const char* what) {
  rt::Release(child.spawned);
  if (child.registration.sender != 0) (void)rt::CapDelete(child.registration.sender);
  auto info = rt::MemoryInfo(child.memory);
  Check(info.ok() && info.value().used_bytes == child.used_before, what);
  if (info.ok() && info.value().used_bytes != child.used_before) {
    rt::Printf("vm_test: %s: %lu bytes charged, %lu before", what, info.value().used_bytes,
               child.used_before);
  }
  (void)rt::CapDelete(child.memory);
}

// vm releases a space on its own message loop: poll its Stats until `spaces` are left.
vm::SpaceStats AwaitSpaces(uint32_t registrar, uint64_t spaces) {
  for (;;) {
    auto stats = vm::Stats(registrar);
    if (!stats.ok()) return vm::SpaceStats{~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}};
    if (stats.value().w1 == spaces) return stats.value();
    (void)rt::Yield();
  }
}

// A child touches 16 heap pages and loops; killed, its thread ends and vm releases its space
// without being asked. (A fault ends the thread the same way; the harness fails on any fault
// line in the log, so this test does not make one.)
void RunKilled(const ustar::Archive& archive, uint32_t registrar) {
  const char* const args[] = {"initfs:///bin/vm_child", "hold"};
  Child child = SpawnRegistered(archive, registrar, "bin/vm_child", args, 2, 0);
  Check(child.ok, "spawning vm_child hold");
  if (!child.ok) return;
  // Wait until the child has touched its 16 pages, then kill it.
  for (;;) {
    auto stats = vm::Stats(child.registration.sender);
    if (!stats.ok() || stats.value().w1 >= 16) break;
    (void)rt::Yield();
  }
  auto mid = vm::Stats(registrar);
  Check(mid.ok() && mid.value().w1 == 1 && mid.value().w2 >= 16,
        "the looping child holds its pages at the server");
  Check(rt::ProcessKill(child.spawned.process).ok(), "killing the child");
  auto exit = rt::ThreadWait(child.spawned.thread);
  Check(exit.ok() && exit.value().reason == uapi::ExitReason::kKilled, "the child was killed");
  vm::SpaceStats after = AwaitSpaces(registrar, 0);
  rt::Printf("vm_test: after the killed child: %lu spaces, %lu frames, %lu bytes held", after.w1,
             after.w2, after.w3);
  Check(after.w2 == 0 && after.w3 == 0, "vm released the killed child's frames");
  auto gone = vm::Stats(child.registration.sender);
  Check(!gone.ok() && gone.error().status == vm::protocol::Status::kNoSuchSpace,
        "the killed child's space Sender names nothing");
  Finish(child, "the killed child's Memory is back to its baseline");
}

// A spawn that fails after the hook registered the child's space (a capability that cannot be
// given): the loader kills the never-started child, vm's watcher sees its thread end and the
// space goes; nothing is left charged.
void RunFailedSpawn(const ustar::Archive& archive, uint32_t registrar) {
  const char* const args[] = {"initfs:///bin/vm_child", "hold"};
  Child child = SpawnRegistered(archive, registrar, "bin/vm_child", args, 2, 0x7fff'fff0u);
  Check(!child.ok, "a spawn with a capability that cannot be given fails");
  Check(child.registration.space != 0, "the hook had registered the child's space");
  vm::SpaceStats after = AwaitSpaces(registrar, 0);
  rt::Printf("vm_test: after the failed spawn: %lu spaces, %lu frames, %lu bytes held", after.w1,
             after.w2, after.w3);
  if (child.registration.sender != 0) (void)rt::CapDelete(child.registration.sender);
  auto info = rt::MemoryInfo(child.memory);
  Check(info.ok() && info.value().used_bytes == child.used_before,
        "the failed child's Memory is back to its baseline");
  (void)rt::CapDelete(child.memory);
}

// Two children share a region (vm_share.cc): the giver exits first, the frame stays for the taker.
void RunShare(const ustar::Archive& archive, uint32_t registrar) {
  using namespace testing_vm;
  auto receiver = rt::MemoryAllocReceiver(uapi::kRootMemoryHandle);
  Check(receiver.ok(), "a Receiver for vm_share");
  if (!receiver.ok()) return;
  auto giver_sender = rt::ReceiverCreateSender(uapi::kRootMemoryHandle, receiver.value(), 1);
  auto taker_sender = rt::ReceiverCreateSender(uapi::kRootMemoryHandle, receiver.value(), 2);
  auto giver_reply = rt::MemoryAllocReply(uapi::kRootMemoryHandle);
  auto taker_reply = rt::MemoryAllocReply(uapi::kRootMemoryHandle);
  if (!giver_sender.ok() || !taker_sender.ok() || !giver_reply.ok() || !taker_reply.ok()) {
    Check(false, "the endpoints for vm_share");
    return;
  }
  const char* const take_args[] = {"initfs:///bin/vm_share", "take"};
  Child taker =
      SpawnRegistered(archive, registrar, "bin/vm_share", take_args, 2, taker_sender.value());
  Check(taker.ok, "spawning vm_share take");
  if (!taker.ok) return;
  char space[24];
  format::FormatToBuffer(space, sizeof(space), "%lu", taker.registration.space);
  const char* const give_args[] = {"initfs:///bin/vm_share", "give", space};
  Child giver =
      SpawnRegistered(archive, registrar, "bin/vm_share", give_args, 3, giver_sender.value());
  Check(giver.ok, "spawning vm_share give");
  if (!giver.ok) return;
  // Both first messages, in whatever order: kShared from the giver, kReady from the taker.
  const uint32_t replies[2] = {giver_reply.value(), taker_reply.value()};
  uint32_t to_giver = 0;
  uint32_t to_taker = 0;
  uint64_t address = 0;
  for (int received = 0; received < 2;) {
    auto message = rt::Recv(receiver.value(), replies[received], uapi::IpcMessage{});
    if (!message.ok()) continue;
    if (message.value().badge == 2 && message.value().words[0] == kReady) {
      to_taker = replies[received];
    } else if (message.value().badge == 1 && message.value().words[0] == kShared) {
      to_giver = replies[received];
      address = message.value().words[1];
    }
    ++received;
  }
  Check(to_giver != 0 && to_taker != 0, "both sides of vm_share called the test");
  Check(address != 0, "the giver shared a region into the taker's space");
  uapi::IpcMessage answer;
  answer.words[1] = address;
  Check(rt::Reply(to_taker, answer).ok(), "telling the taker the address");
  auto checked = rt::Recv(receiver.value(), to_taker, uapi::IpcMessage{});
  Check(checked.ok() && checked.value().badge == 2 && checked.value().words[0] == kChecked,
        "the taker read the pattern and wrote its mark");
  auto both = vm::Stats(registrar);
  Check(both.ok() && both.value().w1 == 2, "two spaces while both run");
  // The giver sees the mark and exits; its space goes, the frame stays (the taker maps it).
  Check(rt::Reply(to_giver, uapi::IpcMessage{}).ok(), "letting the giver finish");
  auto giver_exit = rt::ThreadWait(giver.spawned.thread);
  Check(giver_exit.ok() && giver_exit.value().reason == uapi::ExitReason::kExited &&
            giver_exit.value().code == 0,
        "vm_share give exited with 0");
  if (giver_exit.ok() && giver_exit.value().code != 0) {
    rt::Printf("vm_test: vm_share give: check %lu", giver_exit.value().code);
  }
  vm::SpaceStats one = AwaitSpaces(registrar, 1);
  Check(one.w1 == 1, "the giver's space was released at its exit");
  auto taker_stats = vm::Stats(taker.registration.sender);
  Check(taker_stats.ok() && taker_stats.value().w2 >= kShareBytes,
        "the taker's space still has the shared region");
  Check(one.w3 >= kShareBytes, "the shared frame is still held for the taker");
  Check(rt::Reply(to_taker, uapi::IpcMessage{}).ok(), "letting the taker finish");
  auto taker_exit = rt::ThreadWait(taker.spawned.thread);
  Check(taker_exit.ok() && taker_exit.value().reason == uapi::ExitReason::kExited &&
            taker_exit.value().code == 0,
        "vm_share take exited with 0");
  if (taker_exit.ok() && taker_exit.value().code != 0) {
    rt::Printf("vm_test: vm_share take: check %lu", taker_exit.value().code);
  }
  vm::SpaceStats none = AwaitSpaces(registrar, 0);
  rt::Printf("vm_test: after vm_share: %lu spaces, %lu frames, %lu bytes held", none.w1, none.w2,
             none.w3);
  Check(none.w2 == 0 && none.w3 == 0, "the shared frame went with its last user");
  Finish(giver, "the giver's Memory is back to its baseline");
  Finish(taker, "the taker's Memory is back to its baseline");
  const uint32_t endpoints[] = {giver_sender.value(), taker_sender.value(), giver_reply.value(),
                                taker_reply.value(), receiver.value()};
  for (uint32_t handle : endpoints) (void)rt::CapDelete(handle);
}

int Run(const uapi::BootInfo& info) {
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(uapi::kRootMemoryHandle, uapi::kRootVmemHandle);
  Check(testing_lib::SetUpRootIpcBuffer(), "root's IPC buffer");
  uint64_t module_size = 0;
  const uint32_t module = testing_lib::FindInitfsModule(info, &module_size);
  Check(module != 0, "the initfs module");
  if (module == 0) return 1;
  auto initfs =
      root::UnpackInitfs(uapi::kRootMemoryHandle, uapi::kRootVmemHandle, module, module_size,
                         testing_lib::kInitfsModuleAddress, rt::kSharedDataAddress);
  Check(initfs.ok(), "unpacking the initfs");
  if (!initfs.ok()) return 1;
  auto image = initfs.value().archive.Lookup("sbin/vm");
  Check(image.ok(), "/sbin/vm is in the initfs");
  if (!image.ok()) return 1;
  vm::LaunchRequest request;
  request.memory = uapi::kRootMemoryHandle;
  request.own_vmem = uapi::kRootVmemHandle;
  request.log = uapi::kRootLogHandle;
  request.image = image.value().data;
  request.image_size = image.value().size;
  request.pid = 1;
  request.budget_bytes = 1 << 20;
  auto launched = vm::Launch(request);
  Check(launched.ok(), "starting /sbin/vm");
  if (launched.ok()) {
    RunChild(initfs.value().archive, launched.value().registrar);
    RunKilled(initfs.value().archive, launched.value().registrar);
    RunFailedSpawn(initfs.value().archive, launched.value().registrar);
    RunShare(initfs.value().archive, launched.value().registrar);
  }
  g_checks.PrintSummary();
  return g_checks.failed;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
