// caucus-udp-relay: the lossy UDP relay of the tests (tests/udp_relay.h) as
// a program, for bench/p2p. Prints its port, then relays until stdin ends
// or a signal arrives.
//
//   caucus-udp-relay TARGET_PORT [LOSS [DUPLICATE [REORDER [SEED]]]]
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "udp_relay.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: caucus-udp-relay TARGET_PORT [LOSS [DUPLICATE [REORDER [SEED]]]]\n");
    return 2;
  }
  caucus::test::UdpRelay::Impairment imp;
  imp.loss = argc > 2 ? std::atof(argv[2]) : 0;
  imp.duplicate = argc > 3 ? std::atof(argv[3]) : 0;
  imp.reorder = argc > 4 ? std::atof(argv[4]) : 0;
  imp.seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  caucus::test::UdpRelay relay(static_cast<uint16_t>(std::atoi(argv[1])), imp);
  std::printf("%u\n", relay.port());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  std::fprintf(stderr, "relay: forwarded %llu, dropped %llu, duplicated %llu, delayed %llu\n",
               static_cast<unsigned long long>(relay.forwarded()),
               static_cast<unsigned long long>(relay.dropped()),
               static_cast<unsigned long long>(relay.duplicated()),
               static_cast<unsigned long long>(relay.delayed()));
  return 0;
}
