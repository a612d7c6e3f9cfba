import { Router, type Request, type Response } from 'express';
import { targetOf } from '../../models/short-links';
import type { AppContext } from '../../server/context';
import { escapeHtml, simplePage } from '../../server/html';

const CODE = /^[0-9A-Z]{10,32}$/;

/** `GET /t/:code`, the short link in every SMS: sends the phone to the page it stands for (a path on this site). */
export function shortLinkRoutes(ctx: AppContext): Router {
  async function open(req: Request, res: Response) {
    const code = String(req.params.code ?? '').toUpperCase();
    const target = CODE.test(code) ? await targetOf(ctx.db, code) : undefined;
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    if (target?.startsWith('/')) {
      res.redirect(302, target);
      return;
    }
    const phone = escapeHtml(ctx.config.deskPhone);
    res.status(404).type('html').send(simplePage('链接无效', `
    <h1>没有找到这个链接。</h1>
    <p>请核对短信中的链接，或在申请页用手机号“找回我的申请”。</p>
    <p><a class="button primary" href="/apply">在线申请融资</a> <a class="button" href="/">查看产品目录</a></p>
    <p class="muted">咨询电话：<a href="tel:${phone}">${phone}</a></p>
    <p class="muted">This link is not valid. Recover your request by phone on the tracking page, or call the financing desk.</p>`));
  }

  const router = Router();
  router.get('/t/:code', open);
  return router;
}
