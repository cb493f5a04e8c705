// Direct-message conversations (with history from HISTORY and unread
// counts) and the broadcast channel, "Everyone".
import { $, el, announce, toast, setBadge, busy } from '../ui.js';
import { errorText } from '../errors.js';
import { localTime } from '../time.js';
import { isValidName } from '../session.js';

const EVERYONE = '*';
const PAGE = 50;

function key(name) {
  return name === EVERYONE ? EVERYONE : name.toLowerCase();
}

export class MessagesView {
  constructor(session, app) {
    this.session = session;
    this.app = app;
    this.reset();
    session.addEventListener('server', (e) => this.onServer(e.detail.verb, e.detail.params));
    $('chat-form').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.send());
    });
    $('open-conversation').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('open-conversation-name').value.trim();
      if (!isValidName(name)) return toast('that is not a valid name');
      if (key(name) === key(this.session.name)) return toast('that is you');
      $('open-conversation-name').value = '';
      this.open(name);
    });
    $('chat-earlier').addEventListener('click', () => this.loadEarlier());
  }

  reset() {
    this.convs = new Map();
    this.convs.set(EVERYONE, this.newConv(EVERYONE));
    this.convs.get(EVERYONE).loaded = true;
    this.current = EVERYONE;
    this.render();
  }

  newConv(name) {
    return { name, messages: [], ids: new Set(), unread: 0, loaded: false, oldest: null, more: false };
  }

  conv(name) {
    const k = key(name);
    if (!this.convs.has(k)) this.convs.set(k, this.newConv(name));
    return this.convs.get(k);
  }

  // After every login: what the conversations hold stays (another user's
  // was dropped at the 'account' event, before the stored messages came).
  onLogin(resumed) {
    if (resumed && this.current !== EVERYONE) {
      // Catch up on what came while the connection was down.
      const c = this.convs.get(this.current);
      c.loaded = false;
      this.load(c);
    }
    this.render();
  }

  add(c, m) {
    if (c.ids.has(m.id)) return false; // delivered again after a crash
    c.ids.add(m.id);
    c.messages.push(m);
    c.messages.sort((a, b) => Number(a.id) - Number(b.id));
    return true;
  }

  onServer(verb, p) {
    if (verb !== 'MSG') return;
    const [id, time, from, kind, text] = p;
    const isDm = kind === 'dm';
    const c = isDm ? this.conv(from) : this.convs.get(EVERYONE);
    if (!this.add(c, { id, time, from, to: isDm ? this.session.name : EVERYONE, text })) return;
    const seen = this.app.visible('messages') && key(c.name) === this.current && !document.hidden;
    if (!seen) c.unread++;
    announce(isDm ? `message from ${from}: ${text}` : `${from} to everyone: ${text}`);
    this.render();
  }

  unread() {
    let n = 0;
    for (const c of this.convs.values()) n += c.unread;
    return n;
  }

  async open(name) {
    const c = this.conv(name);
    this.current = key(name);
    c.unread = 0;
    this.app.go('messages');
    this.render();
    if (!c.loaded) await this.load(c);
    $('chat-input').focus();
  }

  async load(c, before = null) {
    const r = await this.session.command('HISTORY', [c.name, before ?? '-', String(PAGE)]);
    if (!r.ok) {
      toast(errorText(r));
      if (r.code === 'NO_SUCH_USER' && c.messages.length === 0) {
        this.convs.delete(key(c.name));
        this.current = EVERYONE;
        this.render();
      }
      return;
    }
    for (const d of r.data) {
      if (d[0] !== 'DM') continue;
      this.add(c, { id: d[1], time: d[2], from: d[3], to: d[4], text: d[5] ?? '' });
    }
    c.name = r.param(0) || c.name; // the name as registered
    if (before === null || c.oldest === null) c.oldest = r.param(2);
    else c.oldest = r.param(2) === '-' ? c.oldest : r.param(2);
    if (before === null) c.more = Number(r.param(1)) >= PAGE;
    else c.more = Number(r.param(1)) >= PAGE;
    c.loaded = true;
    this.render();
  }

  async loadEarlier() {
    const c = this.convs.get(this.current);
    if (c && c.oldest && c.oldest !== '-') await this.load(c, c.oldest);
  }

  async send() {
    const input = $('chat-input');
    const text = input.value.trim();
    if (!text) return;
    const c = this.convs.get(this.current);
    try {
      if (this.current === EVERYONE) {
        const r = await this.session.command('BROADCAST', [], text);
        if (!r.ok) return toast(errorText(r));
        const reached = Number(r.param(2));
        this.add(c, {
          id: r.param(0),
          time: r.param(1),
          from: this.session.name,
          to: EVERYONE,
          text,
          note: `reached ${reached} ${reached === 1 ? 'person' : 'people'}`,
        });
      } else {
        const r = await this.session.command('SEND', [c.name], text);
        if (!r.ok) return toast(errorText(r));
        this.add(c, {
          id: r.param(0),
          time: r.param(1),
          from: this.session.name,
          to: c.name,
          text,
          note: r.param(2) === 'stored' ? 'kept for when they log in' : 'delivered',
        });
      }
      input.value = '';
      this.render();
    } catch (e) {
      toast(e.message);
    }
  }

  render() {
    const list = $('conversations');
    list.replaceChildren();
    for (const [k, c] of this.convs) {
      const label = k === EVERYONE ? 'Everyone (broadcast)' : c.name;
      const button = el(
        'button',
        {
          type: 'button',
          class: 'conv' + (k === this.current ? ' current' : ''),
          'aria-current': k === this.current ? 'true' : null,
          'data-name': c.name,
          onclick: () => this.open(c.name),
        },
        label,
        c.unread > 0
          ? el('span', { class: 'badge', 'aria-label': `${c.unread} unread` }, String(c.unread))
          : null,
      );
      list.append(el('li', {}, button));
    }
    const c = this.convs.get(this.current);
    const everyone = this.current === EVERYONE;
    $('chat-title').textContent = everyone ? 'Everyone' : c.name;
    $('chat-hint').textContent = everyone
      ? 'Broadcasts reach everyone online who has not blocked you; they are not kept for later.'
      : 'Messages to someone offline are kept until they log in.';
    $('chat-input-label').textContent = everyone ? 'Broadcast to everyone' : `Message to ${c.name}`;
    $('chat-earlier').hidden = !c.more;
    const log = $('chat-log');
    log.replaceChildren(
      ...c.messages.map((m) => {
        const mine = key(m.from) === key(this.session.name);
        return el(
          'li',
          { class: mine ? 'mine' : 'theirs', 'data-id': m.id },
          el('span', { class: 'meta' }, `${mine ? 'you' : m.from} · ${localTime(m.time)}`),
          el('span', { class: 'text' }, m.text),
          m.note ? el('span', { class: 'meta status' }, m.note) : null,
        );
      }),
    );
    if (c.messages.length === 0) {
      log.append(el('li', { class: 'empty' }, everyone ? 'No broadcasts yet.' : 'No messages yet.'));
    }
    log.scrollTop = log.scrollHeight;
    setBadge('badge-messages', this.unread());
  }

  // Called when the view becomes visible: the open conversation is read.
  shown() {
    const c = this.convs.get(this.current);
    if (c) c.unread = 0;
    this.render();
  }
}
