// services/init/main.cc — /sbin/init: reads /etc/init.conf through initfs://, starts the
// configured programs it can (in dependency order) through the proc server, prints the
// boot-stage summary once they have all started, then reports each one's exit and exits 0 when
// none is left.
//
// Root gives init Senders for "initfs" (docs/protocols/initfs.md) and "proc"
// (docs/protocols/proc.md), its own "memory" and "log". Programs whose exec is not a file in
// initfs, that need a capability init does not have, or that need a service that did not start
// are skipped with a line saying why. Exits are reported in start order (a proc Wait per child,
// one at a time). Restart policies come with issue 12.
#include "lib/startinfo/start_info.h"
#include "services/init/boot_stages.h"
#include "services/init/service_config.h"
#include "services/lib/ipc/channel.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "services/proc/protocol.h"
#include "services/root/initfs/protocol.h"

namespace {

using namespace hiillos;
namespace ip = initfs::protocol;
namespace pp = proc::protocol;

constexpr char kConfigPath[] = "etc/init.conf";
constexpr char kConfigUrl[] = "initfs:///etc/init.conf";
// The largest configuration init reads.
constexpr size_t kMaxConfigBytes = 64 * 1024;
constexpr char kInitfsScheme[] = "initfs://";
// Capabilities init hands on by name when a service lists them (proc gives every program its
// own "memory", "log" and "proc").
constexpr const char* kSharable[] = {"initfs"};

struct Child {
  size_t service;  // index into Config::services
  uint64_t pid;
};

struct Init {
  const startinfo::StartInfo& start;
  uint32_t initfs;
  uint32_t proc;
  init::Config& config;
  bool started[init::kMaxServices] = {};
  Child children[init::kMaxServices] = {};
  size_t child_count = 0;
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

// True when `url` names a regular file in initfs.
bool IsInitfsFile(uint32_t initfs, const char* url) {
  ip::Open::Request open{};
  ipc::CopyString(open.path, sizeof(open.path), url, ip::kMaxPath);
  auto opened = ipc::Call<ip::Open>(initfs, open);
  if (!opened.ok()) return false;
  (void)ipc::Call<ip::Close>(initfs, ip::Close::Request{opened.value().handle});
  return opened.value().type == ip::kFile;
}

void StartService(Init& init, size_t index) {
  const init::ServiceConfig& service = init.config.services[index];
  const char* detail = "";
  if (const char* why = Obstacle(init, service, &detail)) {
    rt::Printf("init: [%s] skipped: %s (%s)", service.name.text, why, detail);
    return;
  }
  if (!IsInitfsFile(init.initfs, service.exec)) {
    rt::Printf("init: [%s] skipped: %s is not a file in initfs", service.name.text, service.exec);
    return;
  }
  const char* strings[init::kMaxArgs + 1 + init::kMaxCaps] = {service.exec};
  size_t count = 1;
  for (size_t i = 0; i < service.arg_count; ++i) strings[count++] = service.arg(i);
  uapi::IpcCap caps[uapi::kIpcMaxCaps];
  size_t cap_count = 0;
  for (size_t i = 0; i < service.cap_count && cap_count < uapi::kIpcMaxCaps; ++i) {
    const char* name = service.caps[i].text;
    strings[count++] = name;
    caps[cap_count++] =
        ipc::CopyCap(rt::FindCap(init.start, name),
                     uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer);
  }
  pp::Spawn::Request request{};
  request.arg_count = service.arg_count + 1;
  request.cap_count = cap_count;
  if (!pp::PackStrings(request.strings, sizeof(request.strings), strings, count)) {
    rt::Printf("init: [%s] failed to start: its arguments are too long", service.name.text);
    return;
  }
  auto spawned = ipc::Call<pp::Spawn>(init.proc, request, caps, cap_count);
  if (!spawned.ok()) {
    rt::Printf("init: [%s] failed to start: proc says %#lx", service.name.text, spawned.error());
    return;
  }
  init.started[index] = true;
  init.children[init.child_count++] = Child{index, spawned.value().pid};
  rt::Printf("init: [%s] started as pid %lu: %s", service.name.text, spawned.value().pid,
             service.exec);
}

void PrintBootStages(const startinfo::StartInfo& start, uint64_t tsc_init, uint64_t tsc_ready,
                     uint64_t tsc_started) {
  init::BootTimestamps at;
  at.loader = EnvNumber(start, "boot.tsc.loader");
  at.kernel = EnvNumber(start, "boot.tsc.kernel");
  at.root = EnvNumber(start, "boot.tsc.root");
  at.proc = EnvNumber(start, "boot.tsc.proc");
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
    auto exit = ipc::Call<pp::Wait>(init.proc, pp::Wait::Request{child.pid});
    if (!exit.ok()) {
      rt::Printf("init: [%s] (pid %lu): wait failed: %#lx", name, child.pid, exit.error());
    } else if (exit.value().state == pp::kExited) {
      rt::Printf("init: [%s] (pid %lu) exited with code %ld", name, child.pid,
                 exit.value().exit_code);
    } else {
      rt::Printf("init: [%s] (pid %lu) was killed", name, child.pid);
    }
  }
}

// /etc/init.conf through initfs:// (inline reads into a heap buffer); nullptr if unreadable.
char* ReadConfig(uint32_t initfs, size_t* size) {
  ip::Open::Request open{};
  ipc::CopyString(open.path, sizeof(open.path), kConfigUrl, sizeof(kConfigUrl));
  auto opened = ipc::Call<ip::Open>(initfs, open);
  if (!opened.ok() || opened.value().type != ip::kFile || opened.value().size > kMaxConfigBytes) {
    return nullptr;
  }
  char* text = new char[opened.value().size + 1];
  size_t done = 0;
  while (done < opened.value().size) {
    auto read = ipc::Call<ip::Read>(
        initfs, ip::Read::Request{opened.value().handle, done, opened.value().size - done});
    if (!read.ok() || read.value().bytes == 0) break;
    __builtin_memcpy(text + done, read.value().data, read.value().bytes);
    done += read.value().bytes;
  }
  (void)ipc::Call<ip::Close>(initfs, ip::Close::Request{opened.value().handle});
  if (done != opened.value().size) {
    delete[] text;
    return nullptr;
  }
  *size = done;
  return text;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint64_t tsc_init = rt::ReadTsc();
  ipc::SetBuffer(reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress));
  rt::Printf("init: up (pid %lu)", start.pid());
  const uint32_t initfs = rt::FindCap(start, "initfs");
  const uint32_t proc = rt::FindCap(start, "proc");
  if (initfs == 0 || proc == 0 || !rt::HeapAvailable()) {
    rt::Printf("init: started without its initfs, proc or memory capability");
    return 1;
  }
  size_t size = 0;
  char* text = ReadConfig(initfs, &size);
  if (text == nullptr) {
    rt::Printf("init: cannot read /%s from initfs", kConfigPath);
    return 1;
  }
  auto* config = new init::Config;
  auto parsed = init::ParseConfig(text, size, *config);
  if (!parsed.ok()) {
    rt::Printf("init: /%s:%u: %s", kConfigPath, parsed.error().line,
               init::ConfigErrorName(parsed.error().error));
    return 1;
  }
  const uint64_t tsc_ready = rt::ReadTsc();
  rt::Printf("init: stage init done: %zu services in /%s", config->count, kConfigPath);
  Init init{start, initfs, proc, *config};
  for (size_t i = 0; i < config->count; ++i) StartService(init, config->start_order[i]);
  const uint64_t tsc_started = rt::ReadTsc();
  rt::Printf("init: stage programs done: %zu of %zu started", init.child_count, config->count);
  PrintBootStages(start, tsc_init, tsc_ready, tsc_started);
  ReportExits(init);
  rt::Printf("init: every program has exited");
  delete config;
  delete[] text;
  return 0;
}
