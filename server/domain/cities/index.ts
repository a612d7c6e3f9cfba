/**
 * The city profiles shipped with the service; `CITY` (server/config.ts) picks one. Nothing else in the code
 * names a city: districts, labels, posters and messages read the active profile from config.
 */
import type { Bilingual, CityProfile } from './profile';
import { xiangtan } from './xiangtan';
import { zhaoqing } from './zhaoqing';

export type { Bilingual, CityProfile } from './profile';

export const cityProfiles = { zhaoqing, xiangtan } satisfies Record<string, CityProfile>;
export type CityName = keyof typeof cityProfiles;
export const cityNames = Object.keys(cityProfiles) as CityName[];
export const DEFAULT_CITY: CityName = 'zhaoqing';

/** The profile `CITY` names. */
export function cityProfile(name: CityName): CityProfile {
  return cityProfiles[name];
}

/** Whether a GB/T 2260 code is one of the city's districts. */
export function isDistrictOf(city: CityProfile, code: string): boolean {
  return Object.hasOwn(city.districts, code);
}

/**
 * The names of every shipped profile's districts. GB/T 2260 codes are unique across the country, so a
 * code names the same place whichever city is active: text that only quotes districts (a product's
 * "serves 端州区" reason) reads this and needs no profile threaded to it.
 */
export const districtNames: Readonly<Record<string, Bilingual>> = Object.freeze(
  Object.assign({}, ...Object.values(cityProfiles).map((c) => c.districts)) as Record<string, Bilingual>,
);
