// services/init/restart_tracker.cc — restart decisions with bounded retries and back-off.
#include "services/init/restart_tracker.h"

namespace hiillos::init {

const char* RestartReasonName(RestartReason reason) {
  switch (reason) {
    case RestartReason::kRestarting:
      return "restarting";
    case RestartReason::kPolicyNever:
      return "restart policy is never";
    case RestartReason::kCleanExit:
      return "exited cleanly";
    case RestartReason::kGaveUp:
      return "too many restarts";
  }
  return "unknown";
}

RestartDecision RestartTracker::OnExit(const ExitInfo& exit) {
  ready_ = false;
  if (policy_ == RestartPolicy::kNever) {
    return RestartDecision{false, 0, RestartReason::kPolicyNever, 0};
  }
  if (policy_ == RestartPolicy::kOnFailure && !exit.killed && exit.exit_code == 0) {
    return RestartDecision{false, 0, RestartReason::kCleanExit, 0};
  }
  if (restarts_ >= max_restarts_) {
    return RestartDecision{false, 0, RestartReason::kGaveUp, restarts_};
  }
  // backoff_ms * 2^consecutive, capped.
  uint64_t delay = backoff_ms_;
  for (uint32_t i = 0; i < consecutive_ && delay < kMaxBackoffMs; ++i) delay *= 2;
  if (delay > kMaxBackoffMs) delay = kMaxBackoffMs;
  ++restarts_;
  ++consecutive_;
  return RestartDecision{true, static_cast<uint32_t>(delay), RestartReason::kRestarting, restarts_};
}

}  // namespace hiillos::init
