module.exports = require("./runCache").teardown;
