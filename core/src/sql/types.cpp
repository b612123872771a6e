// core/src/sql/types.cpp — TypeDecorator and plugin types.
#include "../plugin_loader.hpp"
#include "type_values.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/types.hpp>

#include <fmt/format.h>

namespace retort {

namespace {

TypeKind kind_of_storage(std::uint32_t storage) noexcept {
  switch (storage) {
    case RETORT_TYPE_BOOL:
      return TypeKind::boolean;
    case RETORT_TYPE_INT64:
      return TypeKind::big_integer;
    case RETORT_TYPE_DOUBLE:
      return TypeKind::double_;
    case RETORT_TYPE_TEXT:
      return TypeKind::text;
    case RETORT_TYPE_BYTES:
      return TypeKind::large_binary;
    case RETORT_TYPE_DECIMAL:
      return TypeKind::numeric;
    case RETORT_TYPE_DATE:
      return TypeKind::date;
    case RETORT_TYPE_TIME:
      return TypeKind::time;
    case RETORT_TYPE_TIMESTAMP:
    case RETORT_TYPE_TIMESTAMPTZ:
      return TypeKind::date_time;
    case RETORT_TYPE_INTERVAL:
      return TypeKind::interval;
    case RETORT_TYPE_UUID:
      return TypeKind::uuid;
    case RETORT_TYPE_JSON:
      return TypeKind::json;
    default:
      return TypeKind::null;
  }
}

}  // namespace

TypeDecorator::TypeDecorator(Type impl) : TypeEngine(impl.kind()), impl_(std::move(impl)) {
  // The impl's parameters, so DDL and everything reading them treat this as the impl.
  length_ = impl_->length();
  precision_ = impl_->precision();
  scale_ = impl_->scale();
  timezone_ = impl_->timezone();
  enum_values_ = impl_->enum_values();
  enum_name_ = impl_->enum_name();
}

PluginType::PluginType(std::shared_ptr<const detail::PluginTypeData> data)
    : TypeEngine(kind_of_storage(data->def.storage_type)), data_(std::move(data)) {
  timezone_ = data_->def.storage_type == RETORT_TYPE_TIMESTAMPTZ;
}

const char* PluginType::type_name() const noexcept {
  return data_->type_name.c_str();
}
const std::string& PluginType::name() const noexcept {
  return data_->name;
}
std::uint32_t PluginType::storage_type() const noexcept {
  return data_->def.storage_type;
}

Type plugin_type(std::string_view name) {
  detail::TypeHandle handle = detail::load_type(std::string(name));
  auto data = std::make_shared<detail::PluginTypeData>();
  data->name = std::string(name);
  data->type_name = fmt::format("plugin type '{}'", name);
  data->def = handle.type;
  data->plugin = handle.plugin;
  return Type(std::make_shared<const PluginType>(std::move(data)));
}

}  // namespace retort
