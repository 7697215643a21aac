"use strict";

/** A provider answer that retrying will not change (bad request, bad key, unknown model). */
class ProviderError extends Error {
    constructor(message, status) {
        super(message);
        this.name = "ProviderError";
        this.status = status;
    }
}

const retryable = (status) => status === 408 || status === 409 || status === 429 || status >= 500;

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
}

/**
 * One OpenAI-compatible chat completion (`POST <base>/chat/completions`), which Anthropic, OpenAI,
 * Gemini and most gateways serve. Each attempt gets `timeoutMs`; timeouts, 408/409/429 and 5xx are
 * retried `retries` times with doubling back-off, anything else fails at once. `signal` (the worker
 * shutting down) aborts it all without retrying.
 */
async function chatCompletion(llm, { model, prompt, signal }) {
    let lastError;
    for (let attempt = 0; attempt <= llm.retries; attempt += 1) {
        if (attempt > 0) await sleep(Math.min(llm.retryBaseMs * 2 ** (attempt - 1), 10000), signal);
        const timeout = AbortSignal.timeout(llm.timeoutMs);
        try {
            const res = await fetch(`${llm.baseUrl}/chat/completions`, {
                method: "POST",
                headers: { "content-type": "application/json", ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}) },
                body: JSON.stringify({ model, messages: [{ role: "user", content: prompt }] }),
                signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
            });
            const text = await res.text();
            if (!res.ok) {
                const error = new ProviderError(`provider answered ${res.status}: ${text.slice(0, 200)}`, res.status);
                if (!retryable(res.status)) throw error;
                lastError = error;
                continue;
            }
            const body = JSON.parse(text);
            return {
                content: body.choices?.[0]?.message?.content ?? "",
                usage: { input: body.usage?.prompt_tokens ?? 0, output: body.usage?.completion_tokens ?? 0 },
            };
        } catch (e) {
            if (signal?.aborted) throw signal.reason ?? e;
            if (e instanceof ProviderError) throw e;
            lastError = timeout.aborted ? new Error(`provider did not answer within ${llm.timeoutMs} ms`) : e;
        }
    }
    throw new ProviderError(`provider failed after ${llm.retries + 1} attempts: ${lastError?.message}`, undefined);
}

module.exports = { chatCompletion, ProviderError, sleep };
