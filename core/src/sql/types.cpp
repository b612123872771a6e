// core/src/sql/types.cpp — TypeDecorator and plugin types.
#include "../plugin_loader.hpp"
#include "type_values.hpp"

#include <retort/exceptions.hpp>
#include <retort/sql/types.hpp>

#include <fmt/format.h>

#include <cstddef>

namespace retort {

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
    : TypeEngine(detail::kind_of_value_type(detail::plugin_value_type(data->def))),
      data_(std::move(data)) {
  timezone_ = value_type() == RETORT_TYPE_TIMESTAMPTZ;
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
std::uint32_t PluginType::value_type() const noexcept {
  return detail::plugin_value_type(data_->def);
}

Type plugin_type(std::string_view name) {
  detail::TypeHandle handle = detail::load_type(std::string(name));
  const retort_type_def& def = handle.type;
  const std::uint32_t value_type = detail::plugin_value_type(def);
  if (value_type != def.storage_type &&
      (def.struct_size < offsetof(retort_type_def, result_batch) + sizeof(def.result_batch) ||
       def.bind_batch == nullptr || def.result_batch == nullptr || value_type > RETORT_TYPE_JSON)) {
    throw PluginError(fmt::format("plugin '{}' declares type '{}' with value type {} and storage "
                                  "type {} but not both bind_batch and result_batch",
                                  handle.plugin->info.name, name, value_type, def.storage_type),
                      handle.plugin->info.path);
  }
  auto data = std::make_shared<detail::PluginTypeData>();
  data->name = std::string(name);
  data->type_name = fmt::format("plugin type '{}'", name);
  data->def = handle.type;
  data->plugin = handle.plugin;
  return Type(std::make_shared<const PluginType>(std::move(data)));
}

}  // namespace retort
