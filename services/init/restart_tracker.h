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
        backoff_ms_(config.backoff_ms),
        healthy_ms_(config.healthy_ms) {}

  RestartDecision OnExit(const ExitInfo& exit);

  // The service stayed up long enough to count as healthy: the back-off starts over (restarts
  // already used still count against max_restarts).
  void OnHealthy() { consecutive_ = 0; }

  // The current instance became ready at `now_ms` (any clock init keeps). It counts as healthy
  // once it has stayed ready for the configured healthy_ms (CheckHealthy).
  void OnReady(uint64_t now_ms) {
    ready_ = true;
    ready_since_ms_ = now_ms;
  }
  // When CheckHealthy would next act: the time the ready instance becomes healthy while its
  // back-off is not reset yet; 0 when there is nothing to wait for.
  uint64_t HealthyAtMs() const {
    return ready_ && consecutive_ > 0 ? ready_since_ms_ + healthy_ms_ : 0;
  }
  // At `now_ms`: when the ready instance has stayed ready for healthy_ms and the back-off had
  // grown, resets it (OnHealthy) and returns true (init logs it); false otherwise.
  bool CheckHealthy(uint64_t now_ms) {
    const uint64_t at = HealthyAtMs();
    if (at == 0 || now_ms < at) return false;
    OnHealthy();
    return true;
  }

  uint32_t restarts() const { return restarts_; }

 private:
  RestartPolicy policy_;
  uint32_t max_restarts_;
  uint32_t backoff_ms_;
  uint32_t healthy_ms_;
  bool ready_ = false;  // the current instance is ready (OnReady), until its exit
  uint64_t ready_since_ms_ = 0;
  uint32_t restarts_ = 0;
  uint32_t consecutive_ = 0;
};

}  // namespace hiillos::init
