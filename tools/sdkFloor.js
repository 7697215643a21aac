"use strict";
/**
 * The SDK-load floor of the offline plan: how long a Node process takes just to load the third-party
 * modules (`node_modules`) a plan of the same stack loads, and nothing else. `npm run bench` compares
 * the plan with it; no plan can be faster than loading what it runs on.
 *
 * - `AI_PLATFORM_RECORD_MODULES=<file> node -r ./tools/sdkFloor.js …`: the process writes, when it exits,
 *   the `node_modules` files it loaded, in the order it started loading them.
 * - `node tools/sdkFloor.js <file>`: loads those files in that order, under the same compile cache as
 *   the plan (`tools/typescriptLoader.js`), and exits.
 */
const fs = require("fs");
const path = require("path");

const nodeModules = `${path.sep}node_modules${path.sep}`;

function recordOnExit(file) {
    process.on("exit", () => {
        // require.cache keeps insertion order, and a module is inserted before its body runs: parents first.
        const loaded = Object.keys(require.cache).filter((f) => f.includes(nodeModules) && f.endsWith(".js"));
        fs.writeFileSync(file, `${loaded.join("\n")}\n`);
    });
}

function loadAll(file) {
    require("./typescriptLoader").enableCompileCache();
    for (const module of fs.readFileSync(file, "utf8").split("\n").filter(Boolean)) require(module);
}

if (require.main === module) {
    const file = process.argv[2];
    if (!file) {
        process.stderr.write("usage: node tools/sdkFloor.js <modules-file>\n");
        process.exit(2);
    }
    loadAll(file);
} else if (process.env.AI_PLATFORM_RECORD_MODULES) {
    recordOnExit(process.env.AI_PLATFORM_RECORD_MODULES);
}
