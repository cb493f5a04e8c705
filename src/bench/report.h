// Report: the figures of one run, in the order they were added, written as
// one line of key=value pairs or as one JSON object.
//
//   workload=fanout protocol=caucus deliveries_per_s=3512345 p99_ms=2.41 ...
//   {"workload":"fanout","protocol":"caucus","deliveries_per_s":3512345,...}
//
// Keys are words. Text values holding a space, quote or backslash are
// quoted in the key=value form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace caucus::bench {

class Report {
 public:
  Report& Text(std::string key, std::string_view value);
  Report& Int(std::string key, int64_t value);
  // Written with `decimals` digits after the point.
  Report& Real(std::string key, double value, int decimals);

  // The text value of `key`, or null when there is none (or it is a number).
  const std::string* FindText(std::string_view key) const;

  std::string KeyValueLine() const;
  std::string Json() const;

 private:
  struct RealValue {
    double value;
    int decimals;
  };
  using Value = std::variant<std::string, int64_t, RealValue>;
  std::vector<std::pair<std::string, Value>> fields_;
};

}  // namespace caucus::bench
