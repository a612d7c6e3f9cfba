import type { AppConfig } from '../../server/config';
import type { CityProfile } from '../../server/domain/cities';

/**
 * The city as pages and clients see it: the profile, with the desk's name and phone as this installation
 * configured them (DESK_NAME, DESK_PHONE override the profile's).
 */
export function presentCity(config: Pick<AppConfig, 'city' | 'deskName' | 'deskPhone'>): CityProfile {
  const { city } = config;
  return { code: city.code, name: city.name, districts: city.districts, desk: { ...city.desk, name: config.deskName, phone: config.deskPhone } };
}
