// core/src/param_batch.hpp — private: turns named parameter sets into columnar batches.
#ifndef RETORT_SRC_PARAM_BATCH_HPP
#define RETORT_SRC_PARAM_BATCH_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>
#include <retort/text.hpp>
#include <retort/value.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace retort::detail {

/// A reference to a callable for a callback that runs only while the call lasts.  Unlike
/// std::function it never allocates: execute()'s `[&]` lambdas capture more references than
/// std::function holds inline, which cost an allocation per statement executed.
template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> &&
           std::is_invocable_r_v<R, F&, Args...>) FunctionRef(F&& f)
  noexcept  // NOLINT(google-explicit-constructor): used like std::function
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

/// Builds one batch from a run of parameter sets whose value types agree column by column.
struct BatchAssembly {
  std::vector<sdk::ColumnBuffer> columns;
  std::vector<retort_column> views;
  std::vector<uint32_t> types;  // RETORT_TYPE_NULL while undecided
  std::span<const std::uint32_t> flags;  // RETORT_COLUMN_* hints per column, or empty

  void start(std::size_t n);
  retort_batch finish(int64_t rows);
};

/// ParamBatcher::run's working buffers.  A connection keeps one between executions, so that
/// running a statement (a point select in a loop) does not allocate them every time.
struct ParamScratch {
  std::vector<std::size_t> hint;
  std::vector<const Value*> values;
  std::vector<std::size_t> typed_by_row;
  BatchAssembly batch;
  /// Batches up to this many rows leave their buffers for the next run; a larger one frees
  /// them, so a connection does not keep an executemany's memory.
  static constexpr std::size_t kKeepRows = 1024;
};

/// Builds parameter batches for one statement.  A batch column has one value type, so a run
/// of parameter sets whose values change type (an int, then a string, for the same
/// parameter) is cut into several batches; NULLs fit any type.
class ParamBatcher {
 public:
  /// `names`: the statement's distinct parameter names; `placeholders`: for each placeholder,
  /// the index into `names` it binds; `column_flags`: empty, or for each placeholder the
  /// RETORT_COLUMN_* hints its batch column carries.  All three must outlive the batcher.
  ParamBatcher(const std::vector<std::string>& names,
               const std::vector<std::uint32_t>& placeholders,
               std::span<const std::uint32_t> column_flags = {});
  /// The same, working in `scratch` (which must not be in use by another run meanwhile).
  ParamBatcher(const std::vector<std::string>& names,
               const std::vector<std::uint32_t>& placeholders, ParamScratch& scratch,
               std::span<const std::uint32_t> column_flags = {});

  /// Calls `sink(batch, first_row_index)` once per batch covering `params` in order.  Throws
  /// ArgumentError when a parameter set lacks a name (naming it and the set's index).
  void run(std::span<const Params> params,
           FunctionRef<void(const retort_batch&, std::size_t)> sink);

  /// One batch of one row from positional values.
  static void run_positional(std::span<const Value> values,
                             FunctionRef<void(const retort_batch&)> sink);

 private:
  const std::vector<std::string>& names_;
  const std::vector<std::uint32_t>& placeholders_;
  std::span<const std::uint32_t> column_flags_;
  ParamScratch* scratch_ = nullptr;
};

/// The retort_value_type a Value travels as.
uint32_t value_type_of(const Value& v) noexcept;
/// Appends `v` (which must match the column's type, or be NULL) to `column`.
void append_value(sdk::ColumnBuffer& column, const Value& v);

}  // namespace retort::detail

#endif  // RETORT_SRC_PARAM_BATCH_HPP
