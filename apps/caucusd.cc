// caucusd: the Caucus server.
#include "cli/main.h"

int main(int argc, char** argv) { return caucus::cli::Main(argc, argv); }
