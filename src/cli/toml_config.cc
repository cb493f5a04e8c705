#include "cli/toml_config.h"

#include <toml++/toml.h>

#include <sstream>

namespace caucus::cli {

namespace {

// The text CLI11 expects for one TOML value; false if it is not a scalar.
bool ScalarText(const toml::node& node, std::string* out) {
  if (auto s = node.value<std::string>()) {
    *out = *s;
    return true;
  }
  if (auto b = node.value_exact<bool>()) {
    *out = *b ? "true" : "false";
    return true;
  }
  if (auto i = node.value_exact<int64_t>()) {
    *out = std::to_string(*i);
    return true;
  }
  if (auto d = node.value_exact<double>()) {
    std::ostringstream s;
    s << *d;
    *out = s.str();
    return true;
  }
  return false;
}

void Collect(const toml::table& table, std::vector<std::string> parents,
             std::vector<CLI::ConfigItem>* items) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (const auto* sub = node.as_table()) {
      auto p = parents;
      p.push_back(name);
      Collect(*sub, p, items);
      continue;
    }
    CLI::ConfigItem item;
    item.parents = parents;
    item.name = name;
    if (const auto* array = node.as_array()) {
      for (const auto& element : *array) {
        std::string text;
        if (!ScalarText(element, &text)) {
          throw CLI::ConversionError("config file: " + name +
                                     " holds a value that is not a scalar");
        }
        item.inputs.push_back(text);
      }
    } else {
      std::string text;
      if (!ScalarText(node, &text)) {
        throw CLI::ConversionError("config file: " + name + " holds an unsupported value");
      }
      item.inputs.push_back(text);
    }
    items->push_back(std::move(item));
  }
}

}  // namespace

std::string TomlConfig::to_config(const CLI::App*, bool, bool, std::string) const {
  return "# caucusd configuration (TOML): one key per long option, e.g. port = 5545\n";
}

std::vector<CLI::ConfigItem> TomlConfig::from_config(std::istream& input) const {
  std::vector<CLI::ConfigItem> items;
  try {
    const toml::table table = toml::parse(input);
    Collect(table, {}, &items);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << "config file line " << e.source().begin.line << ": " << e.description();
    throw CLI::ConversionError(where.str());
  }
  return items;
}

}  // namespace caucus::cli
