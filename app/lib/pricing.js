"use strict";
/**
 * List prices in USD per million tokens (input, output), for llm_cost_usd_total. Sources, read
 * 2026-11-27: anthropic.com/pricing, openai.com/api/pricing, ai.google.dev/gemini-api/docs/pricing.
 * A model not listed is counted at zero cost and logged once, so its spend is visibly missing rather
 * than guessed.
 */
const pricesPerMillionTokens = {
    "claude-opus-4-1": { input: 15, output: 75 },
    "claude-sonnet-4-5": { input: 3, output: 15 },
    "claude-haiku-4-5": { input: 1, output: 5 },
    "gpt-4o": { input: 2.5, output: 10 },
    "gpt-4o-mini": { input: 0.15, output: 0.6 },
    "gemini-2.5-pro": { input: 1.25, output: 10 },
    "gemini-2.5-flash": { input: 0.3, output: 2.5 },
};

/** Cost in USD of one call, or undefined for a model without a listed price. */
function costUsd(model, inputTokens, outputTokens) {
    const price = pricesPerMillionTokens[model];
    if (!price) return undefined;
    return (inputTokens * price.input + outputTokens * price.output) / 1e6;
}

module.exports = { costUsd, pricesPerMillionTokens };
