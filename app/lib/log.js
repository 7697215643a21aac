"use strict";
const levels = { debug: 10, info: 20, warning: 30, error: 40 };

/** One JSON line per event on stdout, at or above the configured level. */
function createLogger(level = "info", base = {}) {
    const threshold = levels[level] ?? levels.info;
    const write =
        (lvl) =>
        (msg, extra = {}) => {
            if (levels[lvl] < threshold) return;
            process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...extra })}\n`);
        };
    return { debug: write("debug"), info: write("info"), warning: write("warning"), error: write("error") };
}

module.exports = { createLogger };
