/** A mainland mobile number (SPEC "Data rules"): 11 digits starting 13–19. One pattern for the API, SMS and the pages. */
export const MOBILE_PHONE = /^1[3-9]\d{9}$/;
