// The board: post, edit, delete, and what is new since the last visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, shoot, registerInPage, tcpUser } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('post, edit, delete, new since the last visit', async () => {
  const page = await openPage(browser, server);
  await registerInPage(page, 'erin');
  await page.click('nav a[data-view=board]');
  await page.fill('#post-input', 'Bring snacks on Friday');
  await page.press('#post-input', 'Enter');
  await page.waitForSelector('#board-list li[data-post="1"]:has-text("Bring snacks on Friday")');
  await page.fill('#post-input', 'Room 12 is booked');
  await page.click('#post-form button');
  await page.waitForSelector('#board-list li[data-post="2"]');

  // Edit post 1.
  await page.click('#board-list li[data-post="1"] button:has-text("Edit")');
  await page.fill('#edit-1', 'Bring snacks and drinks on Friday');
  await page.press('#edit-1', 'Enter');
  await page.waitForSelector('#board-list li[data-post="1"]:has-text("Bring snacks and drinks on Friday")');
  assert.match(await page.textContent('#board-list li[data-post="1"] .meta'), /edited/);

  // Delete post 2, after the confirmation.
  await page.click('#board-list li[data-post="2"] button:has-text("Delete")');
  await page.click('#confirm-ok');
  await page.waitForSelector('#board-list li[data-post="2"]', { state: 'detached' });

  // Someone else posts over TCP while erin looks elsewhere: the Board link
  // counts it at once; after a reload erin still sees it as new, and her
  // own earlier posts as not new.
  await page.click('nav a[data-view=messages]');
  const tcp = await tcpUser(server, 'fred');
  assert.ok((await tcp.cmd('POST :Who has the projector?')).ok);
  const other = await tcp.cmd('DELETE 1');
  assert.equal(other.code, 'NOT_AUTHOR');
  await page.waitForSelector('#badge-board:has-text("1")');
  await page.reload();
  await page.waitForSelector('#whoami:has-text("erin")');
  await page.waitForSelector('#badge-board:has-text("1")');
  await page.click('nav a[data-view=board]');
  await page.waitForSelector('#board-list li[data-post="3"].fresh');
  assert.equal(await page.$eval('#board-list li[data-post="1"]', (e) => e.classList.contains('fresh')), false);
  assert.match(await page.textContent('#board-status'), /1 new since your last visit/);
  // Not hers: no edit or delete buttons on fred's post.
  assert.equal(await page.$$eval('#board-list li[data-post="3"] button', (b) => b.length), 0);
  await shoot(page, 'board');
  tcp.close();
  assert.deepEqual(page.problems, []);
});
