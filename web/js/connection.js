// The WebSocket to /ws on the page's own origin: one text frame per
// protocol line each way. It opens on demand, and while `keepOpen` is set
// it reopens after a loss, waiting longer after each failed try, and says
// so with a 'reopened' event (the session then sends RESUME).
import { ProtocolSession, ConnectionLost } from './protocol.js';

const BACKOFF_MS = [300, 1000, 2000, 4000, 8000];

export function defaultUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

// Events: 'event' {verb, params} for every server event (HELLO included),
// 'state' {state: 'connecting'|'open'|'closed'|'waiting', retryIn?},
// 'reopened' after a reconnection that `keepOpen` asked for.
export class Connection extends EventTarget {
  constructor(url = defaultUrl()) {
    super();
    this.url = url;
    this.ws = null;
    this.opening = null;
    this.keepOpen = false;
    this.failures = 0;
    this.retryTimer = null;
    this.protocol = new ProtocolSession(
      (line) => this.sendLine(line),
      (verb, params) => this.dispatchEvent(new CustomEvent('event', { detail: { verb, params } })),
    );
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  setState(state, extra = {}) {
    this.dispatchEvent(new CustomEvent('state', { detail: { state, ...extra } }));
  }

  // Resolves once the socket is open; rejects with ConnectionLost if it
  // could not be opened.
  open() {
    if (this.isOpen) return Promise.resolve();
    if (this.opening) return this.opening;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setState('connecting');
    this.opening = new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let opened = false;
      ws.addEventListener('open', () => {
        opened = true;
        this.failures = 0;
        this.opening = null;
        this.setState('open');
        resolve();
      });
      ws.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        // One line per frame; a frame with several lines is split anyway.
        for (const line of e.data.split('\n')) this.protocol.receive(line);
      });
      ws.addEventListener('close', () => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.opening = null;
        this.protocol.fail();
        if (!opened) reject(new ConnectionLost());
        this.lost();
      });
    });
    return this.opening;
  }

  lost() {
    if (!this.keepOpen) {
      this.setState('closed');
      return;
    }
    const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)];
    this.failures++;
    this.setState('waiting', { retryIn: wait });
    this.retryTimer = setTimeout(() => this.reopen(), wait);
  }

  async reopen() {
    this.retryTimer = null;
    if (!this.keepOpen || this.isOpen) return;
    try {
      await this.open();
      this.dispatchEvent(new Event('reopened'));
    } catch {
      // lost() has already planned the next try.
    }
  }

  // Reconnects now instead of waiting for the planned try.
  retryNow() {
    if (this.retryTimer) this.reopen();
  }

  sendLine(line) {
    if (!this.isOpen) throw new ConnectionLost();
    this.ws.send(line);
  }

  // Sends a command, opening the socket first if need be; resolves with
  // the Reply.
  async command(verb, words = [], text = undefined) {
    await this.open();
    return this.protocol.command(verb, words, text);
  }

  close() {
    this.keepOpen = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ws) this.ws.close();
  }
}
