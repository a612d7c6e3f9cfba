import { leadStatuses } from '../../models/leads';

/** The parts of the OpenAPI document that are not per route: errors, sign-in schemes, the webhook. */

export const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; every 4xx and 5xx answers with this (application/problem+json).',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', examples: ['/problems/validation_failed'] },
    title: { type: 'string', examples: ['Validation failed'] },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable reason, e.g. validation_failed, not_found, conflict, csrf, rate_limited.' },
    errors: {
      type: 'array',
      description: 'On validation failures: every field at fault at once.',
      items: {
        type: 'object', required: ['in', 'path', 'message'],
        properties: {
          in: { type: 'string', enum: ['params', 'query', 'body', 'headers'] },
          path: { type: 'string', description: 'Dotted path of the field, e.g. company.uscc' },
          message: { type: 'string' },
        },
      },
    },
  },
  examples: [{
    type: '/problems/validation_failed', title: 'Validation failed', status: 400, code: 'validation_failed',
    detail: 'The request has 1 invalid field.', errors: [{ in: 'body', path: 'company.uscc', message: 'company.uscc is not a valid unified social credit code' }],
  }],
};

export const securitySchemes = {
  bearerAuth: {
    type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
    description: 'The token from POST /api/auth/login, sent as `Authorization: Bearer <token>`. For bank systems and scripts.',
  },
  cookieAuth: {
    type: 'apiKey', in: 'cookie', name: 'rongma_session',
    description: 'The session cookie set by POST /api/auth/login (staff pages). Writes made with it must also send '
      + '`X-Requested-With: fetch` and come from this origin, or they are refused with 403 csrf.',
  },
};

const leadSchema = {
  type: 'object',
  required: ['id', 'applicationId', 'bankId', 'productId', 'status', 'open', 'secondLook', 'createdAt'],
  properties: {
    id: { type: 'integer' }, applicationId: { type: 'integer' }, bankId: { type: 'integer' }, productId: { type: 'integer' },
    status: { type: 'string', enum: [...leadStatuses] },
    open: { type: 'boolean', description: 'An open request: the first three banks to claim it win.' },
    secondLook: { type: 'boolean' },
    branchId: { type: ['integer', 'null'] }, officerId: { type: ['integer', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    claimedAt: { type: ['string', 'null'], format: 'date-time' }, contactedAt: { type: ['string', 'null'], format: 'date-time' },
    decidedAt: { type: ['string', 'null'], format: 'date-time' }, disbursedAt: { type: ['string', 'null'], format: 'date-time' },
    terms: {
      type: 'object', required: ['amount', 'ratePct', 'termMonths'],
      properties: { amount: { type: 'integer' }, ratePct: { type: 'number' }, termMonths: { type: 'integer' }, guaranteeType: { type: ['string', 'null'] } },
    },
    declineReason: { type: 'string' },
  },
};

/** What a bank's webhook receives (server/webhooks.ts `deliveryBody`); no personal data, fetch the lead for that. */
export const deliverySchema = {
  type: 'object',
  required: ['deliveryId', 'cursor', 'occurredAt', 'event', 'lead'],
  properties: {
    deliveryId: { type: 'string', format: 'uuid', description: 'Also in X-Rongma-Delivery; the same on every retry: de-duplicate by it.' },
    cursor: { type: 'integer', description: "The bank's feed position; GET /api/leads?since=<cursor> resumes from it." },
    occurredAt: { type: 'string', format: 'date-time' },
    event: {
      type: 'string', examples: ['lead.created', 'lead.status_changed', 'lead.first_loan_checked', 'lead.assigned'],
      description: 'lead.created; lead.status_changed when the status moved; otherwise lead.<action> for a change that kept the status.',
    },
    lead: leadSchema,
  },
  examples: [{
    deliveryId: '6f1c2a4e-9d3b-4f7a-8b1e-2c5d7a9e0f13', cursor: 42, occurredAt: '2026-11-20T02:15:00.000Z', event: 'lead.created',
    lead: {
      id: 1207, applicationId: 815, bankId: 3, productId: 17, status: 'new', open: false, secondLook: false, branchId: 9, officerId: null,
      createdAt: '2026-11-20T02:15:00.000Z', claimedAt: null, contactedAt: null, decidedAt: null, disbursedAt: null,
    },
  }],
};

const signatureHeaders = [
  { name: 'X-Rongma-Signature', description: '`sha256=` + hex HMAC-SHA256 of `timestamp + "." + raw body` with the webhook secret. Compare in constant time; reject timestamps older than 5 minutes.', example: 'sha256=9c1b…' },
  { name: 'X-Rongma-Timestamp', description: 'Unix seconds when this attempt was signed.', example: '1763604900' },
  { name: 'X-Rongma-Delivery', description: 'The delivery id (same as in the body).', example: '6f1c2a4e-9d3b-4f7a-8b1e-2c5d7a9e0f13' },
].map((h) => ({ name: h.name, in: 'header', required: true, description: h.description, schema: { type: 'string' }, example: h.example }));

export const webhooks = {
  leadChange: {
    post: {
      summary: 'A new lead or a change of one of your leads',
      'x-zh': '线索新增或状态变化推送',
      description: 'POSTed to the URL set with PUT /api/banks/{id}/webhook, from a transactional outbox: at least once, in cursor order per bank, '
        + 'retried with exponential backoff (about 30 s doubling to 24 h, 12 tries) until your endpoint answers 2xx, then dead-lettered '
        + '(see GET /api/banks/{id}/webhook/deliveries, and redeliver).',
      parameters: signatureHeaders,
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/LeadDelivery' }, example: deliverySchema.examples[0] } } },
      responses: { '2XX': { description: 'Received; any other answer or a timeout (5 s) is retried.' } },
    },
  },
};
