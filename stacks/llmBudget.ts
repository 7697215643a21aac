import { z } from "zod";
import { upperBounds } from "./facts/bounds";

const numeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);

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
                .min(0.000001, { error: `must be a number from 0.000001 to ${upperBounds.tokenCostPerHourUsd}` })
                .max(upperBounds.tokenCostPerHourUsd, { error: `must be a number from 0.000001 to ${upperBounds.tokenCostPerHourUsd}` }),
        ),
    },
    { error: "must be { tokensPerHour, usdPerHour }" },
);

export type LlmBudget = z.output<typeof llmBudgetSchema>;
