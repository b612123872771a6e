// A type-only test plugin, built from the SDK headers only as a third-party type plugin
// would be.  Both types are NUMERIC(19, 4) on sqlite and postgresql, with no spelling
// elsewhere:
//   money  stored and used as DECIMAL (no conversion);
//   cents  used as INT64 (a count of cents), stored as DECIMAL ("19.99"): converts a column
//          at a time through bind_batch / result_batch; a stored value with fractions of a
//          cent fails to read.
#include <retort/sdk/plugin.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace {

retort_status render_ddl(const char* dialect, char* buffer, size_t* length,
                         retort_error* error) noexcept {
  const std::string_view d = dialect != nullptr ? dialect : "";
  if (d != "sqlite" && d != "postgresql") {
    return retort::sdk::set_error(error, RETORT_NOT_IMPLEMENTED,
                                  "money has no spelling for this dialect");
  }
  constexpr std::string_view kDdl = "NUMERIC(19, 4)";
  if (*length < kDdl.size() + 1) {
    *length = kDdl.size() + 1;
    return RETORT_INVALID_ARGUMENT;
  }
  std::memcpy(buffer, kDdl.data(), kDdl.size());
  buffer[kDdl.size()] = '\0';
  *length = kDdl.size();
  return RETORT_OK;
}

constexpr const char* kDialects[] = {"sqlite", "postgresql", nullptr};

constexpr retort_type_def kMoney = {
    .struct_size = sizeof(retort_type_def),
    .name = "money",
    .storage_type = RETORT_TYPE_DECIMAL,
    .dialects = kDialects,
    .render_ddl = render_ddl,
};

// A converted column and the buffers it points into, freed by the batch's release.
struct Owned {
  retort::sdk::ColumnBuffer buffer;
  retort_column column{};
};

void release(retort_batch* batch) {
  delete static_cast<Owned*>(batch->private_data);
  batch->release = nullptr;
}

void hand_over(Owned* owned, int64_t rows, retort_batch* out) {
  owned->column = owned->buffer.finish();
  out->column_count = 1;
  out->row_count = rows;
  out->columns = &owned->column;
  out->private_data = owned;
  out->release = release;
}

retort_status cents_to_decimal(const char* /*dialect*/, const retort_batch* values,
                               retort_batch* out, retort_error* error) noexcept {
  try {
    auto* owned = new Owned;
    owned->buffer.reset(RETORT_TYPE_DECIMAL);
    const retort::sdk::ColumnReader reader(values->columns[0]);
    for (int64_t r = 0; r < values->row_count; ++r) {
      if (reader.is_null(r)) {
        owned->buffer.append_null();
        continue;
      }
      const int64_t cents = reader.fixed<int64_t>(r);
      const uint64_t magnitude = cents < 0 ? 0 - static_cast<uint64_t>(cents) : cents;
      const std::string fraction = std::to_string(magnitude % 100);
      const std::string text = (cents < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." +
                               (fraction.size() < 2 ? "0" : "") + fraction;
      owned->buffer.append_bytes(text.data(), text.size());
    }
    hand_over(owned, values->row_count, out);
    return RETORT_OK;
  } catch (...) {
    return retort::sdk::set_error(error, RETORT_INTERNAL, "cents: out of memory");
  }
}

retort_status decimal_to_cents(const char* /*dialect*/, const retort_batch* stored,
                               retort_batch* out, retort_error* error) noexcept {
  auto* owned = new Owned;
  owned->buffer.reset(RETORT_TYPE_INT64);
  const retort::sdk::ColumnReader reader(stored->columns[0]);
  for (int64_t r = 0; r < stored->row_count; ++r) {
    if (reader.is_null(r)) {
      owned->buffer.append_null();
      continue;
    }
    const std::string_view text = reader.bytes(r);
    const bool negative = !text.empty() && text.front() == '-';
    int64_t whole = 0, fraction = 0;
    int fraction_digits = -1;
    bool ok = !text.empty();
    for (char c : text.substr(negative ? 1 : 0)) {
      if (c == '.' && fraction_digits < 0) {
        fraction_digits = 0;
      } else if (c >= '0' && c <= '9' && fraction_digits < 0) {
        whole = whole * 10 + (c - '0');
      } else if (c >= '0' && c <= '9' && fraction_digits < 2) {
        fraction = fraction * 10 + (c - '0');
        ++fraction_digits;
      } else if (c != '0') {
        ok = false;  // not a number, or a fraction of a cent
      }
    }
    if (!ok) {
      delete owned;
      return retort::sdk::set_error(error, RETORT_INVALID_DATA,
                                    "'" + std::string(text) + "' is not a whole number of cents");
    }
    if (fraction_digits == 1) fraction *= 10;
    const int64_t cents = whole * 100 + fraction;
    owned->buffer.append(negative ? -cents : cents);
  }
  hand_over(owned, stored->row_count, out);
  return RETORT_OK;
}

constexpr retort_type_def kCents = {
    .struct_size = sizeof(retort_type_def),
    .name = "cents",
    .storage_type = RETORT_TYPE_DECIMAL,
    .dialects = kDialects,
    .render_ddl = render_ddl,
    .value_type = RETORT_TYPE_INT64,
    .bind_batch = cents_to_decimal,
    .result_batch = decimal_to_cents,
};

constexpr const retort_type_def* kTypes[] = {&kMoney, &kCents};

const retort::sdk::PluginSpec& spec() {
  static const retort::sdk::PluginSpec s{"moneytype", "1.0.0", RETORT_KIND_TYPE, {}, {}, kTypes};
  return s;
}

}  // namespace

RETORT_SDK_PLUGIN(
    "abi=1.0\n"
    "name=moneytype\n"
    "version=1.0.0\n"
    "kinds=type\n"
    "types=money,cents\n",
    spec)
