import { Router, type Request, type Response } from 'express';
import { actorOf, scopeToBank, type Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { createChannel } from '../../server/commands/create-channel';
import { channelNotFound } from '../../server/commands/not-found';
import { updateChannel } from '../../server/commands/update-channel';
import { channels, findChannel, listChannels, liveChannelByCode, type ChannelRow } from '../../models/channels';
import { channelUrl, presentChannel } from './present';
import { posterHtml } from './poster';
import { qrPng, qrSvg } from './qr';
import { codeParams, createChannelBody, posterQuery, type PosterQuery, listChannelsQuery, qrQuery, updateChannelBody, type CreateChannelInput, type ListChannelsQuery, type UpdateChannelInput } from './schema';

type IdParams = { params: { id: number } };

export function channelRoutes(ctx: AppContext): Router {
  const base = ctx.config.publicBaseUrl;

  /** A channel the caller manages; another bank's reads as missing. */
  async function getVisibleChannel(actor: Actor, id: number): Promise<ChannelRow> {
    const channel = await findChannel(ctx.db, id, scopeToBank(actor, channels.bankId));
    if (!channel) throw channelNotFound();
    return channel;
  }

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListChannelsQuery }>(res);
    const { rows, total } = await listChannels(ctx.db, { ...query, scope: scopeToBank(actorOf(res), channels.bankId) });
    res.json(listOf(rows.map((r) => presentChannel(r.channel, base, r.applicationCount)), total, query));
  }

  async function show(_req: Request, res: Response) {
    res.json(presentChannel(await getVisibleChannel(actorOf(res), inputOf<IdParams>(res).params.id), base));
  }

  async function create(_req: Request, res: Response) {
    const channel = await createChannel({ db: ctx.db, actor: actorOf(res), input: inputOf<{ body: CreateChannelInput }>(res).body, now: ctx.clock.now() });
    res.status(201).location(`/api/channels/${channel.id}`).json(presentChannel(channel, base));
  }

  async function update(_req: Request, res: Response) {
    const { params, body } = inputOf<IdParams & { body: UpdateChannelInput }>(res);
    res.json(presentChannel(await updateChannel({ db: ctx.db, actor: actorOf(res), input: { ...body, id: params.id }, now: ctx.clock.now() }), base));
  }

  async function png(_req: Request, res: Response) {
    const { params, query } = inputOf<IdParams & { query: { size: number } }>(res);
    const channel = await getVisibleChannel(actorOf(res), params.id);
    res.set('Content-Disposition', `inline; filename="rongma-${channel.code}.png"`).set('Cache-Control', 'private, max-age=3600');
    res.type('image/png').send(await qrPng(channelUrl(base, channel.code), query.size));
  }

  async function svg(_req: Request, res: Response) {
    const channel = await getVisibleChannel(actorOf(res), inputOf<IdParams>(res).params.id);
    res.set('Content-Disposition', `inline; filename="rongma-${channel.code}.svg"`).set('Cache-Control', 'private, max-age=3600');
    res.type('image/svg+xml').send(await qrSvg(channelUrl(base, channel.code)));
  }

  /** A printable A4 page: the code, the channel's name and three lines of instructions (`?lang=en` in English). */
  async function poster(_req: Request, res: Response) {
    const { params, query } = inputOf<IdParams & { query: PosterQuery }>(res);
    const channel = await getVisibleChannel(actorOf(res), params.id);
    const url = channelUrl(base, channel.code);
    res.type('text/html').send(posterHtml({ lang: query.lang, city: ctx.config.city.name, channelName: channel.name, code: channel.code, url, qrSvg: await qrSvg(url), deskPhone: ctx.config.deskPhone }));
  }

  /** Public: the name of a live channel, so the application form can say where the visitor came from. */
  async function byCode(_req: Request, res: Response) {
    const channel = await liveChannelByCode(ctx.db, inputOf<{ params: { code: string } }>(res).params.code, ctx.clock.now());
    if (!channel) throw channelNotFound();
    // District and bank let the application page pre-fill what the place of the scan already says.
    res.json({ code: channel.code, name: channel.name, kind: channel.kind, district: channel.district ?? null, bankId: channel.bankId ?? null });
  }

  const managers = ctx.auth('desk', 'admin', 'bank_admin');
  const router = Router();
  router.get('/', managers, validate({ query: listChannelsQuery }), list);
  router.get('/by-code/:code', validate({ params: codeParams }), byCode);
  router.post('/', managers, validate({ body: createChannelBody }), create);
  router.get('/:id', managers, validate({ params: idParams }), show);
  router.patch('/:id', managers, validate({ params: idParams, body: updateChannelBody }), update);
  router.get('/:id/qr.png', managers, validate({ params: idParams, query: qrQuery }), png);
  router.get('/:id/qr.svg', managers, validate({ params: idParams }), svg);
  router.get('/:id/poster', managers, validate({ params: idParams, query: posterQuery }), poster);
  return router;
}
