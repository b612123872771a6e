// retort/sdk/testing/render_probe.hpp — calls a dialect's `render` hook the way the host's
// compiler does, with attributes and children a test chooses, and records what it wrote.
// SPDX-License-Identifier: MIT
//
//     retort::sdk::testing::RenderProbe probe(RETORT_CONSTRUCT_LIMIT_OFFSET);
//     probe.int_attr("has_limit", 1).int_attr("has_offset", 1);
//     probe.child("<limit>").child("<offset>");
//     EXPECT_EQ(probe.render(host().dialect("mydb")), RETORT_OK);
//     EXPECT_EQ(probe.sql(), " LIMIT <offset>, <limit>");
//
// A child is a fixed text the probe writes when the hook asks for it (`emit_child`), or absent
// (`absent_child()`: emit_child fails with RETORT_INVALID_ARGUMENT, as in the host).  Quoting
// by `emit_identifier` follows the dialect's quote characters and doubles a closing quote
// inside the name; unlike the host, it quotes every identifier, so tests see what the hook
// asked to be an identifier.  Depends only on retort/plugin_abi.h and the standard library.
//
// Not thread-safe: one probe per call on one thread.
#ifndef RETORT_SDK_TESTING_RENDER_PROBE_HPP
#define RETORT_SDK_TESTING_RENDER_PROBE_HPP

#include <retort/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort::sdk::testing {

class RenderProbe {
 public:
  explicit RenderProbe(uint32_t construct) : construct_(construct) {}
  RenderProbe(const RenderProbe&) = delete;
  RenderProbe& operator=(const RenderProbe&) = delete;

  RenderProbe& int_attr(std::string key, int64_t value) {
    ints_.emplace_back(std::move(key), value);
    return *this;
  }
  RenderProbe& str_attr(std::string key, std::string value) {
    strs_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  /// Appends a child that renders as `text`.
  RenderProbe& child(std::string text) {
    children_.emplace_back(std::move(text));
    return *this;
  }
  /// The server version `retort_render_api.server_version` reports (default: none, NULL).
  RenderProbe& server_version(std::string version) {
    server_version_ = std::move(version);
    return *this;
  }
  /// Appends an absent child (an optional part the construct does not have).
  RenderProbe& absent_child() {
    children_.emplace_back(std::nullopt);
    return *this;
  }

  /**
   * Calls `dialect.render` once, with a fresh output and error, and returns its status.
   * RETORT_NOT_IMPLEMENTED when the dialect has no hook.
   */
  retort_status render(const retort_dialect& dialect) {
    clear_error();
    out_.clear();
    emitted_.assign(children_.size(), 0);
    dialect_ = &dialect;
    // RETORT_HAS_FIELD, spelled out: `dialect` is a reference, never NULL.
    if (dialect.struct_size < offsetof(retort_dialect, render) + sizeof dialect.render ||
        dialect.render == nullptr) {
      return RETORT_NOT_IMPLEMENTED;
    }
    static constexpr retort_render_api kApi = {
        .struct_size = sizeof(retort_render_api),
        .emit = &RenderProbe::api_emit,
        .emit_identifier = &RenderProbe::api_emit_identifier,
        .child_count = &RenderProbe::api_child_count,
        .emit_child = &RenderProbe::api_emit_child,
        .int_attr = &RenderProbe::api_int_attr,
        .str_attr = &RenderProbe::api_str_attr,
        .server_version = &RenderProbe::api_server_version,
    };
    return dialect.render(&kApi, reinterpret_cast<retort_render_ctx*>(this), construct_, &error_);
  }

  /// What the last `render` wrote.
  const std::string& sql() const { return out_; }
  /// The message of the error the last `render` filled, or "".
  std::string error_message() const { return error_.message != nullptr ? error_.message : ""; }
  /// How many times the last `render` emitted child `index`.
  int emitted(size_t index) const { return index < emitted_.size() ? emitted_[index] : 0; }

  ~RenderProbe() { clear_error(); }

 private:
  static RenderProbe& self(retort_render_ctx* ctx) { return *reinterpret_cast<RenderProbe*>(ctx); }
  static void api_emit(retort_render_ctx* ctx, const char* text, size_t length) {
    self(ctx).out_.append(text, length);
  }
  static void api_emit_identifier(retort_render_ctx* ctx, const char* name, size_t length) {
    RenderProbe& p = self(ctx);
    const std::string_view open = p.dialect_->quote_open ? p.dialect_->quote_open : "\"";
    const std::string_view close = p.dialect_->quote_close ? p.dialect_->quote_close : "\"";
    const std::string_view n(name, length);
    p.out_ += open;
    for (size_t i = 0; i < n.size(); ++i) {
      if (n.substr(i, close.size()) == close) p.out_ += close;
      p.out_ += n[i];
    }
    p.out_ += close;
  }
  static int32_t api_child_count(retort_render_ctx* ctx) {
    return static_cast<int32_t>(self(ctx).children_.size());
  }
  static retort_status api_emit_child(retort_render_ctx* ctx, int32_t index) {
    RenderProbe& p = self(ctx);
    if (index < 0 || static_cast<size_t>(index) >= p.children_.size() || !p.children_[index]) {
      return RETORT_INVALID_ARGUMENT;
    }
    p.out_ += *p.children_[index];
    ++p.emitted_[index];
    return RETORT_OK;
  }
  static int64_t api_int_attr(retort_render_ctx* ctx, const char* key, int32_t* present) {
    for (const auto& [k, v] : self(ctx).ints_) {
      if (k == key) {
        if (present != nullptr) *present = 1;
        return v;
      }
    }
    if (present != nullptr) *present = 0;
    return 0;
  }
  static const char* api_str_attr(retort_render_ctx* ctx, const char* key, size_t* length) {
    for (const auto& [k, v] : self(ctx).strs_) {
      if (k == key) {
        if (length != nullptr) *length = v.size();
        return v.data();
      }
    }
    if (length != nullptr) *length = 0;
    return nullptr;
  }
  static const char* api_server_version(retort_render_ctx* ctx, size_t* length) {
    const std::optional<std::string>& v = self(ctx).server_version_;
    if (length != nullptr) *length = v ? v->size() : 0;
    return v ? v->c_str() : nullptr;
  }
  void clear_error() {
    if (error_.release != nullptr) error_.release(&error_);
    error_ = retort_error{};
    error_.struct_size = sizeof error_;
  }

  uint32_t construct_;
  std::vector<std::pair<std::string, int64_t>> ints_;
  std::vector<std::pair<std::string, std::string>> strs_;
  std::vector<std::optional<std::string>> children_;
  std::vector<int> emitted_;
  std::optional<std::string> server_version_;
  const retort_dialect* dialect_ = nullptr;
  std::string out_;
  retort_error error_{};
};

}  // namespace retort::sdk::testing

#endif  // RETORT_SDK_TESTING_RENDER_PROBE_HPP
