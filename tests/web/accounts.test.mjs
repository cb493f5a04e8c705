// Register, log in, a reload keeps the session (RESUME), log out; and
// e-mail registration with a password the server makes and shows once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, shoot, registerInPage, loginInPage, PASSWORD, TcpClient,
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

test('register, reload keeps the session, log out, log in', async () => {
  const page = await openPage(browser, server);
  await page.waitForSelector('#login-form');
  await shoot(page, 'login');
  await registerInPage(page, 'alice');
  assert.match(await page.textContent('#whoami'), /alice/);
  assert.equal(await page.isVisible('#view-messages'), true);

  // A reload resumes the session with the token kept in sessionStorage.
  const token = await page.evaluate(() => sessionStorage.getItem('caucus.token'));
  assert.ok(token && token.length >= 16);
  await page.reload();
  await page.waitForSelector('#whoami:has-text("alice")');
  assert.equal(await page.isVisible('#login-form'), false);

  // The resumed session is live: a TCP user sees alice online.
  const tcp = await TcpClient.connect(server.tcpPort);
  await tcp.cmd(`REGISTER watcher ${PASSWORD}`);
  await tcp.cmd(`LOGIN watcher ${PASSWORD}`);
  const who = await tcp.cmd('WHO');
  assert.ok(who.data.some((l) => l.startsWith('USER alice ')), who.data.join('\n'));

  await page.click('#logout-button');
  await page.waitForSelector('#login-form', { state: 'visible' });
  await tcp.waitEvent('PRESENCE alice offline');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('caucus.token')), null);
  // The old token is revoked: RESUME with it fails.
  const again = await TcpClient.connect(server.tcpPort);
  const r = await again.cmd(`RESUME ${token}`);
  assert.equal(r.code, 'BAD_TOKEN');
  again.close();

  // A wrong password gets a human text, then the right one logs in.
  await page.fill('#login-name', 'alice');
  await page.fill('#login-password', 'not-the-password');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#login-message:has-text("wrong password")');
  assert.match(await page.textContent('#login-message'), /attempts? left/);
  await loginInPage(page, 'alice');
  tcp.close();
  assert.deepEqual(page.problems, []);
});

test('an unknown name at login is offered an account', async () => {
  const page = await openPage(browser, server);
  await page.fill('#login-name', 'bob');
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#offer-register', { state: 'visible' });
  await page.click('#offer-register-yes');
  await page.waitForSelector('#register-password', { state: 'visible' });
  await page.fill('#register-password', PASSWORD);
  await page.fill('#register-again', 'something else');
  await page.click('#register-submit');
  await page.waitForSelector('#login-message:has-text("differ")');
  await page.fill('#register-password', PASSWORD);
  await page.fill('#register-again', PASSWORD);
  await page.click('#register-submit');
  await page.waitForSelector('#whoami:has-text("bob")');
  assert.deepEqual(page.problems, []);
});

test('e-mail registration with a generated password shown once', async () => {
  const mail = await startServer({
    args: ['--registration', 'email', '--email-domain', 'example\\.org', '--generate-passwords'],
  });
  try {
    const page = await openPage(browser, mail);
    await page.fill('#register-name', 'carol');
    await page.click('#register-submit');
    await page.waitForSelector('#login-message:has-text("e-mail address")');
    await page.fill('#register-name', 'carol@example.org');
    await page.click('#register-submit');
    await page.waitForSelector('#generated', { state: 'visible' });
    const generated = (await page.textContent('#generated-password')).trim();
    assert.ok(generated.length >= 8, generated);
    await shoot(page, 'register-generated');
    await page.click('#generated-continue');
    await page.waitForSelector('#whoami:has-text("carol@example.org")');
    // Shown only once: gone from the page now.
    assert.equal(await page.textContent('#generated-password'), '');
    // And it is the real password.
    const tcp = await TcpClient.connect(mail.tcpPort);
    await page.click('#logout-button');
    await page.waitForSelector('#login-form', { state: 'visible' });
    const r = await tcp.cmd(`LOGIN carol@example.org ${generated}`);
    assert.ok(r.ok, r.final);
    tcp.close();
    assert.deepEqual(page.problems, []);
  } finally {
    await mail.stop();
  }
});
