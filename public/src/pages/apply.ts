import type { consentText } from '../../../server/domain/consent';
import { MOBILE_PHONE } from '../../../server/domain/phone';
import { api, ApiError } from '../api';
import { $, h } from '../dom';
import { currentLang, mountI18n, t } from '../i18n';
import { codesOf } from '../labels';
import { checkUscc, fillProfileChoices, readProfile } from '../apply-profile';
import { eligibleBanks, renderResults as drawResults, type MatchAnswer, type SortKey } from '../apply-results';
import { clearDraft, clearErrorsOnEdit, discardDraft, fieldErrorsOf, messageFor, readPhone, restoreDraft, saveDraft, showFieldErrors, type FieldError } from '../apply-fields';
import { copyWithButton } from '../copy';
import { mountLookup } from '../lookup';
import { phoneCodeStep } from '../phone-code';
import { mountWatchOptIn } from '../watch-optin';
import '../strings/apply';

/** GET /api/applications/consent; `phoneVerification: 'off'` at a staffed kiosk, where no SMS code is asked for. */
interface Consent { version: string; phoneVerification?: 'required' | 'off'; text: typeof consentText }
interface Submitted { reference: string; trackingUrl: string; trackingToken: string }

const state = {
  step: 1,
  channelCode: new URLSearchParams(location.search).get('c')?.toUpperCase() ?? undefined,
  company: {} as Record<string, unknown>,
  need: {} as { amount: number; termMonths: number; purpose: string },
  match: undefined as MatchAnswer | undefined,
  chosen: new Set<number>(),
  /** A product chosen in the catalogue (「申请」 on its card): ticked once the match finds it eligible. */
  preselect: Number(new URLSearchParams(location.search).get('p')) || undefined,
  /** The bank of the branch whose code was scanned: its best eligible product is ticked on the first match. */
  channelBankId: undefined as number | undefined,
  sort: 'fit' as SortKey,
  consent: undefined as Consent | undefined,
  /** One key per attempt to send: a double tap or a retry after a network error cannot send twice. */
  idempotencyKey: '',
  submitted: undefined as Submitted | undefined,
};

const formOf = (id: string) => $(id) as HTMLFormElement;
const value = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '').trim();
/** The SMS code for the contact's phone, asked at the consent step (SPEC "Phone verification"). */
const applyCode = phoneCodeStep('apply', () => value(formOf('#consent-form'), 'phone'), 'apply');

function showStep(n: number) {
  state.step = n;
  document.querySelectorAll<HTMLElement>('[data-step]').forEach((s) => (s.hidden = s.dataset.step !== String(n)));
  $('#progress').textContent = t('apply.steps', { n: String(n) });
  $('#error').hidden = true;
  window.scrollTo(0, 0);
}

function showError(message: string, scroll = true) {
  const box = $('#error');
  box.textContent = message;
  box.hidden = false;
  if (scroll) box.scrollIntoView({ block: 'center' });
}

/** Field errors at their fields, with the banner naming how many; the first bad field gets the focus. */
function showErrors(errors: FieldError[]) {
  showError(t('apply.error.count', { n: String(errors.length) }), false);
  showFieldErrors(errors);
}

function mode(): 'chosen' | 'open' {
  return (document.querySelector<HTMLInputElement>('input[name=mode]:checked')?.value as 'chosen' | 'open') ?? 'chosen';
}

function recipients(): { bankId: number; bankName: string }[] {
  if (mode() === 'open') return eligibleBanks(state.match);
  const out = new Map<number, string>();
  for (const r of state.match!.results) if (state.chosen.has(r.product.id)) out.set(r.product.bankId, r.product.bankName);
  return [...out].map(([bankId, bankName]) => ({ bankId, bankName }));
}

function renderConsent() {
  const c = state.consent!;
  const words = c.text[currentLang() === 'en' ? 'en' : 'zh'];
  $('#consent-text').replaceChildren(h('div', { class: 'consent-text' },
    h('p', {}, words.purpose), h('p', {}, words.shared), h('p', {}, words.retention), h('p', {}, words.withdraw)));
  const ticked = new Set([...document.querySelectorAll<HTMLInputElement>('[data-consent-bank]:checked')].map((i) => i.value));
  $('#consent-banks').replaceChildren(...recipients().map((b) => h('label', { class: 'consent-bank' },
    h('input', { type: 'checkbox', 'data-consent-bank': String(b.bankId), value: String(b.bankId), checked: ticked.has(String(b.bankId)) }), b.bankName)));
  const standby = standbyBanks();
  const backups = new Set([...document.querySelectorAll<HTMLInputElement>('[data-standby-bank]:checked')].map((i) => i.value));
  $('#standby').hidden = standby.length === 0;
  $('#standby-banks').replaceChildren(...standby.map((b) => h('label', { class: 'consent-bank' },
    h('input', { type: 'checkbox', 'data-standby-bank': String(b.bankId), value: String(b.bankId), checked: backups.has(String(b.bankId)) }), b.bankName)));
}

/** Chosen mode: other eligible banks the applicant may consent to in advance, should a chosen bank not accept in time. */
function standbyBanks(): { bankId: number; bankName: string }[] {
  if (mode() === 'open') return [];
  const chosen = new Set(recipients().map((b) => b.bankId));
  return eligibleBanks(state.match).filter((b) => !chosen.has(b.bankId)).slice(0, 5);
}

async function toConsent() {
  if ((mode() === 'chosen' && state.chosen.size === 0) || recipients().length === 0) return showError(t('apply.chooseFirst'));
  try {
    state.consent ??= await api<Consent>('GET', '/api/applications/consent');
  } catch {
    return showError(t('apply.error.other'));
  }
  state.idempotencyKey = crypto.randomUUID();
  $('#apply-code-step').hidden = state.consent.phoneVerification === 'off';
  renderConsent();
  showStep(3);
}

function explain(err: unknown): string {
  if (!(err instanceof ApiError)) return t('apply.error.other');
  if (err.code === 'duplicate_application') return t('apply.error.duplicate');
  if (err.code === 'rate_limited') return t('apply.error.rate');
  return t('apply.error.other');
}

/**
 * Shows an API failure where it belongs: a field error at its field (on the step that holds it, which
 * is shown first), anything else in the banner.
 */
function showFailure(err: unknown) {
  const errors = err instanceof ApiError ? err.problem.errors as { path: string }[] | undefined : undefined;
  if (!errors?.length) return showError(explain(err));
  const { known } = fieldErrorsOf(errors);
  if (!known.length) return showError(explain(err));
  const step = Number(document.getElementById(known[0]!.id)?.closest<HTMLElement>('[data-step]')?.dataset.step ?? state.step);
  if (step !== state.step) showStep(step);
  showErrors(known);
}

async function submit(event: SubmitEvent) {
  event.preventDefault();
  const f = formOf('#consent-form');
  const banks = recipients();
  const ticked = [...f.querySelectorAll<HTMLInputElement>('[data-consent-bank]:checked')].map((i) => Number(i.value));
  if (banks.some((b) => !ticked.includes(b.bankId))) return showError(t('apply.consentAll'));
  const standby = mode() === 'open' ? [] : [...f.querySelectorAll<HTMLInputElement>('[data-standby-bank]:checked')].map((i) => Number(i.value));
  const phone = readPhone(value(f, 'phone'));
  const bad: FieldError[] = [];
  if (!value(f, 'contactName')) bad.push({ id: 'contact-name', message: messageFor('contact.name') });
  if (!MOBILE_PHONE.test(phone)) bad.push({ id: 'phone', message: messageFor('contact.phone') });
  if (bad.length) return showErrors(bad);
  const button = f.querySelector<HTMLButtonElement>('button[type=submit]')!;
  let phoneToken: string | undefined;
  if (state.consent!.phoneVerification !== 'off') {
    try {
      phoneToken = await applyCode.token();
    } catch {
      return showErrors([{ id: 'apply-code', message: t('phone.wrong') }]);
    }
  }
  button.disabled = true;
  button.textContent = t('apply.submitting');
  try {
    const res = await fetch('/api/applications', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': state.idempotencyKey, 'X-Requested-With': 'fetch' },
      body: JSON.stringify({
        ...(state.channelCode ? { channelCode: state.channelCode } : {}),
        company: state.company,
        contact: { name: value(f, 'contactName'), phone },
        need: state.need,
        mode: mode(),
        ...(mode() === 'chosen' ? { productIds: [...state.chosen] } : {}),
        consent: { version: state.consent!.version, banks: [...banks.map((b) => b.bankId), ...standby] },
        ...(phoneToken ? { phoneToken } : {}),
      }),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, String(data.code ?? 'other'), data);
    state.submitted = data as Submitted;
    ($('#reference') as HTMLElement).textContent = state.submitted.reference;
    ($('#tracking-url') as HTMLInputElement).value = state.submitted.trackingUrl;
    ($('#tracking-open') as HTMLAnchorElement).href = `/track/${state.submitted.trackingToken}`;
    clearDraft();
    showStep(4);
  } catch (err) {
    showFailure(err);
    if (err instanceof ApiError && err.code === 'duplicate_application' && typeof err.problem.trackingUrl === 'string') {
      $('#error').append(' ', h('a', { href: err.problem.trackingUrl }, t('apply.openTracking')));
    }
  } finally {
    button.disabled = false;
    button.textContent = t('apply.submit');
  }
}

/** The copy buttons beside the reference and the tracking link; without a clipboard the field is selected instead. */
function copy(button: HTMLButtonElement) {
  const target = $(`#${button.dataset.copy}`);
  const text = target instanceof HTMLInputElement ? target.value : target.textContent ?? '';
  return copyWithButton(button, text, () => target instanceof HTMLInputElement && target.select());
}

async function runMatch(): Promise<void> {
  state.match = await api<MatchAnswer>('POST', '/api/match', { company: state.company, need: state.need, lang: currentLang() === 'en' ? 'en' : 'zh' });
  state.chosen = new Set([...state.chosen].filter((id) => state.match!.results.some((r) => r.eligible && r.product.id === id)));
  if (state.preselect && state.match.results.some((r) => r.eligible && r.product.id === state.preselect)) state.chosen.add(state.preselect);
  const ofBranch = state.channelBankId === undefined ? undefined : state.match.results.find((r) => r.eligible && r.product.bankId === state.channelBankId);
  if (ofBranch && state.chosen.size === 0) state.chosen.add(ofBranch.product.id);
  state.preselect = undefined;
  state.channelBankId = undefined;
  renderResults();
}

function renderResults() {
  drawResults(state.match!, state.chosen, state.sort, state.step === 2);
}

/** The place of the scan says the district (and the bank): pre-fill it unless the applicant already chose. */
function prefillFromChannel(restored: boolean) {
  if (!state.channelCode) return;
  api<{ name: string; district: string | null; bankId: number | null }>('GET', `/api/channels/by-code/${encodeURIComponent(state.channelCode)}`).then((c) => {
    state.channelBankId = c.bankId ?? undefined;
    $('#channel').textContent = t('apply.channel', { name: c.name });
    $('#channel').hidden = false;
    if (c.district && !restored && codesOf('district').includes(c.district)) ($('#district') as HTMLSelectElement).value = c.district;
  }).catch(() => undefined);
}

/** `/apply?w=TOKEN` from a watch message: the kept profile and need, matched again, straight to the results. */
async function openWatch() {
  const token = new URLSearchParams(location.search).get('w');
  if (!token || !/^[\w-]{20,64}$/.test(token)) return;
  try {
    const w = await api<{ company: Record<string, unknown>; need: typeof state.need }>('GET', `/api/watches/${encodeURIComponent(token)}`);
    state.company = w.company;
    state.need = { ...w.need, purpose: w.need.purpose ?? '' };
    await runMatch();
    showStep(2);
  } catch {
    // A lapsed or mistyped link: the empty form is the way on.
  }
}

async function main() {
  mountI18n();
  fillProfileChoices();
  const forms = [formOf('#profile'), formOf('#consent-form')];
  const restored = restoreDraft(forms);
  ($('#industry-other-field') as HTMLElement).hidden = ($('#industry') as HTMLSelectElement).value !== 'other';
  showStep(1);
  prefillFromChannel(restored);
  $('#apply-code-step').replaceChildren(applyCode.element);
  mountLookup($('#lookup-box'));
  mountWatchOptIn($('#watch-optin'), () => ({ company: state.company, need: state.need }));
  void openWatch();
  for (const f of forms) {
    clearErrorsOnEdit(f);
    f.addEventListener('input', () => saveDraft(forms));
    f.addEventListener('change', () => saveDraft(forms));
  }
  $('#clear-draft').addEventListener('click', () => {
    discardDraft(forms);
    fillProfileChoices();
  });
  $('#uscc').addEventListener('input', checkUscc);
  $('#industry').addEventListener('change', () => ($('#industry-other-field').hidden = ($('#industry') as HTMLSelectElement).value !== 'other'));
  formOf('#profile').addEventListener('submit', async (e) => {
    e.preventDefault();
    const profile = readProfile();
    if (Array.isArray(profile)) return showErrors(profile);
    state.company = profile.company;
    state.need = profile.need;
    const button = formOf('#profile').querySelector<HTMLButtonElement>('button[type=submit]')!;
    button.disabled = true;
    button.textContent = t('apply.matching');
    try {
      await runMatch();
      showStep(2);
    } catch (err) {
      showFailure(err);
    } finally {
      button.disabled = false;
      button.textContent = t('apply.match');
    }
  });
  document.querySelectorAll<HTMLInputElement>('input[name=mode]').forEach((r) => r.addEventListener('change', () => ($('#open-banks').hidden = mode() !== 'open')));
  $('#to-consent').addEventListener('click', () => void toConsent());
  $('#sort').addEventListener('change', () => {
    state.sort = ($('#sort') as HTMLSelectElement).value as SortKey;
    renderResults();
  });
  formOf('#consent-form').addEventListener('submit', (e) => void submit(e));
  document.querySelectorAll<HTMLButtonElement>('[data-back]').forEach((b) => b.addEventListener('click', () => showStep(Number(b.dataset.back))));
  document.querySelectorAll<HTMLButtonElement>('[data-copy]').forEach((b) => b.addEventListener('click', () => void copy(b)));
  document.addEventListener('langchange', () => {
    fillProfileChoices();
    $('#progress').textContent = t('apply.steps', { n: String(state.step) });
    document.querySelectorAll<HTMLElement>('.field-error').forEach((e) => e.remove());
    if (state.match) {
      renderResults();
      // The answer carries one language: ask again in the new one.
      runMatch().catch(() => undefined);
    }
    if (state.consent && state.step === 3) renderConsent();
  });
}

void main();
