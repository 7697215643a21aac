import type { Settings } from "../../stacks";
import { aiGatewayLabels as l, aiGatewayMetrics as m, tokenTypes } from "../../stacks/facts/aiGatewayMetrics";
import { llmProviders, type LlmProvider } from "../../stacks/facts/llmProviders";
import type { LlmBudget } from "../../stacks/llmBudget";
import { tokenPrice } from "../../stacks/facts/prices";
import { kubernetesNames } from "../contract";
import { llmCallerMetricLabel, serviceCaller } from "../shared/llmCaller";

/**
 * The LLM gateway's signals: PromQL over the `gen_ai_*` metrics of Envoy AI Gateway's external
 * processor (stacks/facts/aiGatewayMetrics.ts), built from settings because three things the metrics
 * do not carry come from there: which provider serves a model name, what its tokens cost (the price
 * book's `llmTokenPrices`, the table the gateway's CEL cost expression reads), and each caller's budget.
 */

export interface LlmSignalSettings extends Pick<Settings, "llmGateway" | "tenants"> {
    /**
     * The providers that have an API key: the gateway routes only to their backends. Which ones is all the
     * signals need to know of the keys (see `keyedProviders`), so the keys themselves never reach them.
     * @default every provider: every backend counts as routed (a pure call, as the contract test makes)
     */
    keyedProviders?: readonly LlmProvider[];
}

/** Which providers have a key set, without the keys. */
export function keyedProviders(providerApiKeys: Settings["providerApiKeys"]): LlmProvider[] {
    return (Object.keys(llmProviders) as LlmProvider[]).filter((provider) => providerApiKeys[llmProviders[provider].keyName] !== undefined);
}

/** One caller of the LLM gateway and the hourly budget it is held to. */
export interface LlmCaller {
    /** The value of `ai_platform_caller`: the service's namespace, or the tenant's name. */
    caller: string;
    budget: LlmBudget;
    /** Where the budget comes from, for the runbook and the estimate. */
    source: string;
}

/** The service, then every tenant with its own budget or the default tenant budget. */
export function llmCallers(settings: Pick<Settings, "llmGateway" | "tenants">): LlmCaller[] {
    return [
        { caller: serviceCaller, budget: settings.llmGateway.budget, source: "llmGateway.budget" },
        ...settings.tenants.map((t) =>
            t.llmBudget
                ? { caller: t.name, budget: t.llmBudget, source: `tenants[${t.name}].llmBudget` }
                : { caller: t.name, budget: settings.llmGateway.tenantBudget, source: "llmGateway.tenantBudget" },
        ),
    ];
}

/** The LLM gateway's proxies (and their external processors) run in Envoy Gateway's namespace. */
export const llmScope = `namespace="${kubernetesNames.gateway.namespace}"`;
/** The token types a provider bills: the others are parts of these (stacks/facts/aiGatewayMetrics.ts). */
const billed = `${l.tokenType}=~"${tokenTypes.input}|${tokenTypes.output}"`;

const quote = (s: string) => JSON.stringify(s);
/** An anchored PromQL regex that matches exactly these names. */
const exactly = (names: string[]) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
/** A one-series vector with the given labels: `vector()` has none, `label_replace` on the empty label adds them. */
const labelled = (value: number, labels: Record<string, string>) =>
    Object.entries(labels).reduce((expr, [name, v]) => `label_replace(${expr}, ${quote(name)}, ${quote(v)}, "", "")`, `vector(${value})`);

/** Every backend of every model, in fallback order, with the provider's own model name. */
function backends(settings: LlmSignalSettings) {
    const keyed = settings.keyedProviders;
    // Without the list (a pure call, as the contract test makes) every backend counts as routed.
    const routed = (p: LlmProvider) => !keyed || keyed.includes(p);
    return settings.llmGateway.models.map((model) => {
        const all = model.backends.map((b) => ({ provider: b.provider, model: b.model ?? model.name }));
        // Settings refuse a model none of whose providers has a key; should one slip through, price it anyway.
        const keyed = all.filter((b) => routed(b.provider));
        return { name: model.name, backends: keyed.length > 0 ? keyed : all };
    });
}

/**
 * The provider of each model name the gateway sends upstream. `gen_ai_provider_name` cannot tell:
 * it names the API schema, OpenAI for all three providers here.
 */
export function providerModels(settings: LlmSignalSettings): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const m of backends(settings)) for (const b of m.backends) if (!(out[b.provider] ??= []).includes(b.model)) out[b.provider].push(b.model);
    return out;
}

/** Adds a `provider` label to series that carry `gen_ai_request_model`. */
function withProvider(settings: LlmSignalSettings, expr: string): string {
    return Object.entries(providerModels(settings)).reduce((e, [provider, models]) => `label_replace(${e}, "provider", ${quote(provider)}, ${quote(l.requestModel)}, ${quote(exactly(models))})`, expr);
}

/**
 * USD per million tokens of each upstream model name and billed token type, from the price book.
 * A name two providers serve is priced at the dearer one, so an estimate errs high.
 */
export function priceTable(settings: LlmSignalSettings): { model: string; tokenType: string; usdPerMillion: number }[] {
    const prices = new Map<string, { input: number; output: number }>();
    for (const m of backends(settings))
        for (const b of m.backends) {
            const p = tokenPrice(b.provider, b.model);
            const known = prices.get(b.model);
            prices.set(b.model, { input: Math.max(known?.input ?? 0, p.inputPerMillion), output: Math.max(known?.output ?? 0, p.outputPerMillion) });
        }
    return [...prices].flatMap(([model, p]) => [
        { model, tokenType: tokenTypes.input, usdPerMillion: p.input },
        { model, tokenType: tokenTypes.output, usdPerMillion: p.output },
    ]);
}

const priceVector = (settings: LlmSignalSettings) =>
    `(${priceTable(settings)
        .map((p) => labelled(p.usdPerMillion, { [l.requestModel]: p.model, [l.tokenType]: p.tokenType }))
        .join(" or ")})`;

/** One series per caller with its threshold; 12 significant digits keep float noise (0.07 × 0.8) out of the rule. */
const perCaller = (callers: LlmCaller[], value: (c: LlmCaller) => number) => `(${callers.map((c) => labelled(Number(value(c).toPrecision(12)), { [llmCallerMetricLabel]: c.caller })).join(" or ")})`;

const tokenRate = (by: string[], window: string) => `sum by (${by.join(", ")}) (rate(${m.tokenUsage}_sum{${llmScope},${billed}}[${window}]))`;
const attempts = (matchers: string, by: string[]) => `sum by (${by.join(", ")}) (rate(${m.requestDuration}_count{${llmScope}${matchers}}[5m]))`;
/** Attempts a backend answered with 2xx (no `error_type`). */
const answered = (by: string[]) => attempts(`,${l.errorType}=""`, by);

/** The PromQL of the LLM gateway's panels and alerts. */
export function llmQueries(settings: LlmSignalSettings) {
    const caller = llmCallerMetricLabel;
    /** Estimated USD over the trailing hour (the budgets' unit), by the given labels. */
    const spendPerHour = (by: string[]) =>
        `sum by (${by.join(", ")}) (${tokenRate([...new Set([...by, l.requestModel, l.tokenType])], "1h")} * on (${l.requestModel}, ${l.tokenType}) group_left () ${priceVector(settings)}) * 3600 / 1e6`;
    const primaries = `(${backends(settings)
        .filter((x) => x.backends.length > 0)
        .map((x) => labelled(1, { [l.originalModel]: x.name, [l.requestModel]: x.backends[0].model }))
        .join(" or ")})`;
    const callers = llmCallers(settings);
    const attemptsByProvider = `sum by (provider) (${withProvider(settings, attempts("", [l.requestModel]))})`;
    const errorsByProvider = `sum by (provider) (${withProvider(settings, attempts(`,${l.errorType}!=""`, [l.requestModel]))})`;
    const answersByModel = `sum by (${l.originalModel}) (${answered([l.originalModel])})`;
    const fallbacks = `sum by (${l.originalModel}) (${answered([l.originalModel, l.requestModel])} unless on (${l.originalModel}, ${l.requestModel}) ${primaries})`;
    const share = (percent: number) => percent / 100;
    return {
        tokensPerMinuteByModel: `${tokenRate([l.originalModel], "5m")} * 60`,
        tokensPerMinuteByProvider: `sum by (provider) (${withProvider(settings, tokenRate([l.requestModel], "5m"))}) * 60`,
        tokensPerMinuteByCaller: `${tokenRate([caller], "5m")} * 60`,
        /** Input plus output tokens over the trailing hour: what `tokensPerHour` budgets. */
        tokensPerHourByCaller: `${tokenRate([caller], "1h")} * 3600`,
        spendPerHourUsdByModel: spendPerHour([l.originalModel]),
        spendPerHourUsdByProvider: `sum by (provider) (${withProvider(settings, spendPerHour([l.requestModel]))})`,
        spendPerHourUsdByCaller: spendPerHour([caller]),
        p95TimeToFirstTokenSeconds: `histogram_quantile(0.95, sum by (le, ${l.originalModel}) (rate(${m.timeToFirstToken}_bucket{${llmScope}}[5m])))`,
        p95TimePerOutputTokenSeconds: `histogram_quantile(0.95, sum by (le, ${l.originalModel}) (rate(${m.timePerOutputToken}_bucket{${llmScope}}[5m])))`,
        /** Failed upstream attempts (non-2xx, resets, timeouts) per provider, in percent of its attempts; 0, not absent, without failures. */
        providerErrorRatePercent: `(${errorsByProvider} or ${attemptsByProvider} * 0) / ${attemptsByProvider} * 100`,
        /** Answers from a backend other than the model's primary, in percent of all answers, per model; 0 without fallbacks. */
        fallbackRatePercent: `(${fallbacks} or ${answersByModel} * 0) / ${answersByModel} * 100`,
        /** Per caller: the share of its USD budget at which the spend alert warns, and the budget. */
        spendWarningUsd: perCaller(callers, (c) => c.budget.usdPerHour * share(settings.llmGateway.budgetAlertPercent)),
        spendBudgetUsd: perCaller(callers, (c) => c.budget.usdPerHour),
        tokensWarning: perCaller(callers, (c) => c.budget.tokensPerHour * share(settings.llmGateway.budgetAlertPercent)),
        tokensBudget: perCaller(callers, (c) => c.budget.tokensPerHour),
    };
}
