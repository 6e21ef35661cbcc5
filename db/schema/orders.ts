import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, currency, id, money, provider, updatedAt } from './columns';
import { eligibilityEnum, orderKindEnum, orderStatusEnum, tenderEnum } from './enums';

/** Local mirror of an order at its provider. */
export const orders = pgTable(
  'orders',
  {
    id: id(),
    provider: provider().notNull(),
    /** Forage order ref (10 chars) or Frontpayment order / reservation UUID (`ODR…`, `RES…`). */
    providerRef: text().notNull(),
    orderNumber: text().notNull().unique(),
    kind: orderKindEnum().notNull(),
    status: orderStatusEnum().notNull(),
    providerStatus: text().notNull(),
    currency: currency().notNull(),
    totalMinor: money().notNull(),
    customerName: text().notNull(),
    customerEmail: text().notNull(),
    customerPhone: text(),
    providerCustomerId: text(),
    placedAt: timestamp({ withTimezone: true }).notNull(),
    /** Merchant policy: no refunds after this moment (null = no deadline). */
    refundDeadline: timestamp({ withTimezone: true }),
    /**
     * Refunded at the provider by someone other than Refund Desk and not attributable to lines
     * (Frontpayment reports only an order total). Reduces what is refundable on the order.
     */
    externallyRefundedMinor: money().notNull().default(0),
    /**
     * False when the provider listed no ids for the order's lines, so they were numbered on import
     * (Frontpayment order details, frontpayment.md errata 1): a refund by line cannot be sent.
     */
    lineIdsKnown: boolean().notNull().default(true),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    syncedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('orders_provider_ref_key').on(t.provider, t.providerRef),
    check('orders_currency_code', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('orders_total_nonneg', sql`${t.totalMinor} >= 0`),
    check(
      'orders_external_refund_within_total',
      sql`${t.externallyRefundedMinor} >= 0 and ${t.externallyRefundedMinor} <= ${t.totalMinor}`,
    ),
    // Ascending: a backward scan serves the list's `ORDER BY placed_at DESC, id DESC` (drizzle's
    // .desc() would emit DESC NULLS LAST, which that ORDER BY cannot use).
    index('orders_placed_at_id_idx').on(t.placedAt, t.id),
    index('orders_email_lower_idx').on(sql`lower(${t.customerEmail})`),
    index('orders_name_lower_idx').on(sql`lower(${t.customerName})`),
    index('orders_provider_status_idx').on(t.provider, t.status),
    // Prefix search on order number / provider reference (refund history's `order` filter).
    index('orders_number_prefix_idx').on(sql`lower(${t.orderNumber}) text_pattern_ops`),
    index('orders_provider_ref_prefix_idx').on(sql`lower(${t.providerRef}) text_pattern_ops`),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: id(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    position: integer().notNull(),
    /** Forage product `upc`; Frontpayment numeric order-line `id` (as text). */
    providerLineId: text().notNull(),
    productId: text(),
    name: text().notNull(),
    unitPriceMinor: money().notNull(),
    quantity: integer().notNull(),
    paidMinor: money().notNull(),
    taxRateBp: integer().notNull().default(0),
    eligibility: eligibilityEnum(),
    /** Refunded at the provider by someone other than Refund Desk (seen on sync). */
    externallyRefundedMinor: money().notNull().default(0),
  },
  (t) => [
    unique('order_lines_provider_line_key').on(t.orderId, t.providerLineId),
    check('order_lines_quantity_positive', sql`${t.quantity} > 0`),
    check('order_lines_unit_price_nonneg', sql`${t.unitPriceMinor} >= 0`),
    check('order_lines_paid_nonneg', sql`${t.paidMinor} >= 0`),
    check(
      'order_lines_external_refund_within_paid',
      sql`${t.externallyRefundedMinor} >= 0 and ${t.externallyRefundedMinor} <= ${t.paidMinor}`,
    ),
    index('order_lines_order_idx').on(t.orderId),
  ],
);

/** One row per payment / tender / reservation capture or charge. */
export const orderPayments = pgTable(
  'order_payments',
  {
    id: id(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id, { onDelete: 'restrict' }),
    providerPaymentRef: text().notNull(),
    tender: tenderEnum().notNull(),
    amountMinor: money().notNull(),
    externallyRefundedMinor: money().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    unique('order_payments_ref_key').on(t.orderId, t.providerPaymentRef),
    check('order_payments_amount_positive', sql`${t.amountMinor} > 0`),
    check(
      'order_payments_external_refund_within_amount',
      sql`${t.externallyRefundedMinor} >= 0 and ${t.externallyRefundedMinor} <= ${t.amountMinor}`,
    ),
    index('order_payments_order_idx').on(t.orderId),
  ],
);

export type Order = typeof orders.$inferSelect;
export type OrderLine = typeof orderLines.$inferSelect;
export type OrderPayment = typeof orderPayments.$inferSelect;
