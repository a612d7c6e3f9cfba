import { and, eq, sql } from 'drizzle-orm';
import { Matcher, type MatchProduct } from '../matchers/matcher';
import { banks } from '../models/banks';
import { productFields, products, type ProductRow } from '../models/products';
import type { Clock } from './clock';
import type { Db } from './db';
import type { Logger } from './logger';
import { queryRows } from './sql';

/** How long another instance's publish may go unnoticed; this instance's own changes apply at once. */
const CHECK_EVERY_MS = 1000;

/**
 * Holds the compiled matcher for the published catalogue. It is rebuilt when the catalogue changes
 * (publish, retire, import), never per request: this instance invalidates it itself, and a cheap
 * signature query at most once a second notices changes made by other instances.
 */
export class Catalogue {
  private matcher?: Matcher;
  private signature?: string;
  private checkedAt = 0;
  private pending?: Promise<Matcher>;
  /** The published versions behind the compiled matcher, with their bank's name, by product id. */
  private rows = new Map<number, { product: ProductRow; bankName: string }>();

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly logger: Logger) {}

  /** Forget the compiled catalogue; the next match rebuilds it. */
  invalidate(): void {
    this.signature = undefined;
    this.checkedAt = 0;
  }

  async current(): Promise<Matcher> {
    const now = this.clock.now().getTime();
    if (this.matcher && this.signature !== undefined && now - this.checkedAt < CHECK_EVERY_MS && now >= this.checkedAt) return this.matcher;
    this.pending ??= this.refresh(now).finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async refresh(now: number): Promise<Matcher> {
    const signature = await this.readSignature();
    this.checkedAt = now;
    if (this.matcher && signature === this.signature) return this.matcher;
    const rows = await this.db.select({ product: products, bankName: banks.name }).from(products)
      .innerJoin(banks, eq(banks.id, products.bankId))
      .where(and(eq(products.status, 'published'), eq(banks.active, true)))
      .orderBy(products.id);
    const list: MatchProduct[] = rows.map(({ product, bankName }) => {
      const f = productFields(product);
      return { id: product.id, bankId: product.bankId, bankName, name: f.name, type: f.type, amount: f.amount, termMonths: f.termMonths, rate: f.rate, approvalDays: f.approvalDays, firstLoanFriendly: f.firstLoanFriendly, criteria: f.criteria };
    });
    this.matcher = new Matcher(list);
    this.rows = new Map(rows.map((r) => [r.product.id, r]));
    this.signature = signature;
    this.logger.debug({ products: list.length }, 'compiled the product catalogue for matching');
    return this.matcher;
  }

  /** A published product version as compiled, to snapshot into leads without another query. */
  publishedRow(id: number): { product: ProductRow; bankName: string } | undefined {
    return this.rows.get(id);
  }

  /** Changes whenever a version is published, retired or edited, or a bank's activity changes. */
  private async readSignature(): Promise<string> {
    const [row] = await queryRows<{ s: string }>(this.db, sql`
      select concat_ws('|',
        (select count(*) from products where status = 'published'),
        (select max(updated_at) from products)::text,
        (select count(*) from banks where active),
        (select string_agg(name, ',' order by id) from banks)) as s`);
    return row?.s ?? '';
  }
}
