import { BatchMatcher } from '../matchers/batch';
import { toFacts } from '../matchers/facts';
import { Matcher } from '../matchers/matcher';
import { randomProfile, rng, seededMatchProducts } from './helpers/profiles';
const m = new Matcher(seededMatchProducts()); const next = rng(1);
const facts = Array.from({ length: 100000 }, () => { const { company, need } = randomProfile(next); return toFacts(company, need, '2026-11-20'); });
const b = new BatchMatcher(m.compiled); const cols = b.encode(facts);
const el = new Uint8Array(facts.length * 132), sc = new Uint8Array(facts.length * 132);
b.run(cols, el, sc);
for (let r = 0; r < 4; r++) { const t = performance.now(); b.run(cols, el, sc); console.log(((facts.length * 132) / ((performance.now() - t) / 1000) / 1e6).toFixed(1), 'M/s'); }
