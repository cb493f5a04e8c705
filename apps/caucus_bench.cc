// caucus-bench: the load generator (src/bench/).
#include "bench/main.h"

int main(int argc, char** argv) { return caucus::bench::Main(argc, argv); }
