/**
 * What the price books of both clouds share: the currency, the hours in a billing month, and the usage
 * the estimate assumes for what is billed by use rather than by the hour. Plain data, no imports: the
 * settings, the policy pack and the plan all read it.
 */

export const currency = "USD";

/** Cloud bills count 730 hours in a month (8,760 h a year / 12). */
export const hoursPerMonth = 730;

/** The one date every table below was read on; `pricedAt` of every estimate. */
export const pricedAt = "2026-11-27";

export type PricedEnvironment = "staging" | "prod";

/**
 * Usage the estimate assumes per month, because the program declares capacity, not traffic. These are
 * stated guesses for a modest AI-agent service (the LLM calls themselves are billed by the model
 * providers, not here); a real bill moves with traffic, mostly through these lines.
 */
export interface UsageAssumptions {
    /** GB of logs ingested per month for the whole stack (containers, control plane, flow logs, slow log). */
    logIngestGb: number;
    /** GB processed by the NAT gateways per month (image pulls, LLM API calls and their answers). */
    natProcessedGb: number;
    /** GB of database dumps kept in the backup bucket. */
    backupStorageGb: number;
    /** GB of images kept in the registry. */
    registryStorageGb: number;
    /** GB served to clients through the load balancer per month (internet egress). */
    internetEgressGb: number;
    /** Load balancer capacity units (AWS LCU) used on average per hour. */
    loadBalancerCapacityUnits: number;
    /** Share of the database that changes per day: each retained daily backup beyond the first stores that much. */
    databaseDailyChange: number;
}

export const usageAssumptions: Record<PricedEnvironment, UsageAssumptions> = {
    staging: { logIngestGb: 10, natProcessedGb: 20, backupStorageGb: 10, registryStorageGb: 5, internetEgressGb: 5, loadBalancerCapacityUnits: 1, databaseDailyChange: 0.05 },
    prod: { logIngestGb: 100, natProcessedGb: 200, backupStorageGb: 200, registryStorageGb: 10, internetEgressGb: 100, loadBalancerCapacityUnits: 2, databaseDailyChange: 0.05 },
};

/**
 * Cloud-neutral types that cost nothing by themselves: Kubernetes objects run on the priced nodes,
 * random values and providers are bookkeeping, and the image is built where `pulumi up` runs. The
 * Kubernetes kinds that do cost (a LoadBalancer Service, a PersistentVolumeClaim, a Helm release that
 * makes either) are priced by what they ask for, not listed here.
 */
export const neutralFreeTypePrefixes: readonly string[] = ["kubernetes:", "random:", "docker:", "pulumi:providers:"];

/** A model's list price per million tokens, in USD. */
export interface TokenPrice {
    inputPerMillion: number;
    outputPerMillion: number;
}

/**
 * LLM token prices per provider and model: the one table both the LLM gateway's per-request cost
 * (its CEL expression, components/workloads/llmGateway.ts) and any spend figure read. List prices of
 * the providers' pricing pages (openai.com/api/pricing, anthropic.com/pricing, ai.google.dev/pricing;
 * Gemini 2.5 Pro at prompts up to 200k tokens), standard tier, no batch or cache discounts. A model
 * not listed is priced at the provider's dearest listed model, so a budget errs on the safe side.
 * Checked 2026-11-27, every figure unchanged: docs.anthropic.com/en/docs/about-claude/pricing (Opus 4.1
 * 15/75, Sonnet 4 tier 3/15); Sonnet 4.5, Haiku 4.5, the OpenAI and the Gemini rows against pages
 * quoting those lists (deploybase.ai/articles/claude-api-pricing, …/openai-pricing, …/gemini-2.5-pricing,
 * morphllm.com/gemini-api-pricing), the providers' own OpenAI and Gemini pages not being at hand.
 */
export const llmTokenPrices: Record<"openai" | "anthropic" | "gemini", Record<string, TokenPrice>> = {
    openai: {
        "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
        "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
        "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
        "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
    },
    anthropic: {
        "claude-sonnet-4-5": { inputPerMillion: 3, outputPerMillion: 15 },
        "claude-haiku-4-5": { inputPerMillion: 1, outputPerMillion: 5 },
        "claude-opus-4-1": { inputPerMillion: 15, outputPerMillion: 75 },
    },
    gemini: {
        "gemini-2.5-pro": { inputPerMillion: 1.25, outputPerMillion: 10 },
        "gemini-2.5-flash": { inputPerMillion: 0.3, outputPerMillion: 2.5 },
    },
};

/** The price of a provider's model, or of its dearest listed model when the table does not know it. */
export function tokenPrice(provider: keyof typeof llmTokenPrices, model: string): TokenPrice {
    const known = llmTokenPrices[provider][model];
    if (known) return known;
    const all = Object.values(llmTokenPrices[provider]);
    return { inputPerMillion: Math.max(...all.map((p) => p.inputPerMillion)), outputPerMillion: Math.max(...all.map((p) => p.outputPerMillion)) };
}

/** USD of one request: what the gateway's CEL cost expression computes, in micro-USD. */
export function requestCostUsd(price: TokenPrice, inputTokens: number, outputTokens: number): number {
    return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
