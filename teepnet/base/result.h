// Result<T>: a T on success, an Error otherwise. A value's presence *is* success; there is
// no "ok with an error" state. Access the value only after checking ok(): operator* and
// value() on an error abort the process (a programming error, never an input error).
//
// Status is Result<void>. Two macros keep call sites on the happy path:
//   TEEPNET_RETURN_IF_ERROR(DoThing());
//   TEEPNET_ASSIGN_OR_RETURN(auto key, ParseKey(bytes));
#ifndef TEEPNET_BASE_RESULT_H_
#define TEEPNET_BASE_RESULT_H_

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "teepnet/base/error.h"

namespace teepnet {

namespace internal {
[[noreturn]] void DieOnBadResultAccess(const Error& error);
}  // namespace internal

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is meaningless");

 public:
  Result(const T& value) : state_(std::in_place_index<0>, value) {}
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}
  // A value built in place: a decoder can fill the Result it returns (one named Result and
  // one return statement, so the compiler elides the copy) instead of moving a large value
  // into it and destroying the moved-from original.
  template <typename... Args>
  explicit Result(std::in_place_t, Args&&... args)
      : state_(std::in_place_index<0>, std::forward<Args>(args)...) {}
  template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Error> &&
                                                    !std::is_same_v<std::decay_t<U>, Result>>>
  Result(U&& value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool ok() const { return state_.index() == 0; }

  const Error& error() const {
    if (ok()) internal::DieOnBadResultAccess(Error(Code::kInternal, "error() on a value"));
    return std::get<1>(state_);
  }

  T& value() & {
    Check();
    return std::get<0>(state_);
  }
  const T& value() const& {
    Check();
    return std::get<0>(state_);
  }
  T&& value() && {
    Check();
    return std::get<0>(std::move(state_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error, moved out; only valid when !ok().
  Error TakeError() && {
    if (ok()) internal::DieOnBadResultAccess(Error(Code::kInternal, "TakeError() on a value"));
    return std::get<1>(std::move(state_));
  }

 private:
  void Check() const {
    if (!ok()) internal::DieOnBadResultAccess(std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  static Result Ok() { return Result(); }

  bool ok() const { return ok_; }
  const Error& error() const {
    if (ok_) internal::DieOnBadResultAccess(Error(Code::kInternal, "error() on success"));
    return error_;
  }
  Error TakeError() && {
    if (ok_) internal::DieOnBadResultAccess(Error(Code::kInternal, "TakeError() on success"));
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status OkStatus() {
  return Status();
}

namespace internal {
// Lets the macros take the error out of either a Result<T> or a Status.
template <typename R>
Error TakeErrorFrom(R&& r) {
  return std::forward<R>(r).TakeError();
}
}  // namespace internal

}  // namespace teepnet

#define TEEPNET_CONCAT_INNER_(a, b) a##b
#define TEEPNET_CONCAT_(a, b) TEEPNET_CONCAT_INNER_(a, b)

#define TEEPNET_RETURN_IF_ERROR(expr)                                        \
  do {                                                                       \
    auto teepnet_status_ = (expr);                                           \
    if (!teepnet_status_.ok()) {                                             \
      return ::teepnet::internal::TakeErrorFrom(std::move(teepnet_status_)); \
    }                                                                        \
  } while (false)

#define TEEPNET_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)         \
  auto tmp = (expr);                                           \
  if (!tmp.ok()) {                                             \
    return ::teepnet::internal::TakeErrorFrom(std::move(tmp)); \
  }                                                            \
  lhs = std::move(tmp).value()

#define TEEPNET_ASSIGN_OR_RETURN(lhs, expr) \
  TEEPNET_ASSIGN_OR_RETURN_IMPL_(TEEPNET_CONCAT_(teepnet_result_, __LINE__), lhs, expr)

#endif  // TEEPNET_BASE_RESULT_H_
