/**
 * Pulumi structured config arrives as JSON, but `pulumi config set --path a.b 5` and
 * `npm run plan -- -c a.b=5` can hand over strings: a number is accepted in its string spelling too.
 * One definition for every schema module (settings, tenants, LLM budgets).
 */
export const numeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);
