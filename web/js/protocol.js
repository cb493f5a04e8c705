// The Caucus line protocol (docs/protocol.md), with no I/O: parsing and
// formatting lines, and matching each command's reply lines (data lines,
// then one OK or ERR) to the command that asked. Events go to a listener.

// POSTED is an extension (WATCH board).
const EVENT_VERBS = new Set(['MSG', 'PRESENCE', 'POLL', 'INVITED', 'ACCEPTED', 'DECLINED', 'BYE', 'POSTED']);
const TAG_RE = /^[A-Za-z0-9_-]{1,32}$/;

// Splits one line by the IRC parameter rule. Returns {tag, params}; the
// tag is null when the line has none. Several spaces count as one.
export function parseLine(raw) {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let tag = null;
  if (line.startsWith('@')) {
    const sp = line.indexOf(' ');
    tag = sp < 0 ? line.slice(1) : line.slice(1, sp);
    line = sp < 0 ? '' : line.slice(sp + 1);
  }
  const params = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    if (line[i] === ':') {
      params.push(line.slice(i + 1));
      break;
    }
    let end = line.indexOf(' ', i);
    if (end < 0) end = line.length;
    params.push(line.slice(i, end));
    i = end;
  }
  return { tag, params };
}

// True if `s` can be sent as a word (not in trailing form).
export function isWord(s) {
  return s.length > 0 && !s.startsWith(':') && !/[ \r\n\0]/.test(s);
}

// Replaces what a line cannot carry (line breaks and other control
// characters but TAB) by spaces, so that a text typed in a form is one line.
export function oneLine(text) {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/\r\n?|\n/g, ' ').replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ');
}

// Builds a command line: the verb, `words` (each must be a word), and the
// optional `text` as trailing parameter. Throws on a bad word.
export function formatCommand(verb, words = [], text = undefined, tag = null) {
  const parts = [];
  if (tag !== null) {
    if (!TAG_RE.test(tag)) throw new Error(`bad tag ${tag}`);
    parts.push('@' + tag);
  }
  parts.push(verb);
  for (const w of words) {
    const s = String(w);
    if (!isWord(s)) throw new Error(`not a word: ${JSON.stringify(s)}`);
    parts.push(s);
  }
  if (text !== undefined && text !== null) parts.push(':' + oneLine(text));
  return parts.join(' ');
}

// One command's answer. `data` holds the parsed data lines (params arrays).
export class Reply {
  constructor(finalParams, data) {
    this.ok = finalParams[0] === 'OK';
    this.verb = finalParams[1] || '-';
    if (this.ok) {
      this.code = '';
      this.params = finalParams.slice(2);
      this.text = '';
    } else {
      this.code = finalParams[2] || '';
      // An ERR always ends with its human text in trailing form.
      this.params = finalParams.slice(3, -1);
      this.text = finalParams.length > 3 ? finalParams[finalParams.length - 1] : '';
    }
    this.data = data;
  }
  param(i) {
    return this.params[i] ?? '';
  }
}

// An error for a command that was never answered (the connection went).
export class ConnectionLost extends Error {
  constructor() {
    super('the connection to the server was lost');
    this.name = 'ConnectionLost';
  }
}

// Matches replies to commands and hands events to `onEvent(verb, params)`.
// `send(line)` writes one line. Commands are answered in order; each is
// tagged, and an untagged final line (a line the server could not read)
// answers the oldest command waiting.
export class ProtocolSession {
  constructor(send, onEvent) {
    this.send = send;
    this.onEvent = onEvent;
    this.pending = []; // {tag, resolve, reject, data}
    this.nextTag = 1;
  }

  // Sends a command; resolves with its Reply (OK or ERR alike).
  command(verb, words = [], text = undefined) {
    const tag = 'c' + this.nextTag++;
    const line = formatCommand(verb, words, text, tag);
    return new Promise((resolve, reject) => {
      this.pending.push({ tag, resolve, reject, data: [] });
      try {
        this.send(line);
      } catch (e) {
        this.pending.pop();
        reject(e);
      }
    });
  }

  // Feeds one line from the server.
  receive(raw) {
    if (raw === '' || raw === '\r') return;
    const { tag, params } = parseLine(raw);
    if (params.length === 0) return;
    const verb = params[0].toUpperCase();
    if (tag === null && (EVENT_VERBS.has(verb) || verb === 'HELLO')) {
      this.onEvent(verb, params.slice(1));
      return;
    }
    const isFinal = verb === 'OK' || verb === 'ERR';
    let index = 0;
    if (tag !== null) {
      index = this.pending.findIndex((p) => p.tag === tag);
      if (index < 0) return; // an answer to nothing we asked: ignore it
    } else if (!isFinal || this.pending.length === 0) {
      return;
    }
    const p = this.pending[index];
    if (!isFinal) {
      p.data.push(params);
      return;
    }
    this.pending.splice(index, 1);
    p.resolve(new Reply(params, p.data));
  }

  // The connection ended: every command still waiting fails.
  fail() {
    const waiting = this.pending;
    this.pending = [];
    for (const p of waiting) p.reject(new ConnectionLost());
  }
}
