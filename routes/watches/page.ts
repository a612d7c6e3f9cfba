import { Router, type Request, type Response } from 'express';
import { endWatch } from '../../server/commands/end-watch';
import { watchByToken } from '../../models/watches';
import type { AppContext } from '../../server/context';
import { shanghaiDate } from '../../server/domain/lpr';
import { escapeHtml, simplePage } from '../../server/html';

const TOKEN = /^[\w-]{20,64}$/;

/**
 * `/watch/:token`, the link in every watch message: what is kept and until when, and a button that
 * ends it (a plain form, so it works on any phone browser; the token in the path is the key).
 */
export function watchPageRoutes(ctx: AppContext): Router {
  async function find(req: Request) {
    const token = String(req.params.token ?? '');
    return TOKEN.test(token) ? watchByToken(ctx.db, token) : undefined;
  }

  async function show(req: Request, res: Response) {
    const w = await find(req);
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').type('html');
    if (!w) {
      res.status(404).send(simplePage('订阅不存在', '<h1>没有找到这个订阅。</h1><p><a class="button" href="/apply">在线申请融资</a></p>'));
      return;
    }
    const now = ctx.clock.now();
    const name = escapeHtml(String((w.company as { name?: string }).name ?? ''));
    const until = shanghaiDate(w.expiresAt);
    const ended = w.cancelledAt !== null || w.expiresAt <= now;
    res.send(simplePage('有合适产品时短信通知我', `
    <h1>${name}</h1>
    <p>${ended ? '这个订阅已结束，我们不会再发短信，保存的信息将按期删除。' : `有符合条件的新产品时，我们会短信通知您（每天最多一条），订阅至 ${until}。`}</p>
    <p class="muted">保存的内容：企业信息、融资需求、手机号。不会发送给任何银行。</p>
    ${ended ? '' : `<form method="post" action="/watch/${escapeHtml(w.token)}/cancel"><button class="button" type="submit">退订，不再通知</button></form>`}
    <p><a class="button primary" href="/apply?w=${escapeHtml(w.token)}">现在申请</a></p>
    <p class="muted">${ended ? 'This watch has ended.' : `We text you (at most once a day) when a product you qualify for appears, until ${until}.`}</p>`));
  }

  async function cancel(req: Request, res: Response) {
    const w = await find(req);
    if (w) await endWatch({ db: ctx.db, input: { token: w.token }, now: ctx.clock.now() });
    res.redirect(303, `/watch/${encodeURIComponent(String(req.params.token))}`);
  }

  const router = Router();
  router.get('/watch/:token', show);
  router.post('/watch/:token/cancel', cancel);
  return router;
}
