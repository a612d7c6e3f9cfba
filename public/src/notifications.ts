import { api } from './api';
import { h } from './dom';
import { currentLang, t, when } from './i18n';

interface Notice {
  id: number;
  kind: string;
  message: { zh: string; en: string };
  leadId: number | null;
  createdAt: string;
  readAt: string | null;
}
interface Notices { items: Notice[]; unread: number }

const POLL_MS = 60_000;

/**
 * The bell in a staff page's top bar: unread count, a panel of recent notices, mark one (by opening
 * it) or all read. Opening a notice about a lead fires `openlead` for the page to show that lead.
 */
export function mountNotifications(topbar: HTMLElement, before: Element | null): void {
  const count = h('span', { class: 'count', hidden: true });
  const bell = h('button', { type: 'button', id: 'notify-bell', class: 'bell', 'aria-expanded': 'false', 'aria-controls': 'notify-panel' }, h('span', { 'data-i18n': 'notify.title' }, t('notify.title')), count);
  const list = h('ul', { class: 'notice-list' });
  const readAll = h('button', { type: 'button', class: 'link', id: 'notify-read-all' }, t('notify.readAll'));
  const panel = h('section', { id: 'notify-panel', class: 'notice-panel card', hidden: true, role: 'region', 'aria-label': t('notify.title') },
    h('header', {}, h('strong', {}, t('notify.title')), readAll), list);
  topbar.insertBefore(bell, before);
  topbar.after(panel);

  let notices: Notices = { items: [], unread: 0 };
  const render = () => {
    count.textContent = String(notices.unread);
    count.hidden = notices.unread === 0;
    // The name starts with the visible text (axe label-content-name-mismatch), then says what the number counts.
    bell.setAttribute('aria-label', notices.unread === 0 ? t('notify.title') : `${t('notify.title')}${notices.unread}（${t('notify.unread', { n: String(notices.unread) })}）`);
    list.replaceChildren(...(notices.items.length === 0 ? [h('li', { class: 'muted' }, t('notify.none'))] : notices.items.map((n) => h('li', {},
      h('button', { type: 'button', class: n.readAt ? 'notice' : 'notice unread', 'data-notice-id': String(n.id) },
        h('span', {}, currentLang() === 'en' ? n.message.en : n.message.zh),
        h('small', { class: 'muted' }, when(n.createdAt)))))));
  };
  const load = async () => {
    notices = await api<Notices>('GET', '/api/notifications?pageSize=30').catch(() => notices);
    render();
  };

  bell.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    bell.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) void load();
  });
  readAll.addEventListener('click', async () => {
    await api('POST', '/api/notifications/read-all').catch(() => undefined);
    await load();
  });
  list.addEventListener('click', async (e) => {
    const button = (e.target as HTMLElement).closest<HTMLElement>('[data-notice-id]');
    if (!button) return;
    const n = notices.items.find((x) => x.id === Number(button.dataset.noticeId));
    if (!n) return;
    if (!n.readAt) await api('POST', `/api/notifications/${n.id}/read`).catch(() => undefined);
    if (n.leadId !== null) document.dispatchEvent(new CustomEvent('openlead', { detail: n.leadId }));
    await load();
  });
  document.addEventListener('langchange', () => {
    readAll.textContent = t('notify.readAll');
    render();
  });
  void load();
  setInterval(() => void load(), POLL_MS);
}
