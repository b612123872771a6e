// retort/sql/types.hpp — the generic SQL types (SQLAlchemy's `sqlalchemy.types`).
// SPDX-License-Identifier: MIT
//
//   Column("price", Numeric(10, 2)), Column("name", String(50)), Column("at", DateTime(true))
//
// A type is a small immutable description: its generic kind (one of TypeKind, the same codes
// as the ABI's RETORT_GENERIC_*) and its parameters.  The dialect decides the DDL spelling
// (see compiler.hpp).  `Type` is a cheap, copyable handle to one; every concrete type converts
// to it implicitly.  Types are immutable and therefore safe to share between threads.
//
// Values: each type takes and gives one C++ value type of value.hpp (Numeric: Decimal, Uuid:
// retort::Uuid, …).  Bound parameters are checked and converted with their type before
// execution (ArgumentError for a value of the wrong C++ type), and selected columns are
// converted to their type's value type when fetched; see docs/sql.md, "Values".
//
// The concrete types live in `retort::types` (as in `sqlalchemy.types`).  Those whose names do
// not clash with the value types of value.hpp are also available in `retort` (Integer, String,
// …); Date, Time, DateTime, Interval and Uuid are value types there, so write `types::Date()`
// etc. for the SQL types.
#ifndef RETORT_SQL_TYPES_HPP
#define RETORT_SQL_TYPES_HPP

#include <retort/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace retort {

/// The generic kind of a type; the values are the ABI's RETORT_GENERIC_* codes.
enum class TypeKind : std::uint32_t {
  null = 0,
  integer = 1,
  small_integer = 2,
  big_integer = 3,
  boolean = 4,
  float_ = 5,
  double_ = 6,
  numeric = 7,
  string = 8,
  text = 9,
  unicode = 10,
  date = 11,
  time = 12,
  date_time = 13,
  interval = 14,
  large_binary = 15,
  json = 16,
  uuid = 17,
  enum_ = 18,
};

/// Base of every type.  Subclasses set the kind and parameters in their constructor.
class TypeEngine {
 public:
  virtual ~TypeEngine() = default;
  /// The class name (`Integer`, `String`), for messages.
  virtual const char* type_name() const noexcept = 0;

  TypeKind kind() const noexcept { return kind_; }
  /// String/binary length, if given.
  std::optional<std::int32_t> length() const noexcept { return length_; }
  /// Numeric/float precision and numeric scale, if given.
  std::optional<std::int32_t> precision() const noexcept { return precision_; }
  std::optional<std::int32_t> scale() const noexcept { return scale_; }
  /// DateTime only: WITH TIME ZONE.
  bool timezone() const noexcept { return timezone_; }
  /// Enum only: the allowed values and the type's name (may be empty).
  const std::vector<std::string>& enum_values() const noexcept { return enum_values_; }
  const std::string& enum_name() const noexcept { return enum_name_; }
  /// True for Integer, SmallInteger and BigInteger.
  bool is_integer() const noexcept {
    return kind_ == TypeKind::integer || kind_ == TypeKind::small_integer ||
           kind_ == TypeKind::big_integer;
  }

 protected:
  explicit TypeEngine(TypeKind kind) noexcept : kind_(kind) {}
  TypeKind kind_;
  std::optional<std::int32_t> length_;
  std::optional<std::int32_t> precision_;
  std::optional<std::int32_t> scale_;
  bool timezone_ = false;
  std::vector<std::string> enum_values_;
  std::string enum_name_;
};

/// A handle to an immutable type.  Default-constructed: NullType.
class Type {
 public:
  Type();
  template <typename T>
  requires(std::is_base_of_v<TypeEngine, T>) Type(const T& type)
      : impl_(std::make_shared<const T>(type)) {}
  explicit Type(std::shared_ptr<const TypeEngine> impl) : impl_(std::move(impl)) {}

  const TypeEngine& operator*() const noexcept { return *impl_; }
  const TypeEngine* operator->() const noexcept { return impl_.get(); }
  TypeKind kind() const noexcept { return impl_->kind(); }

 private:
  std::shared_ptr<const TypeEngine> impl_;
};

namespace types {

/// The type of an untyped value (a bare NULL).
class NullType : public TypeEngine {
 public:
  NullType() noexcept : TypeEngine(TypeKind::null) {}
  const char* type_name() const noexcept override { return "NullType"; }
};

#define RETORT_SQL_SIMPLE_TYPE(Name, kind_value)                      \
  class Name : public TypeEngine {                                    \
   public:                                                            \
    Name() noexcept : TypeEngine(TypeKind::kind_value) {}             \
    const char* type_name() const noexcept override { return #Name; } \
  };
RETORT_SQL_SIMPLE_TYPE(Integer, integer)
RETORT_SQL_SIMPLE_TYPE(SmallInteger, small_integer)
RETORT_SQL_SIMPLE_TYPE(BigInteger, big_integer)
RETORT_SQL_SIMPLE_TYPE(Boolean, boolean)
RETORT_SQL_SIMPLE_TYPE(Double, double_)
RETORT_SQL_SIMPLE_TYPE(Text, text)
RETORT_SQL_SIMPLE_TYPE(Date, date)
RETORT_SQL_SIMPLE_TYPE(Time, time)
RETORT_SQL_SIMPLE_TYPE(Interval, interval)
RETORT_SQL_SIMPLE_TYPE(JSON, json)
RETORT_SQL_SIMPLE_TYPE(Uuid, uuid)
#undef RETORT_SQL_SIMPLE_TYPE

/// FLOAT, optionally with a precision in binary digits.
class Float : public TypeEngine {
 public:
  explicit Float(std::optional<std::int32_t> precision = std::nullopt) noexcept
      : TypeEngine(TypeKind::float_) {
    precision_ = precision;
  }
  const char* type_name() const noexcept override { return "Float"; }
};

/// An exact decimal, NUMERIC(precision, scale).
class Numeric : public TypeEngine {
 public:
  explicit Numeric(std::optional<std::int32_t> precision = std::nullopt,
                   std::optional<std::int32_t> scale = std::nullopt) noexcept
      : TypeEngine(TypeKind::numeric) {
    precision_ = precision;
    scale_ = scale;
  }
  const char* type_name() const noexcept override { return "Numeric"; }
};

/// VARCHAR(length); without a length, VARCHAR (not valid DDL on every backend).
class String : public TypeEngine {
 public:
  explicit String(std::optional<std::int32_t> length = std::nullopt) noexcept
      : TypeEngine(TypeKind::string) {
    length_ = length;
  }
  const char* type_name() const noexcept override { return "String"; }
};

/// A Unicode string; VARCHAR(length) on the in-tree dialects.
class Unicode : public TypeEngine {
 public:
  explicit Unicode(std::optional<std::int32_t> length = std::nullopt) noexcept
      : TypeEngine(TypeKind::unicode) {
    length_ = length;
  }
  const char* type_name() const noexcept override { return "Unicode"; }
};

/// A timestamp, WITH TIME ZONE when `timezone`.
class DateTime : public TypeEngine {
 public:
  explicit DateTime(bool timezone = false) noexcept : TypeEngine(TypeKind::date_time) {
    timezone_ = timezone;
  }
  const char* type_name() const noexcept override { return "DateTime"; }
};

/// Binary data (BLOB, BYTEA).
class LargeBinary : public TypeEngine {
 public:
  explicit LargeBinary(std::optional<std::int32_t> length = std::nullopt) noexcept
      : TypeEngine(TypeKind::large_binary) {
    length_ = length;
  }
  const char* type_name() const noexcept override { return "LargeBinary"; }
};

/// One of a fixed set of strings.  Rendered as VARCHAR(longest) plus a CHECK constraint;
/// native ENUM types (PostgreSQL) are not supported yet and raise CompileError there.
class Enum : public TypeEngine {
 public:
  explicit Enum(std::vector<std::string> values, std::string name = {});
  const char* type_name() const noexcept override { return "Enum"; }
};

}  // namespace types

/**
 * A user-defined type that wraps an existing one, as SQLAlchemy's `TypeDecorator`: DDL uses
 * the `impl` type's spelling, and values are converted on the way in and out.
 *
 *   class Cents : public TypeDecorator {          // stores an int64 of cents as NUMERIC
 *    public:
 *     Cents() : TypeDecorator(Numeric(18, 2)) {}
 *     const char* type_name() const noexcept override { return "Cents"; }
 *     Value process_bind_param(const Value& v) const override { … return Decimal{…}; }
 *     Value process_result_value(const Value& v) const override { … return cents; }
 *   };
 *   Column("price", Cents())
 *
 * `process_bind_param` runs on every value bound to a parameter of this type (insert and
 * update values, executemany sets, comparisons such as `t.c["price"] == 5`), before the
 * impl type checks and converts it for the dialect; it receives NULL too.
 * `process_result_value` runs on every value read from a result column of this type (a
 * select of the column), after the impl type's conversion; it also receives NULL, and the
 * values it returns must all be NULL or of one C++ type per batch.
 *
 * Decorators may wrap decorators (the outer one binds first and reads last).  The kind and
 * parameters (length, precision, …) are the impl's, so the type behaves like its impl
 * everywhere else.
 *
 * Thread-safety: a Type is shared between threads and statements, so both hooks must be
 * safe to call concurrently (they are const; keep them free of unsynchronised state).
 * Exceptions they throw propagate unchanged out of `Connection::execute` (bind) or out of
 * the Result call that fetched the batch (result).  The subclass must be copyable (Type
 * copies it once when wrapped).
 */
class TypeDecorator : public TypeEngine {
 public:
  explicit TypeDecorator(Type impl);
  const char* type_name() const noexcept override { return "TypeDecorator"; }
  /// The wrapped type.
  const Type& impl() const noexcept { return impl_; }
  /// Converts a bound value; the default returns it unchanged.
  virtual Value process_bind_param(const Value& value) const { return value; }
  /// Converts a fetched value; the default returns it unchanged.
  virtual Value process_result_value(const Value& value) const { return value; }

 private:
  Type impl_;
};

namespace detail {
struct PluginTypeData;
}

/**
 * A type provided by a plugin through the ABI's `retort_type_def` (see `plugin_type`).  Its
 * DDL comes from the plugin's `render_ddl` for the compiling dialect (CompileError naming the
 * type and the dialect when the plugin has no spelling for it).  Its values are those of its
 * value type (a `money` stored as DECIMAL takes and gives retort::Decimal; a `cents` whose
 * plugin converts int64 to DECIMAL takes and gives int64_t), and its kind is the generic kind
 * of that value type (DECIMAL: numeric), which decides how values are checked.  A converting
 * plugin's `bind_batch` / `result_batch` run once per parameter column and per fetched
 * column; their errors become ArgumentError / TypeConversionError naming the type.
 */
class PluginType : public TypeEngine {
 public:
  explicit PluginType(std::shared_ptr<const detail::PluginTypeData> data);
  const char* type_name() const noexcept override;
  /// The plugin's type name (`money`).
  const std::string& name() const noexcept;
  /// The RETORT_TYPE_* its values travel as.
  std::uint32_t storage_type() const noexcept;
  /// The RETORT_TYPE_* users bind and read: storage_type(), unless the plugin converts.
  std::uint32_t value_type() const noexcept;
  const detail::PluginTypeData& data() const noexcept { return *data_; }

 private:
  std::shared_ptr<const detail::PluginTypeData> data_;
};

/**
 * The type named `name` from the plugin that provides it (found and loaded like dialects, see
 * plugins.hpp), usable in a Column.  Throws NoSuchModuleError naming the searched paths when
 * no plugin provides it, PluginError when the providing plugin cannot be loaded.
 * Thread-safe.
 */
Type plugin_type(std::string_view name);

using types::BigInteger;
using types::Boolean;
using types::Double;
using types::Enum;
using types::Float;
using types::Integer;
using types::JSON;
using types::LargeBinary;
using types::NullType;
using types::Numeric;
using types::SmallInteger;
using types::String;
using types::Text;
using types::Unicode;

}  // namespace retort

#endif  // RETORT_SQL_TYPES_HPP
