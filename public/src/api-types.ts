// The API's answers as the pages read them, taken from the presenters that write them (routes/*/present.ts) with
// `import type` only: the pages follow the server's shapes, and nothing server-side is bundled.
import type { presentAssisted, presentConsentRequest } from '../../routes/assisted/present';
import type { presentBank, presentBranch } from '../../routes/banks/present';
import type { presentChannel } from '../../routes/channels/present';
import type { CoachingCaseAnswer } from '../../routes/coaching/present';
import type { ConsultationAnswer } from '../../routes/consultations/present';
import type { presentTracking } from '../../routes/applications/present';
import type { presentProduct, presentReview } from '../../routes/products/present';
import type { presentSessionUser, presentUser } from '../../routes/users/present';

/** A presenter's output after JSON: what a page receives (a Date would arrive as its ISO string). */
export type Json<T> = T extends Date ? string
  : T extends (infer U)[] ? Json<U>[]
  : T extends object ? { [K in keyof T]: Json<T[K]> }
  : T;

/** One page of a list answer (`{items, total}`). */
export interface Paged<T> { items: T[]; total: number }

export type AssistedAnswer = Json<ReturnType<typeof presentAssisted>>;
export type ConsentAsk = Json<ReturnType<typeof presentConsentRequest>>;
export type BankAnswer = Json<ReturnType<typeof presentBank>>;
export type BranchAnswer = Json<ReturnType<typeof presentBranch>>;
export type ChannelAnswer = Json<ReturnType<typeof presentChannel>>;
export type CoachingCase = Json<CoachingCaseAnswer>;
export type Consultation = Json<ConsultationAnswer>;
export type TrackingAnswer = Json<ReturnType<typeof presentTracking>>;
export type TrackedLead = TrackingAnswer['leads'][number];
export type SessionUser = Json<ReturnType<typeof presentSessionUser>>;
export type UserAnswer = Json<ReturnType<typeof presentUser>>;
export type ProductAnswer = Json<ReturnType<typeof presentProduct>>;
export type ProductReview = Json<ReturnType<typeof presentReview>>;
