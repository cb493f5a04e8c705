// PrometheusText: writes the Prometheus text exposition format (version
// 0.0.4): a HELP and a TYPE line per family, then its samples.
//
//   PrometheusText p;
//   p.Counter("caucus_logins_total", "Logins by outcome.");
//   p.Sample("caucus_logins_total", {{"outcome", "ok"}}, 12);
//   p.Histogram("caucus_commit_seconds", "...", bounds, counts, sum);
//
// Pure: no sockets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caucus::http {

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

  void Counter(std::string_view name, std::string_view help) { Family(name, "counter", help); }
  void Gauge(std::string_view name, std::string_view help) { Family(name, "gauge", help); }
  void Sample(std::string_view name, const Labels& labels, double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }

  // A whole histogram family: `bounds` are the upper bounds (ascending,
  // without +Inf), `counts` the observations per bucket (not cumulative;
  // one more than bounds, the last above every bound).
  void Histogram(std::string_view name, std::string_view help, const std::vector<double>& bounds,
                 const std::vector<uint64_t>& counts, double sum);

  const std::string& text() const { return out_; }

 private:
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Number(double value);

  std::string out_;
};

}  // namespace caucus::http
