// Human text for every error code and BYE reason of the protocol, worded as
// the terminal client words them (src/client/present/error_text.cc).
import { localTime, duration } from './time.js';

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function count(s) {
  return /^\d+$/.test(s ?? '') ? Number(s) : null;
}

const TEXTS = {
  UNKNOWN_COMMAND: (r) => `the server does not know ${r.verb} (it may be older than this page)`,
  BAD_ARGUMENTS: (r) => `the server did not accept the arguments of ${r.verb}`,
  NOT_LOGGED_IN: () => 'you are not logged in',
  NOT_ADMIN: () => 'only an admin may do that',
  RATE_LIMITED: () => 'too many commands at once; wait a moment and try again',
  INTERNAL: () => 'the server failed inside; nothing was changed, try again',
  LINE_TOO_LONG: () => 'that is too long for the server',
  BAD_ENCODING: () => 'the server could not read that text (bad UTF-8 or a control character)',
  NAME_TAKEN: () => 'that name is taken',
  BAD_NAME: () => 'a name is 1 to 64 letters, digits and . _ - @ +, starting with a letter or digit',
  WEAK_PASSWORD: () =>
    rules['min-password']
      ? `that password is too short: this server wants at least ${bytes(rules['min-password'])}`
      : 'that password is too short',
  REGISTRATION_CLOSED: () => 'this server does not take new accounts; ask its operator for one',
  DOMAIN_NOT_ALLOWED: () =>
    rules['email-domain']
      ? `this server takes as names only e-mail addresses at ${domainsText(rules['email-domain'])}`
      : 'this server takes only e-mail addresses in the domains it allows as names',
  ALREADY_LOGGED_IN: () => 'you are already logged in',
  NO_SUCH_USER: (r) => (r.params.length ? `there is no user ${r.params[0]}` : 'there is no such user'),
  AUTH_FAILED: (r) => {
    const left = count(r.params[0]);
    if (!left) return 'wrong password';
    return `wrong password; ${plural(left, 'attempt', 'attempts')} left before the account is locked`;
  },
  LOCKED: (r) => {
    const s = count(r.params[0]);
    if (s === null) return 'too many wrong passwords: the account is locked for now';
    return `too many wrong passwords: the account is locked for ${duration(s)}`;
  },
  ALREADY_ONLINE: () => 'that account is already logged in elsewhere',
  BAD_TOKEN: () => 'the saved session has ended; log in again',
  SELF: (r) => (r.verb === 'BLOCK' ? 'you cannot block yourself' : 'that is you'),
  BLOCKED: () => 'that user has blocked you; nothing was sent',
  TOO_LONG: () =>
    rules['max-text']
      ? `the text is too long: this server takes at most ${bytes(rules['max-text'])}`
      : 'the text is too long for this server',
  ALREADY_BLOCKED: () => 'you already block that user',
  NOT_BLOCKED: () => 'you do not block that user',
  NO_SUCH_POST: () => 'there is no post with that number',
  NOT_AUTHOR: () => "only the post's author (or an admin) may do that",
  NO_SUCH_POLL: () => 'there is no poll with that id',
  NO_SUCH_OPTION: () => 'that poll has no option with that number',
  NOT_OPEN: () => 'the poll is not open yet',
  CLOSED: () => 'the poll is closed',
  ALREADY_VOTED: () => 'you have already voted in this poll',
  NOT_ELIGIBLE: () => "you are not on this poll's voter roll",
  PASSWORD_REQUIRED: () => 'this poll asks for your password again',
  RESULTS_HIDDEN: (r) => {
    const closes = r.params[0];
    if (!closes || closes === '-') return 'results are hidden until the poll closes';
    return `results are hidden until the poll closes (${localTime(closes)})`;
  },
  NO_SUCH_RECEIPT: () => 'no ballot in this poll has that receipt',
  ALREADY_OPEN: () => 'the poll is already open, so it cannot be changed that way',
  TOO_MANY_OPTIONS: () => 'a poll has at most 50 options',
  TOO_FEW_OPTIONS: () => 'a poll needs at least 2 options before it opens',
  NOT_ONLINE: () => 'that user is not online',
  NO_P2P: () => 'that user does not accept peer-to-peer invitations',
  NO_SUCH_INVITE: () => 'there is no such invitation (it may have expired)',
};

// The text for an ERR reply (a protocol.Reply).
export function errorText(reply) {
  const f = TEXTS[reply.code];
  if (f) return f(reply);
  return reply.text || reply.code || 'the server refused that';
}

export const KNOWN_CODES = Object.keys(TEXTS);

const BYES = {
  LOGOUT: 'logged out',
  IDLE_TIMEOUT: 'idle for too long: the server logged you out',
  LOCKED: 'too many wrong passwords: the account is locked',
  REPLACED: 'this account logged in elsewhere, which took over the session',
  TOO_MANY_CONNECTIONS: 'too many connections from this address',
  TOO_SLOW: 'this page read too slowly and the server dropped it',
  SHUTDOWN: 'the server is shutting down',
  HANDSHAKE_TIMEOUT: 'no login in time (a new connection opens when you go on)',
  RATE_LIMITED: 'too many commands: the server closed the connection',
};

export function byeText(reason, serverText) {
  return BYES[reason] ?? (serverText || reason);
}

// The server's rules (RULES), once known: the texts above name them.
let rules = {};

export function setRules(r) {
  rules = r || {};
}

function bytes(n) {
  return `${n} ${Number(n) === 1 ? 'byte' : 'bytes'}`;
}

// The allowed e-mail domains in words (the terminal client's ServerRules::Domains).
export function domainsText(pattern) {
  if (!pattern || pattern === '.*' || pattern === '.+') return 'any domain';
  let p = pattern;
  if (p.startsWith('(') && p.endsWith(')') && p.indexOf('(', 1) < 0 && p.indexOf(')') === p.length - 1) {
    p = p.slice(1, -1);
  }
  const parts = p.split('|').map((alt) => {
    let out = '';
    for (let i = 0; i < alt.length; i++) {
      const c = alt[i];
      if (c === '\\' && i + 1 < alt.length && '\\^$.*+?()[]{}|'.includes(alt[i + 1])) out += alt[++i];
      else if ('\\^$.*+?()[]{}|'.includes(c)) return null;
      else out += c;
    }
    return out;
  });
  if (parts.some((x) => x === null || x === '')) return `domains matching the pattern ${pattern}`;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

// The greeting for a person, as the terminal client says it
// (src/client/account/rules.cc).
export function rulesSentence(r) {
  const password =
    r.passwords === 'generated'
      ? 'the server makes the password and shows it to you once'
      : r['min-password']
        ? `a password of at least ${bytes(r['min-password'])} of your choice`
        : 'a password of your choice';
  let s;
  if (r.registration === 'closed') {
    s = 'This server takes no new accounts: log in with yours, or ask its operator for one.';
  } else if (r.registration === 'email') {
    s = `You can create an account here with your e-mail address at ${domainsText(r['email-domain'])} as its name; ${password}.`;
  } else {
    s =
      'Anyone can create an account here: a name of up to 64 letters, digits and . _ - @ + ' +
      `(starting with a letter or digit), and ${password}.`;
  }
  if (Number(r['max-text']) > 0) s += ` Messages and posts are up to ${bytes(r['max-text'])}.`;
  if (Number(r['idle-timeout']) > 0) {
    s += ` After ${duration(Number(r['idle-timeout']))} without a command the server logs you out.`;
  }
  return s;
}
