/** One field-level problem in a request, as rendered in problem+json `errors`. */
export interface FieldError {
  path: string;
  message: string;
  in?: 'body' | 'query' | 'params' | 'headers';
  /** 1-based row of an imported file the problem is in. */
  row?: number;
}

interface AppErrorOptions {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Whether `detail` may be shown to the client; false keeps it in the log only. */
  expose?: boolean;
  cause?: unknown;
  /** Extra members of the problem document (e.g. `currentStatus`). */
  extra?: Record<string, unknown>;
}

/** The one error type domain code throws; the error middleware renders it as problem+json. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly expose: boolean;
  readonly extra?: Record<string, unknown>;

  constructor(options: AppErrorOptions = {}) {
    super(options.detail ?? options.title ?? 'Error', { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.code = options.code ?? 'internal_error';
    this.title = options.title ?? 'Internal server error';
    this.detail = options.detail ?? this.title;
    this.errors = options.errors;
    this.headers = options.headers;
    this.expose = options.expose ?? this.status < 500;
    this.extra = options.extra;
  }
}

type Defaults = Omit<AppErrorOptions, 'status'>;

function withDefaults(status: number, defaults: Defaults) {
  return (options: Defaults = {}): AppErrorOptions => ({ ...defaults, ...options, status });
}

const validation = withDefaults(400, { code: 'validation_error', title: 'Invalid request', detail: 'The request has invalid fields.' });
const unauthorized = withDefaults(401, { code: 'unauthorized', title: 'Authentication required', detail: 'Sign in to continue.' });
const forbidden = withDefaults(403, { code: 'forbidden', title: 'Forbidden', detail: 'Your role may not do this.' });
const notFound = withDefaults(404, { code: 'not_found', title: 'Not found', detail: 'No such resource.' });
const conflict = withDefaults(409, { code: 'conflict', title: 'Conflict', detail: 'The request conflicts with the current state.' });
const unprocessable = withDefaults(422, { code: 'unprocessable', title: 'Request cannot be processed', detail: 'The request is well-formed but cannot be carried out.' });
const tooMany = withDefaults(429, { code: 'too_many_requests', title: 'Too many requests', detail: 'Slow down and retry later.' });

export class ValidationError extends AppError {
  constructor(errors: FieldError[], options: Defaults = {}) {
    super(validation({ ...options, errors }));
  }
}
export class UnauthorizedError extends AppError {
  constructor(options?: Defaults) { super(unauthorized(options)); }
}
export class ForbiddenError extends AppError {
  constructor(options?: Defaults) { super(forbidden(options)); }
}
export class NotFoundError extends AppError {
  constructor(options?: Defaults) { super(notFound(options)); }
}
export class ConflictError extends AppError {
  constructor(options?: Defaults) { super(conflict(options)); }
}
/**
 * A well-formed request the rules refuse (a product not on offer, consent missing or outdated): 422 with its own
 * code, its detail, any `extra` members, and with `path` the body field it is about.
 */
export class UnprocessableError extends AppError {
  constructor(code: string, detail: string, extra?: Record<string, unknown>, path?: string) {
    super(unprocessable({ code, detail, extra, errors: path ? [{ in: 'body', path, message: detail }] : undefined }));
  }
}
export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, options?: Defaults) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    // Also in the body, so a page (which cannot always read the header) can say when to try again.
    super(tooMany({ ...options, headers: { 'Retry-After': String(seconds) }, extra: { ...options?.extra, retryAfterSeconds: seconds } }));
  }
}
