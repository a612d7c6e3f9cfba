import { api } from '../api';
import type { CoachingCase as Case, Paged } from '../api-types';
import { $, h } from '../dom';
import { mountFrame } from '../frame';
import { t, type StringKey } from '../i18n';
import { mountProfileForm, type Profile } from '../desk/profile-form';
import { digits, field, showProblem, type MatchResult } from '../desk/services';
import '../strings/desk';

// Credit coaching (信用辅导): match the company, tick near misses as targets, their failed criteria become gaps
// (plan and due date each), and follow the cases; buttons come from each case's `actions`.


let misses: MatchResult[] = [];
let cases: Case[] = [];
let total = 0;

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

function renderGaps() {
  const chosen = misses.filter((m) => (document.getElementById(`miss-${m.product.id}`) as HTMLInputElement | null)?.checked);
  const gaps = new Map<string, string>();
  for (const m of chosen) for (const r of m.reasons) if (r.status === 'fail' && !gaps.has(r.criterion)) gaps.set(r.criterion, r.hint?.zh ?? r.message.zh ?? '');
  $('#gaps').replaceChildren(...[...gaps.entries()].map(([criterion, hint], i) => h('div', { class: 'card', 'data-gap': criterion },
    h('p', {}, h('strong', {}, criterion), ' ', h('span', { class: 'muted' }, hint)),
    h('div', { class: 'field' }, h('label', { for: `gap-plan-${i}` }, t('coach.plan')), h('input', { id: `gap-plan-${i}`, 'data-plan': criterion, 'data-hint': hint, required: true, maxlength: '500' })),
    h('div', { class: 'field' }, h('label', { for: `gap-due-${i}` }, t('coach.dueOn')), h('input', { id: `gap-due-${i}`, 'data-due': criterion, type: 'date', value: inDays(90) })))));
}

function renderMisses() {
  $('#misses').replaceChildren(...(misses.length ? misses.map((m) => {
    const box = h('input', { type: 'checkbox', id: `miss-${m.product.id}`, value: String(m.product.id) });
    box.addEventListener('change', renderGaps);
    const fails = m.reasons.filter((r) => r.status === 'fail').map((r) => r.hint?.zh ?? r.message.zh ?? r.criterion).join('；');
    return h('div', { class: 'field', 'data-miss': String(m.product.id) }, h('label', { for: `miss-${m.product.id}` }, box, ` ${m.product.bankName} · ${m.product.name}`), h('p', { class: 'muted' }, fails));
  }) : [h('p', {}, t('coach.noMiss'))]));
  renderGaps();
}

function renderCases() {
  $('#count').textContent = t('svc.count', { n: String(total) });
  const head = h('tr', {}, ...(['svc.companyName', 'svc.status', 'coach.gaps', 'svc.actions'] as StringKey[]).map((k) => h('th', { scope: 'col' }, t(k))));
  $('#cases').replaceChildren(h('thead', {}, head), h('tbody', {}, ...cases.map((c) => h('tr', { 'data-case': String(c.id), 'data-status': c.status },
    h('th', { scope: 'row' }, c.companyName, h('br'), h('small', { class: 'muted' }, c.uscc)),
    h('td', {}, t(`coach.status.${c.status}` as StringKey)),
    h('td', {}, ...c.gaps.map((g) => h('p', { class: g.overdue ? 'field-note bad' : '' }, `${g.plan}（${g.dueOn}）${g.done ? ' ✓' : ''}`))),
    h('td', {}, ...c.actions.map((a) => {
      const b = h('button', { type: 'button', 'data-move': a }, t(`coach.move.${a}` as StringKey));
      b.addEventListener('click', () => void move(c.id, a));
      return b;
    }))))));
}

async function move(id: number, status: string) {
  try {
    await api('PATCH', `/api/coaching/${id}`, { status });
  } catch (err) {
    showProblem(err);
  }
  await load();
}

async function load() {
  try {
    const [page, report] = await Promise.all([
      api<Paged<Case>>('GET', '/api/coaching?pageSize=50'),
      api<{ opened: number; financed: number; medianDays: number | null }>('GET', '/api/coaching/report'),
    ]);
    cases = page.items;
    total = page.total;
    $('#report').textContent = t('coach.report', { opened: String(report.opened), financed: String(report.financed), days: report.medianDays === null ? '—' : String(report.medianDays) });
    renderCases();
  } catch (err) {
    showProblem(err);
  }
}

/** Opens a case: the ticked near misses become its targets, their failed criteria its gaps. */
async function open(matched: Profile) {
  const targets = misses.filter((m) => (document.getElementById(`miss-${m.product.id}`) as HTMLInputElement).checked).map((m) => m.product.id);
  const gaps = [...document.querySelectorAll<HTMLInputElement>('[data-plan]')].map((p) => ({
    criterion: p.dataset.plan!, hint: p.dataset.hint ?? '', plan: p.value.trim(),
    dueOn: (document.querySelector(`[data-due="${p.dataset.plan}"]`) as HTMLInputElement).value,
  }));
  const phone = digits(field('f-phone').value);
  await api('POST', '/api/coaching', {
    uscc: matched.company.uscc, companyName: matched.company.name, ...(phone ? { phone } : {}), smsOptIn: field('f-sms').checked,
    targetProductIds: targets, gaps, company: matched.company, need: matched.need,
  });
  $('#saved').textContent = t('svc.saved');
}

async function main() {
  if (!(await mountFrame())) return;
  mountProfileForm({
    resultForm: '#case-form',
    keep: (results) => (misses = results.filter((r) => !r.eligible && r.reasons.some((x) => x.status === 'fail' && x.hint)).slice(0, 8)),
    render: renderMisses,
    send: open,
    reload: load,
    relabel: renderCases,
  });
  await load();
}

void main();
