import { expect } from 'chai';
import type { Reply } from './app';

/** Asserts an RFC 9457 problem+json answer with the given status (and code, when named). */
export function expectProblem(res: Reply, status: number, code?: string): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  expect(res.body).to.include.keys('type', 'title', 'status', 'detail', 'code');
  expect(res.body.status).to.equal(status);
  expect(res.body.type).to.be.a('string').and.match(/^\/problems\//);
  if (code) expect(res.body.code).to.equal(code);
  expect(res.text).not.to.match(/\bat .+\.(ts|js):\d+|stack|select |insert |update .* set/i);
}

/** Asserts a validation problem naming exactly these field paths (in any order). */
export function expectFieldErrors(res: Reply, paths: string[]): void {
  expectProblem(res, 400, 'validation_error');
  expect((res.body.errors as { path: string }[]).map((e) => e.path)).to.have.members(paths);
}
