// For admins: create a poll (POLLNEW, POLLOPTION, POLLROLL, POLLOPEN),
// open or close one now, delete one not yet open, see results at any time.
import { $, el, announce, toast, confirmDialog, busy } from '../ui.js';
import { errorText } from '../errors.js';
import { toWire } from '../time.js';
import { isValidName } from '../session.js';
import { parsePollInfo, pollTiming } from './polls.js';
import { resultsChart } from './results.js';

// Names from a voter roll file: the first word of each line, so that the
// seeds' "name password" voters file works too. Blank lines and lines
// starting with # are skipped.
export function rollNames(text) {
  const names = [];
  const bad = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const name = t.split(/[\s,;]+/)[0];
    if (isValidName(name)) names.push(name);
    else bad.push(i + 1);
  });
  return { names, bad };
}

// Splits names into POLLROLL lines well below the protocol's line limit.
function chunks(names, size = 100) {
  const out = [];
  for (let i = 0; i < names.length; i += size) out.push(names.slice(i, i + size));
  return out;
}

export class AdminView {
  constructor(session, app) {
    this.session = session;
    this.app = app;
    this.roll = null;
    $('poll-create').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.create());
    });
    $('pc-roll').addEventListener('change', () => this.readRoll());
    $('admin-refresh').addEventListener('click', () => this.load());
  }

  shown() {
    this.load();
  }

  async readRoll() {
    const file = $('pc-roll').files[0];
    const info = $('pc-roll-info');
    if (!file) {
      this.roll = null;
      info.textContent = '';
      return;
    }
    const { names, bad } = rollNames(await file.text());
    this.roll = names;
    info.textContent =
      `${names.length} ${names.length === 1 ? 'name' : 'names'} in ${file.name}` +
      (bad.length ? `; lines skipped (not a valid name): ${bad.join(', ')}` : '');
  }

  say(text, ok = false) {
    const out = $('pc-result');
    out.className = ok ? 'ok' : 'error';
    out.textContent = text;
  }

  // The form as POLLNEW's words, or a text saying what is wrong.
  readForm() {
    const title = $('pc-title').value.trim();
    const options = $('pc-options').value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    if (!title) return { error: 'give the poll a title' };
    if (options.length < 2 || options.length > 50) return { error: 'a poll has 2 to 50 options, one per line' };
    const opensMode = document.querySelector('input[name=pc-opens]:checked').value;
    let opens = '-';
    if (opensMode === 'at') {
      const t = Date.parse($('pc-opens-at').value);
      if (Number.isNaN(t)) return { error: 'give the opening time' };
      if (t <= Date.now()) return { error: 'the opening time has passed' };
      opens = toWire(t);
    }
    let closes;
    if (document.querySelector('input[name=pc-closes]:checked').value === 'after') {
      const minutes = Number($('pc-minutes').value);
      if (!Number.isInteger(minutes) || minutes < 1) return { error: 'give the minutes the poll stays open (1 or more)' };
      closes = `+${minutes * 60}`;
    } else {
      const t = Date.parse($('pc-closes-at').value);
      if (Number.isNaN(t)) return { error: 'give the closing time' };
      closes = toWire(t);
    }
    const flags = [...document.querySelectorAll('input[name=pc-flag]:checked')].map((c) => c.value);
    if (this.roll && this.roll.length) flags.push('roll');
    return { title, options, opens, closes, flags: flags.length ? flags.join(',') : '-', openNow: opensMode === 'now' };
  }

  async create() {
    const f = this.readForm();
    if (f.error) return this.say(f.error);
    this.say('creating…', true);
    const made = await this.session.command('POLLNEW', [f.opens, f.closes, f.flags], f.title);
    if (!made.ok) return this.say(errorText(made));
    const id = made.param(0);
    // Everything else, or nothing: a poll left half made is deleted.
    const fail = async (r, what) => {
      await this.session.command('POLLDELETE', [id]);
      this.say(`${what}: ${errorText(r)}; the poll was not created`);
    };
    for (const label of f.options) {
      const r = await this.session.command('POLLOPTION', [id], label);
      if (!r.ok) return fail(r, `option “${label}”`);
    }
    let eligible = null;
    for (const names of chunks(this.roll ?? [])) {
      const r = await this.session.command('POLLROLL', [id, ...names]);
      if (!r.ok) return fail(r, 'voter roll');
      eligible = r.param(1);
    }
    let opened = '';
    if (f.openNow) {
      const r = await this.session.command('POLLOPEN', [id]);
      if (!r.ok) return fail(r, 'opening');
      opened = '; it is open now';
    }
    this.say(`poll ${id} created${eligible !== null ? ` with ${eligible} voters on its roll` : ''}${opened}`, true);
    announce(`poll ${id} created`);
    $('poll-create').reset();
    this.roll = null;
    $('pc-roll-info').textContent = '';
    await this.load();
  }

  async load() {
    const r = await this.session.command('POLLS');
    if (!r.ok) return toast(errorText(r));
    const polls = r.data.filter((d) => d[0] === 'POLLINFO').map(parsePollInfo).reverse();
    const list = $('admin-polls');
    list.replaceChildren(
      ...polls.map((p) => {
        const buttons = [];
        if (p.state === 'upcoming') {
          buttons.push(el('button', { type: 'button', onclick: () => this.act('POLLOPEN', p, 'Open') }, 'Open now'));
          buttons.push(el('button', { type: 'button', class: 'secondary', onclick: () => this.act('POLLDELETE', p, 'Delete') }, 'Delete'));
        }
        if (p.state === 'open') {
          buttons.push(el('button', { type: 'button', onclick: () => this.act('POLLCLOSE', p, 'Close') }, 'Close now'));
        }
        buttons.push(el('button', { type: 'button', class: 'secondary', onclick: () => this.results(p) }, 'Results'));
        return el(
          'li',
          { 'data-poll': p.id },
          el('span', { class: 'grow' }, el('strong', {}, p.title), el('span', { class: 'hint block' }, `${p.id} · `, el('span', { 'data-countdown': p.id }, pollTiming(p)))),
          el('span', { class: 'buttons' }, buttons),
        );
      }),
    );
    if (polls.length === 0) list.append(el('li', { class: 'empty' }, 'No polls yet.'));
  }

  async act(verb, p, word) {
    const yes = await confirmDialog(`${word} “${p.title}”?`, `${word} poll ${p.id} now, for everyone.`, word);
    if (!yes) return;
    const r = await this.session.command(verb, [p.id]);
    if (!r.ok) return toast(errorText(r));
    announce(`poll ${p.id}: ${word.toLowerCase()} done`);
    await this.load();
    this.app.refreshPolls();
  }

  async results(p) {
    const r = await this.session.command('RESULTS', [p.id]);
    const box = $('admin-results');
    if (!r.ok) {
      box.replaceChildren(el('p', { class: 'error' }, errorText(r)));
      return;
    }
    box.replaceChildren(resultsChart(r, p.title));
  }
}
