// TomlConfig: lets CLI11 read its --config file with toml++, so the file
// is real TOML. Keys are the long option names without dashes:
//
//   port = 5545
//   listen = ["127.0.0.1", "::1"]
//   multi-login = "replace"
//   generate-passwords = true
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <string>
#include <vector>

namespace caucus::cli {

class TomlConfig : public CLI::Config {
 public:
  std::string to_config(const CLI::App* app, bool default_also, bool write_description,
                        std::string prefix) const override;
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;
};

}  // namespace caucus::cli
