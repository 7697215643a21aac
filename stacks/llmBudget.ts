import { z } from "zod";
import { numeric } from "./configText";
import { upperBounds } from "./facts/bounds";

/**
 * The rate limiter counts whole units up to 2^32 − 1 per window (BackendTrafficPolicy
 * `limit.requests`, Envoy Gateway v1.9 api/v1alpha1/ratelimit_types.go), and the USD budget is
 * counted in micro-USD: at most $4294 per hour, under the shared spend bound.
 */
export const rateLimitMaxCount = 4_294_967_295;
const maxUsdPerHour = Math.min(upperBounds.tokenCostPerHourUsd, Math.floor(rateLimitMaxCount / 1_000_000));

/**
 * An hourly LLM budget, enforced by the LLM gateway's global rate limit: both limits apply, and the
 * first one reached refuses further requests until the hour rolls over (docs/ai-gateway.md).
 */
export const llmBudgetSchema = z.strictObject(
    {
        /** Input plus output tokens per hour, as the gateway counts them (`llm_total_token`). */
        tokensPerHour: z.preprocess(
            numeric,
            z
                .number({ error: "must be a number" })
                .int({ error: "must be a whole number" })
                .min(1, { error: `must be a whole number from 1 to ${upperBounds.llmTokensPerHour}` })
                .max(upperBounds.llmTokensPerHour, { error: `must be a whole number from 1 to ${upperBounds.llmTokensPerHour}` }),
        ),
        /** Estimated spend per hour in USD, priced by the price book's `llmTokenPrices`; enforced to the micro-dollar. */
        usdPerHour: z.preprocess(
            numeric,
            z
                .number({ error: "must be a number" })
                .min(0.000001, { error: `must be a number from 0.000001 to ${maxUsdPerHour}` })
                .max(maxUsdPerHour, { error: `must be a number from 0.000001 to ${maxUsdPerHour} (the rate limiter counts micro-USD in 32 bits)` }),
        ),
    },
    { error: "must be { tokensPerHour, usdPerHour }" },
);

export type LlmBudget = z.output<typeof llmBudgetSchema>;
