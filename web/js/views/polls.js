// Polls: the list with countdowns, a poll's options, voting with a
// confirmation (and the password when the poll asks for it again), the
// receipt with copy and download, verifying a receipt, and results.
import { $, el, announce, toast, setBadge, confirmDialog, copyText, download, busy } from '../ui.js';
import { errorText } from '../errors.js';
import { localTime, parseWire, countdown } from '../time.js';
import { resultsChart } from './results.js';

function receiptsKey(name) {
  return `caucus.receipts.${name.toLowerCase()}`;
}

export function parsePollInfo(d) {
  return { id: d[1], state: d[2], opens: d[3], closes: d[4], voted: d[5] === '1', title: d[6] ?? '' };
}

// "open, closes in 4 min" and the like.
export function pollTiming(p) {
  if (p.state === 'upcoming') {
    return p.opens === '-' ? 'not open yet' : `opens ${countdown(parseWire(p.opens))} (${localTime(p.opens)})`;
  }
  if (p.state === 'open') {
    return p.closes === '-' ? 'open' : `open, closes ${countdown(parseWire(p.closes))} (${localTime(p.closes)})`;
  }
  return `closed ${localTime(p.closes)}`;
}

// The most options a ballot may choose, from a POLLFLAGS flag list.
export function pollChoices(flags) {
  const m = /(?:^|,)choices=(\d+)(?:,|$)/.exec(flags || '');
  return m ? Number(m[1]) : 1;
}

function passwordField(id) {
  const input = el('input', { id, type: 'password', autocomplete: 'current-password' });
  return { input, node: el('div', {}, el('label', { for: id }, 'Your password'), input) };
}

export class PollsView {
  constructor(session, app) {
    this.session = session;
    this.app = app;
    this.polls = [];
    this.selected = null; // poll id
    session.addEventListener('server', (e) => this.onServer(e.detail.verb, e.detail.params));
    $('polls-refresh').addEventListener('click', () => this.load());
    $('verify-form').addEventListener('submit', (e) => {
      e.preventDefault();
      busy(e.target, () => this.verify($('verify-poll').value.trim(), $('verify-receipt').value.trim()));
    });
    setInterval(() => this.tick(), 1000);
  }

  async onLogin() {
    await this.load();
    this.renderReceipts();
  }

  shown() {
    this.load();
  }

  onServer(verb, p) {
    if (verb !== 'POLL') return;
    const [id, state, , title] = p;
    announce(`poll ${title} is ${state}`);
    toast(`poll “${title}” is ${state === 'open' ? 'open: you may vote' : 'closed'}`, 'info');
    this.load().then(() => {
      if (this.selected === id) this.select(id);
    });
  }

  async load() {
    const r = await this.session.command('POLLS');
    if (!r.ok) return toast(errorText(r));
    this.polls = r.data.filter((d) => d[0] === 'POLLINFO').map(parsePollInfo);
    this.render();
    this.app.pollsChanged(this.polls);
  }

  tick() {
    for (const span of document.querySelectorAll('[data-countdown]')) {
      const p = this.polls.find((x) => x.id === span.dataset.countdown);
      if (p) span.textContent = pollTiming(p);
    }
  }

  render() {
    const list = $('poll-list');
    list.replaceChildren(
      ...this.polls
        .slice()
        .reverse()
        .map((p) =>
          el(
            'li',
            { 'data-poll': p.id, class: p.id === this.selected ? 'current' : null },
            el(
              'button',
              { type: 'button', class: 'conv', onclick: () => this.select(p.id), 'aria-current': p.id === this.selected ? 'true' : null },
              el('strong', {}, p.title),
              el('span', { class: 'hint block' }, `${p.id} · `, el('span', { 'data-countdown': p.id }, pollTiming(p)), p.voted ? ' · you voted' : ''),
            ),
          ),
        ),
    );
    if (this.polls.length === 0) list.append(el('li', { class: 'empty' }, 'No polls yet.'));
    setBadge('badge-polls', this.polls.filter((p) => p.state === 'open' && !p.voted).length);
  }

  receipts() {
    try {
      return JSON.parse(localStorage.getItem(receiptsKey(this.session.name)) || '[]');
    } catch {
      return [];
    }
  }

  keepReceipt(entry) {
    const all = this.receipts().filter((r) => r.receipt !== entry.receipt);
    all.push(entry);
    localStorage.setItem(receiptsKey(this.session.name), JSON.stringify(all));
    this.renderReceipts();
  }

  renderReceipts() {
    const list = $('receipt-list');
    const all = this.receipts();
    list.replaceChildren(
      ...all.map((r) =>
        el(
          'li',
          {},
          el('span', { class: 'grow' }, `${r.title} (${r.poll}): `, el('code', {}, r.receipt)),
          el('button', { type: 'button', class: 'secondary', onclick: () => this.verify(r.poll, r.receipt) }, 'Verify'),
        ),
      ),
    );
    if (all.length === 0) list.append(el('li', { class: 'empty' }, 'None yet: receipts of votes cast from this browser appear here.'));
  }

  async select(id) {
    this.selected = id;
    const seq = (this.selectSeq = (this.selectSeq ?? 0) + 1);
    this.render();
    const r = await this.session.command('POLLINFO', [id]);
    if (seq !== this.selectSeq) return; // a newer choice is on its way
    const box = $('poll-detail');
    if (!r.ok) {
      box.replaceChildren(el('p', { class: 'error' }, errorText(r)));
      return;
    }
    const info = parsePollInfo(r.data.find((d) => d[0] === 'POLLINFO'));
    const options = r.data.filter((d) => d[0] === 'OPTION').map((d) => ({ n: d[2], label: d[3] ?? '' }));
    // How many options a ballot may choose (choices=N, from POLLFLAGS, a
    // Caucus extension; one when the server does not say).
    const flags = await this.session.command('POLLFLAGS', [id]);
    if (seq !== this.selectSeq) return;
    const choices = flags.ok ? pollChoices(flags.param(1)) : 1;
    const parts = [
      el('h3', { id: 'poll-title' }, info.title),
      el('p', { class: 'hint' }, `${info.id} · `, el('span', { 'data-countdown': info.id }, pollTiming(info))),
    ];
    if (info.state === 'open' && !info.voted) {
      const several = choices > 1;
      const fieldset = el(
        'fieldset',
        { class: 'options' },
        el('legend', {}, several ? `Your choices (up to ${choices})` : 'Your choice'),
        options.map((o) =>
          el(
            'label',
            { class: 'check option' },
            el('input', { type: several ? 'checkbox' : 'radio', name: 'vote-option', value: o.n }),
            ` ${o.label}`,
          ),
        ),
      );
      const form = el(
        'form',
        {
          id: 'vote-form',
          onsubmit: (e) => {
            e.preventDefault();
            const chosen = [...form.querySelectorAll('input[name=vote-option]:checked')].map((c) =>
              options.find((o) => o.n === c.value),
            );
            if (chosen.length === 0) return toast(several ? 'choose at least one option first' : 'choose an option first');
            if (chosen.length > choices) return toast(`this poll takes at most ${choices} choices`);
            busy(form, () => this.vote(info, chosen));
          },
        },
        fieldset,
        el('button', { type: 'submit' }, 'Vote…'),
      );
      parts.push(form);
    } else {
      parts.push(el('ol', { class: 'options-list' }, options.map((o) => el('li', {}, o.label))));
      if (info.voted) parts.push(el('p', { class: 'ok' }, 'You have voted in this poll.'));
    }
    const kept = this.receipts().filter((x) => x.poll === info.id);
    if (kept.length) parts.push(this.receiptBox(kept[kept.length - 1]));
    parts.push(el('div', { id: 'poll-results' }));
    parts.push(el('button', { type: 'button', class: 'secondary', onclick: () => this.results(info) }, 'Show results'));
    box.replaceChildren(...parts);
    if (info.state === 'closed') await this.results(info, true);
  }

  // `chosen`: the options of the ballot (one, or up to the poll's choices).
  async vote(info, chosen) {
    const labels = chosen.map((o) => `“${o.label}”`).join(' and ');
    const yes = await confirmDialog(
      'Confirm your vote',
      `You are voting for ${labels} in “${info.title}”. A ballot is secret and cannot be taken back.`,
      'Cast my vote',
    );
    if (!yes) return;
    const numbers = chosen.map((o) => o.n).join(',');
    let r = await this.session.command('VOTE', [info.id, numbers]);
    if (!r.ok && r.code === 'PASSWORD_REQUIRED') {
      const pw = passwordField('vote-password');
      const again = await confirmDialog('Password needed', 'This poll asks for your password again.', 'Cast my vote', pw.node);
      if (!again || !pw.input.value) return;
      r = await this.session.command('VOTE', [info.id, numbers], pw.input.value);
    }
    if (!r.ok) {
      toast(errorText(r));
      await this.select(info.id);
      return;
    }
    const entry = {
      poll: info.id,
      title: info.title,
      option: numbers,
      label: chosen.map((o) => o.label).join(', '),
      receipt: r.param(1),
      time: new Date().toISOString(),
    };
    this.keepReceipt(entry);
    announce('your vote is recorded');
    await this.load();
    await this.select(info.id);
    $('receipt-box')?.focus();
  }

  receiptBox(entry) {
    const text =
      `Caucus vote receipt\nPoll: ${entry.title} (${entry.poll})\nReceipt: ${entry.receipt}\n` +
      `Cast: ${entry.time}\nCheck it: verify ${entry.poll} ${entry.receipt}\n`;
    return el(
      'div',
      { class: 'receipt notice', id: 'receipt-box', tabindex: '-1' },
      el('h4', {}, 'Your receipt'),
      el('p', {}, 'Your vote is recorded. Keep this receipt: it lets you check, later, which option your ballot counts for. It does not say who you are.'),
      el('p', {}, el('code', { id: 'receipt-code', class: 'secret' }, entry.receipt)),
      el(
        'div',
        { class: 'buttons' },
        el('button', { type: 'button', class: 'secondary', onclick: () => copyText(entry.receipt) }, 'Copy'),
        el('button', { type: 'button', class: 'secondary', onclick: () => download(`receipt-${entry.poll}.txt`, text) }, 'Download'),
        el('button', { type: 'button', class: 'secondary', onclick: () => this.verify(entry.poll, entry.receipt) }, 'Verify now'),
      ),
    );
  }

  async results(info, quiet = false) {
    const box = $('poll-results');
    let r = await this.session.command('RESULTS', [info.id]);
    if (!r.ok && r.code === 'PASSWORD_REQUIRED' && !quiet) {
      const pw = passwordField('results-password');
      const yes = await confirmDialog('Password needed', 'This poll asks for your password to show results.', 'Show results', pw.node);
      if (!yes) return;
      r = await this.session.command('RESULTS', [info.id], pw.input.value);
    }
    if (!box) return;
    if (!r.ok) {
      box.replaceChildren(el('p', { class: 'hint' }, errorText(r)));
      return;
    }
    box.replaceChildren(resultsChart(r, 'Results'));
  }

  async verify(poll, receipt) {
    const out = $('verify-result');
    $('verify-poll').value = poll;
    $('verify-receipt').value = receipt;
    if (!poll || !receipt) {
      out.textContent = 'give the poll id and the receipt';
      return;
    }
    const r = await this.session.command('VERIFY', [poll, receipt]);
    if (!r.ok) {
      out.className = 'error';
      out.textContent = errorText(r);
      return;
    }
    const numbers = r.param(1).split(',');
    let labels = numbers;
    const info = await this.session.command('POLLINFO', [poll]);
    if (info.ok) {
      const opts = new Map(info.data.filter((d) => d[0] === 'OPTION').map((d) => [d[2], d[3]]));
      labels = numbers.map((n) => `${n}. ${opts.get(n) ?? '?'}`);
    }
    out.className = 'ok';
    out.textContent = `The ballot with this receipt counts for: ${labels.join(', ')}.`;
    $('verify-form').scrollIntoView({ block: 'nearest' });
  }
}
