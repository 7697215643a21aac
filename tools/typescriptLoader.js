"use strict";
/**
 * `node tools/typescriptLoader.js <entry.ts> [args…]`: runs a TypeScript entry point of the project
 * (the offline plan, the bench) fast, without type-checking (`npm run typecheck` does that):
 *
 * - Each `.ts` file is transpiled by sucrase (types stripped, imports to CommonJS with the interop of
 *   `esModuleInterop`, line numbers kept) once per content: the output is kept under
 *   `node_modules/.cache/ai-platform/ts/`, named by a hash of the source, sucrase's version and its
 *   options. An edited file has another hash, so a stale build cannot be run; sucrase itself is only
 *   loaded when a file is new.
 * - On Node ≥ 22.1, V8's compile cache (`module.enableCompileCache`) keeps the bytecode of every module,
 *   the SDKs' included, under `node_modules/.cache/ai-platform/v8/` (checked against each file's
 *   content by Node). On Node 20 there is no such cache and this step does nothing.
 *
 * Plain JavaScript, because it is what loads the TypeScript.
 */
const { createHash } = require("node:crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const cacheRoot = path.join(__dirname, "..", "node_modules", ".cache", "ai-platform");

/** Turns on V8's on-disk compile cache where Node has it; returns whether it is on. */
function enableCompileCache() {
    if (process.env.AI_PLATFORM_COMPILE_CACHE === "0" || typeof Module.enableCompileCache !== "function") return false;
    const result = Module.enableCompileCache(path.join(cacheRoot, "v8"));
    // status 0 is FAILED, 1 ENABLED, 2 ALREADY_ENABLED (NODE_COMPILE_CACHE), 3 DISABLED (NODE_DISABLE_COMPILE_CACHE).
    return result !== undefined && (result.status === 1 || result.status === 2);
}

const sucraseOptions = { transforms: ["imports", "typescript"] };
let transform;
let salt;

/** The cache key's fixed part: a new sucrase or other options make every file new. */
function cacheSalt() {
    if (salt === undefined) salt = JSON.stringify({ sucrase: require("sucrase/package.json").version, options: sucraseOptions });
    return salt;
}

/** JavaScript for a TypeScript source, from the cache when this exact source was transpiled before. */
function transpile(source, filename) {
    const key = createHash("sha256").update(cacheSalt()).update("\0").update(source).digest("hex");
    const file = path.join(cacheRoot, "ts", key.slice(0, 2), `${key}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        // Not transpiled yet.
    }
    if (transform === undefined) transform = require("sucrase").transform;
    const code = transform(source, { ...sucraseOptions, filePath: filename }).code;
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Written whole, then renamed: a concurrent run never reads half a file.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, code);
        fs.renameSync(temporary, file);
    } catch {
        // A read-only checkout still runs; it transpiles every time.
    }
    return code;
}

function registerTypeScript() {
    // The same hook sucrase/register/ts installs, with the cache in front of it.
    // require.extensions is deprecated but is still the only synchronous hook for CommonJS loading (sucrase/register uses it too).
    require.extensions[".ts"] = (module, filename) => module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
}

function main() {
    const [entry, ...args] = process.argv.slice(2);
    if (!entry) {
        process.stderr.write("usage: node tools/typescriptLoader.js <entry.ts> [args…]\n");
        process.exit(2);
    }
    enableCompileCache();
    registerTypeScript();
    const resolved = path.resolve(entry);
    // The entry sees the command line as if Node had run it directly.
    process.argv = [process.argv[0], resolved, ...args];
    Module.runMain(resolved);
}

module.exports = { enableCompileCache, registerTypeScript, transpile, cacheRoot };

if (require.main === module) main();
