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
 * - Where a `require` from the SDKs (or of a package by name) leads is kept in
 *   `node_modules/.cache/ai-platform/resolve.json`: Node's lookup (stats of every candidate
 *   extension, `package.json` reads, `exports` maps, realpath) costs the plan more than 0.1 s per
 *   run, the same every time. The whole map is dropped when npm's record of the installed tree
 *   (`node_modules/.package-lock.json`, rewritten by every `npm install`/`npm ci`), Node, its flags or
 *   the checkout's path change; without that record there is no cache. Lookups from the project's
 *   own files to its own files are never cached: adding a file must take effect at once.
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

const nodeModules = path.join(__dirname, "..", "node_modules");
/** Where the map is kept; AI_PLATFORM_RESOLVE_CACHE names another file (tests), or `0` turns the cache off. */
const resolveFile = () => (process.env.AI_PLATFORM_RESOLVE_CACHE ? path.resolve(process.env.AI_PLATFORM_RESOLVE_CACHE) : path.join(cacheRoot, "resolve.json"));

/** The Node flags that change where a CommonJS `require` leads (others, such as `-r`, do not split the map). */
function resolutionFlags() {
    const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
    return flags.filter((flag, i) => /^(-C|--conditions|--preserve-symlinks|--experimental-|--no-experimental-)/.test(flag) || /^(-C|--conditions)$/.test(flags[i - 1] ?? ""));
}

/** What makes a cached resolution valid: the installed tree as npm recorded it, this Node and its resolution flags, this checkout. */
function resolveCacheKey(installed = nodeModules) {
    let lock;
    try {
        lock = fs.statSync(path.join(installed, ".package-lock.json"));
    } catch {
        return undefined;
    }
    return JSON.stringify([installed, process.version, resolutionFlags(), lock.ino, lock.size, lock.mtimeMs]);
}

const isInside = (file, directory) => file.startsWith(directory + path.sep);

/** Answers `require` lookups that land in `node_modules` from an on-disk map (see the header); returns whether it is on. */
function enableResolveCache() {
    if (process.env.AI_PLATFORM_RESOLVE_CACHE === "0") return false;
    const key = resolveCacheKey();
    if (key === undefined) return false;
    const file = resolveFile();
    let entries = Object.create(null);
    try {
        const stored = JSON.parse(fs.readFileSync(file, "utf8"));
        if (stored.key === key) entries = Object.assign(Object.create(null), stored.entries);
    } catch {
        // No map yet, or a damaged one: start afresh.
    }
    let added = 0;
    const resolve = Module._resolveFilename;
    // Module._resolveFilename is the one hook every CommonJS lookup goes through (module-alias and tsconfig-paths wrap it too).
    Module._resolveFilename = function (request, parent, isMain, options) {
        // `require.resolve` passes {} as options; `paths` (or any other option) is a lookup of its own.
        if (
            isMain ||
            (options !== undefined && options !== null && Object.keys(options).length > 0) ||
            parent === undefined ||
            parent === null ||
            typeof parent.path !== "string" ||
            Module.isBuiltin(request)
        ) {
            return resolve.apply(this, arguments);
        }
        const id = `${parent.path}\0${request}`;
        const cached = entries[id];
        if (cached !== undefined) return cached;
        const resolved = resolve.apply(this, arguments);
        // Only lookups whose answer depends on node_modules alone: from a package's files, or of a package by name.
        const bare = !request.startsWith(".") && !path.isAbsolute(request);
        if (isInside(resolved, nodeModules) && (bare || isInside(parent.path, nodeModules))) {
            entries[id] = resolved;
            added++;
        }
        return resolved;
    };
    process.on("exit", () => {
        if (added === 0) return;
        try {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            const temporary = `${file}.${process.pid}.tmp`;
            fs.writeFileSync(temporary, JSON.stringify({ key, entries }));
            fs.renameSync(temporary, file);
        } catch {
            // A read-only checkout still runs; it resolves every time.
        }
    });
    return true;
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
    enableResolveCache();
    registerTypeScript();
    const resolved = path.resolve(entry);
    // The entry sees the command line as if Node had run it directly.
    process.argv = [process.argv[0], resolved, ...args];
    Module.runMain(resolved);
}

module.exports = { enableCompileCache, enableResolveCache, resolveCacheKey, registerTypeScript, transpile, cacheRoot };

if (require.main === module) main();
