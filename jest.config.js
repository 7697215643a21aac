/**
 * Tests are transpiled file by file without type-checking: tsconfig.json sets `isolatedModules`, which
 * puts ts-jest in transpile-only mode. `npm run typecheck` (`tsc --noEmit`) type-checks once.
 * Every test evaluates the real program under Pulumi mocks.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  // The example team program imports the consumer module by its package name, as a team would.
  moduleNameMapper: { "^ai-platform/consumer$": "<rootDir>/consumer/index.ts" },
  testTimeout: 30000,
  // Jest defaults to cores - 1 workers, which on the 2-core CI machine means one: use both.
  maxWorkers: 2,
  // Identical program runs are evaluated once per session and shared across test files.
  globalSetup: "<rootDir>/test/setup/runCache.js",
  globalTeardown: "<rootDir>/test/setup/runCacheTeardown.js",
};
