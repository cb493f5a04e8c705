// Where the client keeps its files, and how it writes them: private to the
// user (directories 0700, files 0600).
#pragma once

#include <string>
#include <string_view>

namespace caucus::client {

// $XDG_CONFIG_HOME/caucus, else $HOME/.config/caucus; empty when neither
// variable is set.
std::string ConfigDir();

// Creates `dir` and its missing parents, new ones with mode 0700.
bool EnsurePrivateDir(const std::string& dir, std::string* error);

// Replaces `path` with `content` in one step (a temporary file renamed),
// mode 0600.
bool WritePrivateFile(const std::string& path, std::string_view content, std::string* error);

// Appends `line` and a newline to `path`, creating it with mode 0600.
bool AppendPrivateLine(const std::string& path, std::string_view line, std::string* error);

// The directory part of `path` ("." when it has none).
std::string DirOf(const std::string& path);

}  // namespace caucus::client
