import type { Page } from 'playwright-core';
import { hardwareMaker } from './applications';
import { seedStoryCompany } from './seed-story';

/** What a person types into /apply's profile step, field by field; a field left out keeps what the page set. */
export interface ApplyForm {
  name?: string; uscc?: string; district?: string; industry?: string; established?: string; employees?: string;
  revenue?: string; assets?: string; tax?: string; collateral?: string[]; certifications?: string[];
  amount?: string; term?: string; purpose?: string;
}

const wan = (cny: number) => String(cny / 10_000);

/** The seed story (test/helpers/seed-story.ts) as its owner types it: 纳税信用等级 left at 不清楚, 400万 wanted. */
function seedStoryForm(): ApplyForm {
  const c = seedStoryCompany();
  return {
    name: c.name, uscc: c.uscc, district: c.district, industry: c.industry, established: c.establishedOn,
    employees: String(c.employees), revenue: wan(c.annualRevenue), collateral: c.collateral, certifications: ['none'], amount: '400',
  };
}

/** The older, smaller hardware maker of test/helpers/applications.ts (45 staff, rating B) asking 100万 for 12 months. */
export function hardwareMakerForm(): ApplyForm {
  const c = hardwareMaker();
  return {
    ...seedStoryForm(), established: c.establishedOn, employees: String(c.employees), revenue: wan(c.annualRevenue),
    assets: wan(c.totalAssets), tax: c.taxRating, amount: '100', term: '12', purpose: '采购原材料',
  };
}

/** Fills /apply's profile step with the seed story, changed where `form` says (typed text, mistakes included). */
export async function fillSeedStory(page: Page, form: ApplyForm = {}): Promise<void> {
  const f = { ...seedStoryForm(), ...form };
  const text: [keyof ApplyForm, string][] = [['name', '#name'], ['uscc', '#uscc']];
  for (const [key, selector] of text) if (f[key] !== undefined) await page.fill(selector, f[key] as string);
  if (f.district !== undefined) await page.selectOption('#district', f.district);
  if (f.industry !== undefined) await page.selectOption('#industry', f.industry);
  const more: [keyof ApplyForm, string][] = [['established', '#established'], ['employees', '#employees'], ['revenue', '#revenue'], ['assets', '#assets']];
  for (const [key, selector] of more) if (f[key] !== undefined) await page.fill(selector, f[key] as string);
  if (f.tax !== undefined) await page.selectOption('#tax', f.tax);
  for (const value of f.collateral ?? []) await page.check(`input[name=collateral][value=${value}]`);
  for (const value of f.certifications ?? []) await page.check(`input[name=certifications][value=${value}]`);
  if (f.amount !== undefined) await page.fill('#amount', f.amount);
  if (f.term !== undefined) await page.selectOption('#term', f.term);
  if (f.purpose !== undefined) await page.fill('#purpose', f.purpose);
}
