import { bigint, char, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Provider } from './enums';

/** Money is an integer in minor units (cents, øre); JS numbers are exact up to 2^53. */
export const money = () => bigint({ mode: 'number' });
export const currency = () => char({ length: 3 });
export const id = () => uuid().primaryKey().defaultRandom();
export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** A provider id (see PROVIDERS): text, so that adding a provider needs no migration. */
export const provider = () => text().$type<Provider>();
