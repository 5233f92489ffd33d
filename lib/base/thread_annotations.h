// lib/base/thread_annotations.h — clang -Wthread-safety attribute macros (docs/locking.md).
#pragma once

#define TA_CAPABILITY(name) __attribute__((capability(name)))
#define TA_GUARDED(lock) __attribute__((guarded_by(lock)))
#define TA_PT_GUARDED(lock) __attribute__((pt_guarded_by(lock)))
#define TA_ACQUIRE(...) __attribute__((acquire_capability(__VA_ARGS__)))
#define TA_TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))
#define TA_RELEASE(...) __attribute__((release_capability(__VA_ARGS__)))
#define TA_TRY_ACQUIRE(...) __attribute__((try_acquire_capability(__VA_ARGS__)))
#define TA_REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#define TA_EXCLUDES(...) __attribute__((locks_excluded(__VA_ARGS__)))
#define TA_SCOPED_CAPABILITY __attribute__((scoped_lockable))
#define TA_ASSERT_CAPABILITY(...) __attribute__((assert_capability(__VA_ARGS__)))
#define TA_NO_THREAD_SAFETY_ANALYSIS __attribute__((no_thread_safety_analysis))
