import { $, h } from '../dom';
import { currentLang, mountI18n, t } from '../i18n';
import '../strings/docs';

/** The browsable API reference: drawn from /api/openapi.json itself, so it can never disagree with it. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let doc: Json | null = null;

// Focusable, so a keyboard user can scroll a wide example (axe: scrollable-region-focusable).
const pretty = (value: unknown) => h('pre', { class: 'code', tabindex: '0' }, JSON.stringify(value, null, 2));
const summaryOf = (op: Json) => (currentLang() === 'en' ? op.summary : op['x-zh'] ?? op.summary) as string;

function schemaText(schema: Json | undefined): string {
  if (!schema) return '';
  const type = [schema.type].flat().filter(Boolean).join(' | ') || (schema.$ref ? String(schema.$ref).split('/').pop() : 'any');
  const rules = [
    schema.enum ? `∈ {${schema.enum.join(', ')}}` : '', schema.pattern ? `/${schema.pattern}/` : '',
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : '', schema.maximum !== undefined ? `≤ ${schema.maximum}` : '',
    schema.maxLength !== undefined ? `${t('docs.maxLength')} ${schema.maxLength}` : '', schema.default !== undefined ? `${t('docs.default')} ${JSON.stringify(schema.default)}` : '',
  ];
  return [type, ...rules].filter(Boolean).join(' ');
}

function parameters(op: Json) {
  const list = (op.parameters ?? []) as Json[];
  if (list.length === 0) return null;
  return h('table', { class: 'docs-table' },
    h('thead', {}, h('tr', {}, h('th', {}, t('docs.param')), h('th', {}, t('docs.in')), h('th', {}, t('docs.rule')))),
    h('tbody', {}, ...list.map((p) => h('tr', {},
      h('td', {}, h('code', {}, p.name), p.required ? ' *' : ''),
      h('td', {}, p.in),
      h('td', {}, schemaText(p.schema), p.description ? h('div', { class: 'muted' }, p.description) : null)))));
}

function operation(method: string, path: string, op: Json) {
  const body = op.requestBody?.content?.['application/json'];
  const codes = Object.keys(op.responses ?? {});
  return h('details', { class: 'card op', id: op.operationId },
    h('summary', {}, h('span', { class: `method ${method}` }, method.toUpperCase()), ' ', h('code', {}, path), ' ', h('span', {}, summaryOf(op))),
    h('p', { class: 'muted' }, op.description),
    parameters(op),
    body ? h('div', {}, h('h4', {}, t('docs.body')), pretty(body.example ?? body.schema)) : null,
    h('p', {}, h('strong', {}, `${t('docs.responses')}: `), codes.join(' · ')));
}

function render() {
  if (!doc) return;
  const byTag = new Map<string, HTMLElement[]>();
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const tag = (op.tags?.[0] ?? 'api') as string;
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(method, path, op)]);
    }
  }
  $('#docs-toc').replaceChildren(...[...byTag.keys(), 'webhooks', 'errors'].map((tag) => h('a', { class: 'tag', href: `#tag-${tag}` }, tag)));
  const hook = doc.webhooks?.leadChange?.post as Json | undefined;
  $('#docs-body').replaceChildren(
    ...[...byTag].map(([tag, ops]) => h('section', { id: `tag-${tag}` }, h('h2', {}, tag), ...ops)),
    h('section', { id: 'tag-webhooks' }, h('h2', {}, t('docs.webhook')),
      hook ? h('div', { class: 'card' }, h('p', {}, currentLang() === 'en' ? hook.summary : hook['x-zh']), h('p', { class: 'muted' }, hook.description),
        parameters(hook), pretty(hook.requestBody.content['application/json'].example)) : null),
    h('section', { id: 'tag-errors' }, h('h2', {}, t('docs.errors')),
      h('div', { class: 'card' }, h('p', { class: 'muted' }, doc.components.schemas.Problem.description), pretty(doc.components.schemas.Problem.examples[0]))));
}

mountI18n();
document.addEventListener('langchange', render);
fetch('/api/openapi.json')
  .then((res) => res.json() as Promise<Json>)
  .then((json) => {
    doc = json;
    render();
  })
  .catch(() => $('#docs-body').replaceChildren(h('p', { class: 'alert error' }, t('docs.failed'))));
