// @ts-check
/**
 * Lint: ESLint's and typescript-eslint's recommended rules, type-aware, plus Pulumi's own rules
 * (@pulumi/eslint-plugin: an Output interpolated into a template literal is a bug; use
 * pulumi.interpolate). Formatting is prettier's job (`npm run format`), not the linter's.
 */
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
    { ignores: ["node_modules/", "policy/node_modules/", "examples/*/node_modules/", "bin/", "dist/", "coverage/", "plan-out/"] },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            // Tests reach into recorded provider inputs (untyped JSON by nature) and mutate them to build bad cases; product code keeps the rule.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
    {
        // Plain CommonJS files: the reference service in app/, jest's config and setup.
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: globals.node },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // ES module scripts the tests run with node (schema validation with ESM-only packages).
        files: ["**/*.mjs"],
        languageOptions: { sourceType: "module", globals: globals.node },
    },
);
