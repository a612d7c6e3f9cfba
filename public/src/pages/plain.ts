import { mountI18n } from '../i18n';

/** Pages with no behaviour of their own beyond the language switch. */
mountI18n();
