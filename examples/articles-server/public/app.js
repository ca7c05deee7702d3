// @ts-check
/**
 * The demo page: logs in against the auth server with the Gatehouse client SDK (served from
 * the build at /vendor/gatehouse/), calls the articles API with the access token, and shows
 * the token's life, silent refreshes, the sessions and a local token inspector.
 */
import { createClient } from '/vendor/gatehouse/client/index.js';
import { claimNotes, decodeJwt, describeClaims, verifySignature } from './inspector.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
const time = (/** @type {number} */ ms) => new Date(ms).toLocaleTimeString();
/** A span in words: `42 s`, `14 min 5 s`, `29 d 23 h`. @param {number} ms */
function span(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** @type {{ authUrl: string, issuer: string, cookieMode: boolean, expiringWarning: number }} */
const config = await (await fetch('/config.json', { cache: 'no-store' })).json();
// The auth server allows this page's origin by its exact name (CORS), and its cookie is
// same-site only with the same host name: localhost and 127.0.0.1 are different sites.
const authHost = new URL(config.authUrl).hostname;
if (location.hostname === 'localhost' && authHost === '127.0.0.1') {
  location.replace(location.href.replace('//localhost', '//127.0.0.1'));
}
const client = createClient({
  baseUrl: config.authUrl,
  cookieMode: config.cookieMode,
  expiringWarning: config.expiringWarning,
});
const authLink = /** @type {HTMLAnchorElement} */ ($('auth-link'));
authLink.href = `${config.authUrl}/.well-known/openid-configuration`;
authLink.textContent = config.authUrl;

const REASONS = {
  logout: 'You logged out.',
  revoked: 'This session was ended (from another device, an admin, or "log out everywhere").',
  expired: 'Your session has expired. Please log in again.',
  reuse_detected: 'A refresh token was used twice, so the session was ended to protect you.',
};

/** @param {string} text @param {boolean} [show] */
function notice(text, show = true) {
  $('notice').textContent = text;
  $('notice').hidden = !show;
}

function showLogin() {
  $('login-panel').hidden = false;
  $('app-panel').hidden = true;
  $('warning').hidden = true;
  $('status').textContent = 'Not logged in.';
  $('refresh-log').replaceChildren();
  $('articles').replaceChildren();
  $('articles-status').textContent = '';
}

function showApp() {
  const s = client.session;
  if (s === null) return showLogin();
  $('login-panel').hidden = true;
  $('app-panel').hidden = false;
  $('login-error').hidden = true;
  $('who').textContent = s.username ?? s.userId ?? '?';
  $('roles').textContent = s.roles?.length ? `(roles: ${s.roles.join(', ')})` : '(no roles)';
  $('status').textContent = `Logged in as ${s.username ?? s.userId}.`;
  void refreshSessions();
}

/** @param {string} text */
function logRefresh(text) {
  const li = document.createElement('li');
  li.textContent = text;
  li.className = 'fresh';
  $('refresh-log').prepend(li);
  while ($('refresh-log').children.length > 20) $('refresh-log').lastElementChild?.remove();
}

client.on('logged-in', () => {
  notice('', false);
  showApp();
});
client.on('refreshed', ({ session, source }) => {
  const life = Math.round((session.accessTokenExpiresAt - Date.now()) / 1000);
  logRefresh(
    `${time(Date.now())}: new access token (valid ${life} s)${source === 'other-tab' ? ', from another tab' : ''}`,
  );
});
client.on('session-expiring', ({ expiresAt }) => {
  $('warning').dataset.expiresAt = String(expiresAt);
  $('warning').hidden = false;
  tick();
});
client.on('logged-out', ({ reason }) => {
  notice(REASONS[reason] ?? 'Logged out.');
  showLogin();
});

/** Every 250 ms: the countdowns. */
function tick() {
  const s = client.session;
  if (s === null) return;
  const now = Date.now();
  const left = Math.max(0, s.accessTokenExpiresAt - now);
  $('countdown').textContent = left > 0 ? span(left) : 'expired (the next call refreshes it)';
  // The bar's full length is the token's life when this page first saw it.
  const life = /** @type {HTMLProgressElement} */ ($('life'));
  if (!life.dataset.total) life.dataset.total = String(Math.max(left, 1));
  life.value = Math.min(1, left / Number(life.dataset.total));
  $('session-end').textContent =
    `${span(s.sessionExpiresAt - now)} (${new Date(s.sessionExpiresAt).toLocaleString()})`;
  const end = Number($('warning').dataset.expiresAt);
  if (!$('warning').hidden && end) {
    $('warning').textContent =
      `Your session ends in ${span(end - now)} (at ${time(end)}). Log out and in again to keep working.`;
  }
}
setInterval(tick, 250);
client.on('refreshed', () => {
  delete $('life').dataset.total;
});

/** @param {unknown} err */
const message = (err) => {
  const e = /** @type {{ code?: string, message?: string }} */ (err);
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
};

async function credentials() {
  return { username: input('username').value.trim(), password: input('password').value };
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').hidden = true;
  try {
    await client.login(await credentials());
    input('password').value = '';
  } catch (err) {
    $('login-error').textContent = message(err);
    $('login-error').hidden = false;
  }
});

$('register').addEventListener('click', async () => {
  const form = /** @type {HTMLFormElement} */ ($('login-form'));
  if (!form.reportValidity()) return;
  $('login-error').hidden = true;
  try {
    const creds = await credentials();
    await client.register(creds);
    await client.login(creds);
    input('password').value = '';
  } catch (err) {
    $('login-error').textContent = message(err);
    $('login-error').hidden = false;
  }
});

/** @param {string} path @param {string} label */
async function loadArticles(path, label) {
  const list = $('articles');
  const status = $('articles-status');
  status.className = '';
  try {
    const res = await client.fetch(path);
    if (!res.ok) {
      const problem = await res.json().catch(() => ({}));
      list.replaceChildren();
      status.className = 'refused';
      status.textContent = `${label}: refused (${res.status} ${problem.code ?? ''}). ${problem.detail ?? ''}`;
      return;
    }
    /** @type {Array<{ name: string, title: string, body: string }>} */
    const articles = await res.json();
    status.textContent = `${label}: ${articles.length} article${articles.length === 1 ? '' : 's'}.`;
    list.replaceChildren(
      ...articles.map((a) => {
        const li = document.createElement('li');
        const title = document.createElement('strong');
        title.textContent = a.title;
        const by = document.createElement('span');
        by.className = 'by';
        by.textContent = ` by ${a.name}: `;
        li.append(title, by, a.body);
        return li;
      }),
    );
  } catch (err) {
    status.className = 'refused';
    status.textContent = `${label}: ${message(err)}`;
  }
}
$('load-articles').addEventListener('click', () => loadArticles('/articles', 'Your articles'));
$('load-all').addEventListener('click', () => loadArticles('/articles/all', 'All articles (admin)'));

/** [pattern, name] pairs, first match wins (order matters: iPhones say "like Mac OS X"). */
const BROWSERS = [
  [/Edg\//, 'Edge'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl|node|undici/i, 'a script'],
];
const SYSTEMS = [
  [/Windows/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** A short device name from a User-Agent string. @param {string | null} ua */
function device(ua) {
  if (!ua) return 'unknown device';
  const pick = (/** @type {Array<(RegExp | string)[]>} */ table) =>
    table.find(([re]) => /** @type {RegExp} */ (re).test(ua))?.[1];
  const browser = pick(BROWSERS) ?? 'a browser';
  const os = pick(SYSTEMS);
  return os ? `${browser} on ${os}` : String(browser);
}

let sessionsBusy = false;
/** Also the page's heartbeat: a session ended elsewhere fails here and logs this page out. */
async function refreshSessions() {
  if (sessionsBusy || client.session === null) return;
  sessionsBusy = true;
  try {
    const sessions = await client.sessions();
    const rows = sessions.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.sessionId = s.id;
      const dev = document.createElement('td');
      dev.className = 'device';
      dev.textContent = device(s.userAgent);
      dev.title = s.userAgent ?? '';
      if (s.current) {
        const mark = document.createElement('span');
        mark.className = 'current';
        mark.textContent = ' (this page)';
        dev.append(mark);
      }
      const ip = document.createElement('td');
      ip.textContent = s.ip ?? '?';
      const used = document.createElement('td');
      used.textContent = new Date(s.lastUsedAt).toLocaleString();
      const act = document.createElement('td');
      const end = document.createElement('button');
      end.type = 'button';
      end.className = 'secondary end-session';
      end.textContent = 'End this session';
      end.addEventListener('click', async () => {
        end.disabled = true;
        try {
          await client.endSession(s.id);
          await refreshSessions();
        } catch (err) {
          notice(message(err));
          end.disabled = false;
        }
      });
      act.append(end);
      tr.append(dev, ip, used, act);
      return tr;
    });
    $('sessions')
      .querySelector('tbody')
      ?.replaceChildren(...rows);
  } catch {
    // Logged out meanwhile (the logged-out event says why), or the server is away for a moment.
  } finally {
    sessionsBusy = false;
  }
}
setInterval(refreshSessions, 1000);

$('logout').addEventListener('click', () => client.logout().catch((err) => notice(message(err))));
$('logout-all').addEventListener('click', () => client.logoutAll().catch((err) => notice(message(err))));

$('inspect-mine').addEventListener('click', async () => {
  try {
    /** @type {HTMLTextAreaElement} */ ($('jwt')).value = await client.getAccessToken();
    await inspect();
  } catch (err) {
    $('verdict').textContent = message(err);
  }
});
$('inspect').addEventListener('click', () => void inspect());

async function inspect() {
  const verdict = $('verdict');
  verdict.className = '';
  $('jwt-header').textContent = '';
  $('jwt-claims').textContent = '';
  let jwt;
  try {
    jwt = decodeJwt(/** @type {HTMLTextAreaElement} */ ($('jwt')).value);
  } catch (err) {
    verdict.className = 'error';
    verdict.textContent = `Not a JWT: ${message(err)}`;
    return;
  }
  $('jwt-header').textContent = JSON.stringify(jwt.header, null, 2);
  $('jwt-claims').textContent = JSON.stringify(describeClaims(jwt.claims), null, 2);
  try {
    // Only the public keys come from the server; the token stays here.
    const jwks = await (
      await fetch(`${config.authUrl}/.well-known/jwks.json`, { credentials: 'omit' })
    ).json();
    const result = await verifySignature(jwt, jwks);
    const notes = claimNotes(jwt.claims, config.issuer, Date.now() / 1000);
    verdict.className = result.ok ? 'ok' : 'error';
    verdict.textContent = `${result.ok ? '\u2713' : '\u2717'} ${result.reason}; ${notes.join('; ')}.`;
  } catch (err) {
    verdict.className = 'error';
    verdict.textContent = `Could not verify: ${message(err)}`;
  }
}

// Start: in cookie mode the HttpOnly cookie may still hold a session (a reload, a new tab).
if (config.cookieMode) {
  try {
    await client.refresh();
  } catch {
    // No session in the cookie.
  }
}
if (client.session === null) showLogin();
else showApp();
