/** A fresh schema per test file on the run's Postgres server (see test/setup/database.ts). */
import { inject } from "vitest";
import { randomBytes } from "node:crypto";
import { connectDb, type Db, type DriverName } from "../../runtime/store/db.ts";

export const drivers: DriverName[] = ["pg", "postgres"];

export function databaseUrl(): string {
  return inject("databaseUrl");
}

export function freshSchemaName(prefix = "t"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export async function openTestDb(driver: DriverName = "pg", max = 5): Promise<Db> {
  return connectDb(databaseUrl(), { driver, max });
}

export async function dropSchema(db: Db, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
