#include "http/static_files.h"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

namespace caucus::http {
namespace {

namespace bh = boost::beast::http;

TEST(StaticFiles, RelativePaths) {
  EXPECT_EQ(RelativePath("/"), "index.html");
  EXPECT_EQ(RelativePath("/app.js"), "app.js");
  EXPECT_EQ(RelativePath("/css/"), "css/index.html");
  EXPECT_EQ(RelativePath("/css/site.css"), "css/site.css");
  for (const char* bad :
       {"", "app.js", "/../x.js", "/a/../x.js", "/.env.js", "/a//b.js", "/node_modules/x.js",
        "/tests/a.js", "/x.md", "/%2e%2e/x.js", "/package.json", "/a b.js", "/x.js\\0"}) {
    EXPECT_EQ(RelativePath(bad), std::nullopt) << bad;
  }
}

TEST(StaticFiles, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("site.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("app.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("x.bin"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.v2/file"), "application/octet-stream");
}

TEST(StaticFiles, Etags) {
  const auto a = EtagFor("hello");
  EXPECT_EQ(a, EtagFor("hello"));
  EXPECT_NE(a, EtagFor("hellp"));
  EXPECT_EQ(a.front(), '"');
  EXPECT_EQ(a.back(), '"');
  EXPECT_TRUE(EtagMatches(a, a));
  EXPECT_TRUE(EtagMatches("W/" + a, a));
  EXPECT_TRUE(EtagMatches("\"x\", " + a + " , \"y\"", a));
  EXPECT_TRUE(EtagMatches("*", a));
  EXPECT_FALSE(EtagMatches("\"x\", \"y\"", a));
  EXPECT_FALSE(EtagMatches("", a));
}

TEST(StaticFiles, EmbeddedIndexIsServedWithEtag) {
  const auto files = StaticFiles::Embedded();
  Request req{bh::verb::get, "/", 11};
  auto res = files.Serve(req, "/");
  ASSERT_EQ(res.result(), Status::ok);
  EXPECT_EQ(res[bh::field::content_type], "text/html; charset=utf-8");
  const std::string etag(res[bh::field::etag]);
  req.set(bh::field::if_none_match, etag);
  auto again = files.Serve(req, "/index.html");
  EXPECT_EQ(again.result(), Status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(files.Serve(req, "/missing.js").result(), Status::not_found);
}

}  // namespace
}  // namespace caucus::http
