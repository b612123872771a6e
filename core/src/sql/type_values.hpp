// core/src/sql/type_values.hpp — private: value conversion by SQL type, both ways.
//
// Bind side: each parameter of a compiled statement carries its Type; before execution every
// value goes through the type's TypeDecorator hooks, is checked against the type's kind
// (ArgumentError for a value of the wrong C++ type) and converted to what the dialect stores
// (Interval as an offset from the epoch where there is no native INTERVAL, decimals checked
// against the double storage of dialects without native DECIMAL).
//
// Result side: a compiled select knows the types of its result columns; each fetched batch
// has the columns whose driver type differs from the type's value type converted
// (SQLite's CHAR(32) text to UUID, 0/1 to BOOL, REAL to DECIMAL at the type's scale,
// timestamps to intervals, naive to UTC timestamps), and decorated columns run through
// process_result_value.  A column that does not convert as a whole is left as the driver
// gave it (an avg() typed Integer stays DOUBLE), so Row::get decides as before.
#ifndef RETORT_SRC_SQL_TYPE_VALUES_HPP
#define RETORT_SRC_SQL_TYPE_VALUES_HPP

#include "compiler.hpp"

#include <retort/plugin_abi.h>
#include <retort/sql/types.hpp>
#include <retort/value.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace retort::detail {

struct BatchHolder;

/// What a PluginType refers to: a host copy of the plugin's retort_type_def, and the plugin
/// (kept alive).
struct PluginTypeData {
  std::string name;
  std::string type_name;  // "plugin type 'money'", for messages
  retort_type_def def{};
  std::shared_ptr<const void> plugin;
};

/// Converts `value`, bound to parameter `param` of type `type`, for `dialect`.  Throws
/// ArgumentError naming the parameter and the type for a value of the wrong C++ type;
/// whatever a TypeDecorator hook throws propagates.
Value process_bind_value(const Type& type, Value value, const retort_dialect& dialect,
                         std::string_view param);

/// Applies process_bind_value to every value of `prepared` (by `prepared.types`), and sets
/// `prepared.column_flags` from the declared types.
void process_bind_parameters(PreparedExecution& prepared, const retort_dialect& dialect);

/// The RETORT_COLUMN_* hints a parameter of `type` carries (RETORT_COLUMN_DECLARED_INT32 for
/// Integer, …); 0 when none.
std::uint32_t param_column_flags(const TypeEngine& type) noexcept;

/// The types of a result's columns, and how the dialect stores them.
struct ResultTypes {
  std::vector<Type> types;
  std::uint64_t capabilities = 0;  // the dialect's RETORT_CAP_* bits
  std::string dialect;             // its name, for plugin types' result_batch
};

/// The result column types of `statement` (a select's items, tables expanded to their
/// columns); nullptr when it returns no typed columns or none needs conversion.
std::shared_ptr<const ResultTypes> result_types(const Node& statement,
                                                const retort_dialect& dialect);

/// Converts the columns of `holder` that `types` calls for (see the top of this file).
/// Throws TypeConversionError when a TypeDecorator returns values of different types in one
/// batch column; whatever process_result_value throws propagates.
void convert_result_batch(BatchHolder& holder, const ResultTypes& types);

/// The generic kind whose values travel as `value_type` (RETORT_TYPE_*).
TypeKind kind_of_value_type(std::uint32_t value_type) noexcept;
/// The value type of a plugin type: `value_type` when set, else `storage_type`.
std::uint32_t plugin_value_type(const retort_type_def& def) noexcept;

/// The dialect's RETORT_CAP_* bits (0 when its table predates the field).
std::uint64_t capabilities_of(const retort_dialect& dialect) noexcept;

/// The RETORT_TYPE_* values of `kind` travel as (RETORT_TYPE_NULL for NullType).
std::uint32_t value_type_for(const TypeEngine& type) noexcept;

// --- Shared by the bind side (type_values.cpp) and the result side (type_results.cpp) ---

inline constexpr std::int64_t kMicrosPerDay = 86'400LL * 1'000'000LL;

/// The C++ type a Value holds, as a user writes it (`std::string`), for messages.
const char* value_type_name(const Value& v) noexcept;
/// The type at the end of a chain of TypeDecorators (the type itself when it is none).
const TypeEngine& innermost(const TypeEngine& type) noexcept;
/// Decimal text for a Numeric `t` from a double / an integer, at the type's scale.
std::string decimal_from_double(double d, const TypeEngine& t);
std::string decimal_from_int(std::int64_t i, const TypeEngine& t);
/// Decimal text as plain digits at the type's scale ("-1e-06" at scale 6: "-0.000001"),
/// for drivers that format a stored double; text it cannot rescale exactly is returned as is.
std::string normalise_decimal(const std::string& text, const TypeEngine& t);
/// The plugin type behind `t` when its plugin converts values (bind_batch/result_batch).
const PluginType* converting_plugin(const TypeEngine& t) noexcept;
/// The storage side of a plugin type, for converting what the driver gives to it.
class StorageType final : public TypeEngine {
 public:
  explicit StorageType(std::uint32_t storage) noexcept;
  const char* type_name() const noexcept override { return "storage"; }
};
/// A plugin's bind_batch or result_batch hook.
using BatchHook = retort_status (*)(const char*, const retort_batch*, retort_batch*, retort_error*);
/// Calls `hook` on one column of `rows` rows; the converted column stays valid as long as the
/// returned batch.  `fail` raises the caller's error (it must throw).
std::shared_ptr<retort_batch> call_batch_hook(BatchHook hook, const char* dialect,
                                              const retort_column& column, std::int64_t rows,
                                              std::uint32_t want,
                                              const std::function<void(const std::string&)>& fail);
/// Cell `r` of a batch column as a Value.
Value cell(const retort_column& c, std::int64_t r);

}  // namespace retort::detail

#endif  // RETORT_SRC_SQL_TYPE_VALUES_HPP
