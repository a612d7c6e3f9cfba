import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { isHashedAsset, renderPage } from './assets';
import { actorFromToken, tokenFrom } from './auth';
import type { AppContext } from './context';
import { publicDir } from './paths';
import type { Role } from '../models/users';
import { presentCity } from '../routes/city/present';

const homeOf: Record<Role, string> = { admin: '/desk', desk: '/desk', bank_admin: '/bank', bank_officer: '/bank' };

/** Pages are revalidated on every visit (`no-cache`) and name the current build's hashed bundles. */
function sendPage(file: string, status = 200, city?: string) {
  return (_req: Request, res: Response) => {
    const html = renderPage(file);
    res.status(status).set('Cache-Control', 'no-cache').type('html').send(city ? html.replace('</head>', `${city}</head>`) : html);
  };
}

/**
 * The city (GET /api/city's answer) as a data block in the page's head, which public/src/labels.ts reads when
 * a page first needs a district: pages list the city's districts without a round trip. A JSON block is not
 * run, so the Content-Security-Policy allows it; `<` is escaped so no value can close the element.
 */
function cityBlock(ctx: AppContext): string {
  return `  <script type="application/json" id="rongma-city">${JSON.stringify(presentCity(ctx.config)).replaceAll('<', '\\u003c')}</script>\n`;
}

/** Server-side guard for staff pages: no session → sign-in page; wrong role → that user's own home. */
function staffPage(ctx: AppContext, roles: Role[]) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = tokenFrom(req);
    const actor = token ? await actorFromToken(ctx.db, token, ctx.tokens) : null;
    if (!actor) return res.redirect(303, `/staff/login?next=${encodeURIComponent(req.originalUrl)}`);
    if (!roles.includes(actor.role)) return res.redirect(303, homeOf[actor.role]);
    next();
  };
}

/** The pages in `public/` and their bundled assets (built by `npm run build`; nothing from a CDN). */
export function pageRoutes(ctx: AppContext): Router {
  const router = Router();
  const city = cityBlock(ctx);
  // A content-hashed file never changes: a year, immutable. Anything else under /assets is revalidated.
  const assets = {
    fallthrough: true, index: false,
    setHeaders: (res: Response, file: string) => res.set('Cache-Control', isHashedAsset(path.basename(file)) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  };
  router.use('/assets', express.static(path.join(publicDir, 'assets'), assets));
  // The assembled pages live beside the bundles (public/build/pages/) but are served only at their routes.
  router.use('/assets/pages', (_req, _res, next) => next('router'));
  router.use('/assets', express.static(path.join(publicDir, 'build'), assets));
  router.get('/', sendPage('index.html', 200, city));
  router.get('/staff/login', sendPage('staff/login.html', 200, city));
  router.get('/apply', sendPage('apply.html', 200, city));
  router.get('/track/:token', sendPage('track.html', 200, city));
  router.get('/bank', staffPage(ctx, ['bank_admin', 'bank_officer']), sendPage('bank.html', 200, city));
  router.get('/desk', staffPage(ctx, ['desk', 'admin']), sendPage('desk.html', 200, city));
  router.get('/desk/products', staffPage(ctx, ['desk', 'admin']), sendPage('desk-products.html', 200, city));
  router.get('/desk/channels', staffPage(ctx, ['desk', 'admin']), sendPage('desk-channels.html', 200, city));
  router.get('/desk/consultations', staffPage(ctx, ['desk', 'admin']), sendPage('desk-consultations.html', 200, city));
  router.get('/desk/coaching', staffPage(ctx, ['desk', 'admin']), sendPage('desk-coaching.html', 200, city));
  router.get('/desk/assisted', staffPage(ctx, ['desk', 'admin']), sendPage('desk-assisted.html', 200, city));
  router.get('/consent/:token', sendPage('consent.html', 200, city));
  return router;
}

export const pageNotFound = sendPage('404.html', 404);
