import type { CriterionName, Predicate } from './predicates';

/**
 * Shares predicates between products: the same criterion with the same parameters (24 tax products
 * asking for rating A/B, say) compiles once, so a request evaluates each distinct rule once.
 */
export class Interner {
  readonly all: Predicate[] = [];
  private readonly byKey = new Map<string, Predicate>();

  intern(criterion: CriterionName, params: unknown, make: () => Omit<Predicate, 'id'>): Predicate {
    const key = `${criterion}:${JSON.stringify(params)}`;
    let p = this.byKey.get(key);
    if (!p) {
      p = { ...make(), id: this.all.length };
      this.all.push(p);
      this.byKey.set(key, p);
    }
    return p;
  }
}
