import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/**/*.slow.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    // Only makes room for the PostgreSQL store tests' throwaway cluster; the first of them to run starts it.
    globalSetup: ['tests/pg-global-setup.ts'],
    // CI reads the JSON report to print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
