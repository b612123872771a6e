// retort/sdk/reflection.hpp — header-only C++ layer for a dialect's `reflect` hook.
// SPDX-License-Identifier: MIT
//
// A dialect writes one function
//
//   void reflect(retort::sdk::Reflector& r, uint32_t what, const char* schema,
//                const char* name);
//
// that runs catalog queries with `r.query(sql, {params…})` (rows come back as text, whatever
// the driver) and reports rows with `r.emit(rows)` in the layout of `what` (see
// RETORT_REFLECT_* in plugin_abi.h), built with `ReflectRows`.  Throwing `Error` fails the
// call; throwing `NotImplemented` (or returning without emitting for a kind the database does
// not have) is how a dialect says "no such thing here".  `reflect_hook<fn>` is the
// `retort_dialect.reflect` slot: it catches everything and passes the host's own errors (a
// failed query) back unchanged.
#ifndef RETORT_SDK_REFLECTION_HPP
#define RETORT_SDK_REFLECTION_HPP

#include <retort/plugin_abi.h>
#include <retort/sdk/plugin.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace retort::sdk {

/// Thrown by a reflect function for a kind the dialect does not reflect: the hook returns
/// RETORT_NOT_IMPLEMENTED (the host then answers with an empty list).
struct NotImplemented {};

namespace detail {
// A failed host callback: `error` is already filled by the host; pass its status through.
struct HostFailure {
  retort_status status;
};
}  // namespace detail

/// The rows of one catalog query: every cell is text or NULL (see retort_reflect_api.query).
/// Owns the host's batch.  Move-only.
class QueryRows {
 public:
  QueryRows() { batch_.struct_size = sizeof batch_; }
  QueryRows(QueryRows&& o) noexcept : batch_(o.batch_) { o.batch_ = retort_batch{}; }
  QueryRows& operator=(QueryRows&&) = delete;
  QueryRows(const QueryRows&) = delete;
  ~QueryRows() {
    if (batch_.release != nullptr) batch_.release(&batch_);
  }
  int64_t size() const noexcept { return batch_.row_count; }
  int32_t column_count() const noexcept { return batch_.column_count; }
  bool is_null(int64_t row, int32_t col) const noexcept {
    const retort_column& c = batch_.columns[col];
    return c.type == RETORT_TYPE_NULL || (c.nulls != nullptr && c.nulls[row] != 0);
  }
  /// The cell's text; empty for NULL.
  std::string_view text(int64_t row, int32_t col) const noexcept {
    if (is_null(row, col)) return {};
    const retort_column& c = batch_.columns[col];
    return {c.data + c.offsets[row], static_cast<size_t>(c.offsets[row + 1] - c.offsets[row])};
  }
  std::string str(int64_t row, int32_t col) const { return std::string(text(row, col)); }
  std::optional<std::string> opt(int64_t row, int32_t col) const {
    if (is_null(row, col)) return std::nullopt;
    return str(row, col);
  }
  /// The cell as an integer; `fallback` for NULL or text that is not one.
  int64_t integer(int64_t row, int32_t col, int64_t fallback = 0) const noexcept {
    const std::string_view t = text(row, col);
    if (t.empty()) return fallback;
    int64_t v = 0;
    size_t i = 0;
    const bool neg = t[0] == '-';
    if (neg || t[0] == '+') i = 1;
    if (i == t.size()) return fallback;
    for (; i < t.size(); ++i) {
      if (t[i] < '0' || t[i] > '9') return fallback;
      v = v * 10 + (t[i] - '0');
    }
    return neg ? -v : v;
  }
  /// A boolean cell: `1`, `t`, `true`, `y`, `yes`, `on` (any case) are true.
  bool boolean(int64_t row, int32_t col) const noexcept {
    std::string s(text(row, col));
    for (auto& ch : s) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    return s == "1" || s == "t" || s == "true" || s == "y" || s == "yes" || s == "on";
  }

 private:
  friend class Reflector;
  retort_batch batch_{};
};

/// A query parameter.
using ReflectParam = std::variant<std::nullptr_t, std::string, int64_t>;

/// Rows to emit, in one of the RETORT_REFLECT_* layouts.  Build a row with the `add_*`
/// calls, one per column in order, then `end_row()`.
class ReflectRows {
 public:
  /// `layout`: one character per column: `T` text, `I` integer, `L` list.
  explicit ReflectRows(std::string_view layout) : layout_(layout) {
    std::vector<retort_value_type> types;
    for (char c : layout) types.push_back(c == 'I' ? RETORT_TYPE_INT64 : RETORT_TYPE_TEXT);
    builder_.reset(types);
  }
  ReflectRows& text(std::string_view v) {
    expect("TL", "text");
    builder_.column(col_++).append_bytes(v.data(), v.size());
    return *this;
  }
  ReflectRows& text(const std::string& v) { return text(std::string_view(v)); }
  ReflectRows& text(const char* v) { return text(std::string_view(v)); }
  ReflectRows& text(const std::optional<std::string>& v) {
    if (!v) return null();
    return text(std::string_view(*v));
  }
  ReflectRows& integer(int64_t v) {
    expect("I", "an integer");
    builder_.column(col_++).append(v);
    return *this;
  }
  ReflectRows& integer(std::optional<int64_t> v) {
    if (!v) return null();
    return integer(*v);
  }
  ReflectRows& list(const std::vector<std::string>& items) {
    std::string joined;
    for (const auto& i : items) {
      joined += i;
      joined.push_back('\0');
    }
    return text(std::string_view(joined));
  }
  ReflectRows& null() {
    expect("TIL", "NULL");
    builder_.column(col_++).append_null();
    return *this;
  }
  /// Ends the row; throws Error when it did not fill every column.
  void end_row() {
    if (col_ != layout_.size()) {
      throw Error(RETORT_INTERNAL, "reflection row has " + std::to_string(col_) +
                                       " values, the layout " + std::to_string(layout_.size()));
    }
    col_ = 0;
  }
  int64_t row_count() const noexcept { return builder_.row_count(); }

 private:
  friend class Reflector;
  // Throws Error when column `col_` does not exist or is not of one of `kinds`.
  void expect(std::string_view kinds, const char* what) const {
    if (col_ >= layout_.size() || kinds.find(layout_[col_]) == std::string_view::npos) {
      throw Error(RETORT_INTERNAL, std::string("reflection row: ") + what + " given for column " +
                                       std::to_string(col_) + " of layout '" + layout_ + "'");
    }
  }
  std::string layout_;
  size_t col_ = 0;
  BatchBuilder builder_;
};

/// The host's reflection services for one call.
class Reflector {
 public:
  Reflector(const retort_reflect_api* api, retort_reflect_ctx* ctx, retort_error* error) noexcept
      : api_(api), ctx_(ctx), error_(error) {}

  /// Runs `sql` (in the dialect's paramstyle) with `params` and returns every row.  A failure
  /// ends the hook with the host's error.
  QueryRows query(std::string_view sql, std::initializer_list<ReflectParam> params = {}) {
    std::vector<ColumnBuffer> cols(params.size());
    std::vector<retort_column> views;
    size_t i = 0;
    for (const auto& p : params) {
      ColumnBuffer& c = cols[i++];
      if (const auto* s = std::get_if<std::string>(&p)) {
        c.reset(RETORT_TYPE_TEXT);
        c.append_bytes(s->data(), s->size());
      } else if (const auto* n = std::get_if<int64_t>(&p)) {
        c.reset(RETORT_TYPE_INT64);
        c.append(*n);
      } else {
        c.reset(RETORT_TYPE_TEXT);
        c.append_null();
      }
    }
    for (auto& c : cols) views.push_back(c.finish());
    retort_batch batch{};
    batch.struct_size = sizeof batch;
    batch.column_count = static_cast<int32_t>(views.size());
    batch.row_count = views.empty() ? 0 : 1;
    batch.columns = views.data();
    QueryRows rows;
    const retort_status st = api_->query(ctx_, sql.data(), sql.size(),
                                         views.empty() ? nullptr : &batch, &rows.batch_, error_);
    if (st != RETORT_OK) throw detail::HostFailure{st};
    return rows;
  }
  /// Reports the rows built so far (and empties `rows`).
  void emit(ReflectRows& rows) {
    if (rows.col_ != 0) throw Error(RETORT_INTERNAL, "reflection row left unfinished");
    retort_batch batch{};
    rows.builder_.finish(&batch);
    const retort_status st = api_->emit(ctx_, &batch, error_);
    batch.release(&batch);
    std::vector<retort_value_type> types;
    for (char c : rows.layout_) types.push_back(c == 'I' ? RETORT_TYPE_INT64 : RETORT_TYPE_TEXT);
    rows.builder_.reset(types);
    if (st != RETORT_OK) throw detail::HostFailure{st};
  }
  /// The server's version string (never NULL).
  std::string_view server_version() const noexcept {
    return api_->server_version != nullptr ? api_->server_version : "";
  }

 private:
  const retort_reflect_api* api_;
  retort_reflect_ctx* ctx_;
  retort_error* error_;
};

/// Splits a LIST cell (items each followed by NUL) — for tests and hosts.
inline std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == '\0') {
      out.emplace_back(list.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

/// The `retort_dialect.reflect` slot calling `Fn(Reflector&, what, schema, name)`.
template <void (*Fn)(Reflector&, uint32_t, const char*, const char*)>
retort_status reflect_hook(const retort_reflect_api* api, retort_reflect_ctx* ctx, uint32_t what,
                           const char* schema, const char* name, retort_error* error) noexcept {
  try {
    Reflector r(api, ctx, error);
    Fn(r, what, schema, name);
    return RETORT_OK;
  } catch (const detail::HostFailure& f) {
    return f.status;
  } catch (const NotImplemented&) {
    return RETORT_NOT_IMPLEMENTED;
  } catch (const Error& e) {
    return set_error(error, e.status(), e.what(), e.sqlstate(), e.vendor_code(), e.details());
  } catch (const std::bad_alloc&) {
    return set_error(error, RETORT_IO, "out of memory", "HY001");
  } catch (const std::exception& e) {
    return set_error(error, RETORT_INTERNAL, std::string("internal plugin error: ") + e.what());
  } catch (...) {
    return set_error(error, RETORT_INTERNAL, "internal plugin error: unknown exception");
  }
}

}  // namespace retort::sdk

#endif  // RETORT_SDK_REFLECTION_HPP
