/**
 * The Prometheus metrics of Envoy AI Gateway v1.1.0's external processor (served beside each LLM
 * gateway proxy on `aigw-admin` :1064 `/metrics`), as the dashboards and alert rules read them.
 *
 * Source, read 2026-11-27 at the v1.1.0 tag of github.com/envoyproxy/ai-gateway:
 * - internal/metrics/genai.go: the OpenTelemetry instruments (all histograms) and attributes;
 * - internal/metrics/metrics_impl.go: which attributes each sample carries;
 * - internal/extproc/processor_impl.go: one sample per upstream attempt, `error.type="_OTHER"` on a
 *   non-2xx answer, and `gen_ai.request.model` = the backend's `modelNameOverride` when it has one;
 * - tests/data-plane/vcr/prometheus_metrics_test.go: the Prometheus names (dots become underscores,
 *   the unit `s` adds `_seconds`, the unit `token` adds nothing) and the label set of one sample;
 * - site/versioned_docs/version-1.1/capabilities/observability/metrics.md (aigateway.envoyproxy.io/docs/capabilities/observability/metrics).
 */
export const aiGatewayMetrics = {
    /** Histogram of tokens per request (`_sum`, `_count`, `_bucket`), one sample per token type. */
    tokenUsage: "gen_ai_client_token_usage",
    /** Histogram in seconds of each upstream attempt; failed attempts carry `error_type`. */
    requestDuration: "gen_ai_server_request_duration_seconds",
    /** Histogram in seconds until the first token of a streamed answer. */
    timeToFirstToken: "gen_ai_server_time_to_first_token_seconds",
    /** Histogram in seconds per output token after the first, of streamed answers. */
    timePerOutputToken: "gen_ai_server_time_per_output_token_seconds",
} as const;

export const aiGatewayLabels = {
    /** `chat`, `completion`, `embeddings`, `messages`, … (the endpoint called). */
    operation: "gen_ai_operation_name",
    /**
     * From the backend's API schema, not its host: every backend of this program speaks the OpenAI
     * schema (stacks/facts/llmProviders.ts), so every sample says `openai`, whichever provider answered.
     * The dashboards tell providers apart by `requestModel` instead.
     */
    provider: "gen_ai_provider_name",
    /** The `model` the client sent (the route's model name). */
    originalModel: "gen_ai_original_model",
    /** The model sent to the backend: the provider's own name after `modelNameOverride`. */
    requestModel: "gen_ai_request_model",
    /** The model the provider says answered (often a dated version). */
    responseModel: "gen_ai_response_model",
    /** On `gen_ai_client_token_usage`: see `tokenTypes`. */
    tokenType: "gen_ai_token_type",
    /** On `gen_ai_server_request_duration_seconds` of a failed attempt: always `_OTHER` in v1.1.0. */
    errorType: "error_type",
} as const;

/**
 * Values of `gen_ai_token_type` in v1.1.0. There is no `total` (the v1.1 site page still says there
 * is; the code records none). Over the OpenAI schema `input` is the prompt's tokens including cached
 * ones and `output` the completion's including reasoning, so input + output is what the provider bills;
 * `cached_input`, `cache_creation_input` and `reasoning` are parts of those, not additions.
 */
export const tokenTypes = {
    input: "input",
    output: "output",
    cachedInput: "cached_input",
    cacheCreationInput: "cache_creation_input",
    reasoning: "reasoning",
} as const;

/** What `error_type` says for every failed attempt in v1.1.0 (internal/metrics/genai.go `genaiErrorTypeFallback`). */
export const failedAttemptErrorType = "_OTHER";
