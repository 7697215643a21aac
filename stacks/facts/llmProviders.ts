/**
 * The LLM providers the AI gateway can send a request to with an API key, and how it reaches each
 * one's OpenAI-compatible API. The gateway speaks the OpenAI schema to the service and to every
 * provider here, so no translation is involved:
 * - OpenAI: https://platform.openai.com/docs/api-reference (base https://api.openai.com/v1).
 * - Anthropic: "OpenAI SDK compatibility", https://docs.anthropic.com/en/api/openai-sdk (base https://api.anthropic.com/v1).
 * - Gemini: "OpenAI compatibility", https://ai.google.dev/gemini-api/docs/openai (base https://generativelanguage.googleapis.com/v1beta/openai);
 *   Envoy AI Gateway's AIServiceBackend `schema.prefix` documents this very prefix (CRD v1.1.0).
 * Read 2026-11-27.
 */
export const llmProviders = {
    openai: { keyName: "openaiApiKey", hostname: "api.openai.com", schema: { name: "OpenAI", prefix: "/v1" } },
    anthropic: { keyName: "anthropicApiKey", hostname: "api.anthropic.com", schema: { name: "OpenAI", prefix: "/v1" } },
    gemini: { keyName: "geminiApiKey", hostname: "generativelanguage.googleapis.com", schema: { name: "OpenAI", prefix: "/v1beta/openai" } },
} as const;

export type LlmProvider = keyof typeof llmProviders;
export const llmProviderNames = Object.keys(llmProviders) as LlmProvider[];

/** Providers are reached over HTTPS only; this is also the only port the gateway's data plane may open to the internet. */
export const llmProviderPort = 443;
