// services/init/start_plan.h — which service init starts, skips or stops next: services start in
// Config::start_order, each only once everything it `needs` has been ready (docs/services.md,
// "Start, ready, exit, restart"); a service whose need failed for good is skipped; shutdown stops
// a service only after every running service that needs it has ended (reverse dependency
// order). Pure; host-tested. init keeps one Progress per service.
#pragma once

#include <stddef.h>

#include "services/init/service_config.h"

namespace hiillos::init {

enum class Progress : uint8_t {
  kWaiting,   // not started yet (its needs are not all ready)
  kStarting,  // started (or restarting) and not ready yet
  kReady,     // has been ready (stays so across later restarts)
  kFailed,    // skipped, or ended for good before it was ever ready
};

struct StartStep {
  enum Kind : uint8_t { kNone, kStart, kSkip } kind = kNone;
  size_t service = 0;  // kStart, kSkip: which
  size_t blocker = 0;  // kSkip: the need that failed
};

// The next step: the first service in start order still kWaiting whose needs are all kReady
// (kStart) or one of whose needs is kFailed (kSkip); kNone when every waiting service still waits
// for a need that is kStarting (or nothing waits).
StartStep NextStartStep(const Config& config, const Progress* progress);

// True when no service is kWaiting or kStarting: the boot has settled (all ready or failed).
bool StartSettled(const Config& config, const Progress* progress);

// During shutdown: true when service `index` may be stopped now, i.e. no service that needs it
// is still running (running[i]: service i has a live process).
bool MayStop(const Config& config, size_t index, const bool* running);

}  // namespace hiillos::init
