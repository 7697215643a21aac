"use strict";
/**
 * `AI_PLATFORM_CPU_FILE=<file> NODE_OPTIONS=--require=<this file> …`: every Node process of a command
 * appends the CPU seconds (user + system) it used to the file when it exits. `npm run bench` sums them:
 * on a machine shared with other work, CPU time shows what a change saved when wall time cannot.
 */
const fs = require("fs");

const file = process.env.AI_PLATFORM_CPU_FILE;
if (file) {
    process.on("exit", () => {
        const { user, system } = process.cpuUsage();
        fs.appendFileSync(file, `${(user + system) / 1e6}\n`);
    });
}
