// kernel/syscall/decode_and_call.h — DecodeAndCall: decodes a call's argument registers in
// argument order with a per-kind decoder, stops at the first error (nothing after it is decoded,
// the handler does not run), and calls the handler with every decoded value. Pure, host-tested.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/base/utility.h"

namespace hiillos::syscall {

template <typename Function>
struct ReturnOf;
template <typename R, typename... A>
struct ReturnOf<R(A...)> {
  using Type = R;
};

// Decoder<Decode, Handler, Kinds...>::Run decodes registers[0] as the first kind with
// Decode<Kind>::Decode(uint64_t) -> Result, then the rest, then calls the handler.
template <template <typename> class Decode, typename Handler, typename... Kinds>
struct Decoder;
template <template <typename> class Decode, typename Handler>
struct Decoder<Decode, Handler> {
  template <typename... Decoded>
  static typename ReturnOf<Handler>::Type Run(Handler* handler, const uint64_t*,
                                              Decoded&&... decoded) {
    return handler(static_cast<Decoded&&>(decoded)...);
  }
};
template <template <typename> class Decode, typename Handler, typename Kind, typename... Rest>
struct Decoder<Decode, Handler, Kind, Rest...> {
  template <typename... Decoded>
  static typename ReturnOf<Handler>::Type Run(Handler* handler, const uint64_t* registers,
                                              Decoded&&... decoded) {
    auto value = TRY(Decode<Kind>::Decode(registers[0]));
    return Decoder<Decode, Handler, Rest...>::Run(handler, registers + 1,
                                                  static_cast<Decoded&&>(decoded)..., Move(value));
  }
};

template <template <typename> class Decode, typename Signature>
struct SignatureDecoder;
template <template <typename> class Decode, typename Value, typename... Kinds>
struct SignatureDecoder<Decode, Value(Kinds...)> {
  template <typename Handler>
  static typename ReturnOf<Handler>::Type Run(Handler* handler, const uint64_t* registers) {
    return Decoder<Decode, Handler, Kinds...>::Run(handler, registers);
  }
};

// Decodes `registers` as the kinds of `Signature` (a function type Value(Kinds...)) and calls
// `handler` with the results; returns the first decode error, or what the handler returns.
template <template <typename> class Decode, typename Signature, typename Handler>
typename ReturnOf<Handler>::Type DecodeAndCall(Handler* handler, const uint64_t* registers) {
  return SignatureDecoder<Decode, Signature>::Run(handler, registers);
}

}  // namespace hiillos::syscall
