import { api, ApiError } from './api';
import type { SessionUser } from './api-types';
import { $ } from './dom';
import { mountI18n, t, type StringKey } from './i18n';
import { mountNotifications } from './notifications';

/** The signed-in user (GET /api/auth/me). */
export interface Me { user: SessionUser }

/** The staff page frame: who is signed in, language switch, sign-out. Answers the user (or leaves for sign-in). */
export async function mountFrame(): Promise<Me | undefined> {
  mountI18n();
  const who = $('#who');
  let me: Me;
  try {
    me = await api<Me>('GET', '/api/auth/me');
  } catch {
    location.assign(`/staff/login?next=${encodeURIComponent(location.pathname)}`);
    return undefined;
  }
  const render = () => {
    who.textContent = `${me.user.name ?? me.user.username} · ${t(`role.${me.user.role}` as StringKey)}`;
  };
  render();
  document.addEventListener('langchange', render);
  mountNotifications($('.topbar'), who);
  $('#logout').addEventListener('click', async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    location.assign('/staff/login');
  });
  return me;
}

/** Shows an API failure (its problem detail) in the staff page's #error banner. */
export function showStaffError(err: unknown): void {
  const detail = err instanceof ApiError ? String(err.problem.detail ?? err.code) : String(err);
  $('#error').textContent = t('staff.error', { detail });
  $('#error').hidden = false;
}

/** Runs a staff action (its failure shown in the #error banner), then reloads what it may have changed. */
export async function staffAction(run: () => Promise<unknown>, reload: () => Promise<void>): Promise<void> {
  $('#error').hidden = true;
  try {
    await run();
  } catch (err) {
    showStaffError(err);
  }
  await reload();
}
