import type { ChannelAnswer as Channel, Paged } from '../api-types';
import { api } from '../api';
import { $, h } from '../dom';
import { mountFrame, showStaffError as showError, staffAction } from '../frame';
import { t, when, type StringKey } from '../i18n';
import { codesOf, label } from '../labels';
import '../strings/desk';

// The desk's QR channels: create one, download its code (PNG, SVG, printable poster), watch scans and requests.


const kinds = ['desk', 'branch', 'town', 'event', 'park', 'online'];
let channels: Channel[] = [];
let total = 0;

function render() {
  $('#channel-count').textContent = t('desk.queue.count', { n: String(total) });
  const head = h('tr', {}, ...(['desk.channels.name', 'desk.channels.kind', 'desk.filter.district', 'desk.channels.scans', 'desk.channels.requests', 'desk.channels.lastScan', 'desk.channels.downloads', 'desk.channels.state'] as StringKey[])
    .map((k) => h('th', { scope: 'col' }, t(k))));
  const rows = channels.map((c) => {
    const toggle = h('button', { type: 'button', 'data-toggle-channel': String(c.id) }, t(c.active ? 'desk.channels.stop' : 'desk.channels.resume'));
    toggle.addEventListener('click', () => void change(() => api('PATCH', `/api/channels/${c.id}`, { active: !c.active })));
    return h('tr', { 'data-channel': c.code },
      h('th', { scope: 'row' }, h('span', {}, c.name), h('br'), h('small', { class: 'muted' }, c.url)),
      h('td', {}, t(`desk.channels.kind.${c.kind}` as StringKey)),
      h('td', {}, c.district ? label('district', c.district) : '—'),
      h('td', { 'data-scans': '' }, String(c.scanCount)),
      h('td', {}, String(c.applicationCount)),
      h('td', {}, c.lastScanAt ? when(c.lastScanAt) : '—'),
      h('td', {}, h('a', { href: c.qrPng, download: `rongma-${c.code}.png` }, 'PNG'), ' · ', h('a', { href: c.qrSvg, download: `rongma-${c.code}.svg` }, 'SVG'), ' · ',
        h('a', { href: c.poster, target: '_blank', rel: 'noopener' }, t('desk.channels.poster')), ' · ',
        h('a', { href: `${c.poster}?lang=en`, target: '_blank', rel: 'noopener', lang: 'en' }, t('desk.channels.posterEn'))),
      h('td', {}, h('span', { class: 'muted' }, t(c.active ? 'desk.channels.active' : 'desk.channels.stopped')), ' ', toggle));
  });
  $('#channels').replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
}

async function load() {
  try {
    const page = await api<Paged<Channel>>('GET', '/api/channels?pageSize=100');
    channels = page.items;
    total = page.total;
    render();
  } catch (err) {
    showError(err);
  }
}

const change = (run: () => Promise<unknown>) => staffAction(run, load);

async function main() {
  if (!(await mountFrame())) return;
  const kindSelect = () => $('#c-kind').replaceChildren(...kinds.map((k) => h('option', { value: k }, t(`desk.channels.kind.${k}` as StringKey))));
  kindSelect();
  $('#c-district').replaceChildren(h('option', { value: '' }, '—'), ...codesOf('district').map((c) => h('option', { value: c }, label('district', c))));
  $('#channel-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    void change(async () => {
      await api('POST', '/api/channels', { name: data.name, kind: data.kind, ...(data.district ? { district: data.district } : {}) });
      form.reset();
    });
  });
  document.addEventListener('langchange', () => {
    kindSelect();
    render();
  });
  await load();
}

void main();
