#include "http/router.h"

#include <gtest/gtest.h>

namespace caucus::http {
namespace {

namespace bh = boost::beast::http;

TEST(Router, Routes) {
  EXPECT_EQ(PathOf("/ws?x=1"), "/ws");
  EXPECT_EQ(PathOf("/a#frag"), "/a");
  EXPECT_EQ(RouteFor("/ws"), Route::kWebSocket);
  EXPECT_EQ(RouteFor("/metrics"), Route::kMetrics);
  EXPECT_EQ(RouteFor("/healthz"), Route::kHealth);
  EXPECT_EQ(RouteFor("/readyz"), Route::kReady);
  EXPECT_EQ(RouteFor("/"), Route::kStatic);
  EXPECT_EQ(RouteFor("/ws/"), Route::kStatic);
}

TEST(Router, Methods) {
  EXPECT_TRUE(MethodAllowed(Route::kStatic, bh::verb::head));
  EXPECT_FALSE(MethodAllowed(Route::kStatic, bh::verb::post));
  EXPECT_TRUE(MethodAllowed(Route::kWebSocket, bh::verb::get));
  EXPECT_FALSE(MethodAllowed(Route::kWebSocket, bh::verb::head));
  EXPECT_EQ(AllowedMethods(Route::kMetrics), "GET, HEAD");
}

}  // namespace
}  // namespace caucus::http
