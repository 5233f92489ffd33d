// services/init/main.cc — /sbin/init: reads /etc/init.conf from the initfs archive, starts the
// configured programs it can (in dependency order), prints the boot-stage summary once they
// have all started, then reports each one's exit and exits 0 when none is left.
//
// Pre-IPC path (docs/protocols/initfs.md): root gives init the unpacked archive as a read-only
// frame ("initfs") and its Memory ("memory"); init maps the archive, reads files from it with
// lib/ustar and loads programs itself (services/lib/loader.h). Programs whose exec is not in
// initfs, that need a capability init does not have, or that need a service that did not start
// are skipped with a line saying why. Exits are reported in start order (ThreadWait on one
// child at a time: a long-running program delays the reports of later ones until a wait-any
// exists with IPC notifications). Restart policies come with IPC (issue 12).
#include "lib/startinfo/start_info.h"
#include "lib/ustar/archive.h"
#include "services/init/boot_stages.h"
#include "services/init/service_config.h"
#include "services/lib/loader.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"

namespace {

using namespace hiillos;

constexpr char kConfigPath[] = "etc/init.conf";
constexpr char kInitfsScheme[] = "initfs://";
// Capabilities init hands on by name when a service lists them (besides "memory", which every
// program gets for its heap until the vm server exists).
constexpr const char* kSharable[] = {"initfs"};

struct Child {
  size_t service;  // index into Config::services
  uint64_t pid;
  rt::Spawned spawned;
};

struct Init {
  const startinfo::StartInfo& start;
  uint32_t memory;
  uint32_t vmem;
  const ustar::Archive& archive;
  init::Config& config;
  bool started[init::kMaxServices] = {};
  Child children[init::kMaxServices] = {};
  size_t child_count = 0;
  uint64_t next_pid = 2;  // init is 1
};

bool StartsWith(const char* text, const char* prefix) {
  for (; *prefix != '\0'; ++text, ++prefix) {
    if (*text != *prefix) return false;
  }
  return true;
}

bool Equals(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

uint64_t EnvNumber(const startinfo::StartInfo& start, const char* key) {
  size_t length = 0;
  while (key[length] != '\0') ++length;
  startinfo::Text value;
  if (!start.FindEnv(startinfo::Text{key, length}, &value)) return 0;
  uint64_t number = 0;
  for (size_t i = 0; i < value.length && value.data[i] >= '0' && value.data[i] <= '9'; ++i) {
    number = number * 10 + static_cast<uint64_t>(value.data[i] - '0');
  }
  return number;
}

// Why `service` cannot start now, or nullptr; *detail names the missing piece.
const char* Obstacle(const Init& init, const init::ServiceConfig& service, const char** detail) {
  for (size_t i = 0; i < service.need_count; ++i) {
    if (!init.started[service.needs[i]]) {
      *detail = service.need_names[i].text;
      return "it needs a service that did not start";
    }
  }
  for (size_t i = 0; i < service.cap_count; ++i) {
    bool sharable = false;
    for (const char* name : kSharable) {
      if (Equals(service.caps[i].text, name) && rt::FindCap(init.start, name) != 0) sharable = true;
    }
    if (!sharable) {
      *detail = service.caps[i].text;
      return "init has no capability to give it";
    }
  }
  if (!StartsWith(service.exec, kInitfsScheme)) {
    *detail = service.exec;
    return "only initfs:// programs can start before the file system";
  }
  return nullptr;
}

void StartService(Init& init, size_t index) {
  const init::ServiceConfig& service = init.config.services[index];
  const char* detail = "";
  if (const char* why = Obstacle(init, service, &detail)) {
    rt::Printf("init: [%s] skipped: %s (%s)", service.name.text, why, detail);
    return;
  }
  const char* path = service.exec + sizeof(kInitfsScheme) - 1;  // "/sbin/..."
  auto entry = init.archive.Lookup(path);
  if (!entry.ok() || entry.value().type != ustar::EntryType::kRegular) {
    rt::Printf("init: [%s] skipped: %s is not a file in initfs", service.name.text, service.exec);
    return;
  }
  const char* args[init::kMaxArgs + 1] = {service.exec};
  for (size_t i = 0; i < service.arg_count; ++i) args[i + 1] = service.arg(i);
  rt::SpawnCap caps[init::kMaxCaps + 2];  // + memory and log
  size_t cap_count = 0;
  caps[cap_count++] = rt::SpawnCap{"memory", init.memory, uapi::Rights::kAll};
  // Every program may write to the kernel log (print.h) if init itself may.
  if (const uint32_t log = rt::FindCap(init.start, "log"); log != 0) {
    caps[cap_count++] = rt::SpawnCap{"log", log, uapi::Rights::kWrite};
  }
  for (size_t i = 0; i < service.cap_count; ++i) {
    const char* name = service.caps[i].text;
    caps[cap_count++] =
        rt::SpawnCap{name, rt::FindCap(init.start, name), uapi::Rights::kRead | uapi::Rights::kMap};
  }
  rt::SpawnRequest request;
  request.memory = init.memory;
  request.own_vmem = init.vmem;
  request.image = entry.value().data;
  request.image_size = entry.value().size;
  request.args = args;
  request.arg_count = service.arg_count + 1;
  request.caps = caps;
  request.cap_count = cap_count;
  request.pid = init.next_pid;
  auto spawned = rt::Spawn(request);
  if (!spawned.ok()) {
    char reason[128];
    rt::DescribeSpawnError(spawned.error(), reason, sizeof(reason));
    rt::Printf("init: [%s] failed to start: %s", service.name.text, reason);
    return;
  }
  init.started[index] = true;
  init.children[init.child_count++] = Child{index, init.next_pid, spawned.value()};
  rt::Printf("init: [%s] started as pid %lu: %s", service.name.text, init.next_pid, service.exec);
  ++init.next_pid;
}

void PrintBootStages(const startinfo::StartInfo& start, uint64_t tsc_init, uint64_t tsc_ready,
                     uint64_t tsc_started) {
  init::BootTimestamps at;
  at.loader = EnvNumber(start, "boot.tsc.loader");
  at.kernel = EnvNumber(start, "boot.tsc.kernel");
  at.root = EnvNumber(start, "boot.tsc.root");
  at.init = tsc_init;
  at.ready = tsc_ready;
  at.started = tsc_started;
  auto system = rt::SystemInfo();
  const uint64_t now = rt::ReadTsc();
  init::BootStage stages[init::kBootStageCount];
  if (!system.ok() ||
      !init::ComputeBootStages(
          at, init::TicksPerMillisecond(at.loader, now, system.value().uptime_ns), stages)) {
    rt::Printf("init: boot stages: timestamps unavailable");
    return;
  }
  for (const init::BootStage& stage : stages) {
    rt::Printf("init: boot stage %-8s %6lu.%03lu ms (%lu TSC ticks)", stage.name,
               stage.micros / 1000, stage.micros % 1000, stage.ticks);
  }
}

void ReportExits(Init& init) {
  for (size_t i = 0; i < init.child_count; ++i) {
    const Child& child = init.children[i];
    const char* name = init.config.services[child.service].name.text;
    auto exit = rt::ThreadWait(child.spawned.thread);
    rt::Release(child.spawned);
    if (!exit.ok()) {
      rt::Printf("init: [%s] (pid %lu): wait failed: %s", name, child.pid,
                 uapi::StatusName(exit.error()));
    } else if (exit.value().reason == uapi::ExitReason::kExited) {
      rt::Printf("init: [%s] (pid %lu) exited with code %lu", name, child.pid, exit.value().code);
    } else {
      rt::Printf("init: [%s] (pid %lu) died: %s, code %lu at %#lx", name, child.pid,
                 exit.value().reason == uapi::ExitReason::kFaulted ? "fault" : "killed",
                 exit.value().code, exit.value().fault_addr);
    }
  }
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint64_t tsc_init = rt::ReadTsc();
  rt::Printf("init: up (pid %lu)", start.pid());
  const uint32_t initfs = rt::FindCap(start, "initfs");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (initfs == 0 || memory == 0 || vmem == 0 || !rt::HeapAvailable()) {
    rt::Printf("init: started without its initfs, memory or vmem capability");
    return 1;
  }
  auto frame = rt::FrameInfo(initfs);
  if (!frame.ok() ||
      !rt::VmemMap(vmem, initfs, rt::kSharedDataAddress, uapi::kMapRead, memory).ok()) {
    rt::Printf("init: cannot map the initfs archive");
    return 1;
  }
  auto archive = ustar::Archive::Open(reinterpret_cast<const uint8_t*>(rt::kSharedDataAddress),
                                      frame.value().size_bytes);
  if (!archive.ok()) {
    rt::Printf("init: the initfs archive is invalid: %s", ustar::ErrorName(archive.error()));
    return 1;
  }
  auto text = archive.value().Lookup(kConfigPath);
  if (!text.ok()) {
    rt::Printf("init: no /%s in initfs", kConfigPath);
    return 1;
  }
  auto* config = new init::Config;
  auto parsed = init::ParseConfig(reinterpret_cast<const char*>(text.value().data),
                                  text.value().size, *config);
  if (!parsed.ok()) {
    rt::Printf("init: /%s:%u: %s", kConfigPath, parsed.error().line,
               init::ConfigErrorName(parsed.error().error));
    return 1;
  }
  const uint64_t tsc_ready = rt::ReadTsc();
  rt::Printf("init: stage init done: %zu services in /%s", config->count, kConfigPath);
  Init init{start, memory, vmem, archive.value(), *config};
  for (size_t i = 0; i < config->count; ++i) StartService(init, config->start_order[i]);
  const uint64_t tsc_started = rt::ReadTsc();
  rt::Printf("init: stage programs done: %zu of %zu started", init.child_count, config->count);
  PrintBootStages(start, tsc_init, tsc_ready, tsc_started);
  ReportExits(init);
  rt::Printf("init: every program has exited");
  delete config;
  return 0;
}
