// Browser-test harness: the real caucusd on ephemeral ports with a fresh
// data directory (as tests/harness.cc does), a raw TCP client speaking the
// line protocol, and Debian's chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const CAUCUSD = process.env.CAUCUS_BIN || path.join(repoRoot, 'build', 'caucusd');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.CAUCUS_SCREENSHOTS || path.join(repoRoot, 'docs', 'screenshots');
export const PASSWORD = 'password-123';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs `caucusd <args> --data <dir>` to completion; returns its stdout.
export function cli(data, args, input = '') {
  return execFileSync(CAUCUSD, [...args, '--data', data], { input, encoding: 'utf8' });
}

// One caucusd process. `admins`: accounts made (with PASSWORD) and granted
// admin on the command line before the server starts.
export async function startServer({ args = [], admins = [] } = {}) {
  const data = mkdtempSync(path.join(tmpdir(), 'caucus-web-'));
  for (const name of admins) {
    cli(data, ['users', 'add', name], `${PASSWORD}\n`);
    cli(data, ['users', 'grant-admin', name]);
  }
  const portsFile = path.join(data, 'ports');
  const webRoot = process.env.CAUCUS_WEB_ROOT ? ['--web-root', process.env.CAUCUS_WEB_ROOT] : [];
  const argv = [
    '--listen', '127.0.0.1', '--port', '0',
    '--http-listen', '127.0.0.1', '--http-port', process.env.CAUCUS_HTTP_PORT_ARG || 'any',
    '--data', data, '--ports-file', portsFile, ...webRoot, ...args,
  ];
  const child = spawn(CAUCUSD, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = null;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + 30000;
  let ports = null;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`caucusd exited at start (${exited}):\n${log}`);
    if (existsSync(portsFile)) ports = parsePorts(readFileSync(portsFile, 'utf8'));
    if (ports && ports.tcp && ports.http) break;
    await sleep(20);
  }
  if (!ports || !ports.http) {
    child.kill('SIGKILL');
    throw new Error(`caucusd did not report its ports:\n${log}`);
  }
  return {
    data,
    tcpPort: ports.tcp,
    httpPort: ports.http,
    url: `http://127.0.0.1:${ports.http}/`,
    log: () => log,
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        const until = Date.now() + 10000;
        while (exited === null && Date.now() < until) await sleep(20);
        if (exited === null) child.kill('SIGKILL');
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// The ports file: one "<address>:<port> <port>" line per listener; the
// HTTP listener's line names it ("http"), the protocol's come first.
export function parsePorts(text) {
  let tcp = 0;
  let http = 0;
  for (const line of text.split('\n')) {
    const m = line.match(/(\d+)\s*$/);
    if (!m) continue;
    const port = Number(m[1]);
    if (/http|web/i.test(line)) http = http || port;
    else tcp = tcp || port;
  }
  return { tcp, http };
}

// Splits a line by the IRC parameter rule; the tag is dropped.
export function params(line) {
  let s = line.startsWith('@') ? line.slice(line.indexOf(' ') + 1) : line;
  const out = [];
  while (s.length) {
    s = s.replace(/^ +/, '');
    if (!s.length) break;
    if (s[0] === ':') {
      out.push(s.slice(1));
      break;
    }
    const sp = s.indexOf(' ');
    out.push(sp < 0 ? s : s.slice(0, sp));
    s = sp < 0 ? '' : s.slice(sp);
  }
  return out;
}

const EVENTS = /^(MSG|PRESENCE|POLL|BYE|INVITED|ACCEPTED|DECLINED) /;

// A protocol client over a raw TCP socket, as a terminal user would be.
export class TcpClient {
  static async connect(port) {
    const c = new TcpClient();
    await new Promise((resolve, reject) => {
      c.sock = net.connect(port, '127.0.0.1', resolve);
      c.sock.once('error', reject);
    });
    c.sock.setEncoding('utf8');
    c.sock.on('data', (d) => c.feed(d));
    c.sock.on('close', () => {
      c.closed = true;
      c.wake();
    });
    c.hello = await c.line();
    return c;
  }

  constructor() {
    this.buf = '';
    this.lines = [];
    this.events = [];
    this.waiters = [];
    this.closed = false;
  }

  feed(d) {
    this.buf += d;
    let lf;
    while ((lf = this.buf.indexOf('\n')) >= 0) {
      this.lines.push(this.buf.slice(0, lf).replace(/\r$/, ''));
      this.buf = this.buf.slice(lf + 1);
    }
    this.wake();
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  async next(timeout) {
    const until = Date.now() + timeout;
    while (this.lines.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = until - Date.now();
      if (left <= 0) throw new Error('no line in time');
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.lines.shift();
  }

  async line(timeout = 10000) {
    return this.next(timeout);
  }

  // Sends a command; resolves with {data, final, params, ok, code}. Events
  // read meanwhile go to this.events.
  async cmd(line, timeout = 10000) {
    this.sock.write(line + '\n');
    const data = [];
    for (;;) {
      const l = await this.next(timeout);
      if (EVENTS.test(l)) {
        this.events.push(l);
        continue;
      }
      if (/^(OK|ERR) /.test(l)) {
        const p = params(l);
        return { data, final: l, params: p, ok: p[0] === 'OK', code: p[0] === 'ERR' ? p[2] : '' };
      }
      data.push(l);
    }
  }

  // Waits for an event starting with `prefix`; removes and returns it.
  async waitEvent(prefix, timeout = 10000) {
    const until = Date.now() + timeout;
    for (;;) {
      const i = this.events.findIndex((e) => e.startsWith(prefix));
      if (i >= 0) return this.events.splice(i, 1)[0];
      const left = until - Date.now();
      if (left <= 0) throw new Error(`no event ${prefix}; have ${JSON.stringify(this.events)}`);
      this.events.push(await this.next(left));
    }
  }

  close() {
    this.sock.destroy();
  }
}

// Registers (when `register`) and logs `name` in over TCP.
export async function tcpUser(server, name, { register = true } = {}) {
  const c = await TcpClient.connect(server.tcpPort);
  if (register) {
    const r = await c.cmd(`REGISTER ${name} ${PASSWORD}`);
    if (!r.ok) throw new Error(r.final);
  }
  const r = await c.cmd(`LOGIN ${name} ${PASSWORD}`);
  if (!r.ok) throw new Error(r.final);
  return c;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespaces for the sandbox.
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// A fresh browser context (its own sessionStorage and localStorage) with
// one page; console errors and page errors make the test fail later.
export async function openPage(browser, server, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.slice(0, -1) });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console: ${m.text()}`);
  });
  await page.goto(server.url);
  return page;
}

// Saves the page at desktop and phone size as docs/screenshots/NAME-*.png.
export async function shoot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [size, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(vp);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`), fullPage: false });
  }
  await page.setViewportSize(before);
}

// Creates an account through the page (chosen password, open
// registration) and ends logged in.
export async function registerInPage(page, name, password = PASSWORD) {
  await page.fill('#register-name', name);
  await page.click('#register-submit');
  await page.waitForSelector('#register-password', { state: 'visible' });
  await page.fill('#register-password', password);
  await page.fill('#register-again', password);
  await page.click('#register-submit');
  await page.waitForSelector(`#whoami:has-text("${name}")`);
}

export async function loginInPage(page, name, password = PASSWORD) {
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector(`#whoami:has-text("${name}")`);
}
