import { expect } from 'chai';
import Core from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import Rulesets from '@stoplight/spectral-rulesets';
import { startTestApp, type TestApp } from '../helpers/app';

const { Spectral, Document } = Core;

/** Spectral's `spectral:oas` ruleset (the recommended OpenAPI rules), as integrators' CI runs it. */
async function lint(doc: unknown) {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[Rulesets.oas, 'recommended']] } as Parameters<typeof spectral.setRuleset>[0]);
  const results = await spectral.run(new Document(JSON.stringify(doc), Parsers.Json));
  const line = (r: (typeof results)[number]) => `${r.code} at ${r.path.join('.')}: ${r.message}`;
  return { errors: results.filter((r) => r.severity === 0).map(line), warnings: results.filter((r) => r.severity === 1).map(line) };
}

describe('OpenAPI document › linted by Spectral (spectral:oas)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };

  before(async () => {
    app = await startTestApp();
    doc = (await app.call('GET', '/api/openapi.json')).body;
  });
  after(() => app?.close());

  it('GET /api/openapi.json › linted with the oas ruleset › reports no error and no warning', async () => {
    const { errors, warnings } = await lint(doc);
    expect(errors, errors.join('\n')).to.deep.equal([]);
    expect(warnings, warnings.join('\n')).to.deep.equal([]);
  });

  it('GET /api/openapi.json › a copy with an array schema without items and an undefined tag › is reported (the lint is live)', async () => {
    const broken = structuredClone(doc);
    const match = broken.paths['/api/match']!.post! as Record<string, unknown>;
    match.tags = ['no-such-tag'];
    const body = (match.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown> } }> }).content['application/json']!.schema;
    body.properties.extra = { type: 'array' };
    const { errors, warnings } = await lint(broken);
    expect(errors.some((e) => e.startsWith('array-items'))).to.equal(true);
    expect(warnings.some((w) => w.startsWith('operation-tag-defined'))).to.equal(true);
  });
});
