// The signals the client handles, turned into flags and a readable pipe so
// that every poll() can wake for them: SIGINT, SIGTERM and SIGHUP ask it to
// leave; SIGWINCH and SIGCONT ask the terminal to be drawn again. SIGPIPE
// is ignored (a closed socket shows as a failed write).
//
// Process-wide state: Install() once, from the main thread.
#pragma once

namespace caucus::client::signals {

void Install();

// Becomes readable when a handled signal arrives; Drain() empties it.
int WakeFd();
void Drain();

// True once SIGINT, SIGTERM or SIGHUP arrived; which one.
bool QuitRequested();
int QuitSignal();

// Forgets that leaving was asked: a Ctrl-C that only cleared a line or
// cancelled a question, or one whose leaving is under way (and must not cut
// the LOGOUT short).
void ClearQuit();

// True when SIGWINCH or SIGCONT arrived since the last call: the terminal
// needs drawing again; *resumed tells that it was SIGCONT (after Ctrl-Z),
// when the terminal's modes must be set again too.
bool TakeRedraw(bool* resumed);

}  // namespace caucus::client::signals
