// The page is live: board changes others make show without a reload
// (WATCH board and POSTED), a poll that takes several choices is voted with
// them (POLLFLAGS), a poll's results appear when it closes, the rules are
// said before login and refusals name them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, registerInPage, tcpUser, PHONE,
} from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ admins: ['root'], args: ['--idle-timeout', '900'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the board follows posts, edits and deletes made elsewhere', async () => {
  const page = await openPage(browser, server);
  await registerInPage(page, 'nina');
  await page.click('nav a[data-view=board]');
  await page.waitForSelector('#board-list li.empty');
  assert.equal(await page.isVisible('#board-refresh'), false);
  const omar = await tcpUser(server, 'omar');
  assert.ok((await omar.cmd('POST :Snacks on Friday')).ok);
  await page.waitForSelector('#board-list li[data-post="1"]:has-text("Snacks on Friday")');
  assert.ok((await omar.cmd('EDIT 1 :Snacks and drinks on Friday')).ok);
  await page.waitForSelector('#board-list li[data-post="1"]:has-text("Snacks and drinks on Friday")');
  assert.match(await page.textContent('#board-list li[data-post="1"] .meta'), /edited/);
  // Looking elsewhere: a new post is counted on the Board link.
  await page.click('nav a[data-view=messages]');
  assert.ok((await omar.cmd('POST :Room 12 is free')).ok);
  await page.waitForSelector('#badge-board:has-text("1")');
  await page.click('nav a[data-view=board]');
  await page.waitForSelector('#board-list li[data-post="2"]');
  await page.waitForSelector('#badge-board', { state: 'hidden' });
  assert.ok((await omar.cmd('DELETE 1')).ok);
  await page.waitForSelector('#board-list li[data-post="1"]', { state: 'detached' });
  omar.close();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('several choices, and the results when the poll closes', async () => {
  const root = await tcpUser(server, 'root', { register: false });
  const made = await root.cmd('POLLNEW - +600 choices=2 :Which days?');
  assert.ok(made.ok, made.final);
  const id = made.params[2];
  for (const day of ['Monday', 'Tuesday', 'Friday']) assert.ok((await root.cmd(`POLLOPTION ${id} :${day}`)).ok);
  assert.ok((await root.cmd(`POLLOPEN ${id}`)).ok);

  const page = await openPage(browser, server, PHONE);
  await registerInPage(page, 'pia');
  await page.click('nav a[data-view=polls]');
  await page.click(`#poll-list li[data-poll="${id}"] button`);
  await page.waitForSelector('#vote-form legend:has-text("up to 2")');
  assert.equal(await page.$$eval('#vote-form input[type=checkbox]', (els) => els.length), 3);
  for (const n of ['1', '2', '3']) await page.check(`#vote-form input[value="${n}"]`);
  await page.click('#vote-form button[type=submit]');
  await page.waitForSelector('#toasts .toast:has-text("at most 2 choices")');
  await page.uncheck('#vote-form input[value="2"]');
  await page.click('#vote-form button[type=submit]');
  await page.waitForSelector('#confirm-dialog[open]');
  assert.match(await page.textContent('#confirm-text'), /“Monday” and “Friday”/);
  await page.click('#confirm-ok');
  await page.waitForSelector('#receipt-box');
  const receipt = (await page.textContent('#receipt-code')).trim();
  const verified = await root.cmd(`VERIFY ${id} ${receipt}`);
  assert.equal(verified.final, `OK VERIFY ${id} 1,3`);

  // The poll closes while the page shows it: the results come by themselves.
  assert.ok((await root.cmd(`POLLCLOSE ${id}`)).ok);
  await page.waitForSelector(`#poll-results figure.results[data-poll="${id}"]`);
  assert.match(await page.textContent('#poll-results'), /1 of \d+ voters voted/);
  root.close();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the rules are said before login, and refusals name them', async () => {
  const page = await openPage(browser, server);
  await page.waitForSelector('#login-rules:has-text("Anyone can create an account here")');
  const rules = await page.textContent('#login-rules');
  assert.match(rules, /a password of at least 8 bytes/);
  assert.match(rules, /Messages and posts are up to 4000 bytes/);
  assert.match(rules, /After 15 min without a command the server logs you out/);
  await page.fill('#register-name', 'josé');
  await page.click('#register-submit');
  await page.waitForSelector('#login-message:has-text("is not ASCII")');
  await page.fill('#register-name', 'quinn');
  await page.click('#register-submit');
  await page.waitForSelector('#register-password', { state: 'visible' });
  await page.fill('#register-password', 'short');
  await page.fill('#register-again', 'short');
  await page.click('#register-submit');
  await page.waitForSelector('#login-message:has-text("at least 8 bytes")');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
