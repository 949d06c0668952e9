import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
    // A PostgreSQL server for the tests of the second engine (started unless PLAN_TEST_PG_URL names one).
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
});
