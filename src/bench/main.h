// caucus-bench: the load generator. Main() parses the command line, runs
// one workload against one server and prints one line of key=value figures
// (or, with --json, one JSON object). Exit status: 0 when the run's status
// is ok or unsupported, 1 when it failed, 2 for a usage error.
#pragma once

namespace caucus::bench {

int Main(int argc, char** argv);

}  // namespace caucus::bench
