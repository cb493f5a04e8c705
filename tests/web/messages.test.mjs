// Presence, direct messages between a browser user and a TCP user both
// ways (with history and unread counts), broadcasts, block and unblock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, shoot, registerInPage, tcpUser, TcpClient, PASSWORD } from './harness.mjs';

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

test('presence, DMs both ways, history, broadcast, block', async () => {
  const page = await openPage(browser, server);
  await registerInPage(page, 'dora');

  // Presence: a TCP user comes online, then goes.
  await page.click('nav a[data-view=people]');
  const tcp = await tcpUser(server, 'tom');
  await page.waitForSelector('#online-list li[data-name="tom"]');
  await tcp.cmd('LOGOUT');
  await page.waitForSelector('#online-list li[data-name="tom"]', { state: 'detached' });
  const tom = await TcpClient.connect(server.tcpPort);
  assert.ok((await tom.cmd(`LOGIN tom ${PASSWORD}`)).ok);
  await page.waitForSelector('#online-list li[data-name="tom"]');
  await shoot(page, 'people');

  // TCP -> browser while the browser looks elsewhere: an unread count.
  const sent = await tom.cmd('SEND dora :Hello Dora, lunch on Friday?');
  assert.equal(sent.params[4], 'delivered');
  await page.waitForSelector('#badge-messages:has-text("1")');
  await page.click('nav a[data-view=messages]');
  await page.waitForSelector('#conversations button[data-name="tom"] .badge:has-text("1")');
  await page.click('#conversations button[data-name="tom"]');
  await page.waitForSelector('#chat-log li:has-text("Hello Dora, lunch on Friday?")');
  await page.waitForSelector('#badge-messages', { state: 'hidden' });

  // Browser -> TCP.
  await page.fill('#chat-input', 'Yes! Pizza?');
  await page.press('#chat-input', 'Enter');
  const msg = await tom.waitEvent('MSG ');
  assert.match(msg, / dora dm :Yes! Pizza\?$/);
  await page.waitForSelector('#chat-log li.mine:has-text("Yes! Pizza?")');
  await shoot(page, 'messages');

  // History survives a reload (HISTORY), in order.
  await page.reload();
  await page.waitForSelector('#whoami:has-text("dora")');
  await page.fill('#open-conversation-name', 'tom');
  await page.click('#open-conversation button');
  await page.waitForSelector('#chat-log li:has-text("Yes! Pizza?")');
  const texts = await page.$$eval('#chat-log li .text', (els) => els.map((e) => e.textContent));
  assert.deepEqual(texts, ['Hello Dora, lunch on Friday?', 'Yes! Pizza?']);

  // A message stored while dora is offline reaches her at the next login.
  // Broadcasts both ways.
  await page.click('#conversations button[data-name="*"]');
  await page.fill('#chat-input', 'Hello everyone');
  await page.press('#chat-input', 'Enter');
  assert.match(await tom.waitEvent('MSG '), / dora broadcast :Hello everyone$/);
  await tom.cmd('BROADCAST :Meeting at noon');
  await page.waitForSelector('#chat-log li:has-text("Meeting at noon")');

  // Block: tom's messages are refused; unblock lets them through again.
  await page.click('nav a[data-view=people]');
  await page.click('#online-list li[data-name="tom"] button:has-text("Block")');
  await page.waitForSelector('#blocked-list li[data-name="tom"]');
  const refused = await tom.cmd('SEND dora :are you there?');
  assert.equal(refused.code, 'BLOCKED');
  await page.click('#blocked-list li[data-name="tom"] button:has-text("Unblock")');
  await page.waitForSelector('#blocked-list li[data-name="tom"]', { state: 'detached' });
  assert.ok((await tom.cmd('SEND dora :back again')).ok);
  await page.click('nav a[data-view=messages]');
  await page.click('#conversations button[data-name="tom"]');
  await page.waitForSelector('#chat-log li:has-text("back again")');

  // An error has a human text: writing to nobody.
  await page.fill('#open-conversation-name', 'nobody');
  await page.click('#open-conversation button');
  const toast = await page.waitForSelector('#toasts .toast');
  assert.match(await toast.textContent(), /there is no (such )?user/);
  tom.close();
  assert.deepEqual(page.problems, []);
});
