/**
 * Quiet hours for applicants' phones (SPEC "Phone verification, applicant messages"): non-urgent messages
 * wait out 22:00–08:00 Asia/Shanghai.
 */
import { SHANGHAI_OFFSET_MS as OFFSET_MS } from './lpr';

const HOUR = 3600_000;
const QUIET_FROM = 22;
const QUIET_UNTIL = 8;

/** When a message may go out: `at` itself, or the 08:00 (Shanghai) that ends the quiet night it falls in. */
export function afterQuietHours(at: Date): Date {
  const local = new Date(at.getTime() + OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_UNTIL && hour < QUIET_FROM) return at;
  const morning = new Date(local);
  morning.setUTCHours(QUIET_UNTIL, 0, 0, 0);
  if (hour >= QUIET_FROM) morning.setTime(morning.getTime() + 24 * HOUR);
  return new Date(morning.getTime() - OFFSET_MS);
}
