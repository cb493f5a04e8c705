// StaticFiles: the web client's files, as embedded in the binary at build
// time (from the web/ folder, by cmake/embed_web.cmake) or read from a
// directory on every request (--web-root, for development).
//
// Only files a browser needs are served: names made of letters, digits,
// '.', '_', '-' and '/', no segment starting with '.', no node_modules or
// tests folder, and a known extension (Servable()). The same rule decides
// what the build embeds.
//
// Thread-safety: const methods may be called from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace caucus::http {

struct StaticFile {
  std::string_view content_type;
  std::string body;
  std::string etag;  // a strong ETag, quoted
};

// One file embedded at build time; `path` is relative to web/ ("index.html").
struct EmbeddedFile {
  const char* path;
  const unsigned char* data;
  size_t size;
};
// The generated table (web_files.cc in the build directory).
std::vector<EmbeddedFile> EmbeddedWebFiles();

class StaticFiles {
 public:
  // The files embedded in the binary.
  static StaticFiles Embedded();
  // The files under `root`, read on every request.
  static StaticFiles FromDirectory(std::string root);

  // The file for a URL path ("/" and "/dir/" mean their index.html);
  // nullopt when there is none or the path is not servable.
  std::optional<StaticFile> Find(std::string_view url_path) const;

  // The whole answer to a GET or HEAD of a static path: 200 with the file,
  // 304 when If-None-Match names its ETag, or 404.
  Response Serve(const Request& request, std::string_view url_path) const;

 private:
  std::string root_;  // empty: embedded
  std::map<std::string, StaticFile, std::less<>> embedded_;
};

// The relative path ("index.html") for a URL path, or nullopt when the
// path is not one StaticFiles serves.
std::optional<std::string> RelativePath(std::string_view url_path);
// Whether a relative path may be served (see the top of this file).
bool Servable(std::string_view relative);
std::string_view ContentTypeFor(std::string_view relative);
// A strong ETag for `body`: a 64-bit FNV-1a hash and the size, quoted.
std::string EtagFor(std::string_view body);
// Whether an If-None-Match header value matches `etag` (weak comparison, "*").
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace caucus::http
