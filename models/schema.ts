/** Every table, for drizzle-kit and for the typed database handle. */
export * from './banks';
export * from './users';
export * from './audit';
export * from './products';
export * from './channels';
export * from './applications';
export * from './leads';
export * from './sla';
export * from './jobs';
export * from './reassignments';
export * from './report-rollup';
export * from './rate-limits';
export * from './product-reviews';
export * from './sms';
export * from './phone-codes';
export * from './short-links';
export * from './watches';
