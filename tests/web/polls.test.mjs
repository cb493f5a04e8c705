// Polls: an admin creates a poll in the browser (with a voter roll from a
// file) and opens it; a voter votes with a confirmation, keeps the receipt
// and verifies it; after the admin closes the poll the results show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, shoot, registerInPage, loginInPage, tcpUser, PHONE } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer({ admins: ['admin'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('admin creates and opens a poll; vote, receipt, verify, results after close', async () => {
  // The voters exist before the roll names them.
  const voterPage = await openPage(browser, server, PHONE);
  await registerInPage(voterPage, 'gina');
  const tcp = await tcpUser(server, 'hugo');

  const admin = await openPage(browser, server);
  await loginInPage(admin, 'admin');
  await admin.waitForSelector('#nav-admin', { state: 'visible' });
  await admin.click('#nav-admin');
  await admin.fill('#pc-title', 'Class representative');
  await admin.fill('#pc-options', 'Ana\nBen\nChloe');
  await admin.check('input[name=pc-opens][value=manual]');
  await admin.fill('#pc-minutes', '30');
  await admin.setInputFiles('#pc-roll', {
    name: 'voters.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('gina secret-1\nhugo secret-2\n\n'),
  });
  await admin.waitForSelector('#pc-roll-info:has-text("2 names")');
  await shoot(admin, 'admin-create');
  await admin.click('#poll-create button[type=submit]');
  await admin.waitForSelector('#pc-result:has-text("created with 2 voters")');
  const id = (await admin.textContent('#pc-result')).match(/poll (p\d+)/)[1];
  const info = await tcp.cmd(`POLLINFO ${id}`);
  assert.match(info.data[0], new RegExp(`^POLLINFO ${id} upcoming - - 0 :Class representative$`));
  assert.equal(info.data.length, 4);

  // Open it now: the voters are told.
  await admin.click(`#admin-polls li[data-poll="${id}"] button:has-text("Open now")`);
  await admin.click('#confirm-ok');
  await tcp.waitEvent(`POLL ${id} open`);
  await admin.waitForSelector(`#admin-polls li[data-poll="${id}"] button:has-text("Close now")`);

  // gina votes on a phone-sized page, with a confirmation.
  await voterPage.click('nav a[data-view=polls]');
  await voterPage.click(`#poll-list li[data-poll="${id}"] button`);
  await voterPage.waitForSelector('#vote-form');
  await shoot(voterPage, 'poll-vote');
  await voterPage.check('#vote-form input[value="2"]');
  await voterPage.click('#vote-form button[type=submit]');
  await voterPage.waitForSelector('#confirm-dialog[open]');
  assert.match(await voterPage.textContent('#confirm-text'), /“Ben”/);
  // Cancel first: nothing is sent.
  await voterPage.click('#confirm-cancel');
  assert.equal(await voterPage.isVisible('#receipt-box'), false);
  await voterPage.click('#vote-form button[type=submit]');
  await voterPage.click('#confirm-ok');
  await voterPage.waitForSelector('#receipt-box');
  const receipt = (await voterPage.textContent('#receipt-code')).trim();
  assert.match(receipt, /^\S{16,}$/);
  await shoot(voterPage, 'poll-receipt');

  // Download gives a file with the receipt in it.
  const [download] = await Promise.all([
    voterPage.waitForEvent('download'),
    voterPage.click('#receipt-box button:has-text("Download")'),
  ]);
  const file = await download.path();
  const { readFileSync } = await import('node:fs');
  assert.match(readFileSync(file, 'utf8'), new RegExp(receipt));

  // Verify: the receipt counts for option 2, and the server agrees.
  await voterPage.click('#receipt-box button:has-text("Verify now")');
  await voterPage.waitForSelector('#verify-result:has-text("2. Ben")');
  const v = await tcp.cmd(`VERIFY ${id} ${receipt}`);
  assert.equal(v.final, `OK VERIFY ${id} 2`);
  // A wrong receipt gets a human text.
  await voterPage.fill('#verify-receipt', 'not-a-receipt');
  await voterPage.click('#verify-form button[type=submit]');
  await voterPage.waitForSelector('#verify-result:has-text("no ballot in this poll has that receipt")');

  // Results are hidden while open; hugo votes too.
  assert.equal((await tcp.cmd(`RESULTS ${id}`)).code, 'RESULTS_HIDDEN');
  assert.ok((await tcp.cmd(`VOTE ${id} 1`)).ok);

  // The admin sees results at any time, then closes the poll.
  await admin.click(`#admin-polls li[data-poll="${id}"] button:has-text("Results")`);
  await admin.waitForSelector('#admin-results figcaption:has-text("2 of 2 voters voted")');
  await admin.click(`#admin-polls li[data-poll="${id}"] button:has-text("Close now")`);
  await admin.click('#confirm-ok');
  await tcp.waitEvent(`POLL ${id} closed`);

  // gina's page hears of the close and shows the chart.
  await voterPage.waitForSelector(`#poll-list li[data-poll="${id}"]:has-text("closed")`);
  await voterPage.click(`#poll-list li[data-poll="${id}"] button`);
  // The chart may be drawn more than once (the close event and the click
  // both fetch results): read it until it settles on the expected counts.
  const expected = ['1 vote (50%)', '1 vote (50%)', '0 votes (0%)'];
  let counts = [];
  for (let tries = 0; tries < 100; tries++) {
    counts = await voterPage.$$eval('#poll-results li.result .count', (e) => e.map((x) => x.textContent));
    if (JSON.stringify(counts) === JSON.stringify(expected)) break;
    await voterPage.waitForTimeout(100);
  }
  assert.deepEqual(counts, expected);
  await shoot(voterPage, 'poll-results');
  tcp.close();
  assert.deepEqual(voterPage.problems, []);
  assert.deepEqual(admin.problems, []);
});
