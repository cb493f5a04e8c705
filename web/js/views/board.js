// The message board: post, edit, delete, and what is new since the last
// visit (READ <time>; the time of the newest post seen is kept in
// localStorage, per account). Live: after WATCH board (a Caucus extension)
// the server sends POSTED for every post others create, edit or delete,
// and the list follows without a reload.
import { $, el, announce, toast, setBadge, busy, confirmDialog } from '../ui.js';
import { errorText } from '../errors.js';
import { localTime, parseWire } from '../time.js';

function seenKey(name) {
  return `caucus.boardSeen.${name.toLowerCase()}`;
}

export class BoardView {
  constructor(session, app) {
    this.session = session;
    this.app = app;
    this.posts = [];
    this.since = null; // the last visit before this page was opened
    this.editing = null;
    this.unseen = new Set(); // post numbers new or changed since the board was last shown
    $('post-form').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.post());
    });
    session.addEventListener('server', (e) => this.onServer(e.detail.verb, e.detail.params));
  }

  async onLogin(resumed, sameUser) {
    if (!sameUser || this.since === null) {
      this.since = localStorage.getItem(seenKey(this.session.name));
    }
    // Changes made from now on come as POSTED events; an older server
    // refuses WATCH, and the board is then as fresh as its last load.
    await this.session.command('WATCH', ['board']);
    const r = await this.session.command('READ', this.since ? [this.since] : []);
    if (r.ok) {
      this.unseen = new Set(r.data.filter((d) => d[0] === 'BOARD').map((d) => d[1]));
      setBadge('badge-board', this.unseen.size);
    }
    if (this.app.visible('board')) await this.load();
  }

  // Logged out: another user's board state goes.
  reset() {
    this.posts = [];
    this.since = null;
    this.unseen = new Set();
    this.editing = null;
    this.render();
  }

  // POSTED <n> new|edited|deleted <time> <name> [:<text>]
  onServer(verb, p) {
    if (verb !== 'POSTED') return;
    const [n, change, time, name, text] = p;
    const at = this.posts.findIndex((x) => x.n === n);
    if (change === 'deleted') {
      if (at >= 0) this.posts.splice(at, 1);
      this.unseen.delete(n);
      announce(`post ${n} was deleted by ${name}`);
    } else if (change === 'edited' && at >= 0) {
      this.posts[at] = { ...this.posts[at], edited: time, text: text ?? '' };
      announce(`${name} edited post ${n}`);
    } else if (at < 0) {
      this.posts.push({ n, time, author: name, edited: change === 'edited' ? time : '-', text: text ?? '' });
      this.posts.sort((a, b) => Number(a.n) - Number(b.n));
      announce(`${name} posted: ${text ?? ''}`);
    }
    if (change !== 'deleted') {
      if (this.app.visible('board') && !document.hidden) this.markSeen(time);
      else this.unseen.add(n);
    }
    setBadge('badge-board', this.app.visible('board') ? 0 : this.unseen.size);
    this.render();
  }

  // The newest time seen is kept, for "new since your last visit" later.
  markSeen(time) {
    const kept = localStorage.getItem(seenKey(this.session.name));
    if (!kept || parseWire(time) > parseWire(kept)) localStorage.setItem(seenKey(this.session.name), time);
  }

  async shown() {
    await this.load();
  }

  async load() {
    const r = await this.session.command('READ');
    if (!r.ok) return toast(errorText(r));
    this.posts = r.data
      .filter((d) => d[0] === 'BOARD')
      .map((d) => ({ n: d[1], time: d[2], author: d[3], edited: d[4], text: d[5] ?? '' }));
    let newest = this.since;
    for (const p of this.posts) {
      const t = p.edited !== '-' ? p.edited : p.time;
      if (!newest || parseWire(t) > parseWire(newest)) newest = t;
    }
    if (newest) localStorage.setItem(seenKey(this.session.name), newest);
    this.unseen.clear();
    setBadge('badge-board', 0);
    this.render();
  }

  isNew(p) {
    if (!this.since) return true;
    const t = p.edited !== '-' ? p.edited : p.time;
    return parseWire(t) > parseWire(this.since);
  }

  async post() {
    const text = $('post-input').value.trim();
    if (!text) return;
    const r = await this.session.command('POST', [], text);
    if (!r.ok) return toast(errorText(r));
    $('post-input').value = '';
    announce(`posted number ${r.param(0)}`);
    await this.load();
  }

  async saveEdit(n, text) {
    const r = await this.session.command('EDIT', [n], text);
    if (!r.ok) return toast(errorText(r));
    this.editing = null;
    announce(`post ${n} edited`);
    await this.load();
  }

  async remove(n) {
    const yes = await confirmDialog('Delete this post?', `Post #${n} will be removed for everyone.`, 'Delete');
    if (!yes) return;
    const r = await this.session.command('DELETE', [n]);
    if (!r.ok) return toast(errorText(r));
    announce(`post ${n} deleted`);
    await this.load();
  }

  renderPost(p) {
    const mine = p.author.toLowerCase() === this.session.name.toLowerCase();
    const fresh = this.isNew(p);
    const head = el(
      'p',
      { class: 'meta' },
      `#${p.n} · ${p.author} · ${localTime(p.time)}`,
      p.edited !== '-' ? ` · edited ${localTime(p.edited)}` : '',
      fresh ? el('span', { class: 'tag-new' }, 'new') : null,
    );
    let body;
    if (this.editing === p.n) {
      const input = el('input', { id: `edit-${p.n}`, value: p.text, autocomplete: 'off' });
      body = el(
        'form',
        {
          class: 'inline',
          onsubmit: (e) => {
            e.preventDefault();
            busy(e.target, () => this.saveEdit(p.n, input.value.trim()));
          },
        },
        el('label', { for: `edit-${p.n}`, class: 'visually-hidden' }, `Text of post ${p.n}`),
        input,
        el('button', { type: 'submit' }, 'Save'),
        el('button', { type: 'button', class: 'secondary', onclick: () => { this.editing = null; this.render(); } }, 'Cancel'),
      );
      setTimeout(() => input.focus(), 0);
    } else {
      body = el('p', { class: 'text' }, p.text);
    }
    const actions = el('div', { class: 'actions' });
    if (mine && this.editing !== p.n) {
      actions.append(
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Edit post ${p.n}`, onclick: () => { this.editing = p.n; this.render(); } }, 'Edit'),
      );
    }
    if (mine || this.session.isAdmin) {
      actions.append(
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Delete post ${p.n}`, onclick: () => this.remove(p.n) }, 'Delete'),
      );
    }
    return el('li', { class: 'card post' + (fresh ? ' fresh' : ''), 'data-post': p.n }, head, body, actions);
  }

  render() {
    const newCount = this.posts.filter((p) => this.isNew(p)).length;
    $('board-status').textContent =
      `${this.posts.length} ${this.posts.length === 1 ? 'post' : 'posts'}` +
      (this.since ? `; ${newCount} new since your last visit (${localTime(this.since)})` : '');
    const list = $('board-list');
    list.replaceChildren(...[...this.posts].reverse().map((p) => this.renderPost(p)));
    if (this.posts.length === 0) list.append(el('li', { class: 'empty' }, 'Nothing on the board yet.'));
  }
}
