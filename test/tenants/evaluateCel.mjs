// Evaluates CEL expressions (the ValidatingAdmissionPolicies' validations and match conditions) with
// @marcbachmann/cel-js, an implementation of the CEL spec. The package is an ES module, which jest's
// CommonJS runtime cannot load, so the tests run this file with node: [{ expression, context }] as
// JSON on stdin, one { value } or { error } per item on stdout.
import { readFileSync } from "node:fs";
import { evaluate } from "@marcbachmann/cel-js";

// CEL ints and uints come back as bigint (uints wrapped), which JSON cannot carry: as numbers.
const plain = (v) => (typeof v === "bigint" ? Number(v) : typeof v?.valueOf?.() === "bigint" ? Number(v.valueOf()) : v);

const cases = JSON.parse(readFileSync(0, "utf8"));
const results = cases.map(({ expression, context }) => {
    try {
        return { value: plain(evaluate(expression, context)) };
    } catch (e) {
        return { error: String(e?.message ?? e) };
    }
});
process.stdout.write(JSON.stringify(results));
