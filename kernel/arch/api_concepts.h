// kernel/arch/api_concepts.h — the small concept vocabulary the architecture interfaces use.
//
// Each interface header in kernel/arch/ states what an architecture must provide as a concept
// and checks the selected implementation with static_assert (managarm/thor style). The kernel is
// freestanding (no <concepts>), so the few building blocks live here.
#pragma once

namespace hiillos::arch {

// `A` and `B` are the same type (std::same_as).
template <typename A, typename B>
concept SameAs = __is_same(A, B) && __is_same(B, A);

}  // namespace hiillos::arch
