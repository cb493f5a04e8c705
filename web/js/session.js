// The account on this connection: log in, register, resume after a reload
// or a lost connection (the token lives in sessionStorage, so it dies with
// the tab), log out, and the BYE reasons that end a session.
import { errorText, byeText } from './errors.js';

const TOKEN_KEY = 'caucus.token';
const NAME_KEY = 'caucus.name';
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
// BYE reasons after which the token is dead.
const ENDING = new Set(['LOGOUT', 'IDLE_TIMEOUT', 'LOCKED', 'REPLACED']);

export function isValidName(name) {
  return NAME_RE.test(name);
}

export const NAME_RULE =
  'a name is 1 to 64 ASCII letters (a-z, A-Z), digits and . _ - @ +, starting with a letter or digit';

// Why `name` is not an account name, naming the rule (the terminal
// client's WhyNotAName); '' when it is one.
export function whyNotAName(name) {
  if (isValidName(name)) return '';
  if (!name) return 'type your name';
  const other = [...name].find((c) => c.codePointAt(0) > 0x7f);
  if (other) {
    return `${NAME_RULE}. '${other}' is not ASCII: names are the same on every keyboard and terminal, and compared without regard to case, so letters with accents or from other alphabets are not taken`;
  }
  const bad = [...name].find((c) => !/[A-Za-z0-9._@+-]/.test(c));
  if (bad) return `${NAME_RULE}: '${bad}' is not one of them`;
  if (name.length > 64) return `${NAME_RULE}: that one is ${name.length} long`;
  return `${NAME_RULE}: it cannot start with '${name[0]}'`;
}

// The terminal client's rule (src/client/account/registration.cc).
export function looksLikeEmail(address) {
  const at = address.indexOf('@');
  if (at <= 0 || address.indexOf('@', at + 1) >= 0) return false;
  const domain = address.slice(at + 1);
  const dot = domain.indexOf('.');
  return (
    isValidName(address) &&
    dot > 0 &&
    !domain.startsWith('.') &&
    !domain.endsWith('.') &&
    !domain.includes('..')
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Events: 'account' {name, sameUser} at once when LOGIN or RESUME
// succeeds, before any event that follows the reply is handed on (the
// messages stored while the user was away come right after it), so that
// views drop another user's data first; 'login' {name, resumed, sameUser}
// once the page knows the account (WHOAMI), after LOGIN, after RESUME on
// load or after a reconnection; 'logout' {message} when the session ends;
// 'server' {verb, params} for every server event, whenever it arrives.
export class Session extends EventTarget {
  constructor(connection) {
    super();
    this.conn = connection;
    this.name = sessionStorage.getItem(NAME_KEY) || '';
    this.token = sessionStorage.getItem(TOKEN_KEY) || '';
    this.loggedIn = false;
    this.isAdmin = false;
    this.lastUser = ''; // the account of the latest login in this page
    connection.addEventListener('event', (e) => this.onEvent(e.detail.verb, e.detail.params));
    connection.addEventListener('reopened', () => this.resumeAfterLoss());
  }

  command(verb, words = [], text = undefined) {
    return this.conn.command(verb, words, text);
  }

  save() {
    if (this.token) {
      sessionStorage.setItem(TOKEN_KEY, this.token);
      sessionStorage.setItem(NAME_KEY, this.name);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(NAME_KEY);
    }
  }

  forget() {
    this.token = '';
    this.loggedIn = false;
    this.isAdmin = false;
    this.conn.keepOpen = false;
    this.save();
  }

  // Runs in the same turn as the reply to LOGIN or RESUME, before the
  // events behind it: nothing that awaits may come before 'account'.
  async joined(resumed) {
    const sameUser = this.lastUser.toLowerCase() === this.name.toLowerCase();
    this.lastUser = this.name;
    this.loggedIn = true;
    this.conn.keepOpen = true;
    this.save();
    this.dispatchEvent(new CustomEvent('account', { detail: { name: this.name, sameUser } }));
    // WHOAMI (a Caucus extension) says whether the account is an admin.
    const me = await this.command('WHOAMI', []);
    this.isAdmin = me.ok && me.param(1) === 'admin';
    this.dispatchEvent(
      new CustomEvent('login', { detail: { name: this.name, resumed, sameUser } }),
    );
  }

  // RESUME with the token saved in this tab. Resolves to null when logged
  // in, else to a text saying why not ('' when there was no token).
  async resumeSaved() {
    if (!this.token) return '';
    // Right after a reload the old page's connection may still be closing:
    // ALREADY_ONLINE is then worth a few more tries.
    for (let attempt = 0; ; attempt++) {
      const r = await this.command('RESUME', [this.token]);
      if (r.ok) {
        this.name = r.param(0);
        await this.joined(true);
        return null;
      }
      if (r.code === 'ALREADY_ONLINE' && attempt < 8) {
        await sleep(500);
        continue;
      }
      if (r.code === 'ALREADY_LOGGED_IN') return null;
      this.forget();
      return errorText(r);
    }
  }

  async resumeAfterLoss() {
    if (!this.token) return;
    try {
      const why = await this.resumeSaved();
      if (why !== null) this.ended(why);
    } catch {
      // Lost again: the connection plans another try.
    }
  }

  // LOGIN; resolves to the Reply.
  async login(name, password) {
    const r = await this.command('LOGIN', [name], password);
    if (r.ok) {
      this.name = r.param(0);
      this.token = r.param(1);
      await this.joined(false);
    }
    return r;
  }

  // REGISTER, first in the one-word form (a server that makes passwords
  // takes only that one and answers the other BAD_ARGUMENTS), then, when
  // `password` is given, in the two-word form. Resolves to
  // {reply, generated: password-or-null, needsPassword: bool}.
  async register(name, password = null) {
    if (password === null) {
      const r = await this.command('REGISTER', [name]);
      if (r.ok) return { reply: r, generated: r.param(1) || null, needsPassword: false };
      if (r.code === 'BAD_ARGUMENTS') return { reply: r, generated: null, needsPassword: true };
      return { reply: r, generated: null, needsPassword: false };
    }
    const r = await this.command('REGISTER', [name], password);
    return { reply: r, generated: null, needsPassword: false };
  }

  async logout() {
    try {
      await this.command('LOGOUT');
    } catch {
      // Already gone: logged out all the same once the token is dropped.
    }
    this.forget();
    this.conn.close();
    this.ended('logged out');
  }

  ended(message) {
    this.forget();
    this.dispatchEvent(new CustomEvent('logout', { detail: { message } }));
  }

  onEvent(verb, params) {
    if (verb === 'BYE') {
      const reason = params[0] || '';
      if (ENDING.has(reason) && this.loggedIn) {
        this.ended(byeText(reason, params[1]));
        return;
      }
      if (this.loggedIn) {
        this.dispatchEvent(
          new CustomEvent('notice', { detail: { message: byeText(reason, params[1]) } }),
        );
      }
      return;
    }
    if (verb === 'HELLO') return;
    this.dispatchEvent(new CustomEvent('server', { detail: { verb, params } }));
  }
}
