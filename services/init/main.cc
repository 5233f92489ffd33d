// services/init/main.cc — /sbin/init, the service manager: reads /etc/init.conf through
// initfs://, starts the configured services it can through the proc server, each only after
// every service it needs is ready (StartPlan), logs each as ready (`ready = started`: proc
// started it; `ready = notify`: it said Ready to proc, which init's ChildWatcher learns through
// proc's WaitReady; not ready within `ready_timeout_ms`: killed and handled as a failure),
// restarts those that die under their restart policy (RestartTracker: bounded retries with
// back-off, reset after `healthy_ms` ready; the waits run on a DeadlineTimer, not in the receive
// loop), answers control requests (services/init/protocol.h), stops the services in reverse
// dependency order on a shutdown request and exits when no service is left running.
//
// Root gives init Senders for "initfs" (docs/protocols/initfs.md) and "proc"
// (docs/protocols/proc.md), its own "memory", "vmem", "log", "ioports" (CMOS ports 0x70-0x71,
// for timed), "devices" and "irq" (the device-memory and IRQ authorities, for pcid) and
// "initfs_image" (the unpacked archive, for vfsd); its environment holds acpi.rsdp= and
// boot.root= (and boot.rootfstype=), which `${KEY}` in a service's args fills in
// (arg_expand.h). Capabilities a service lists in `caps` (GIVEN=NAME hands NAME as GIVEN):
//   endpoint  a Receiver init creates once for the service and keeps: every instance of the
//             service gets the same one, so its clients' Senders survive restarts
//             (docs/services.md);
//   <service> a Sender to that service's endpoint: badge 1, or the client's own badge when the
//             service says `sessions = per-client`, or N for `<service>:N` (ClientBadge);
//   init      a Sender (badge 2) to init's control endpoint;
//   otherwise a capability init holds under that name (initfs, ioports, devices, irq,
//             initfs_image).
// Programs whose exec is not a file in initfs, that need a capability init cannot give, or that
// need a service that never became ready are skipped with a line saying why.
#include "lib/startinfo/start_info.h"
#include "services/init/arg_expand.h"
#include "services/init/boot_stages.h"
#include "services/init/child_watch.h"
#include "services/init/deadline_timer.h"
#include "services/init/protocol.h"
#include "services/init/restart_tracker.h"
#include "services/init/service_config.h"
#include "services/init/start_plan.h"
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
namespace cp = init::protocol;

constexpr char kConfigPath[] = "etc/init.conf";
constexpr char kConfigUrl[] = "initfs:///etc/init.conf";
// The largest configuration init reads.
constexpr size_t kMaxConfigBytes = 64 * 1024;
constexpr char kInitfsScheme[] = "initfs://";
// Capabilities init hands on by name when a service lists them (proc gives every program its
// own "memory", "log" and "proc").
constexpr const char* kSharable[] = {"initfs", "ioports", "devices", "irq", "initfs_image"};
constexpr char kEndpointCap[] = "endpoint";
constexpr char kControlCap[] = "init";
static_assert(cp::kClientBadge == init::kSharedClientBadge);

struct Service {
  init::Progress progress = init::Progress::kWaiting;  // kReady: its dependants may start
  uint64_t pid = 0;                                    // the live process, 0 when none
  uint64_t state = cp::kStateDown;
  init::RestartTracker* tracker = nullptr;
  uint32_t receiver = 0;  // its endpoint (kept by init across restarts), 0 without one
  uint32_t clients = 0;   // a Sender (badge kClientBadge) to it, copied to clients
  // cap_senders[i]: for cap i naming a service, the Sender made for this client when its badge
  // (init::ClientBadge) is not kClientBadge; 0 otherwise (the server's `clients` is used).
  uint32_t cap_senders[init::kMaxCaps] = {};
  bool ready = false;           // the live instance is ready
  bool timed_out = false;       // the live instance is being killed: not ready in time
  bool stop_requested = false;  // shutdown asked proc to kill the live instance
  uint64_t ready_deadline = 0;  // TSC: the live instance must be ready by then (0: none)
  uint64_t restart_at = 0;      // TSC: its restart after the back-off (0: none pending)
};

struct Init {
  Init(const startinfo::StartInfo& start_info, uint32_t initfs_sender, uint32_t proc_sender,
       init::Config& parsed)
      : start(start_info), initfs(initfs_sender), proc(proc_sender), config(parsed) {}

  const startinfo::StartInfo& start;
  uint32_t initfs;
  uint32_t proc;
  uint32_t control = 0;  // Sender (badge kControlBadge) to init's endpoint
  init::Config& config;
  init::ChildWatcher* watcher = nullptr;
  init::DeadlineTimer* timer = nullptr;
  uint64_t ticks_per_ms = 1;  // the TSC's
  Service services[init::kMaxServices];
  size_t running = 0;
  size_t pending_restarts = 0;
  bool settled = false;  // every service ready or failed once: the boot summary is out
  uint64_t tsc_init = 0;
  uint64_t tsc_ready = 0;  // the config was parsed (boot stage "init")
  bool shutting_down = false;
  int64_t shutdown_code = 0;
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

int FindService(const Init& init, const char* name) {
  size_t length = 0;
  while (name[length] != '\0') ++length;
  return init.config.Find(name, length);
}

// The handle and rights init gives service `index` for its capability `cap`, or 0.
uint32_t CapFor(const Init& init, size_t index, size_t cap, uapi::Rights* rights) {
  const char* name = init.config.services[index].cap_sources[cap].text;
  const bool badged = init.config.services[index].cap_badges[cap] >= 0;
  const uapi::Rights kPassOn =
      uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer;
  *rights = kPassOn;
  if (Equals(name, kEndpointCap)) {
    *rights = kPassOn | uapi::Rights::kRead;  // receive, and make Senders (timed's timer)
    return init.services[index].receiver;
  }
  if (Equals(name, "ioports") || Equals(name, "devices") || Equals(name, "irq")) {
    *rights = kPassOn | uapi::Rights::kRead;
  }
  if (Equals(name, "initfs_image")) {  // read-only: no Write
    *rights =
        uapi::Rights::kRead | uapi::Rights::kMap | uapi::Rights::kClone | uapi::Rights::kTransfer;
  }
  if (Equals(name, kControlCap) && !badged) return init.control;
  if (int other = FindService(init, name); other >= 0) {
    if (init.services[index].cap_senders[cap] != 0) return init.services[index].cap_senders[cap];
    return init.services[other].clients;
  }
  if (badged) return 0;  // `:N` only on a service's Sender
  for (const char* sharable : kSharable) {
    if (Equals(name, sharable)) return rt::FindCap(init.start, name);
  }
  return 0;
}

// Why `service` cannot start now, or nullptr; *detail names the missing piece.
const char* Obstacle(const Init& init, size_t index, const char** detail) {
  const init::ServiceConfig& service = init.config.services[index];
  for (size_t i = 0; i < service.need_count; ++i) {
    if (init.services[service.needs[i]].progress != init::Progress::kReady) {
      *detail = service.need_names[i].text;
      return "it needs a service that is not ready";
    }
  }
  if (service.cap_count > uapi::kIpcMaxCaps) {
    *detail = service.caps[uapi::kIpcMaxCaps].text;
    return "init passes at most 4 capabilities";
  }
  for (size_t i = 0; i < service.cap_count; ++i) {
    uapi::Rights rights;
    if (CapFor(init, index, i, &rights) == 0) {
      *detail = service.cap_sources[i].text;
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

// Microseconds since kernel entry (boot.tsc.kernel from root), at the kernel clock's rate
// (boot_stages.h); the kernel clock's uptime (from the loader's entry) when the TSC values are
// missing.
uint64_t SinceKernelMicros(const Init& init) {
  auto system = rt::SystemInfo();
  if (!system.ok()) return 0;
  const uint64_t now = rt::ReadTsc();
  const uint64_t loader = EnvNumber(init.start, "boot.tsc.loader");
  const uint64_t kernel = EnvNumber(init.start, "boot.tsc.kernel");
  const uint64_t per_ms = init::TicksPerMillisecond(loader, now, system.value().uptime_ns);
  if (per_ms == 0 || kernel < loader || now < kernel) return system.value().uptime_ns / 1000;
  const uint64_t ticks = now - kernel;
  return ticks / per_ms * 1000 + ticks % per_ms * 1000 / per_ms;
}

bool LookupEnv(void* context, const char* key, size_t key_length, const char** value,
               size_t* value_length) {
  const auto& start = *static_cast<const startinfo::StartInfo*>(context);
  startinfo::Text found;
  if (!start.FindEnv(startinfo::Text{key, key_length}, &found)) return false;
  *value = found.data;
  *value_length = found.length;
  return true;
}

// The service's arguments with ${KEY} filled in from init's environment, into `storage`
// (`strings` gets one pointer per argument kept). An argument naming an unset key is left out
// (logged: vfsd without root= says so itself); false (logged) on any other problem.
bool ExpandArgs(const Init& init, const init::ServiceConfig& service, char* storage,
                size_t capacity, const char** strings, size_t* count) {
  size_t used = 0;
  for (size_t i = 0; i < service.arg_count; ++i) {
    init::Missing missing;
    const init::ExpandError error =
        init::ExpandArg(service.arg(i), LookupEnv, const_cast<startinfo::StartInfo*>(&init.start),
                        storage + used, capacity - used, &missing);
    if (error == init::ExpandError::kUnset) {
      char key[64];
      ipc::CopyString(key, sizeof(key), missing.key,
                      missing.length < sizeof(key) - 1 ? missing.length : sizeof(key) - 1);
      rt::Printf("init: [%s] argument \"%s\" left out: %s is %s", service.name.text, service.arg(i),
                 key, init::ExpandErrorName(error));
      continue;
    }
    if (error != init::ExpandError::kOk) {
      rt::Printf("init: [%s] failed to start: argument \"%s\" is %s", service.name.text,
                 service.arg(i), init::ExpandErrorName(error));
      return false;
    }
    strings[(*count)++] = storage + used;
    while (storage[used] != '\0') ++used;
    ++used;
  }
  return true;
}

void PrintBootStages(const Init& state, uint64_t tsc_started);

// The live instance of service `index` is ready (proc started it, or it said Ready): logged with
// the time since kernel entry; its dependants may start (StartPending).
void OnReady(Init& init, size_t index) {
  Service& service = init.services[index];
  const init::ServiceConfig& config = init.config.services[index];
  if (service.ready) return;
  service.ready = true;
  service.ready_deadline = 0;
  service.progress = init::Progress::kReady;
  service.tracker->OnReady(rt::ReadTsc() / init.ticks_per_ms);
  const uint64_t us = SinceKernelMicros(init);
  rt::Printf("init: [%s] ready at %lu.%03lu ms (pid %lu; ready = %s)", config.name.text, us / 1000,
             us % 1000, service.pid, config.ready_notify ? "notify" : "started");
}

// Sets the DeadlineTimer to the earliest ready deadline, restart or healthy moment.
void ArmTimer(Init& init) {
  uint64_t earliest = init::kNoDeadline;
  auto consider = [&](uint64_t at) {
    if (at != 0 && at < earliest) earliest = at;
  };
  for (size_t i = 0; i < init.config.count; ++i) {
    const Service& service = init.services[i];
    if (service.state == cp::kStateRunning && !service.ready) consider(service.ready_deadline);
    consider(service.restart_at);
    if (service.state == cp::kStateRunning && service.ready) {
      consider(service.tracker->HealthyAtMs() * init.ticks_per_ms);
    }
  }
  if (init.timer != nullptr) init.timer->Set(earliest);
}

// Spawns service `index` through proc and watches it; false (logged) when it did not start.
bool Spawn(Init& init, size_t index) {
  const init::ServiceConfig& service = init.config.services[index];
  const char* strings[init::kMaxArgs + 1 + init::kMaxCaps] = {service.exec};
  size_t count = 1;
  char expanded[pp::kStringBytes];
  if (!ExpandArgs(init, service, expanded, sizeof(expanded), strings, &count)) return false;
  const size_t arg_count = count;
  uapi::IpcCap caps[uapi::kIpcMaxCaps];
  size_t cap_count = 0;
  for (size_t i = 0; i < service.cap_count && cap_count < uapi::kIpcMaxCaps; ++i) {
    uapi::Rights rights;
    const uint32_t handle = CapFor(init, index, i, &rights);
    strings[count++] = service.caps[i].text;  // the name the program looks for
    caps[cap_count++] = ipc::CopyCap(handle, rights);
  }
  pp::Spawn::Request request{};
  request.arg_count = arg_count;
  request.cap_count = cap_count;
  if (!pp::PackStrings(request.strings, sizeof(request.strings), strings, count)) {
    rt::Printf("init: [%s] failed to start: its arguments are too long", service.name.text);
    return false;
  }
  auto spawned = ipc::Call<pp::Spawn>(init.proc, request, caps, cap_count);
  if (!spawned.ok()) {
    rt::Printf("init: [%s] failed to start: proc says %#lx", service.name.text, spawned.error());
    return false;
  }
  const uint64_t pid = spawned.value().pid;
  if (auto watched = init.watcher->Watch(pid, service.ready_notify); !watched.ok()) {
    rt::Printf("init: [%s] cannot watch pid %lu (%s): killing it", service.name.text, pid,
               uapi::StatusName(watched.error()));
    (void)ipc::Call<pp::Kill>(init.proc, pp::Kill::Request{pid});
    (void)ipc::Call<pp::Wait>(init.proc, pp::Wait::Request{pid});
    return false;
  }
  Service& state = init.services[index];
  state.pid = pid;
  state.state = cp::kStateRunning;
  state.ready = false;
  state.timed_out = false;
  state.stop_requested = false;
  ++init.running;
  rt::Printf("init: [%s] started as pid %lu: %s", service.name.text, pid, service.exec);
  if (service.ready_notify) {
    state.ready_deadline = rt::ReadTsc() + init.ticks_per_ms * service.ready_timeout_ms;
  } else {
    OnReady(init, index);
  }
  ArmTimer(init);
  return true;
}

// Starts service `index` (its needs are ready); false (logged) when it was skipped or did not
// start.
bool StartService(Init& init, size_t index) {
  const init::ServiceConfig& service = init.config.services[index];
  const char* detail = "";
  if (const char* why = Obstacle(init, index, &detail)) {
    rt::Printf("init: [%s] skipped: %s (%s)", service.name.text, why, detail);
    return false;
  }
  if (!IsInitfsFile(init.initfs, service.exec)) {
    rt::Printf("init: [%s] skipped: %s is not a file in initfs", service.name.text, service.exec);
    return false;
  }
  return Spawn(init, index);
}

size_t ReadyCount(const Init& init) {
  size_t count = 0;
  for (size_t i = 0; i < init.config.count; ++i) {
    if (init.services[i].progress == init::Progress::kReady) ++count;
  }
  return count;
}

// Starts (or skips) every service whose needs are settled, in start order; the boot summary once
// every service is ready or failed.
void StartPending(Init& init) {
  if (init.shutting_down) return;
  init::Progress progress[init::kMaxServices];
  for (;;) {
    for (size_t i = 0; i < init.config.count; ++i) progress[i] = init.services[i].progress;
    const init::StartStep step = init::NextStartStep(init.config, progress);
    if (step.kind == init::StartStep::kNone) break;
    Service& service = init.services[step.service];
    if (step.kind == init::StartStep::kSkip) {
      rt::Printf("init: [%s] skipped: it needs %s, which did not become ready",
                 init.config.services[step.service].name.text,
                 init.config.services[step.blocker].name.text);
      service.progress = init::Progress::kFailed;
      continue;
    }
    service.progress = init::Progress::kStarting;
    if (!StartService(init, step.service)) {
      service.progress = init::Progress::kFailed;
      service.state = cp::kStateStopped;
    }
  }
  for (size_t i = 0; i < init.config.count; ++i) progress[i] = init.services[i].progress;
  if (init.settled || !init::StartSettled(init.config, progress)) return;
  init.settled = true;
  rt::Printf("init: stage programs done: %zu of %zu ready", ReadyCount(init), init.config.count);
  PrintBootStages(init, rt::ReadTsc());
}

// Kills, in reverse dependency order, the running services no running service needs
// (shutdown); called again as each ends.
void StopNext(Init& init) {
  bool running[init::kMaxServices] = {};
  for (size_t i = 0; i < init.config.count; ++i) {
    running[i] = init.services[i].state == cp::kStateRunning;
  }
  for (size_t k = init.config.count; k-- > 0;) {
    const size_t index = init.config.start_order[k];
    Service& service = init.services[index];
    if (!running[index] || service.stop_requested) continue;
    if (!init::MayStop(init.config, index, running)) continue;
    rt::Printf("init: stopping [%s] (pid %lu)", init.config.services[index].name.text, service.pid);
    service.stop_requested = true;
    (void)ipc::Call<pp::Kill>(init.proc, pp::Kill::Request{service.pid});
  }
}

// The live instance of service `pid` said Ready (a ChildWatcher notice).
void OnChildReady(Init& init, uint64_t pid) {
  for (size_t i = 0; i < init.config.count; ++i) {
    Service& service = init.services[i];
    if (service.pid != pid || service.state != cp::kStateRunning) continue;
    if (service.timed_out || service.stop_requested) return;  // too late: it is being killed
    OnReady(init, i);
    ArmTimer(init);
    StartPending(init);
    return;
  }
}

// The DeadlineTimer fired: ready timeouts, restarts whose back-off is over, healthy services.
void OnTick(Init& init) {
  const uint64_t now = rt::ReadTsc();
  for (size_t i = 0; i < init.config.count; ++i) {
    Service& service = init.services[i];
    const init::ServiceConfig& config = init.config.services[i];
    if (service.state == cp::kStateRunning && !service.ready && service.ready_deadline != 0 &&
        now >= service.ready_deadline) {
      service.ready_deadline = 0;
      service.timed_out = true;
      rt::Printf("init: [%s] (pid %lu) not ready within %u ms (no Ready from it): killing it",
                 config.name.text, service.pid, config.ready_timeout_ms);
      if (auto killed = ipc::Call<pp::Kill>(init.proc, pp::Kill::Request{service.pid});
          !killed.ok()) {
        rt::Printf("init: [%s] proc refused the kill: %#lx", config.name.text, killed.error());
      }
    }
    if (service.restart_at != 0 && now >= service.restart_at && !init.shutting_down) {
      service.restart_at = 0;
      --init.pending_restarts;
      if (!Spawn(init, i)) {
        service.state = cp::kStateStopped;
        if (service.progress == init::Progress::kStarting)
          service.progress = init::Progress::kFailed;
      }
    }
    if (service.state == cp::kStateRunning && service.ready &&
        service.tracker->CheckHealthy(now / init.ticks_per_ms)) {
      rt::Printf("init: [%s] ready for %u ms: restart back-off reset", config.name.text,
                 config.healthy_ms);
    }
  }
  StartPending(init);
  ArmTimer(init);
}

// A service's process ended (a ChildWatcher notice): log it, restart it under its policy.
void OnChildEnded(Init& init, uint64_t pid, uint64_t state, uint64_t code) {
  size_t index = init.config.count;
  for (size_t i = 0; i < init.config.count; ++i) {
    if (init.services[i].pid == pid && init.services[i].state == cp::kStateRunning) index = i;
  }
  if (index == init.config.count) return;
  Service& service = init.services[index];
  const char* name = init.config.services[index].name.text;
  const bool timed_out = service.timed_out;
  service.pid = 0;
  service.state = cp::kStateDown;
  service.ready = false;
  service.timed_out = false;
  service.stop_requested = false;
  service.ready_deadline = 0;
  --init.running;
  init::ExitInfo exit;
  if (state == init::kWaitFailed) {
    rt::Printf("init: [%s] (pid %lu): wait failed: %#lx", name, pid, code);
    exit.killed = true;
  } else if (state == pp::kExited) {
    rt::Printf("init: [%s] (pid %lu) exited with code %ld", name, pid, static_cast<int64_t>(code));
    exit.exit_code = static_cast<int64_t>(code);
  } else {
    rt::Printf("init: [%s] (pid %lu) was killed", name, pid);
    exit.killed = true;
  }
  if (init.shutting_down) {
    service.state = cp::kStateStopped;
    StopNext(init);
    return;
  }
  const init::RestartDecision decision = service.tracker->OnExit(exit);
  if (!decision.restart) {
    service.state = cp::kStateStopped;
    rt::Printf("init: [%s] not restarted: %s (%u restarts)", name,
               init::RestartReasonName(decision.reason), service.tracker->restarts());
    // Never ready: its dependants will not start (StartPending skips them).
    if (service.progress == init::Progress::kStarting) service.progress = init::Progress::kFailed;
    StartPending(init);
    ArmTimer(init);
    return;
  }
  rt::Printf("init: [%s] restarting in %u ms (restart %u of %u, after %s)", name, decision.delay_ms,
             decision.attempt, init.config.services[index].max_restarts,
             timed_out     ? "a ready timeout"
             : exit.killed ? "a kill"
                           : "a non-zero exit");
  service.restart_at = rt::ReadTsc() + init.ticks_per_ms * decision.delay_ms;
  ++init.pending_restarts;
  ArmTimer(init);
}

// A control request (badge kControlBadge); fills the reply.
void OnControl(Init& init, const uapi::IpcMessage& in, uapi::IpcMessage& out) {
  const uint64_t op = in.words[0];
  if (op == cp::kOpShutdown) {
    init.shutting_down = true;
    init.shutdown_code = static_cast<int64_t>(in.words[1]);
    rt::Printf("init: shutting down (%zu services running)", init.running);
    for (size_t i = 0; i < init.config.count; ++i) {
      if (init.services[i].restart_at == 0) continue;
      init.services[i].restart_at = 0;  // no restarts any more
      init.services[i].state = cp::kStateStopped;
      --init.pending_restarts;
    }
    StopNext(init);
    out.words[0] = cp::kOk;
    return;
  }
  if (op != cp::kOpStatus && op != cp::kOpKill) {
    out.words[0] = cp::kUnknownOp;
    return;
  }
  char name[cp::kMaxNameBytes];
  cp::UnpackName(&in.words[1], name);
  const int index = FindService(init, name);
  if (index < 0) {
    out.words[0] = cp::kNoSuchService;
    return;
  }
  Service& service = init.services[index];
  if (op == cp::kOpStatus) {
    out.words[0] = cp::kOk;
    out.words[1] = service.pid;
    out.words[2] = service.tracker->restarts();
    out.words[3] = service.state;
    out.words[4] = service.ready ? 1 : 0;
    return;
  }
  if (service.state != cp::kStateRunning) {
    out.words[0] = cp::kNotRunning;
    return;
  }
  auto killed = ipc::Call<pp::Kill>(init.proc, pp::Kill::Request{service.pid});
  if (!killed.ok()) {
    out.words[0] = cp::kProcRefused;
    out.words[1] = killed.error();
    return;
  }
  rt::Printf("init: [%s] (pid %lu) kill requested", name, service.pid);
  out.words[0] = cp::kOk;
  out.words[1] = service.pid;
}

// The boot-stage summary (docs/boot-stages.md), then the "ready" span (kernel entry to the last
// service ready) and the line saying all services are ready.
void PrintBootStages(const Init& state, uint64_t tsc_started) {
  const startinfo::StartInfo& start = state.start;
  init::BootTimestamps at;
  at.loader = EnvNumber(start, "boot.tsc.loader");
  at.kernel = EnvNumber(start, "boot.tsc.kernel");
  at.root = EnvNumber(start, "boot.tsc.root");
  at.proc = EnvNumber(start, "boot.tsc.proc");
  at.init = state.tsc_init;
  at.ready = state.tsc_ready;
  at.started = tsc_started;
  auto system = rt::SystemInfo();
  const uint64_t now = rt::ReadTsc();
  const uint64_t ticks_per_ms =
      system.ok() ? init::TicksPerMillisecond(at.loader, now, system.value().uptime_ns) : 0;
  init::BootStage stages[init::kBootStageCount];
  init::BootStage ready;
  if (!init::ComputeBootStages(at, ticks_per_ms, stages) ||
      !init::ComputeReady(at, ticks_per_ms, &ready)) {
    rt::Printf("init: boot stages: timestamps unavailable");
    return;
  }
  for (const init::BootStage& stage : stages) {
    rt::Printf("init: boot stage %-8s %6lu.%03lu ms (%lu TSC ticks)", stage.name,
               stage.micros / 1000, stage.micros % 1000, stage.ticks);
  }
  const size_t ready_count = ReadyCount(state);
  if (ready_count == state.config.count) {
    rt::Printf("init: all services ready at %lu.%03lu ms (from kernel entry)", ready.micros / 1000,
               ready.micros % 1000);
  } else {
    rt::Printf(
        "init: %zu of %zu services ready at %lu.%03lu ms (from kernel entry; the others "
        "were skipped or failed, see above)",
        ready_count, state.config.count, ready.micros / 1000, ready.micros % 1000);
  }
  // Last, so a run can stop at it (testing/bench/run_bench.sh).
  rt::Printf("init: boot stage %-8s %6lu.%03lu ms (%lu TSC ticks)", ready.name, ready.micros / 1000,
             ready.micros % 1000, ready.ticks);
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

// Init's endpoint, the notice and control Senders, each service's endpoint and client Sender;
// false (logged) when one could not be made.
bool MakeEndpoints(Init& init, uint32_t memory, uint32_t* receiver, uint32_t* notice) {
  auto events = rt::MemoryAllocReceiver(memory);
  if (!events.ok()) return false;
  *receiver = events.value();
  auto notices = rt::ReceiverCreateSender(memory, *receiver, init::kNoticeBadge);
  auto control = rt::ReceiverCreateSender(memory, *receiver, cp::kControlBadge);
  if (!notices.ok() || !control.ok()) return false;
  *notice = notices.value();
  init.control = control.value();
  for (size_t i = 0; i < init.config.count; ++i) {
    const init::ServiceConfig& service = init.config.services[i];
    init.services[i].tracker = new init::RestartTracker(service);
    for (size_t c = 0; c < service.cap_count; ++c) {
      if (!Equals(service.caps[c].text, kEndpointCap)) continue;
      auto endpoint = rt::MemoryAllocReceiver(memory);
      if (!endpoint.ok()) return false;
      auto clients = rt::ReceiverCreateSender(memory, endpoint.value(), cp::kClientBadge);
      if (!clients.ok()) return false;
      init.services[i].receiver = endpoint.value();
      init.services[i].clients = clients.value();
    }
  }
  // Each client's own Sender where its badge is not the shared one (docs/services.md).
  for (size_t i = 0; i < init.config.count; ++i) {
    const init::ServiceConfig& service = init.config.services[i];
    for (size_t c = 0; c < service.cap_count; ++c) {
      const int server = FindService(init, service.cap_sources[c].text);
      if (server < 0 || init.services[server].receiver == 0) continue;
      const uint64_t badge = init::ClientBadge(init.config, i, c, static_cast<size_t>(server));
      if (badge == cp::kClientBadge) continue;
      auto sender = rt::ReceiverCreateSender(memory, init.services[server].receiver, badge);
      if (!sender.ok()) return false;
      init.services[i].cap_senders[c] = sender.value();
    }
  }
  return true;
}

// Serves notices and control requests until no service runs (or waits for its restart).
void Serve(Init& init, uint32_t receiver, uint32_t reply) {
  while (init.running > 0 || init.pending_restarts > 0) {
    auto received = rt::Recv(receiver, reply, uapi::IpcMessage{});
    if (!received.ok()) {
      rt::Printf("init: receive failed: %s", uapi::StatusName(received.error()));
      return;
    }
    const uapi::IpcMessage& in = received.value();
    uapi::IpcMessage out;
    const bool answer = (in.info & uapi::IpcInfo::kReplyExpected) != 0;
    if (in.badge == init::kNoticeBadge && in.words[0] == init::kChildEnded) {
      init.watcher->Done(in.words[4]);
      if (answer) (void)rt::Reply(reply, out);  // the helper may exit now
      OnChildEnded(init, in.words[1], in.words[2], in.words[3]);
      continue;
    }
    if (in.badge == init::kNoticeBadge && in.words[0] == init::kChildReady) {
      if (answer) (void)rt::Reply(reply, out);  // the helper goes on to proc's Wait
      OnChildReady(init, in.words[1]);
      continue;
    }
    if (in.badge == init::kNoticeBadge && in.words[0] == init::kTimerTick) {
      OnTick(init);  // sets the next deadline before the helper goes back to waiting
      if (answer) (void)rt::Reply(reply, out);
      continue;
    }
    if (in.badge == cp::kControlBadge) {
      OnControl(init, in, out);
    } else {
      out.words[0] = cp::kUnknownOp;
    }
    if (answer) (void)rt::Reply(reply, out);
  }
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint64_t tsc_init = rt::ReadTsc();
  ipc::SetBuffer(reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress));
  rt::Printf("init: up (pid %lu)", start.pid());
  const uint32_t initfs = rt::FindCap(start, "initfs");
  const uint32_t proc = rt::FindCap(start, "proc");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (initfs == 0 || proc == 0 || memory == 0 || vmem == 0 || !rt::HeapAvailable()) {
    rt::Printf("init: started without its initfs, proc, memory or vmem capability");
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
  auto* state = new Init(start, initfs, proc, *config);
  Init& init = *state;
  init.tsc_init = tsc_init;
  init.tsc_ready = tsc_ready;
  uint32_t receiver = 0;
  uint32_t notice = 0;
  auto reply = rt::MemoryAllocReply(memory);
  if (!reply.ok() || !MakeEndpoints(init, memory, &receiver, &notice)) {
    rt::Printf("init: cannot make its endpoints");
    return 1;
  }
  if (auto clock = rt::SystemClock(); clock.ok() && clock.value().tsc_hz >= 1000) {
    init.ticks_per_ms = clock.value().tsc_hz / 1000;
  }
  init.watcher = new init::ChildWatcher(memory, vmem, proc, notice);
  init.timer = new init::DeadlineTimer;
  if (auto timer = init.timer->Start(memory, vmem, notice); !timer.ok()) {
    rt::Printf("init: cannot start its timer: %s", uapi::StatusName(timer.error()));
    return 1;
  }
  StartPending(init);
  Serve(init, receiver, reply.value());
  init.timer->Stop();
  rt::Printf("init: every program has exited");
  return init.shutting_down ? static_cast<int>(init.shutdown_code) : 0;
}
