// services/init/start_plan.cc — start and stop order by readiness and dependencies.
#include "services/init/start_plan.h"

namespace hiillos::init {

StartStep NextStartStep(const Config& config, const Progress* progress) {
  for (size_t k = 0; k < config.count; ++k) {
    const size_t index = config.start_order[k];
    if (progress[index] != Progress::kWaiting) continue;
    const ServiceConfig& service = config.services[index];
    bool all_ready = true;
    for (size_t n = 0; n < service.need_count; ++n) {
      const size_t need = service.needs[n];
      if (progress[need] == Progress::kFailed) {
        return StartStep{StartStep::kSkip, index, need};
      }
      if (progress[need] != Progress::kReady) all_ready = false;
    }
    if (all_ready) return StartStep{StartStep::kStart, index, 0};
  }
  return StartStep{};
}

bool StartSettled(const Config& config, const Progress* progress) {
  for (size_t i = 0; i < config.count; ++i) {
    if (progress[i] == Progress::kWaiting || progress[i] == Progress::kStarting) return false;
  }
  return true;
}

bool MayStop(const Config& config, size_t index, const bool* running) {
  for (size_t i = 0; i < config.count; ++i) {
    if (!running[i]) continue;
    const ServiceConfig& service = config.services[i];
    for (size_t n = 0; n < service.need_count; ++n) {
      if (service.needs[n] == index) return false;
    }
  }
  return true;
}

}  // namespace hiillos::init
