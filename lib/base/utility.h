// lib/base/utility.h — Move, Forward and type traits for freestanding code (no libstdc++ here).
#pragma once

namespace hiillos {

template <typename T>
struct RemoveReference {
  using Type = T;
};
template <typename T>
struct RemoveReference<T&> {
  using Type = T;
};
template <typename T>
struct RemoveReference<T&&> {
  using Type = T;
};
template <typename T>
using RemoveReferenceT = typename RemoveReference<T>::Type;

template <typename T>
constexpr RemoveReferenceT<T>&& Move(T&& value) noexcept {
  return static_cast<RemoveReferenceT<T>&&>(value);
}

template <typename T>
constexpr T&& Forward(RemoveReferenceT<T>& value) noexcept {
  return static_cast<T&&>(value);
}
template <typename T>
constexpr T&& Forward(RemoveReferenceT<T>&& value) noexcept {
  return static_cast<T&&>(value);
}

template <typename A, typename B>
inline constexpr bool kIsSame = __is_same(A, B);

template <typename T>
constexpr const T& Min(const T& a, const T& b) {
  return b < a ? b : a;
}
template <typename T>
constexpr const T& Max(const T& a, const T& b) {
  return a < b ? b : a;
}

}  // namespace hiillos
