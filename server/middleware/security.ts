import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { tokenFrom } from '../auth';
import type { AppConfig } from '../config';
import { ForbiddenError } from '../errors';

/**
 * Security headers on every answer. The CSP allows only this origin's scripts, styles, images and
 * API (pages are bundled, no CDN); charts set style attributes, so those are allowed, inline
 * <script> and <style> are not. HSTS and upgrade-insecure-requests only behind HTTPS (an intranet
 * pilot on plain HTTP must keep working).
 */
export function securityHeaders(config: Pick<AppConfig, 'publicBaseUrl'>): RequestHandler {
  const https = config.publicBaseUrl.startsWith('https:');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
}

/**
 * CORS, closed unless origins are configured: only a listed Origin gets the Access-Control headers
 * (bearer-token API use from another site's pages; never cookies). Preflights end here.
 */
export function cors(config: Pick<AppConfig, 'corsOrigins'>): RequestHandler {
  const allowed = new Set(config.corsOrigins);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.vary('Origin').set('Access-Control-Allow-Origin', origin);
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE')
          .set('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key')
          .set('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    } else if (req.method === 'OPTIONS' && origin) {
      res.status(204).end(); // no Access-Control headers: the browser refuses the cross-site call
      return;
    }
    next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for writes authenticated by the session cookie (pages): they must carry the
 * `X-Requested-With: fetch` header our pages send — another site cannot add it without a CORS
 * preflight, which `cors` refuses — and, when the browser says where it comes from, come from this
 * origin. The cookie is also SameSite=Strict; bearer-token calls carry no ambient credentials.
 */
export function csrfGuard(config: Pick<AppConfig, 'publicBaseUrl'>): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    // Only cookie sessions are guarded: a bearer header (read first by tokenFrom) is no ambient credential.
    if (SAFE.has(req.method) || req.get('authorization') || !tokenFrom(req)) return next();
    const origin = req.get('origin');
    const sameOrigin = !origin || origin === config.publicBaseUrl || origin === `${req.protocol}://${req.get('host')}`;
    const site = req.get('sec-fetch-site');
    if (req.get('x-requested-with') !== 'fetch' || !sameOrigin || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
      return next(new ForbiddenError({ code: 'csrf', title: 'Cross-site request refused', detail: 'A write with the session cookie must come from Rongma’s own pages (X-Requested-With: fetch, same origin).' }));
    }
    next();
  };
}
