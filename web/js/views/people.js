// Who is online (WHO, then PRESENCE events), and blocks.
import { $, el, announce, toast, busy } from '../ui.js';
import { errorText } from '../errors.js';
import { localTime } from '../time.js';

export class PeopleView {
  constructor(session, app) {
    this.session = session;
    this.app = app;
    this.online = new Map(); // lower-case name -> {name, since, p2p}
    this.blocked = [];
    session.addEventListener('server', (e) => this.onServer(e.detail.verb, e.detail.params));
    $('block-form').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.block($('block-name').value.trim()));
    });
  }

  async onLogin() {
    await Promise.all([this.loadWho(), this.loadBlocks()]);
  }

  // Logged out: nobody is known to be online.
  reset() {
    this.online.clear();
    this.blocked = [];
    this.render();
  }

  async loadWho() {
    const r = await this.session.command('WHO');
    if (!r.ok) return toast(errorText(r));
    this.online.clear();
    for (const d of r.data) {
      if (d[0] !== 'USER' || d[3] !== 'online') continue;
      this.online.set(d[1].toLowerCase(), { name: d[1], since: d[2], p2p: d[4] === 'p2p' });
    }
    this.render();
  }

  async loadBlocks() {
    const r = await this.session.command('BLOCKS');
    if (!r.ok) return toast(errorText(r));
    this.blocked = r.data.filter((d) => d[0] === 'BLOCKED').map((d) => d[1]);
    this.render();
  }

  onServer(verb, p) {
    if (verb !== 'PRESENCE') return;
    const [name, state, time] = p;
    if (state === 'online') {
      this.online.set(name.toLowerCase(), { name, since: time, p2p: false });
    } else {
      this.online.delete(name.toLowerCase());
    }
    announce(`${name} is ${state}`);
    this.render();
  }

  async block(name) {
    if (!name) return;
    const r = await this.session.command('BLOCK', [name]);
    if (!r.ok) return toast(errorText(r));
    $('block-name').value = '';
    announce(`you block ${r.param(0)}`);
    await Promise.all([this.loadBlocks(), this.loadWho()]);
  }

  async unblock(name) {
    const r = await this.session.command('UNBLOCK', [name]);
    if (!r.ok) return toast(errorText(r));
    announce(`you no longer block ${r.param(0)}`);
    await Promise.all([this.loadBlocks(), this.loadWho()]);
  }

  render() {
    const people = [...this.online.values()].sort((a, b) => a.name.localeCompare(b.name));
    $('online-count').textContent = `(${people.length})`;
    const list = $('online-list');
    list.replaceChildren(
      ...people.map((u) =>
        el(
          'li',
          { 'data-name': u.name },
          el('span', { class: 'dot', 'aria-hidden': 'true' }),
          el('span', { class: 'grow' }, el('strong', {}, u.name), ' ', el('span', { class: 'hint' }, `online since ${localTime(u.since)}`)),
          el('button', { type: 'button', class: 'secondary', onclick: () => this.app.openConversation(u.name) }, 'Message'),
          el('button', { type: 'button', class: 'secondary', onclick: () => this.block(u.name) }, 'Block'),
        ),
      ),
    );
    if (people.length === 0) list.append(el('li', { class: 'empty' }, 'Nobody else is online.'));
    const blocked = $('blocked-list');
    blocked.replaceChildren(
      ...this.blocked.map((name) =>
        el(
          'li',
          { 'data-name': name },
          el('span', { class: 'grow' }, name),
          el('button', { type: 'button', class: 'secondary', onclick: () => this.unblock(name) }, 'Unblock'),
        ),
      ),
    );
    if (this.blocked.length === 0) blocked.append(el('li', { class: 'empty' }, 'You block nobody.'));
    this.app.setOnlineCount(people.length);
  }
}
