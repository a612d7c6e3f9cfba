import type { CreateProductInput } from '../../routes/products/schema';

/** A valid product body; override any field. */
export function productBody(overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  return {
    code: `P${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
    name: '测试经营贷',
    type: 'credit',
    amount: { min: 100_000, max: 2_000_000 },
    termMonths: { min: 6, max: 36 },
    rate: { min: 3.45, max: 5.2 },
    repaymentMethods: ['interest_first'],
    guaranteeTypes: ['credit'],
    approvalDays: 3,
    firstLoanFriendly: false,
    criteria: { minYearsInOperation: 2, taxRatings: ['A', 'B'] },
    description: '用于测试的产品',
    materials: ['营业执照'],
    ...overrides,
  };
}
