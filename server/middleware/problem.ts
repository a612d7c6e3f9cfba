import type { NextFunction, Request, Response } from 'express';
import { AppError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { isRetryableConflict, retryConflict } from '../pg-errors';

/** body-parser's error types, turned into our problem codes. */
const parserErrors: Record<string, { status: number; code: string; title: string; detail: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed_json', title: 'Malformed JSON', detail: 'The request body is not valid JSON.' },
  'entity.too.large': { status: 413, code: 'payload_too_large', title: 'Payload too large', detail: 'The request body is larger than 1 MB.' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', title: 'Unsupported content encoding', detail: 'Send the body uncompressed or gzip/deflate encoded.' },
  'charset.unsupported': { status: 415, code: 'unsupported_charset', title: 'Unsupported charset', detail: 'Send the body as UTF-8.' },
  'request.aborted': { status: 400, code: 'request_aborted', title: 'Request aborted', detail: 'The client closed the request before the body arrived.' },
  'request.size.invalid': { status: 400, code: 'request_size_invalid', title: 'Invalid request size', detail: 'The body length does not match Content-Length.' },
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isRetryableConflict(err)) return retryConflict(err);
  const type = (err as { type?: unknown })?.type;
  if (typeof type === 'string' && parserErrors[type]) return new AppError({ ...parserErrors[type], cause: err });
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError({ status, code: 'bad_request', title: 'Bad request', detail: 'The request could not be processed.', cause: err });
  }
  return new AppError({ cause: err });
}

/** Renders every error as RFC 9457 problem+json; nothing internal (stack, SQL) ever leaves. */
export function problemHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toAppError(err);
    if (problem.status >= 500) logger.error({ err: problem.cause ?? problem, path: req.path }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = {
      type: `/problems/${problem.code}`,
      title: problem.title,
      status: problem.status,
      detail: problem.expose ? problem.detail : 'An unexpected error occurred. It has been logged.',
      code: problem.code,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(problem.expose ? problem.extra : {}),
    };
    for (const [name, value] of Object.entries(problem.headers ?? {})) res.set(name, value);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
  };
}

export function apiNotFound(req: Request) {
  throw new NotFoundError({ code: 'route_not_found', detail: `No API route ${req.method} ${req.baseUrl}${req.path}.` });
}
