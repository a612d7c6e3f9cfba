import type { BankRow, BranchRow } from '../../models/banks';

export function presentBank(b: BankRow, productCount?: number) {
  return {
    id: b.id, code: b.code, name: b.name, shortName: b.shortName, kind: b.kind, active: b.active,
    ...(productCount === undefined ? {} : { productCount: Number(productCount) }),
  };
}

export function presentBranch(b: BranchRow) {
  return { id: b.id, bankId: b.bankId, name: b.name, district: b.district, address: b.address, phone: b.phone, active: b.active };
}
