// PeerAgent: the client's peer-to-peer side, on its own thread: it listens
// on a TCP port (private chats) and a UDP port (files), runs the chats and
// any number of file transfers both ways (p2p/sender.h, p2p/receiver.h),
// admits only peers that present a ticket it was told to expect (once), and
// reports what happens as PeerNotices.
//
// The main thread talks to it through the methods below (each is safe to
// call from any thread) and learns what happened from TakeNotices(),
// when notify_fd() is readable. UDP goes through recvmmsg/sendmmsg batches
// of up to 64 datagrams.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "client/present/presenter.h"
#include "p2p/wire.h"

namespace caucus::client {

// A file someone offered and this user accepted.
struct IncomingFile {
  std::string id;    // the invitation's
  std::string from;  // the sender's name
  std::string name;  // as offered
  uint64_t size = 0;
  p2p::Sha256 sha256{};
};

// A file this user offered and the peer accepted.
struct OutgoingFile {
  std::string id;
  std::string to;
  std::string path;
  std::string name;
  uint64_t size = 0;
  p2p::Sha256 sha256{};
  std::string host;  // the receiver's address and UDP port (ACCEPTED)
  uint16_t port = 0;
  std::string ticket;
};

class PeerAgent {
 public:
  struct Options {
    uint16_t port = 0;  // for both TCP and UDP; 0: any free port
    uint16_t payload = static_cast<uint16_t>(p2p::kDefaultPayload);
    std::string downloads = ".";
  };

  // Binds the sockets and starts the thread; nullptr with *error if it
  // cannot.
  static std::unique_ptr<PeerAgent> Start(const Options& options, std::string* error);
  // Cancels running transfers (the peers are told), closes the chats, and
  // stops the thread.
  ~PeerAgent();

  uint16_t tcp_port() const;
  uint16_t udp_port() const;

  // Readable while notices wait, or after Poke().
  int notify_fd() const;
  std::vector<PeerNotice> TakeNotices();
  // Makes notify_fd() readable, so that the main thread wakes for its own work.
  void Poke();

  // An ACCEPT is on its way to the server: a peer may present its ticket
  // before ExpectChat/ExpectFile is called, so unknown tickets wait (a TCP
  // connection is held, a START left unanswered) until EndAccept().
  void BeginAccept();
  void EndAccept();
  void ExpectChat(const std::string& ticket, const std::string& peer);
  void ExpectFile(const std::string& ticket, IncomingFile file);

  // Connects to a peer who accepted this user's chat invitation.
  void OpenChat(const std::string& peer, const std::string& host, uint16_t port,
                const std::string& ticket);
  // Sends a line over the private chat with `peer`; an error in words, or
  // empty when it was queued.
  std::string Say(const std::string& peer, const std::string& text);
  // Closes the private chat with `peer`; an error in words, or empty.
  std::string EndChat(const std::string& peer);

  // Sends a file to a peer who accepted the offer.
  void SendFile(OutgoingFile file);

  // Transfers running, both ways.
  size_t transfers() const;

  class Loop;

 private:
  explicit PeerAgent(std::unique_ptr<Loop> loop);
  std::unique_ptr<Loop> loop_;
};

}  // namespace caucus::client
