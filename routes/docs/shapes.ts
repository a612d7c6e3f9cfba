import Joi from 'joi';

/**
 * Building blocks of the response schemas (routes/<resource>/responses.ts). Response objects are closed
 * (joi's default, `additionalProperties: false` in the document) and every key is required unless marked
 * `.optional()`: a field a presenter adds or drops without its schema fails the real-answers test.
 */
export const answer = (keys: Joi.PartialSchemaMap) => Joi.object(keys).prefs({ presence: 'required' });

/** An ISO 8601 time as `Date.toISOString()` writes it. */
export const isoTime = Joi.string().isoDate();
/** A calendar day, YYYY-MM-DD. */
export const isoDay = Joi.string().pattern(/^\d{4}-\d{2}-\d{2}$/);
export const int = Joi.number().integer();
/** An object of any keys (names from the data, e.g. counts by status), each value of this schema. */
export const mapOf = (value: Joi.Schema) => Joi.object().pattern(/^.+$/, value);
/** Either language of a bilingual text. */
export const bilingual = answer({ zh: Joi.string(), en: Joi.string() });

/** One page of a list: `items`, `total` matching rows, the page asked for and its size. */
export const pageOf = (item: Joi.Schema, extra: Joi.PartialSchemaMap = {}) => answer({ items: Joi.array().items(item), total: int.min(0), page: int.min(1), pageSize: int.min(1), ...extra });
/** A list without paging. */
export const itemsOf = (item: Joi.Schema) => answer({ items: Joi.array().items(item) });

/** GET /api/openapi.json answers this document itself: an OpenAPI 3.1 object, described by its own specification rather than here. */
export const openApiResponse = Joi.object({ openapi: Joi.string().pattern(/^3\.1\./).required(), info: Joi.object().unknown().required(), paths: Joi.object().unknown().required() }).unknown()
  .description('an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0)');
