// The submission's transaction and rules live in server/commands/submit-application.ts; these names
// stay importable from here for the routes that share them (assisted confirmation, hand-over, watches).
export { recipients, submitApplication, unprocessable, type SubmissionAnswer, type Submitted, type SubmitOptions } from '../../server/commands/submit-application';
export { referenceOf } from '../../server/domain/reference';
