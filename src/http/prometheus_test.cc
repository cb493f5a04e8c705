#include "http/prometheus.h"

#include <gtest/gtest.h>

namespace caucus::http {
namespace {

TEST(PrometheusText, CountersAndLabels) {
  PrometheusText p;
  p.Counter("x_total", "Things\nwith a \\ newline.");
  p.Sample("x_total", {{"kind", "a\"b"}}, 3);
  p.Sample("x_total", 0.25);
  EXPECT_EQ(p.text(),
            "# HELP x_total Things\\nwith a \\\\ newline.\n"
            "# TYPE x_total counter\n"
            "x_total{kind=\"a\\\"b\"} 3\n"
            "x_total 0.25\n");
}

TEST(PrometheusText, HistogramIsCumulative) {
  PrometheusText p;
  p.Histogram("lag_seconds", "Lag.", {0.001, 0.01}, {2, 1, 4}, 1.5);
  EXPECT_EQ(p.text(),
            "# HELP lag_seconds Lag.\n"
            "# TYPE lag_seconds histogram\n"
            "lag_seconds_bucket{le=\"0.001\"} 2\n"
            "lag_seconds_bucket{le=\"0.01\"} 3\n"
            "lag_seconds_bucket{le=\"+Inf\"} 7\n"
            "lag_seconds_sum 1.5\n"
            "lag_seconds_count 7\n");
}

}  // namespace
}  // namespace caucus::http
