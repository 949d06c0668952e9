import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { parseDbLocation, type PostgresLocation } from '../../electron/db/db-location';

/**
 * A database of its own for a test on the test server (tests/helpers/pg-global-setup.ts): created
 * empty with a name no other test uses, so tests run in parallel without seeing each other, and
 * dropped by `drop` (connections still open to it are ended first). CREATE DATABASE copies
 * template1: a few milliseconds on the test cluster (fsync off).
 */

/** The test server's URL (its maintenance database). Also put in the environment, for child processes. */
export function testServerUrl(): string {
  const url = process.env.PLAN_TEST_PG_URL ?? inject('pgUrl');
  process.env.PLAN_TEST_PG_URL = url;
  return url;
}

/** The URL of database `name` on the server of `serverUrl` (same user and password). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Runs `fn` on a connection to the server's maintenance database. */
export async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let counter = 0;

export interface FreshDatabase {
  name: string;
  /** With the password: for the tests and the processes they start. */
  url: string;
  location: PostgresLocation;
  drop: () => Promise<void>;
}

export async function freshPostgresDatabase(): Promise<FreshDatabase> {
  const name = `plan_test_${process.pid}_${++counter}_${randomBytes(4).toString('hex')}`;
  await onServer((c) => c.query(`create database "${name}"`));
  const url = databaseUrl(testServerUrl(), name);
  const location = parseDbLocation(url, {});
  if (location.kind !== 'postgres') throw new Error(`not a PostgreSQL location: ${name}`);
  return {
    name,
    url,
    location,
    drop: () => onServer((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
