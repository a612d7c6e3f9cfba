import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../server/context';
import { escapeHtml, simplePage } from '../../server/html';
import { recordScan } from '../../models/channels';

const CODE = /^[0-9A-Z]{6,32}$/;

/**
 * `GET /q/:code`, what every QR code opens: counts the scan (once per client address and channel in
 * 10 minutes; `req.ip` honours TRUST_PROXY only) and always sends the visitor to the application form
 * carrying the channel. An unknown, inactive or expired code gets a friendly page with the
 * desk's phone and a way on, never an error page.
 */
export function scanRoutes(ctx: AppContext): Router {
  async function scan(req: Request, res: Response) {
    const code = String(req.params.code ?? '').toUpperCase();
    const { state } = CODE.test(code) ? await recordScan(ctx.db, code, ctx.clock.now(), req.ip ?? 'unknown') : { state: 'unknown' as const };
    if (state === 'ok') {
      res.set('Cache-Control', 'no-store').redirect(302, `/apply?c=${encodeURIComponent(code)}`);
      return;
    }
    const phone = escapeHtml(ctx.config.deskPhone);
    const reason = state === 'closed' ? '这个二维码已停用或已过期。' : '没有找到这个二维码。';
    res.status(state === 'closed' ? 410 : 404).set('Cache-Control', 'no-store').type('html').send(simplePage('二维码已失效', `
    <h1>${reason}</h1>
    <p>您仍然可以在线查看全市银行的信贷产品并提交融资需求，或致电金融服务专窗咨询。</p>
    <p><a class="button primary" href="/apply">在线申请融资</a> <a class="button" href="/">查看产品目录</a></p>
    <p class="muted">咨询电话：<a href="tel:${phone}">${phone}</a></p>
    <p class="muted">This QR code is no longer valid. You can still apply online or call the financing desk.</p>`));
  }

  const router = Router();
  router.get('/q/:code', scan);
  return router;
}
