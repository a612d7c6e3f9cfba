import { NotFoundError } from '../errors';

/**
 * Each resource's 404, in one place: commands throw them, and routes throw the same one when a read finds
 * nothing, so a missing row and one outside the caller's scope answer alike.
 */
export const userNotFound = () => new NotFoundError({ code: 'user_not_found', detail: 'No such user.' });
export const bankNotFound = () => new NotFoundError({ code: 'bank_not_found', detail: 'No such bank.' });
export const branchNotFound = () => new NotFoundError({ code: 'branch_not_found', detail: 'No such branch.' });
export const channelNotFound = () => new NotFoundError({ code: 'channel_not_found', detail: 'No such channel.' });
export const caseNotFound = () => new NotFoundError({ code: 'coaching_case_not_found', detail: 'No such coaching case.' });
export const productNotFound = () => new NotFoundError({ code: 'product_not_found', detail: 'No such product.' });
export const consentNotFound = () => new NotFoundError({ code: 'consent_not_found', detail: 'No such consent request.' });
export const notificationNotFound = () => new NotFoundError({ code: 'notification_not_found', detail: 'No such notification.' });
export const deliveryNotFound = () => new NotFoundError({ code: 'delivery_not_found', detail: 'No such delivery.' });
export const leadNotFound = () => new NotFoundError({ code: 'lead_not_found', detail: 'No such lead.' });
export const applicationNotFound = () => new NotFoundError({ code: 'application_not_found', detail: 'No request has this tracking link.' });
export const offerNotFound = () => new NotFoundError({ code: 'offer_not_found', detail: 'No such reassignment offer.' });
export const watchNotFound = () => new NotFoundError({ code: 'watch_not_found', detail: 'No watch has this link.' });
