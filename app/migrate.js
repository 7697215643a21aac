"use strict";
// Placeholder schema migration of the AI-agent service: nothing to migrate yet.
console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "no migrations to apply" }));
process.exit(0);
