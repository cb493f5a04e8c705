#include "http/prometheus.h"

#include <cmath>
#include <cstdio>

namespace caucus::http {

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_.append("# HELP ").append(name).append(" ");
  for (char c : help) {
    if (c == '\\') {
      out_ += "\\\\";
    } else if (c == '\n') {
      out_ += "\\n";
    } else {
      out_ += c;
    }
  }
  out_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::Number(double value) {
  if (std::isinf(value)) {
    out_ += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
  } else {
    std::snprintf(buf, sizeof buf, "%.9g", value);
  }
  out_ += buf;
}

void PrometheusText::Sample(std::string_view name, const Labels& labels, double value) {
  out_.append(name);
  if (!labels.empty()) {
    out_ += '{';
    bool first = true;
    for (const auto& [key, text] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_.append(key).append("=\"");
      for (char c : text) {
        if (c == '\\' || c == '"') {
          out_ += '\\';
          out_ += c;
        } else if (c == '\n') {
          out_ += "\\n";
        } else {
          out_ += c;
        }
      }
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  Number(value);
  out_ += '\n';
}

void PrometheusText::Histogram(std::string_view name, std::string_view help,
                               const std::vector<double>& bounds,
                               const std::vector<uint64_t>& counts, double sum) {
  Family(name, "histogram", help);
  const std::string bucket = std::string(name) + "_bucket";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += i < counts.size() ? counts[i] : 0;
    char le[32];
    if (i < bounds.size()) {
      std::snprintf(le, sizeof le, "%g", bounds[i]);
    } else {
      std::snprintf(le, sizeof le, "+Inf");
    }
    Sample(bucket, {{"le", le}}, static_cast<double>(cumulative));
  }
  Sample(std::string(name) + "_sum", sum);
  Sample(std::string(name) + "_count", static_cast<double>(cumulative));
}

}  // namespace caucus::http
