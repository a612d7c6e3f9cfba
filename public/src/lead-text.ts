import { t } from './i18n';
import { strings, type StringKey } from './strings';

/** A lead's status and history entries in the current language (staff pages). */
export const statusText = (s: string) => t(`track.lead.${s}` as StringKey);
export const eventText = (action: string) => (`event.${action}` in strings ? t(`event.${action}` as StringKey) : action);
