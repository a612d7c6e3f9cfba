import { Router, type Request, type Response } from 'express';
import { renderPage } from '../../server/assets';
import { noInput } from '../../server/middleware/validate';
import { buildOpenApi, type OpenApiBuild } from './build';

/** `GET /api/openapi.json` (built once, from the same routers the API runs) and the `/api/docs` reference page. */
export function docsRoutes(mounts: [string, Router][]): Router {
  const router = Router();
  let built: OpenApiBuild | undefined;
  router.get('/openapi.json', noInput, (_req: Request, res: Response) => {
    built ??= buildOpenApi([...mounts, ['', router]]);
    res.set('Cache-Control', 'no-cache').json(built.document);
  });
  router.get('/docs', noInput, (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache').type('html').send(renderPage('api-docs.html'));
  });
  return router;
}
