#include "http/static_files.h"

#include <boost/beast/http/field.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/responses.h"

namespace caucus::http {

namespace bh = boost::beast::http;

namespace {

bool SafeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/';
}

std::string_view Extension(std::string_view path) {
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return path.substr(dot + 1);
}

struct Type {
  std::string_view extension;
  std::string_view content_type;
};
constexpr Type kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"txt", "text/plain; charset=utf-8"},
    {"woff2", "font/woff2"},
};

StaticFile Make(std::string_view relative, std::string body) {
  StaticFile f;
  f.content_type = ContentTypeFor(relative);
  f.etag = EtagFor(body);
  f.body = std::move(body);
  return f;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view relative) {
  const auto ext = Extension(relative);
  for (const auto& t : kTypes) {
    if (t.extension == ext) return t.content_type;
  }
  return "application/octet-stream";
}

bool Servable(std::string_view relative) {
  if (relative.empty() || relative.front() == '/') return false;
  for (char c : relative) {
    if (!SafeChar(c)) return false;
  }
  size_t start = 0;
  while (start <= relative.size()) {
    size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    const auto segment = relative.substr(start, end - start);
    if (segment.empty() || segment.front() == '.') return false;
    if (segment == "node_modules" || segment == "tests" || segment == "test") return false;
    start = end + 1;
  }
  if (relative == "package.json" || relative == "package-lock.json") return false;
  const auto ext = Extension(relative);
  for (const auto& t : kTypes) {
    if (t.extension == ext) return true;
  }
  return false;
}

std::optional<std::string> RelativePath(std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  std::string relative(url_path.substr(1));
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  if (!Servable(relative)) return std::nullopt;
  return relative;
}

std::string EtagFor(std::string_view body) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char text[48];
  std::snprintf(text, sizeof text, "\"%016llx-%zx\"", static_cast<unsigned long long>(h),
                body.size());
  return text;
}

bool EtagMatches(std::string_view header, std::string_view etag) {
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t' || header[i] == ',')) ++i;
    size_t end = header.find(',', i);
    if (end == std::string_view::npos) end = header.size();
    auto tag = header.substr(i, end - i);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (!tag.empty() && tag == etag) return true;
    i = end;
  }
  return false;
}

StaticFiles StaticFiles::Embedded() {
  StaticFiles files;
  for (const auto& e : EmbeddedWebFiles()) {
    files.embedded_.emplace(
        e.path, Make(e.path, std::string(reinterpret_cast<const char*>(e.data), e.size)));
  }
  return files;
}

StaticFiles StaticFiles::FromDirectory(std::string root) {
  StaticFiles files;
  files.root_ = std::move(root);
  return files;
}

std::optional<StaticFile> StaticFiles::Find(std::string_view url_path) const {
  const auto relative = RelativePath(url_path);
  if (!relative) return std::nullopt;
  if (root_.empty()) {
    const auto it = embedded_.find(*relative);
    if (it == embedded_.end()) return std::nullopt;
    return it->second;
  }
  // Servable() allows no "..", so the path stays under the root; a symlink
  // inside the root is the developer's own choice.
  const std::filesystem::path path = std::filesystem::path(root_) / *relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  return Make(*relative, std::move(body).str());
}

Response StaticFiles::Serve(const Request& request, std::string_view url_path) const {
  auto file = Find(url_path);
  if (!file) return ErrorResponse(request, Status::not_found);
  const auto inm = request[bh::field::if_none_match];
  if (!inm.empty() && EtagMatches(std::string_view(inm.data(), inm.size()), file->etag)) {
    auto res = MakeResponse(request, Status::not_modified, file->content_type, {});
    res.erase(bh::field::content_length);
    res.erase(bh::field::content_type);
    res.set(bh::field::etag, file->etag);
    res.set(bh::field::cache_control, "no-cache");
    return res;
  }
  auto res = MakeResponse(request, Status::ok, file->content_type, std::move(file->body));
  res.set(bh::field::etag, file->etag);
  // Always revalidate: a new build serves new files under the same names.
  res.set(bh::field::cache_control, "no-cache");
  return res;
}

}  // namespace caucus::http
