// core/src/param_batch.hpp — private: turns named parameter sets into columnar batches.
#ifndef RETORT_SRC_PARAM_BATCH_HPP
#define RETORT_SRC_PARAM_BATCH_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>
#include <retort/text.hpp>
#include <retort/value.hpp>

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace retort::detail {

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

  /// Calls `sink(batch, first_row_index)` once per batch covering `params` in order.  Throws
  /// ArgumentError when a parameter set lacks a name (naming it and the set's index).
  void run(std::span<const Params> params,
           const std::function<void(const retort_batch&, std::size_t)>& sink);

  /// One batch of one row from positional values.
  static void run_positional(std::span<const Value> values,
                             const std::function<void(const retort_batch&)>& sink);

 private:
  const std::vector<std::string>& names_;
  const std::vector<std::uint32_t>& placeholders_;
  std::span<const std::uint32_t> column_flags_;
};

/// The retort_value_type a Value travels as.
uint32_t value_type_of(const Value& v) noexcept;
/// Appends `v` (which must match the column's type, or be NULL) to `column`.
void append_value(sdk::ColumnBuffer& column, const Value& v);

}  // namespace retort::detail

#endif  // RETORT_SRC_PARAM_BATCH_HPP
