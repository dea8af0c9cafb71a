/**
 * The company database the data journeys ask about: the sales fixture (regions, customers,
 * products, orders from 2023-01 to 2025-03: fiscal years 2023 and 2024 complete) in a SQLite file,
 * and the figures a person would compute from the same rows without Kura.
 */
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { generateSales } from '../helpers/sales-database.js';
import { writeSalesSqlite } from '../helpers/sales-fixture-files.js';

export const SALES_SOURCE = '販売DB';
const ROWS = generateSales(1200, 11);

/** Writes sales.db into `folder` (one of the server's KURA_FOLDER_ROOTS); returns its path. */
export function writeSalesDatabase(folder: string): string {
  const file = path.join(folder, 'sales.db');
  writeSalesSqlite(file, ROWS);
  return file;
}

/** Sales (sum of order-line amounts) by region name for the fiscal year starting April `year`. */
export function salesByRegion(year: number): Map<string, number> {
  const start = `${year}-04-01`;
  const end = `${year + 1}-04-01`;
  const orderDate = new Map(ROWS.orders.map(([id, , date]) => [id, date]));
  const orderCustomer = new Map(ROWS.orders.map(([id, customer]) => [id, customer]));
  const customerRegion = new Map(ROWS.customers.map(([id, , region]) => [id, region]));
  const regionName = new Map(ROWS.regions);
  const totals = new Map<string, number>();
  for (const [orderId, , , , amount] of ROWS.orderLines) {
    const date = orderDate.get(orderId)!;
    if (date < start || date >= end) continue;
    const region = regionName.get(customerRegion.get(orderCustomer.get(orderId)!)!)!;
    totals.set(region, (totals.get(region) ?? 0) + amount);
  }
  return totals;
}

/** As a company admin of the browser context: adds the SQLite file as a database source. */
export async function addSalesSource(context: BrowserContext, file: string): Promise<void> {
  const me = (await (await context.request.get('/api/v1/me')).json()) as { csrfToken: string };
  const created = await context.request.post('/api/v1/sources', {
    headers: { 'x-csrf-token': me.csrfToken },
    data: { kind: 'sqlite', name: SALES_SOURCE, settings: { path: file } },
  });
  expect(created.status(), await created.text()).toBe(201);
}
