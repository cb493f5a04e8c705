// Wiring: the connection, the session, the views, and navigation between
// them (the URL's #fragment names the view).
import { Connection } from './connection.js';
import { Session } from './session.js';
import { $, toast, announce, setBadge } from './ui.js';
import { LoginView } from './views/login.js';
import { MessagesView } from './views/messages.js';
import { PeopleView } from './views/people.js';
import { BoardView } from './views/board.js';
import { PollsView } from './views/polls.js';
import { AdminView } from './views/admin.js';

const VIEWS = ['messages', 'people', 'board', 'polls', 'admin'];

const connection = new Connection();
const session = new Session(connection);

const app = {
  current: 'login',
  visible(name) {
    return this.current === name;
  },
  go(name) {
    if (location.hash !== `#${name}`) location.hash = name;
    else show(name);
  },
  openConversation(name) {
    messages.open(name);
  },
  setOnlineCount(n) {
    setBadge('badge-people', n, `${n} online`);
  },
  pollsChanged() {},
  refreshPolls() {
    polls.load();
  },
};

const login = new LoginView(session);
const messages = new MessagesView(session, app);
const people = new PeopleView(session, app);
const board = new BoardView(session, app);
const polls = new PollsView(session, app);
const admin = new AdminView(session, app);
const shownHooks = { messages, board, polls, admin };

function show(name) {
  if (!session.loggedIn) name = 'login';
  else if (!VIEWS.includes(name) || (name === 'admin' && !session.isAdmin)) name = 'messages';
  app.current = name;
  for (const section of document.querySelectorAll('main > .view')) {
    section.hidden = section.id !== `view-${name}`;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = name === 'login' ? 'Caucus' : `Caucus · ${name[0].toUpperCase()}${name.slice(1)}`;
  shownHooks[name]?.shown();
}

window.addEventListener('hashchange', () => {
  show(location.hash.slice(1));
  $('main').focus({ preventScroll: true });
});

function loggedInChrome(on) {
  $('nav').hidden = !on;
  $('logout-button').hidden = !on;
  $('whoami').hidden = !on;
  $('nav-admin').hidden = !(on && session.isAdmin);
  $('whoami').textContent = on ? `${session.name}${session.isAdmin ? ' (admin)' : ''}` : '';
}

// Before anything else that follows OK LOGIN or OK RESUME: another user's
// data goes, so that the events behind the reply (stored messages) land in
// the new user's views and stay there.
session.addEventListener('account', (e) => {
  if (!e.detail.sameUser) messages.reset();
});

session.addEventListener('login', async (e) => {
  const { name, resumed, sameUser } = e.detail;
  loggedInChrome(true);
  messages.onLogin(resumed);
  try {
    await Promise.all([people.onLogin(), board.onLogin(resumed, sameUser), polls.onLogin()]);
  } catch (err) {
    toast(err.message);
  }
  show(location.hash.slice(1) || 'messages');
  if (!resumed) announce(`logged in as ${name}`);
});

session.addEventListener('logout', (e) => {
  loggedInChrome(false);
  messages.reset();
  people.reset();
  board.reset();
  for (const id of ['badge-messages', 'badge-people', 'badge-board', 'badge-polls']) setBadge(id, 0);
  show('login');
  login.show(e.detail.message);
});

session.addEventListener('notice', (e) => toast(e.detail.message, 'info'));

connection.addEventListener('state', (e) => {
  const { state, retryIn } = e.detail;
  const text = {
    connecting: 'connecting…',
    open: 'connected',
    closed: 'not connected',
    waiting: `connection lost; trying again in ${Math.ceil((retryIn ?? 0) / 1000)} s`,
  }[state];
  $('conn-status').textContent = text;
  $('conn-status').className = `conn ${state}`;
});

$('logout-button').addEventListener('click', () => session.logout());
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && app.current === 'messages') messages.shown();
});

async function start() {
  show('login');
  try {
    const why = await session.resumeSaved();
    if (why === '') await connection.open();
    else if (why) login.say(why);
    else return;
    // What the person may already have typed stays (the connection can take
    // a moment to open).
    login.ready();
    await login.showRules();
  } catch {
    $('login-message').textContent = 'the server cannot be reached; the page tries again when you log in';
  }
}

start();
