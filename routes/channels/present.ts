import type { ChannelRow } from '../../models/channels';

export function channelUrl(baseUrl: string, code: string): string {
  return `${baseUrl}/q/${code}`;
}

export function presentChannel(c: ChannelRow, baseUrl: string, applicationCount?: number) {
  return {
    id: c.id,
    code: c.code,
    url: channelUrl(baseUrl, c.code),
    name: c.name,
    kind: c.kind,
    bankId: c.bankId,
    branchId: c.branchId,
    district: c.district,
    active: c.active,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    scanCount: c.scanCount,
    lastScanAt: c.lastScanAt?.toISOString() ?? null,
    ...(applicationCount === undefined ? {} : { applicationCount: Number(applicationCount) }),
    qrPng: `/api/channels/${c.id}/qr.png`,
    qrSvg: `/api/channels/${c.id}/qr.svg`,
    poster: `/api/channels/${c.id}/poster`,
    createdAt: c.createdAt.toISOString(),
  };
}
