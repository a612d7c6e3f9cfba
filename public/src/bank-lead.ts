import { api, ApiError } from './api';
import { h } from './dom';
import { currentLang, t, when, type StringKey } from './i18n';
import { label, moneyAmount } from './labels';
import { eventText, lt, statusText, type BankKey } from './lead-text';
import { lprOn, shanghaiDate, spreadBp } from '../../server/domain/lpr';
import './strings/apply';
import './strings/leads';

type Terms = { amount: number; ratePct: number; termMonths: number; guaranteeType: string };
export interface LeadSummary {
  id: number;
  productName: string;
  status: string;
  open: boolean;
  officerId: number | null;
  company: { name: string; district: string; industry: string };
  need: { amount: number; termMonths: number; purpose: string };
  isFirstLoan: boolean;
  createdAt: string;
  overdue: 'accept' | 'contact' | 'decision' | null;
  actions: string[];
  clock: { stage: 'accept' | 'contact' | 'decision'; dueAt: string; workingHoursLeft: number | null; calendarHoursLeft: number } | null;
}
export interface LeadDetail extends Omit<LeadSummary, 'company'> {
  company: {
    uscc: string | null; name: string; district: string; industry: string; establishedOn: string | null; employees: number | null; annualRevenue: number | null;
    totalAssets: number | null; taxRating: string; hasBankLoan: boolean | null; overdueCount: number | null; collateral: string[]; guaranteeAvailable: boolean | null;
    certifications: string[] | null; size: string | null;
  };
  contact: { name: string; phone: string; masked: boolean };
  consent: { version: string; grantedAt: string } | null;
  match: { eligible: boolean; score: number; recomputed: boolean; reasons: { criterion: string; status: 'pass' | 'fail' | 'unknown'; message: { zh: string; en: string } }[] };
  product: { rate: { min: number; max: number }; guaranteeTypes?: string[] };
  firstLoanConfirmed: boolean | null;
  terms: Terms | null;
  amendableUntil: string | null;
  events: { id: number; at: string; action: string; fromStatus: string | null; toStatus: string | null; note: string | null; before?: Terms; after?: Terms }[];
}
export interface LeadContext {
  role: string;
  officers: { id: number; username: string; name: string | null; branchId: number | null; active: boolean }[];
  branchName: (id: number | null) => string;
  /** Reloads the queue and this lead after a change. */
  done: () => Promise<void>;
  fail: (err: unknown) => void;
}

const WAN = 10_000;
const declineReasons = ['insufficient_history', 'insufficient_revenue', 'credit_record', 'collateral', 'industry_policy', 'unreachable', 'applicant_withdrew', 'other'];
/** The action that moves the current step on: shown as the one primary button. */
const STEP_VERBS = ['claim', 'contact', 'approve', 'disburse'];
let serial = 0;

const msg = (m: { zh: string; en: string }) => (currentLang() === 'en' ? m.en : m.zh);
const pct = (n: number) => `${n.toFixed(2)}%`;

/** A labelled control with a place for its error (label for/id, aria-describedby). */
export function field(text: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, note?: HTMLElement): HTMLElement {
  const id = `f${++serial}`;
  control.id = id;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', [note?.id, err.id].filter(Boolean).join(' '));
  return h('div', { class: 'field', 'data-field': control.name }, h('label', { for: id }, text), control, note ?? '', err);
}

function setError(form: HTMLFormElement, name: string, message: string | null) {
  const control = form.elements.namedItem(name) as HTMLInputElement | null;
  if (!control) return;
  const err = document.getElementById(`${control.id}-error`)!;
  err.textContent = message ?? '';
  err.hidden = !message;
  control.classList.toggle('invalid', !!message);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/** A rate field's own check: required, 1.00–24.00, two decimals (the server says the same). */
function rateProblem(raw: string): string | null {
  if (raw.trim() === '') return lt('decision.rateRequired');
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 1 || v > 24 || Math.abs(v * 100 - Math.round(v * 100)) > 1e-7) return lt('decision.rateRange');
  return null;
}

/** The rate input with the LPR spread shown live and a soft warning outside the product's published range. */
function rateField(l: LeadDetail, value?: number): HTMLElement {
  const input = h('input', { name: 'ratePct', type: 'number', inputmode: 'decimal', step: '0.01', min: '1', max: '24', required: true, value: value === undefined ? undefined : value.toFixed(2) });
  const note = h('p', { class: 'field-note', id: `spread${++serial}`, 'aria-live': 'polite', 'data-rate-note': true });
  const update = () => {
    const v = Number(input.value);
    if (input.value.trim() === '' || rateProblem(input.value)) { note.textContent = ''; return; }
    const today = shanghaiDate(new Date());
    const bp = spreadBp(v.toFixed(2), today);
    const spread = lt('decision.spread', { lpr: lprOn(today).ratePct.toFixed(2), sign: bp < 0 ? '−' : '+', bp: String(Math.abs(bp)) });
    const outside = v < l.product.rate.min || v > l.product.rate.max;
    note.textContent = outside ? `${spread}。${lt('decision.outside', { min: l.product.rate.min.toFixed(2), max: l.product.rate.max.toFixed(2) })}` : spread;
    note.classList.toggle('bad', outside);
  };
  input.addEventListener('input', update);
  update();
  return field(t('bank.rate'), input, note);
}

const guaranteeSelect = (selected?: string) => h('select', { name: 'guaranteeType' }, ...['credit', 'guarantee', 'mortgage', 'pledge'].map((g) => h('option', { value: g, selected: g === selected }, label('guarantee', g))));

/** One action's form: its fields, a check before sending, and the API call. */
function actionForm(l: LeadDetail, ctx: LeadContext, verb: string, primary: boolean): HTMLFormElement {
  const post = (path: string, body: object = {}) => api('POST', `/api/leads/${l.id}/${path}`, body);
  const num = (d: FormData, k: string) => Number(d.get(k));
  const wan = (d: FormData, k: string) => Math.round(num(d, k) * WAN);
  const spec: { fields: HTMLElement[]; check?: (f: HTMLFormElement, d: FormData) => boolean; send: (d: FormData) => Promise<unknown>; label: string } = (() => {
    switch (verb) {
      case 'claim': return { fields: [], send: () => post('claim'), label: t('bank.action.claim') };
      case 'contact': return { fields: [field(t('bank.note'), h('input', { name: 'note', maxlength: '1000' }))], send: (d) => post('contact', { note: String(d.get('note') ?? '') }), label: t('bank.action.contact') };
      case 'approve': return {
        label: t('bank.action.approve'),
        fields: [
          field(t('bank.amount'), h('input', { name: 'amount', type: 'number', inputmode: 'decimal', step: '0.01', min: '0.1', required: true, value: String(l.need.amount / WAN) })),
          rateField(l),
          field(t('bank.term'), h('input', { name: 'termMonths', type: 'number', inputmode: 'numeric', step: '1', min: '1', required: true, value: String(l.need.termMonths) })),
          field(t('bank.guarantee'), guaranteeSelect()),
        ],
        check: (f, d) => { const p = rateProblem(String(d.get('ratePct') ?? '')); setError(f, 'ratePct', p); return !p; },
        send: (d) => post('decision', { outcome: 'approved', amount: wan(d, 'amount'), ratePct: num(d, 'ratePct'), termMonths: num(d, 'termMonths'), guaranteeType: String(d.get('guaranteeType')) }),
      };
      case 'decline': return {
        label: t('bank.action.decline'),
        fields: [
          field(t('bank.reason'), h('select', { name: 'reasonCode', required: true }, h('option', { value: '' }, lt('decline.pick')), ...declineReasons.map((r) => h('option', { value: r }, t(`decline.${r}` as StringKey))))),
          field(t('bank.note'), h('input', { name: 'note', maxlength: '1000' })),
        ],
        check: (f, d) => {
          const reason = String(d.get('reasonCode') ?? '');
          setError(f, 'reasonCode', reason ? null : lt('decline.pick'));
          const noteMissing = reason === 'other' && String(d.get('note') ?? '').trim().length < 2;
          setError(f, 'note', noteMissing ? lt('decline.noteRequired') : null);
          return !!reason && !noteMissing && window.confirm(lt('decline.confirm'));
        },
        send: (d) => post('decision', { outcome: 'declined', reasonCode: String(d.get('reasonCode')), note: String(d.get('note') ?? '') }),
      };
      case 'disburse': {
        const today = shanghaiDate(new Date());
        return {
          label: t('bank.action.disburse'),
          fields: [
            field(t('bank.amount'), h('input', { name: 'amount', type: 'number', inputmode: 'decimal', step: '0.01', required: true, max: String((l.terms?.amount ?? 0) / WAN), value: String((l.terms?.amount ?? 0) / WAN) })),
            field(t('bank.disbursedOn'), h('input', { name: 'disbursedOn', type: 'date', required: true, min: shanghaiDate(new Date(l.createdAt)), max: today, value: today })),
          ],
          send: (d) => post('disburse', { amount: wan(d, 'amount'), disbursedOn: String(d.get('disbursedOn')) }),
        };
      }
      case 'amend': return {
        label: lt('action.amend'),
        fields: [
          field(t('bank.amount'), h('input', { name: 'amount', type: 'number', inputmode: 'decimal', step: '0.01', required: true, value: String((l.terms?.amount ?? 0) / WAN) })),
          rateField(l, l.terms?.ratePct),
          field(t('bank.term'), h('input', { name: 'termMonths', type: 'number', inputmode: 'numeric', step: '1', min: '1', required: true, value: String(l.terms?.termMonths ?? '') })),
          field(t('bank.guarantee'), guaranteeSelect(l.terms?.guaranteeType)),
          field(lt('amend.reason'), h('input', { name: 'reason', maxlength: '1000', required: true })),
        ],
        check: (f, d) => {
          const p = rateProblem(String(d.get('ratePct') ?? ''));
          setError(f, 'ratePct', p);
          const noReason = String(d.get('reason') ?? '').trim().length < 2;
          setError(f, 'reason', noReason ? lt('amend.reasonRequired') : null);
          return !p && !noReason;
        },
        send: (d) => {
          const before = l.terms!;
          const next = { amount: wan(d, 'amount'), ratePct: num(d, 'ratePct'), termMonths: num(d, 'termMonths'), guaranteeType: String(d.get('guaranteeType')) };
          const changed = Object.fromEntries(Object.entries(next).filter(([k, v]) => before[k as keyof Terms] !== v));
          return post('amend', { ...changed, reason: String(d.get('reason')) });
        },
      };
      case 'assign': return {
        label: t('bank.action.assign'),
        fields: [field(t('bank.officers'), h('select', { name: 'officerId' }, ...ctx.officers.filter((o) => o.active).map((o) => h('option', { value: String(o.id), selected: o.id === l.officerId }, `${o.name ?? o.username}${o.branchId ? ` · ${ctx.branchName(o.branchId)}` : ''}`))))],
        send: (d) => post('assign', { officerId: num(d, 'officerId') }),
      };
      default: return { fields: [], send: () => Promise.resolve(), label: verb };
    }
  })();
  const f = h('form', { 'data-form': verb, novalidate: true }, ...spec.fields, h('button', { type: 'submit', class: primary ? 'primary' : 'secondary' }, spec.label));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(f);
    if (spec.check && !spec.check(f, d)) {
      (f.querySelector('[aria-invalid=true]') as HTMLElement | null)?.focus();
      return;
    }
    try {
      await spec.send(d);
      await ctx.done();
    } catch (err) {
      const fields = err instanceof ApiError ? (err.problem.errors as { path: string; message: string }[] | undefined) : undefined;
      if (fields?.length) for (const x of fields) setError(f, x.path, x.message);
      ctx.fail(err);
    }
  });
  return f;
}

/** 征信核实: two answers in one labelled group, offered until the bank has answered. */
function firstLoanForm(l: LeadDetail, ctx: LeadContext): HTMLElement {
  const answer = (isFirstLoan: boolean) => {
    const b = h('button', { type: 'button', class: 'secondary', 'data-first-loan': String(isFirstLoan) }, t(isFirstLoan ? 'bank.action.firstLoanYes' : 'bank.action.firstLoanNo'));
    b.addEventListener('click', () => void api('POST', `/api/leads/${l.id}/first-loan`, { isFirstLoan }).then(ctx.done, ctx.fail));
    return b;
  };
  return h('fieldset', { class: 'first-loan', 'data-form': 'confirm_first_loan' }, h('legend', {}, lt('firstLoan.title')), h('div', { class: 'actions-row' }, answer(true), answer(false)));
}

/** The buttons drawn from the lead's `actions`: the step's action first and primary, the rest secondary. */
function actionsBox(l: LeadDetail, ctx: LeadContext): HTMLElement {
  const verbs = l.actions.filter((v) => v !== 'confirm_first_loan');
  const primary = verbs.find((v) => STEP_VERBS.includes(v));
  const rest = verbs.filter((v) => v !== primary);
  const box = h('div', { class: 'action-box', id: 'actions' });
  if (primary) box.append(actionForm(l, ctx, primary, true));
  for (const v of rest) {
    box.append(h('details', { class: 'more-action', 'data-action': v }, h('summary', {}, v === 'amend' ? lt('action.amend') : t(`bank.action.${v}` as StringKey)), actionForm(l, ctx, v, false)));
  }
  if (l.actions.includes('confirm_first_loan')) box.append(firstLoanForm(l, ctx));
  return box;
}

/** "受理剩余 3 小时（工作时间）…", or how late the step is. */
function clockText(c: NonNullable<LeadSummary['clock']>): string {
  const stage = lt(`stage.${c.stage}` as BankKey);
  const hours = (n: number | null) => (n === null ? '—' : String(Math.round(Math.abs(n) * 10) / 10));
  const late = c.calendarHoursLeft < 0;
  return lt(late ? 'clock.late' : 'clock.left', { stage, h: hours(c.workingHoursLeft), c: hours(c.calendarHoursLeft), due: when(c.dueAt) });
}
export const shortClock = (c: LeadSummary['clock']) => (c ? clockText(c) : '');

function profile(l: LeadDetail): HTMLElement {
  const c = l.company;
  const none = lt('profile.none');
  const years = c.establishedOn ? Math.floor((Date.now() - Date.parse(c.establishedOn)) / (365.25 * 86_400_000)) : null;
  const loan = `${c.hasBankLoan ? lt('profile.hadLoan') : lt('profile.firstLoan')}${l.firstLoanConfirmed === null ? '' : lt('profile.checked', { v: lt(l.firstLoanConfirmed ? 'profile.checkedYes' : 'profile.checkedNo') })}`;
  const rows: [string, string][] = [
    [lt('profile.uscc'), c.uscc ?? '—'],
    [lt('profile.district'), label('district', c.district)],
    [lt('profile.industry'), c.industry],
    [lt('profile.established'), c.establishedOn ? `${c.establishedOn}${years !== null ? lt('profile.years', { n: String(years) }) : ''}` : '—'],
    [lt('profile.employees'), c.employees === null ? '—' : String(c.employees)],
    [lt('profile.revenue'), c.annualRevenue === null ? '—' : moneyAmount(c.annualRevenue)],
    [lt('profile.assets'), c.totalAssets === null ? '—' : moneyAmount(c.totalAssets)],
    [lt('profile.size'), c.size ? label('size', c.size) : '—'],
    [lt('profile.tax'), `${label('taxRating', c.taxRating)}${c.taxRating === 'unknown' ? lt('profile.taxUnknown') : ''}`],
    [lt('profile.loan'), loan],
    [lt('profile.overdue'), c.overdueCount === null ? '—' : String(c.overdueCount)],
    [lt('profile.collateral'), c.collateral.filter((x) => x !== 'none').map((x) => label('collateral', x)).join('、') || none],
    [lt('profile.guarantee'), c.guaranteeAvailable === null ? '—' : c.guaranteeAvailable ? lt('f.yes') : lt('f.no')],
    [lt('profile.certs'), c.certifications === null ? lt('profile.notAsked') : c.certifications.map((x) => label('certification', x)).join('、') || none],
  ];
  return h('section', { 'aria-labelledby': 'profile-title' }, h('h3', { id: 'profile-title' }, lt('profile.title')),
    h('dl', { id: 'profile' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

function history(l: LeadDetail): HTMLElement {
  const terms = (x: Terms) => `${moneyAmount(x.amount)} · ${pct(x.ratePct)} · ${t('apply.months', { n: String(x.termMonths) })}`;
  return h('ul', { class: 'timeline', id: 'history' }, ...l.events.map((e) => h('li', { 'data-event': e.action },
    `${when(e.at)} · ${eventText(e.action)}${e.toStatus && e.toStatus !== e.fromStatus ? ` → ${statusText(e.toStatus)}` : ''}`,
    e.before && e.after ? ` · ${terms(e.before)} → ${terms(e.after)}` : '', e.note ? ` · ${e.note}` : '')));
}

/** The lead in full, for the detail pane. */
export function renderLead(l: LeadDetail, ctx: LeadContext): (Node | string)[] {
  const dl = (pairs: [string, string][]) => h('dl', {}, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  return [
    h('h2', {}, l.company.name),
    h('p', {}, h('span', { class: 'status-chip', 'data-status': l.status }, statusText(l.status)),
      l.isFirstLoan ? h('span', { class: 'flag', 'data-flag': 'first-loan' }, t('bank.firstLoan')) : '', l.open ? h('span', { class: 'flag' }, t('bank.open')) : ''),
    l.clock ? h('p', { id: 'sla-clock', class: l.overdue ? 'clock overdue' : 'clock' }, clockText(l.clock)) : '',
    dl([
      [t('bank.product'), l.productName],
      [t('bank.need'), `${moneyAmount(l.need.amount)} · ${t('apply.months', { n: String(l.need.termMonths) })}${l.need.purpose ? ` · ${l.need.purpose}` : ''}`],
      [t('bank.contact'), `${l.contact.name} ${l.contact.phone}${l.contact.masked ? ` ${t('bank.masked')}` : ''}`],
      ...(l.consent ? [[lt('profile.consent'), lt('profile.consentText', { at: when(l.consent.grantedAt), v: l.consent.version })] as [string, string]] : []),
    ]),
    l.terms ? h('section', { id: 'terms', 'aria-labelledby': 'terms-title' }, h('h3', { id: 'terms-title' }, lt('terms.title')),
      h('p', {}, t('track.terms', { amount: moneyAmount(l.terms.amount), rate: l.terms.ratePct.toFixed(2), months: String(l.terms.termMonths) })),
      l.amendableUntil && l.actions.includes('amend') ? h('p', { class: 'muted' }, lt('terms.amendUntil', { at: when(l.amendableUntil) })) : '') : '',
    actionsBox(l, ctx),
    profile(l),
    h('section', { 'aria-labelledby': 'match-title' }, h('h3', { id: 'match-title' }, lt('match.title')),
      h('p', { class: 'muted' }, `${lt('match.score', { n: String(l.match.score) })}${l.match.recomputed ? lt('match.recomputed') : ''}`),
      h('ul', { class: 'reasons', id: 'reasons' }, ...l.match.reasons.map((r) => h('li', { class: r.status }, msg(r.message))))),
    h('h3', {}, t('bank.history')),
    history(l),
  ];
}
