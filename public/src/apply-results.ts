/**
 * The application's step 2: match results as cards, eligible first (each with its fit score; an
 * ineligible one says how many conditions it misses and the hints), sortable by fit, rate, amount or
 * approval speed, with the sticky 「已选 N/3 · 下一步」 bar.
 */
import { $, h } from './dom';
import { currentLang, t } from './i18n';
import { label, moneyRange, monthsRange, rateRange, spreadRange } from './labels';
import { shanghaiDate, spreadBp } from '../../server/domain/lpr';
import './strings/apply';

/** A message as /api/match answers it: asked with `lang`, only that language is there. */
export interface Msg {
  zh?: string;
  en?: string;
}
export interface Result {
  product: {
    id: number; bankId: number; bankName: string; name: string; type: string; approvalDays: number;
    amount: { min: number; max: number }; termMonths: { min: number; max: number }; rate: { min: number; max: number };
  };
  eligible: boolean;
  score: number;
  reasons: { criterion: string; status: 'pass' | 'fail' | 'unknown'; message: Msg; hint?: Msg }[];
  hints: Msg[];
}
export interface MatchAnswer {
  results: Result[];
  total: number;
  eligibleCount: number;
}

export type SortKey = 'fit' | 'rate' | 'amount' | 'speed';
export const MAX_CHOSEN = 3;

const text = (m: Msg) => (currentLang() === 'en' ? m.en ?? m.zh : m.zh ?? m.en) ?? '';

/** The eligible products in the order asked for; the matcher's order (fit) breaks ties. */
function sorted(results: Result[], key: SortKey): Result[] {
  if (key === 'fit') return results;
  const by: Record<Exclude<SortKey, 'fit'>, (r: Result) => number> = {
    rate: (r) => r.product.rate.min,
    amount: (r) => -r.product.amount.max,
    speed: (r) => r.product.approvalDays,
  };
  return results.map((r, i) => ({ r, i })).sort((a, b) => by[key](a.r) - by[key](b.r) || a.i - b.i).map((x) => x.r);
}

const today = () => shanghaiDate(new Date());

function resultCard(r: Result, chosen: Set<number>): HTMLElement {
  const p = r.product;
  const box = h('input', { type: 'checkbox', 'data-choose': String(p.id), checked: chosen.has(p.id) });
  box.addEventListener('change', () => {
    if (box.checked && chosen.size >= MAX_CHOSEN) {
      box.checked = false;
      updateChosen(chosen, t('apply.max3'));
      return;
    }
    if (box.checked) chosen.add(p.id);
    else chosen.delete(p.id);
    updateChosen(chosen);
  });
  const unmet = r.reasons.filter((x) => x.status !== 'pass').length;
  const spread = spreadRange({ min: spreadBp(p.rate.min, today()), max: spreadBp(p.rate.max, today()) });
  return h('article', { class: `card result ${r.eligible ? 'eligible' : 'ineligible'}`, 'data-product-id': String(p.id) },
    h('header', { class: 'product-head' }, h('h3', {}, p.name), h('span', { class: 'bank' }, p.bankName)),
    h('div', { class: 'tags' },
      h('span', { class: `badge ${r.eligible ? 'ok' : 'no'}` }, r.eligible ? t('apply.eligible') : t('apply.notEligible')),
      h('span', { class: 'tag' }, label('type', p.type)),
      // An ineligible product shows what it lacks, never a fit score to compare with the eligible ones.
      h('span', { class: 'tag' }, r.eligible ? t('apply.score', { n: String(r.score) }) : t('apply.unmet', { n: String(unmet) }))),
    h('p', { class: 'muted' }, `${moneyRange(p.amount)} · ${monthsRange(p.termMonths)} · ${t('apply.rateSpread', { rate: rateRange(p.rate), spread })}`),
    h('ul', { class: 'reasons' }, ...r.reasons.filter((x) => x.status !== 'pass').map((x) => h('li', { class: x.status, title: t(`reason.${x.status}`) }, text(x.message)))),
    h('details', { class: 'passed' }, h('summary', {}, t('apply.passed', { n: String(r.reasons.filter((x) => x.status === 'pass').length), all: String(r.reasons.length) })),
      h('ul', { class: 'reasons' }, ...r.reasons.filter((x) => x.status === 'pass').map((x) => h('li', { class: 'pass' }, text(x.message))))),
    ...r.hints.map((hint) => h('p', { class: 'hint' }, `${t('apply.hint')}${t('apply.colon')}${text(hint)}`)),
    r.eligible ? h('label', { class: 'choose' }, box, t('apply.choose')) : null);
}

/** The sticky bar's 「已选 N/3」, and a note (the limit reached) that the next change clears. */
export function updateChosen(chosen: Set<number>, note?: string): void {
  $('#chosen-count').textContent = t('apply.chosen', { n: String(chosen.size), max: String(MAX_CHOSEN) });
  const box = $('#choose-note');
  box.textContent = note ?? '';
  box.hidden = !note;
}

export function eligibleBanks(m: MatchAnswer | undefined): { bankId: number; bankName: string }[] {
  const seen = new Map<number, string>();
  for (const r of m?.results ?? []) if (r.eligible && !seen.has(r.product.bankId)) seen.set(r.product.bankId, r.product.bankName);
  return [...seen].map(([bankId, bankName]) => ({ bankId, bankName }));
}

export function renderResults(m: MatchAnswer, chosen: Set<number>, sort: SortKey, shown: boolean): void {
  $('#results-summary').textContent = m.eligibleCount ? t('apply.results.summary', { n: String(m.eligibleCount), total: String(m.total) }) : t('apply.results.none');
  const eligible = sorted(m.results.filter((r) => r.eligible), sort);
  const others = m.results.filter((r) => !r.eligible);
  $('#sort-row').hidden = eligible.length < 2;
  $('#results').replaceChildren(...eligible.map((r) => resultCard(r, chosen)),
    others.length ? h('details', { class: 'near-misses', open: eligible.length === 0 },
      h('summary', {}, t('apply.others', { n: String(others.length) })), ...others.map((r) => resultCard(r, chosen))) : '');
  const banks = eligibleBanks(m);
  $('#open-banks').textContent = t('apply.mode.openBanks', { list: banks.map((b) => b.bankName).join(currentLang() === 'en' ? ', ' : '、') });
  updateChosen(chosen);
  if (shown) $('#error').hidden = true;
}
