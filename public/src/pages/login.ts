import { api, ApiError } from '../api';
import { $, h } from '../dom';
import { currentLang, mountI18n, t, type StringKey } from '../i18n';
import '../strings/login';

interface LoginAnswer {
  user: { role: 'admin' | 'desk' | 'bank_admin' | 'bank_officer' };
}

const home = { admin: '/desk', desk: '/desk', bank_admin: '/bank', bank_officer: '/bank' } as const;

/**
 * `next` is followed only when it is a path on this origin. It is resolved the way the browser will
 * resolve it (which drops tabs and newlines, so `/%09/evil.example` would become `//evil.example`) and
 * kept only when the result stays on our origin; anything with control characters or a backslash, or
 * that does not start with a single `/`, is refused outright. Otherwise the role's home.
 */
function safeNext(): string | null {
  const next = new URLSearchParams(location.search).get('next');
  // eslint-disable-next-line no-control-regex
  if (!next || !/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\u007f\\]/.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, location.origin);
  } catch {
    return null;
  }
  if (url.origin !== location.origin || url.pathname.startsWith('//')) return null;
  return url.pathname + url.search + url.hash;
}

function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return t('login.error.other');
  if (err.code === 'account_locked' && typeof err.problem.lockedUntil === 'string') {
    const time = new Date(err.problem.lockedUntil).toLocaleTimeString(currentLang(), { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
    return t('login.error.account_locked', { time });
  }
  if (err.code === 'rate_limited' && typeof err.problem.retryAfterSeconds === 'number') {
    const time = new Date(Date.now() + err.problem.retryAfterSeconds * 1000).toLocaleTimeString(currentLang(), { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
    return t('login.error.rate_limited', { time });
  }
  const known = ['invalid_credentials', 'validation_error', 'network'] as const;
  const code = known.find((c) => c === err.code);
  return code ? t(`login.error.${code}`) : t('login.error.other');
}

interface DemoAccounts {
  accounts: { username: string; role: string; name: string | null; bankName: string | null }[];
  password?: string;
}

/** On installations seeded with demo data, lists the demo accounts; a click fills the form. */
async function showDemoAccounts() {
  const demo = await api<DemoAccounts>('GET', '/api/auth/demo-accounts').catch(() => null);
  if (!demo?.accounts.length || !demo.password) return;
  const render = () => {
    $('#demo-body').textContent = t('login.demo.body', { password: demo.password! });
    $('#demo-list').replaceChildren(...demo.accounts.map((a) => {
      const button = h('button', { type: 'button', class: 'link', 'data-username': a.username }, a.username);
      button.addEventListener('click', () => {
        ($('#username') as HTMLInputElement).value = a.username;
        ($('#password') as HTMLInputElement).value = demo.password!;
      });
      return h('li', {}, button, ` ${t(`role.${a.role}` as StringKey)}${a.bankName ? ` · ${a.bankName}` : ''}`);
    }));
  };
  render();
  document.addEventListener('langchange', render);
  $('#demo').hidden = false;
}

function main() {
  mountI18n();
  void showDemoAccounts();
  const form = document.querySelector<HTMLFormElement>('#login-form')!;
  const error = document.querySelector<HTMLElement>('#login-error')!;
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    error.hidden = true;
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      // The answer also carries the token for API clients; the page keeps only the HttpOnly cookie.
      const answer = await api<LoginAnswer>('POST', '/api/auth/login', {
        username: String(data.get('username') ?? ''),
        password: String(data.get('password') ?? ''),
      });
      location.assign(safeNext() ?? home[answer.user.role]);
    } catch (err) {
      error.textContent = errorText(err);
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = t('login.submit');
      form.querySelector<HTMLInputElement>('#password')!.select();
    }
  });
}

main();
