import QRCode from 'qrcode';

/**
 * QR images of channel links. Drawing a PNG costs milliseconds of blocking CPU, so each image is kept
 * once drawn (per code, format and size; a few hundred at most in this process).
 */
const cache = new Map<string, Buffer | string>();
const MAX_CACHED = 500;

function remember<T extends Buffer | string>(key: string, value: T): T {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

export async function qrPng(url: string, size: number): Promise<Buffer> {
  const key = `png:${size}:${url}`;
  const hit = cache.get(key);
  if (hit) return hit as Buffer;
  return remember(key, await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', width: size, margin: 2 }));
}

export async function qrSvg(url: string): Promise<string> {
  const key = `svg:${url}`;
  const hit = cache.get(key);
  if (hit) return hit as string;
  return remember(key, await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
}
