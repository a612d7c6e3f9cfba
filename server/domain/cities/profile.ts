/** A name in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * The city the service runs for (SPEC "Second wave → The city is data"): its GB/T 2260 code and name, its
 * county-level districts (the only ones a request may name), and its financing desk (专窗), whose name signs
 * applicants' messages and whose phone posters and pages give.
 */
export interface CityProfile {
  code: string;
  name: Bilingual;
  districts: Record<string, Bilingual>;
  desk: { name: string; phone: string; address: string };
}
