// caucus: the terminal client. See docs/client.md and `caucus help`.
#include "client/client_main.h"

int main(int argc, char** argv) { return caucus::client::Main(argc, argv); }
