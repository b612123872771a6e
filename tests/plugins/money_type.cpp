// A type-only test plugin: type `money`, stored as DECIMAL, NUMERIC(19, 4) on sqlite and
// postgresql, no spelling elsewhere.  Built from the SDK headers only, as a third-party type
// plugin would be.
#include <retort/sdk/plugin.hpp>

#include <cstring>
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

constexpr const retort_type_def* kTypes[] = {&kMoney};

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
    "types=money\n",
    spec)
