// services/init/restart_tracker.h — RestartTracker: init's decision, each time a service dies,
// whether to start it again and after how long (its restart policy, a bounded number of
// restarts, exponential back-off), with the reason init logs. Pure; host-tested.
#pragma once

#include <stdint.h>

#include "services/init/service_config.h"

namespace hiillos::init {

// How a service's process ended.
struct ExitInfo {
  bool killed = false;    // killed (fault or kill request), no exit code
  int64_t exit_code = 0;  // when not killed
};

enum class RestartReason : uint8_t {
  kRestarting,   // will be started again after `delay_ms`
  kPolicyNever,  // restart = never
  kCleanExit,    // restart = on-failure and it exited with 0
  kGaveUp,       // max_restarts reached
};
const char* RestartReasonName(RestartReason reason);

struct RestartDecision {
  bool restart;
  uint32_t delay_ms;
  RestartReason reason;
  uint32_t attempt;  // 1 for the first restart
};

class RestartTracker {
 public:
  explicit RestartTracker(const ServiceConfig& config)
      : policy_(config.restart),
        max_restarts_(config.max_restarts),
        backoff_ms_(config.backoff_ms) {}

  RestartDecision OnExit(const ExitInfo& exit);

  // The service stayed up long enough to count as healthy: the back-off starts over (restarts
  // already used still count against max_restarts).
  void OnHealthy() { consecutive_ = 0; }

  uint32_t restarts() const { return restarts_; }

 private:
  RestartPolicy policy_;
  uint32_t max_restarts_;
  uint32_t backoff_ms_;
  uint32_t restarts_ = 0;
  uint32_t consecutive_ = 0;
};

}  // namespace hiillos::init
