import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Per-request context carried through async calls so every log line names its request. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

const redactPaths = [
  'password', '*.password', 'newPassword', '*.newPassword',
  'token', '*.token', 'jwtSecret', '*.jwtSecret', 'secret', '*.secret',
  'phone', '*.phone', '*.*.phone',
  'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', '*.headers.cookie',
];

export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'rongma' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin() {
        const ctx = requestContext.getStore();
        return ctx ? { reqId: ctx.requestId } : {};
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
