import { sql, count } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { products } from '../../models/products';
import { productsToCsv } from '../../routes/products/files';
import type { ProductRowInput } from '../../routes/products/schema';
import { queryRows } from '../../server/sql';
import type { TestApp } from './app';

/** A checksum of every product row: any write changes it. */
export async function productsDigest(app: TestApp): Promise<string> {
  const [row] = await queryRows<{ d: string }>(app.db, sql`select md5(string_agg(t::text, '|' order by t::text)) as d from products t`);
  return row!.d;
}

/** POSTs the bytes of a file, as a browser's upload would. */
export async function upload(app: TestApp, path: string, token: string, bytes: Uint8Array, type = 'text/csv') {
  const res = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(bytes) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

/** What Excel on Chinese Windows saves: GB18030 (GBK), CRLF, no BOM. */
export const asExcelChineseCsv = (rows: ProductRowInput[]) => new Uint8Array(iconv.encode(productsToCsv(rows).replace(/^\uFEFF/, ''), 'gb18030'));

export async function productCount(app: TestApp) {
  const [row] = await app.db.select({ n: count() }).from(products);
  return Number(row!.n);
}
