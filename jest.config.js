/**
 * Tests are transpiled with SWC (no type-checking: `tsc --noEmit` does that once, in `npm run typecheck`).
 * Every test evaluates the real program under Pulumi mocks, so one worker per core is the fastest layout.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 30000,
};
