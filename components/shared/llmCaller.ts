/**
 * Who is calling the LLM gateway. The gateway, not the client, decides: each caller reaches its own
 * listener (NetworkPolicies admit a namespace only to its listener's port), and a ClientTrafficPolicy
 * on that listener sets this header, overwriting whatever the client sent. Budgets (the global rate
 * limit's client selectors), metrics labels and dashboards all key on it.
 */
export const llmCallerHeader = "x-ai-platform-caller";

/** The Prometheus label under which the AI gateway's `gen_ai_*` metrics carry the caller header. */
export const llmCallerMetricLabel = "ai_platform_caller";

/** A caller's key is its namespace: the service's own (`ai-agents`), or a tenant's name. */
export const serviceCaller = "ai-agents";
