import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/**/*.slow.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores: one on a 2-core CI machine, where the files then
    // ran one after another (362 s); two workers take 236 s there, inside CI's 10 minutes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Only makes room for the PostgreSQL store tests' throwaway cluster; the first of them to run starts it.
    globalSetup: ['tests/pg-global-setup.ts'],
    // CI reads the JSON report to print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
  },
});
