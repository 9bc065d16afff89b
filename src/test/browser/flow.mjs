// Drives a real Chromium through the Identification Service's pages, as a person would:
// /authorize -> sandbox identify page -> consent page -> redirect to the client's callback.
// With --action card (or card-pin-cancelled) the person reads a card on the /readout page instead:
// the page's own readout.js runs against a stand-in for the BeIDConnect extension's page API
// (window.BeIDConnect with getId/auth, injected before the page's scripts) that answers with the
// virtual card of --card-dir (readout.json, auth-key.pem) and signs like the card: SHA256withRSA
// or SHA256withECDSA over the challenge, whose SHA-256 readout.js hands to auth() as the digest.
//
//   node flow.mjs --url AUTHORIZE_URL --callback CALLBACK_PREFIX --screenshots DIR --ca CA_PEM
//                 [--action approve|deny|cancel|card|card-pin-cancelled] [--card-dir DIR]
//                 [--chromium /usr/bin/chromium]
//
// Chromium trusts the demo CA through an NSS database in a fresh, throw-away HOME (certutil from
// libnss3-tools); no certificate error is ignored. The client's callback is a tiny HTTP server
// this script runs on the callback's host and port (Playwright's page.route does not see the
// request a redirect leads to); it answers 200 and keeps the URL.
//
// stdout: one JSON object {"callback": URL, "query": {...}, "screenshots": [...]}.
// Exit 0 on success; otherwise exit 1 with the reason on stderr (also for any CSP violation,
// console error, page error or failed request on the service's pages).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const STEP_TIMEOUT_MS = 15_000;
const OVERALL_TIMEOUT_MS = 90_000;

function parseArgs(argv) {
  const out = { action: 'approve', chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) throw new Error(`bad argument ${key}`);
    out[key.slice(2)] = value;
  }
  for (const k of ['url', 'callback', 'screenshots', 'ca']) {
    if (!out[k]) throw new Error(`missing --${k}`);
  }
  if (!['approve', 'deny', 'cancel', 'card', 'card-pin-cancelled'].includes(out.action)) throw new Error(`unknown --action ${out.action}`);
  if (out.action.startsWith('card') && !out['card-dir']) throw new Error('--action card needs --card-dir');
  return out;
}

/** A fresh HOME whose NSS database trusts the CA for TLS servers ("C,,"). */
function homeTrusting(caPem) {
  const home = mkdtempSync(join(tmpdir(), 'idsvc-chromium-'));
  const db = join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${db}`, '-N', '--empty-password'], { stdio: 'pipe' });
  execFileSync('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'idsvc demo CA', '-i', caPem], { stdio: 'pipe' });
  return home;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const shotsDir = resolve(opts.screenshots);
  mkdirSync(shotsDir, { recursive: true });
  if (!existsSync(opts.chromium)) throw new Error(`no Chromium at ${opts.chromium} (apt-get install -y chromium)`);

  const home = homeTrusting(resolve(opts.ca));
  const problems = [];
  const screenshots = [];
  let context;
  let server;
  try {
    context = await chromium.launchPersistentContext(join(home, 'profile'), {
      executablePath: opts.chromium,
      headless: true,
      env: { ...process.env, HOME: home },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1024, height: 768 },
      locale: 'en-US',
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);

    // CSP violations: Chromium logs them to the console as errors; the DOM event is recorded too
    // (the init script is injected by the debugger, the pages' CSP does not apply to it).
    await page.exposeBinding('__idsvcCspViolation', (_source, v) => problems.push(`CSP violation: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__idsvcCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} on ${e.documentURI}`);
      });
    });
    // Judged: the service's pages. The callback page is the test's own stand-in for the client.
    const callbackOrigin = new URL(opts.callback).origin;
    const ours = (url) => { try { return new URL(url).origin !== callbackOrigin; } catch { return true; } };
    // The one message forgiven: Chromium asks every host for /favicon.ico by itself and the
    // service answers 404 (it has no icon); that is no fault of the pages.
    const favicon = (m) => /\/favicon\.ico$/.test(m.location()?.url ?? '') && /status of 404/.test(m.text());
    page.on('console', (m) => {
      if ((m.type() === 'error' || m.type() === 'warning') && ours(page.url()) && !favicon(m)) {
        problems.push(`console ${m.type()}: ${m.text()} (at ${m.location()?.url || page.url()})`);
      }
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      if (ours(r.url())) problems.push(`request failed: ${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && ours(r.url())) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
    });

    if (opts.action.startsWith('card')) await standInForBeIDConnect(page, opts);

    // The client's callback: answered here, the URL kept.
    let callback = null;
    const target = new URL(opts.callback);
    server = createServer((req, res) => {
      const url = new URL(req.url, `${target.protocol}//${req.headers.host}`).href;
      if (url.startsWith(opts.callback)) callback = url;
      res.writeHead(url.startsWith(opts.callback) ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(url.startsWith(opts.callback) ? 'callback received\n' : 'not the callback\n');
    });
    server.listen(Number(target.port || 80), target.hostname);
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([e]) => {
      throw new Error(`cannot listen on ${target.host} for the callback (${e.code}); is scripts/demo-client running?`);
    })]);

    const shot = async (name) => {
      const file = join(shotsDir, `${opts.action}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      screenshots.push(file);
    };
    const expectVisible = async (selector, what) => {
      try {
        await page.locator(selector).waitFor({ state: 'visible' });
      } catch (e) {
        throw new Error(`${what} (${selector}) not visible on ${page.url()}`);
      }
    };

    // 1. authorize -> identify page
    const first = await page.goto(opts.url, { waitUntil: 'load' });
    if (!first || first.status() !== 200) throw new Error(`authorize ended at HTTP ${first?.status()} ${page.url()}`);
    if (!new URL(page.url()).pathname.startsWith('/identify')) throw new Error(`expected the identify page, got ${page.url()}`);
    await expectVisible('#test-banner', 'the TEST banner');
    await expectVisible('select[name=person]', 'the test person list');
    const firstPerson = await page.locator('select[name=person] option').first().getAttribute('value');
    await page.selectOption('select[name=person]', firstPerson);
    await shot('identify');

    let problem = null;
    if (opts.action.startsWith('card')) {
      // 2. identify -> readout page: readout.js reads the card through the stand-in and posts the form
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/readout')), page.click('#readout-link')]);
      await expectVisible('form#readout', 'the readout form');
      await expectVisible('#read-card', 'the read-my-card button');
      await shot('readout');
      if (opts.action === 'card') {
        await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/consent')), page.click('#read-card')]);
        await page.waitForLoadState('load');
        await expectVisible('#claims', 'the claims list');
        await shot('consent');
        await Promise.all([page.waitForURL((u) => u.href.startsWith(opts.callback)), page.click('#approve')]);
      } else {
        // the person cancels the PIN dialog: the page for it, with a retry and a way out
        await Promise.all([page.waitForURL((u) => u.pathname === '/readout' && u.search === ''), page.click('#read-card')]);
        await page.waitForLoadState('load');
        await expectVisible('#error', 'the explanation');
        await expectVisible('#retry', 'the retry link');
        problem = await page.locator('#error').getAttribute('data-problem');
        await shot('problem');
        await Promise.all([page.waitForURL((u) => u.href.startsWith(opts.callback)), page.click('#cancel')]);
      }
    } else if (opts.action === 'cancel') {
      await Promise.all([page.waitForURL((u) => u.href.startsWith(opts.callback)), page.click('#cancel')]);
    } else {
      // 2. identify -> consent page
      await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/consent')), page.click('#identify')]);
      await page.waitForLoadState('load');
      await expectVisible('#test-banner', 'the TEST banner');
      await expectVisible('#claims', 'the claims list');
      if ((await page.locator('#claims dt').count()) === 0) throw new Error('the claims list is empty');
      await shot('consent');
      // 3. consent -> callback
      const button = opts.action === 'approve' ? '#approve' : '#deny';
      await Promise.all([page.waitForURL((u) => u.href.startsWith(opts.callback)), page.click(button)]);
    }
    if (!callback) throw new Error(`the browser did not reach ${opts.callback}; it is at ${page.url()}`);
    // let late console messages (e.g. CSP reports) arrive before judging
    await page.waitForTimeout(250);
    if (problems.length) throw new Error(`the pages were not clean:\n  ${problems.join('\n  ')}`);

    const query = Object.fromEntries(new URL(callback).searchParams);
    process.stdout.write(JSON.stringify({ callback, query, screenshots, problem }) + '\n');
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) { server.closeAllConnections(); server.close(); }
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * window.BeIDConnect as the extension's page library offers it (promise-returning getId and auth),
 * answering with the virtual card. Signing happens here in node, where the key is; the page only
 * gets the signature, as from a real card. auth() refuses a digest that is not the SHA-256 of the
 * form's challenge, so a wrong digest in readout.js fails the flow instead of passing unnoticed.
 */
async function standInForBeIDConnect(page, opts) {
  const fields = JSON.parse(readFileSync(join(opts['card-dir'], 'readout.json'), 'utf8'));
  const card = {};
  for (const k of ['id', 'addr', 'photo', 'idsig', 'addrsig', 'rrncert', 'authcert', 'cacert', 'rootcert']) {
    if (fields[k]) card[k] = fields[k];
  }
  const key = createPrivateKey(readFileSync(join(opts['card-dir'], 'auth-key.pem')));
  const mode = opts.action === 'card-pin-cancelled' ? 'cancel' : 'ok';
  await page.exposeBinding('__idsvcCardSign', (_source, challengeB64url, digestB64) => {
    const challenge = Buffer.from(challengeB64url, 'base64url');
    if (createHash('sha256').update(challenge).digest('base64') !== digestB64) {
      return { result: 'general_error', report: 'the digest is not the SHA-256 of the challenge' };
    }
    return { result: 'OK', signature: sign('sha256', challenge, key).toString('base64') };
  });
  await page.addInitScript(({ card, mode }) => {
    window.BeIDConnect = {
      getId: (lang, mac, idflags) => Promise.resolve(Object.assign({ result: 'OK' }, card)),
      auth: (lang, mac, cert, algo, digest, pin) => {
        if (mode === 'cancel') return Promise.reject({ result: 'cancel' });
        if (cert !== card.authcert || algo !== 'SHA-256') return Promise.reject({ result: 'general_error' });
        const challenge = document.querySelector('form#readout input[name=challenge]').value;
        return window.__idsvcCardSign(challenge, digest).then((r) => (r.result === 'OK' ? r : Promise.reject(r)));
      },
    };
  }, { card, mode });
}

const timer = setTimeout(() => {
  process.stderr.write(`flow.mjs: gave up after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);
main().then(() => {
  clearTimeout(timer);
}, (e) => {
  process.stderr.write(`flow.mjs: ${e.stack ?? e}\n`);
  process.exit(1);
});
