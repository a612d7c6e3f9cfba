import type { AssistedRow, StoredAssisted } from '../../models/assisted';
import { CONSENT_VERSION, consentText, RETENTION_DAYS } from '../../server/domain/consent';
import { maskName, maskPhone } from '../../server/domain/mask';

/**
 * The consent page's question, for whoever holds the link: each recipient bank and product, what is shared
 * and for how long, who at the desk filled it in; the contact masked (the link may be forwarded).
 */
export function presentConsentRequest(row: AssistedRow, assistedByName: string | null) {
  const { input, recipients } = row.request as StoredAssisted;
  return {
    id: row.id, status: row.status, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(),
    company: { name: input.company.name, uscc: input.company.uscc },
    contact: { name: maskName(input.contact.name), phone: maskPhone(input.contact.phone) },
    need: input.need, mode: input.mode,
    recipients,
    consent: { version: CONSENT_VERSION, retentionDays: RETENTION_DAYS, text: consentText },
    assistedBy: assistedByName,
  };
}

/** A filed request as the desk lists it. */
export function presentAssisted(row: AssistedRow, assistedByName: string | null, consentUrl?: string) {
  const { input, recipients } = row.request as StoredAssisted;
  return {
    id: row.id, status: row.status, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(),
    confirmedAt: row.confirmedAt?.toISOString() ?? null, applicationId: row.applicationId,
    companyName: input.company.name, uscc: input.company.uscc, phone: maskPhone(row.phone), recipients,
    assistedBy: { id: row.assistedBy, name: assistedByName }, ...(consentUrl ? { consentUrl } : {}),
  };
}
