#include "bench/client.h"

namespace caucus::bench {

Client::Client(EventLoop& loop, Endpoints endpoints, std::unique_ptr<ProtocolAdapter> adapter)
    : connection_(loop, *this, endpoints), adapter_(std::move(adapter)) {}

void Client::Start(SetupObserver* observer) {
  observer_ = observer;
  ready_ = false;
  std::string why;
  if (!connection_.Open(&why)) OnClosed(why);
}

void Client::Restart(std::unique_ptr<ProtocolAdapter> adapter) {
  adapter_ = std::move(adapter);
  ready_ = false;
  connection_.Reopen();
}

void Client::Stop() { connection_.Close(); }

void Client::Publish(std::string_view text) {
  Write([&](std::string& out) { adapter_->Publish(out, text); });
}

void Client::Direct(std::string_view to, std::string_view text) {
  Write([&](std::string& out) { adapter_->Direct(out, to, text); });
}

void Client::Ping() {
  Write([&](std::string& out) { adapter_->Ping(out); });
}

void Client::SendRaw(std::string_view line) {
  Write([&](std::string& out) { out.append(line); });
}

void Client::OnConnected() {
  Write([&](std::string& out) { adapter_->Start(out); });
}

void Client::OnLine(std::string_view line) {
  Event e;
  Write([&](std::string& out) { e = adapter_->OnLine(line, out); });
  switch (e.kind) {
    case Event::Kind::kNone:
      return;
    case Event::Kind::kDelivery:
      OnDelivery(e.text);
      return;
    case Event::Kind::kReady:
      ready_ = true;
      Settle(true);
      OnReady();
      return;
    case Event::Kind::kPong:
      ++pongs_;
      OnPong();
      return;
    case Event::Kind::kReply:
      OnReply(e.text);
      return;
    case Event::Kind::kError:
      OnError(e.text);
      if (!ready_) Settle(false);
      return;
    case Event::Kind::kGone: {
      // The server closes next: report its reason, not the close. Copied
      // first: the line lives in the connection's buffer, which Close() frees.
      const std::string why(e.text);
      connection_.Close();
      OnLost(why);
      return;
    }
  }
}

void Client::OnClosed(std::string_view why) { OnLost(why); }

void Client::OnError(std::string_view line) {
  ++errors_;
  last_error_ = std::string(line);
}

void Client::OnLost(std::string_view why) {
  ++errors_;
  last_error_ = std::string(why);
  if (!ready_) Settle(false);
}

void Client::Settle(bool ready) {
  SetupObserver* observer = observer_;
  observer_ = nullptr;
  if (observer != nullptr) observer->OnSettled(*this, ready);
}

}  // namespace caucus::bench
