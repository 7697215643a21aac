/**
 * One directory per jest session where test/harness.ts shares identical program runs across test
 * files (workers inherit the variable). Removed when the session ends.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function setup() {
    process.env.AI_PLATFORM_RUN_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "ai-platform-runs-"));
};

module.exports.teardown = async function teardown() {
    const dir = process.env.AI_PLATFORM_RUN_CACHE;
    if (dir && dir.includes("ai-platform-runs-")) fs.rmSync(dir, { recursive: true, force: true });
};
