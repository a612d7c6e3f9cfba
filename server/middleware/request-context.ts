import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { requestContext, type Logger } from '../logger';

/** Paths carry tracking tokens for applicants; they are secrets and stay out of logs. */
export function loggablePath(url: string): string {
  return url.split('?')[0]!.replace(/\/track\/[^/]+/g, '/track/[redacted]');
}

/** Gives each request an id (honouring a sane incoming X-Request-Id), logs it once when done. */
export function requestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ reqId: requestId, method: req.method, path: loggablePath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    requestContext.run({ requestId }, next);
  };
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}
