// Nothing a user was sent is lost: every MSG the page's session receives
// shows, whenever it arrives. Direct messages stored while the user was
// away come right after OK LOGIN (in the same read as the reply) and right
// after OK RESUME on a reload; each opens its conversation with an unread
// count; HISTORY, loaded when the conversation is opened, never shows one
// twice; messages arriving while a conversation loads are all there, once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  startServer, launchBrowser, openPage, loginInPage, tcpUser, PHONE, DESKTOP, PASSWORD, TcpClient,
} from './harness.mjs';

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

// The texts shown in the open conversation, in order.
async function chatTexts(page) {
  return page.$$eval('#chat-log li .text', (els) => els.map((e) => e.textContent));
}

async function registered(name) {
  const c = await TcpClient.connect(server.tcpPort);
  const r = await c.cmd(`REGISTER ${name} ${PASSWORD}`);
  assert.ok(r.ok, r.final);
  c.close();
}

test('the page before login: no navigation, no badges', async () => {
  const page = await openPage(browser, server);
  await page.waitForSelector('#login-form');
  assert.equal(await page.isVisible('#nav'), false);
  assert.equal(await page.isVisible('#logout-button'), false);
  await registered('wes');
  await loginInPage(page, 'wes');
  // Nobody else online, nothing unread: no "0" anywhere.
  for (const id of ['badge-messages', 'badge-people', 'badge-board', 'badge-polls']) {
    assert.equal(await page.isVisible(`#${id}`), false, id);
  }
  await page.click('#logout-button');
  await page.waitForSelector('#login-form', { state: 'visible' });
  assert.equal(await page.isVisible('#nav'), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`DMs stored while offline show after login and after a reload (${size})`, async () => {
    const zoe = `zoe${size}`;
    const tom = await tcpUser(server, `tom${size}`);
    await registered(zoe);
    const first = await tom.cmd(`SEND ${zoe} :are you there?`);
    assert.equal(first.params[4], 'stored');
    const second = await tom.cmd(`SEND ${zoe} :call me when you are back`);
    assert.equal(second.params[4], 'stored');

    const page = await openPage(browser, server, viewport);
    await loginInPage(page, zoe);
    // The conversation was opened by the messages themselves, with their count.
    await page.waitForSelector(`#conversations button[data-name="tom${size}"] .badge:has-text("2")`);
    await page.waitForSelector('#badge-messages:has-text("2")');
    await page.click(`#conversations button[data-name="tom${size}"]`);
    await page.waitForSelector('#chat-log li:has-text("call me when you are back")');
    // HISTORY has loaded the same two messages: each shows once.
    await page.waitForSelector('#chat-earlier', { state: 'hidden' });
    assert.deepEqual(await chatTexts(page), ['are you there?', 'call me when you are back']);
    await page.waitForSelector('#badge-messages', { state: 'hidden' });

    // Away from the page (the connection closes; the tab keeps its
    // session), a message is stored; the page comes back with RESUME and
    // shows it, unread, in the conversation.
    await page.click('#conversations button[data-name="*"]');
    await page.goto('about:blank');
    await tom.waitEvent(`PRESENCE ${zoe} offline`);
    const third = await tom.cmd(`SEND ${zoe} :while you reloaded`);
    assert.equal(third.params[4], 'stored');
    await page.goto(server.url);
    await page.waitForSelector(`#whoami:has-text("${zoe}")`);
    await page.waitForSelector(`#conversations button[data-name="tom${size}"] .badge:has-text("1")`);
    await page.click(`#conversations button[data-name="tom${size}"]`);
    await page.waitForSelector('#chat-log li:has-text("while you reloaded")');
    await page.waitForSelector('#chat-log li:has-text("are you there?")');
    assert.deepEqual(await chatTexts(page), [
      'are you there?',
      'call me when you are back',
      'while you reloaded',
    ]);
    tom.close();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}

test('a burst of DMs while the conversation loads: each once, in order', async () => {
  const page = await openPage(browser, server);
  await registered('uma');
  const vic = await tcpUser(server, 'vic');
  await loginInPage(page, 'uma');
  for (let i = 1; i <= 5; i++) assert.ok((await vic.cmd(`SEND uma :early ${i}`)).ok);
  await page.waitForSelector('#conversations button[data-name="vic"] .badge:has-text("5")');
  // Opening the conversation sends HISTORY; more messages arrive meanwhile.
  const sending = (async () => {
    for (let i = 1; i <= 10; i++) assert.ok((await vic.cmd(`SEND uma :late ${i}`)).ok);
  })();
  await page.click('#conversations button[data-name="vic"]');
  await sending;
  await page.waitForSelector('#chat-log li:has-text("late 10")');
  const expected = [
    ...Array.from({ length: 5 }, (_, i) => `early ${i + 1}`),
    ...Array.from({ length: 10 }, (_, i) => `late ${i + 1}`),
  ];
  assert.deepEqual(await chatTexts(page), expected);
  // A reload reads the whole conversation from HISTORY alone, the same.
  await page.reload();
  await page.waitForSelector('#whoami:has-text("uma")');
  await page.fill('#open-conversation-name', 'vic');
  await page.click('#open-conversation button');
  await page.waitForSelector('#chat-log li:has-text("late 10")');
  assert.deepEqual(await chatTexts(page), expected);
  vic.close();
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The network drops under the page (the server's end of its WebSocket is
// reset, as a lost route would end it; no BYE): the page reconnects by
// itself, RESUMEs, and shows what was sent to the user meanwhile.
test('a network drop: the page reconnects, resumes and shows what arrived meanwhile', async (t) => {
  const tom = await tcpUser(server, 'tomdrop');
  await registered('zoedrop');
  const page = await openPage(browser, server);
  await loginInPage(page, 'zoedrop');
  await tom.waitEvent('PRESENCE zoedrop online');
  try {
    // Resets every established connection to the web port: this test's page alone.
    execFileSync('ss', ['-K', 'state', 'established', `( sport = :${server.httpPort} )`], {
      stdio: 'ignore',
    });
  } catch (e) {
    t.skip(`ss -K cannot reset a connection here: ${e.message}`);
    await page.context().close();
    tom.close();
    return;
  }
  await tom.waitEvent('PRESENCE zoedrop offline');
  const sent = await tom.cmd('SEND zoedrop :sent while your network was down');
  assert.ok(sent.ok, sent.final);
  // Back by itself (its first try is 300 ms after the loss), as the same user.
  await tom.waitEvent('PRESENCE zoedrop online', 15000);
  await page.waitForSelector('#whoami:has-text("zoedrop")');
  await page.waitForSelector('#conversations button[data-name="tomdrop"] .badge:has-text("1")');
  await page.click('#conversations button[data-name="tomdrop"]');
  await page.waitForSelector('#chat-log li:has-text("sent while your network was down")');
  assert.deepEqual(await chatTexts(page), ['sent while your network was down']);
  tom.close();
  assert.deepEqual(
    page.problems.filter((p) => !/WebSocket|ERR_CONNECTION|net::/.test(p)),
    [],
  );
  await page.context().close();
});
