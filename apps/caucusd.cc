// caucusd: the Caucus server.
#include "server/main.h"

int main(int argc, char** argv) { return caucus::server::Main(argc, argv); }
