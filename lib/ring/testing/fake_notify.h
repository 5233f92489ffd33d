// lib/ring/testing/fake_notify.h — a host stand-in for a kernel Notify bit: Signal sets it (and
// it stays set until consumed), Wait blocks until it is set and clears it. No timeouts: a lost
// wake-up shows as a hang, which the test's Bazel timeout turns into a failure.
#pragma once

#include <condition_variable>
#include <mutex>

namespace hiillos::ring::testing {

class FakeNotify {
 public:
  void Signal() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      set_ = true;
    }
    changed_.notify_one();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return set_; });
    set_ = false;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

}  // namespace hiillos::ring::testing
