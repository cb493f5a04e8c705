// Client: one benchmark user: a Connection that speaks a protocol through
// its ProtocolAdapter. Workloads derive from it and override the hooks they
// need; the hooks run on the client's event loop.
//
// A client is "settled" once its handshake ends, ready or not; a
// SetupObserver (see Launcher) hears of that once per Start().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bench/connection.h"
#include "bench/protocol_adapter.h"

namespace caucus::bench {

class Client : private Connection::Listener {
 public:
  class SetupObserver {
   public:
    virtual void OnSettled(Client& client, bool ready) = 0;

   protected:
    ~SetupObserver() = default;
  };

  Client(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter);
  virtual ~Client() = default;

  // Connects and runs the handshake; `observer` (may be null) hears once
  // whether it ended ready.
  void Start(SetupObserver* observer);

  // Closes the connection (a reset) and starts again with a new adapter at
  // the end of the turn. Safe to call from the hooks.
  void Restart(std::unique_ptr<ProtocolAdapter> adapter);

  // Closes the connection; no hook follows.
  void Stop();

  void Publish(std::string_view text);
  void Direct(std::string_view to, std::string_view text);
  void Ping();
  // Appends raw protocol output, for workloads that use verbs of their own.
  void SendRaw(std::string_view line);
  // Sends queued output now rather than at the end of the event loop's turn.
  void FlushNow() { connection_.FlushNow(); }

  bool ready() const { return ready_; }
  const ProtocolAdapter& adapter() const { return *adapter_; }
  int64_t pongs() const { return pongs_; }
  int64_t errors() const { return errors_; }
  const std::string& last_error() const { return last_error_; }

 protected:
  virtual void OnReady() {}
  virtual void OnDelivery(std::string_view /*text*/) {}
  virtual void OnPong() {}
  virtual void OnReply(std::string_view /*line*/) {}
  // An error reply, or the connection lost: counted and remembered.
  virtual void OnError(std::string_view line);
  virtual void OnLost(std::string_view why);
  // After the lines of one read were handled.
  virtual void OnReadDone() {}

 private:
  void OnConnected() override;
  void OnLine(std::string_view line) override;
  void OnClosed(std::string_view why) override;
  void OnLinesDone() override { OnReadDone(); }
  void Settle(bool ready);
  template <typename Append>
  void Write(Append&& append) {
    connection_.Write(std::forward<Append>(append));
  }

  Connection connection_;
  std::unique_ptr<ProtocolAdapter> adapter_;
  SetupObserver* observer_ = nullptr;
  bool ready_ = false;
  int64_t pongs_ = 0;
  int64_t errors_ = 0;
  std::string last_error_;
};

}  // namespace caucus::bench
