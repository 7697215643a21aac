import { kubernetesNames } from "../../components/contract";
import { alertDefinitions } from "../../components/operations/alerts";
import { keyedProviders, llmCallers, llmQueries, priceTable, providerModels } from "../../components/operations/llmSignals";
import { llmCallerMetricLabel, serviceCaller } from "../../components/shared/llmCaller";
import { environmentDefaults } from "../../stacks";
import { aiGatewayMetrics } from "../../stacks/facts/aiGatewayMetrics";
import { llmTokenPrices, requestCostUsd, tokenPrice } from "../../stacks/facts/prices";
import type { ProgramRun, RecordedResource } from "../../tools/engine/harness";
import { twoTenants } from "../tenants/fixtures";
import { cases, label, operationsOne, runOperations, types, type Case, type AlertRule as Rule } from "./run";

/** team-a brings its own budget, team-b gets the default tenant budget. */
const teamABudget = { tokensPerHour: 300_000, usdPerHour: 3.5 };
const tenantsWithBudget = (c: Case) => twoTenants[c.cloud].map((t) => (t.name === "team-a" ? { ...t, llmBudget: teamABudget } : t));

/** The budgets each stack's defaults give (stacks/defaults.ts), and one case per stack that sets its own. */
const defaults = {
    staging: { budget: { tokensPerHour: 2_000_000, usdPerHour: 10 }, tenantBudget: { tokensPerHour: 500_000, usdPerHour: 2 }, budgetAlertPercent: 80 },
    prod: { budget: { tokensPerHour: 20_000_000, usdPerHour: 100 }, tenantBudget: { tokensPerHour: 2_000_000, usdPerHour: 10 }, budgetAlertPercent: 80 },
};
const overridden: Record<string, typeof defaults.prod> = {
    "staging on gcp": { budget: { tokensPerHour: 900_000, usdPerHour: 4 }, tenantBudget: { tokensPerHour: 100_000, usdPerHour: 0.5 }, budgetAlertPercent: 50 },
    "prod on aws": { budget: { tokensPerHour: 50_000_000, usdPerHour: 250 }, tenantBudget: { tokensPerHour: 1_000_000, usdPerHour: 5 }, budgetAlertPercent: 90 },
};

/** The per-caller thresholds of a rule: `label_replace(vector(<n>), "ai_platform_caller", "<caller>", "", "")`. */
function thresholds(expr: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of expr.matchAll(/label_replace\(vector\(([^)]+)\), "ai_platform_caller", "([^"]+)", "", ""\)/g)) out[m[2]] = Number(m[1]);
    return out;
}

/** The price vector of a query: `label_replace(label_replace(vector(<usd>), "gen_ai_request_model", "<m>", …), "gen_ai_token_type", "<t>", …)`. */
function prices(expr: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of expr.matchAll(/label_replace\(label_replace\(vector\(([^)]+)\), "gen_ai_request_model", "([^"]+)", "", ""\), "gen_ai_token_type", "([^"]+)", "", ""\)/g))
        out[`${m[2]} ${m[3]}`] = Number(m[1]);
    return out;
}

describe.each(cases)("LLM gateway signals: $stack on $cloud", (c: Case) => {
    const budgets = overridden[label(c)] ?? defaults[c.stack];
    let run: ProgramRun;
    let rule: (name: string) => Rule;
    let panels: { title: string; type: string; gridPos: { y: number }; targets: { expr: string }[]; fieldConfig: { defaults: { thresholds: { steps: { value: number | null }[] } } } }[];
    let runbook: RecordedResource;

    beforeAll(async () => {
        const own = overridden[label(c)] ? Object.fromEntries(Object.entries(budgets).map(([k, v]) => [`ai-platform:llmGateway.${k}`, v])) : {};
        run = await runOperations(c, { config: { ...own, "ai-platform:tenants": tenantsWithBudget(c) } });
        const rules: Rule[] = operationsOne(run, types.prometheusRule).inputs.spec.groups.flatMap((g: { rules: Rule[] }) => g.rules);
        rule = (name) => {
            const found = rules.find((r) => r.alert === name);
            if (!found) throw new Error(`no alert ${name}`);
            return found;
        };
        panels = JSON.parse(Object.values(operationsOne(run, types.configMap, /dashboards/).inputs.data as Record<string, string>)[0]).panels;
        runbook = operationsOne(run, types.configMap, /runbook/);
    });

    test("spend alerts warn at budgetAlertPercent of each caller's USD budget and turn critical at all of it; a tenant's own budget replaces the default", () => {
        const pct = budgets.budgetAlertPercent / 100;
        const usd = { [serviceCaller]: budgets.budget.usdPerHour, "team-a": teamABudget.usdPerHour, "team-b": budgets.tenantBudget.usdPerHour };
        const near = Object.fromEntries(Object.entries(usd).map(([k, v]) => [k, Number((v * pct).toPrecision(12))]));
        expect(thresholds(rule("LlmSpendNearBudget").expr)).toEqual(near);
        expect(thresholds(rule("LlmSpendOverBudget").expr)).toEqual(usd);
        expect(rule("LlmSpendNearBudget").expr).toMatch(new RegExp(`^sum by \\(${llmCallerMetricLabel}\\) .* > on \\(${llmCallerMetricLabel}\\) \\(`));
        expect(rule("LlmSpendOverBudget").expr).toMatch(new RegExp(` >= on \\(${llmCallerMetricLabel}\\) \\(`));
        expect(rule("LlmSpendNearBudget").annotations.description).toContain(`${budgets.budgetAlertPercent}% of its budget`);
    });

    test("token alerts do the same with tokensPerHour, counting input plus output tokens over the trailing hour", () => {
        const pct = budgets.budgetAlertPercent / 100;
        const tokens = { [serviceCaller]: budgets.budget.tokensPerHour, "team-a": teamABudget.tokensPerHour, "team-b": budgets.tenantBudget.tokensPerHour };
        expect(thresholds(rule("LlmTokensNearBudget").expr)).toEqual(Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, v * pct])));
        expect(thresholds(rule("LlmTokensOverBudget").expr)).toEqual(tokens);
        expect(rule("LlmTokensOverBudget").expr).toContain(
            `sum by (${llmCallerMetricLabel}) (rate(${aiGatewayMetrics.tokenUsage}_sum{namespace="${kubernetesNames.gateway.namespace}",gen_ai_token_type=~"input|output"}[1h])) * 3600`,
        );
    });

    test("spend is priced from the price book's llmTokenPrices for every backend with a key (Anthropic and OpenAI in the stack files)", () => {
        const expr = rule("LlmSpendOverBudget").expr;
        expect(prices(expr)).toEqual({
            "claude-sonnet-4-5 input": llmTokenPrices.anthropic["claude-sonnet-4-5"].inputPerMillion,
            "claude-sonnet-4-5 output": llmTokenPrices.anthropic["claude-sonnet-4-5"].outputPerMillion,
            "gpt-4.1 input": llmTokenPrices.openai["gpt-4.1"].inputPerMillion,
            "gpt-4.1 output": llmTokenPrices.openai["gpt-4.1"].outputPerMillion,
        });
        expect(expr).toContain("* on (gen_ai_request_model, gen_ai_token_type) group_left () (");
        expect(expr).toContain("* 3600 / 1e6");
    });

    test("provider errors and fallbacks are read from the attempts' duration histogram, the provider told apart by the model name sent upstream", () => {
        const errors = rule("LlmProviderErrors").expr;
        expect(errors).toContain(`rate(${aiGatewayMetrics.requestDuration}_count{namespace="envoy-gateway-system",error_type!=""}[5m])`);
        expect(errors).toContain('"provider", "anthropic", "gen_ai_request_model", "claude-sonnet-4-5"');
        expect(errors).toContain('"provider", "openai", "gen_ai_request_model", "gpt-4\\\\.1"');
        expect(errors).not.toContain("gemini");
        expect(errors).not.toContain("gen_ai_provider_name");
        expect(errors).toMatch(/ \* 100 > 5$/);
        // A provider without failures reads 0 % rather than vanishing from the panel.
        expect(errors).toMatch(/^\(sum by \(provider\) \(.*\) or sum by \(provider\) \(.*\) \* 0\) \/ sum by \(provider\) /);
        const fallback = rule("LlmFallbackRate").expr;
        // The primary of the default model is Anthropic's: answers with any other upstream model are fallbacks.
        expect(fallback).toContain(
            'unless on (gen_ai_original_model, gen_ai_request_model) (label_replace(label_replace(vector(1), "gen_ai_original_model", "claude-sonnet-4-5", "", ""), "gen_ai_request_model", "claude-sonnet-4-5", "", ""))',
        );
        expect(fallback).toContain('error_type=""');
        expect(fallback).toMatch(/ \* 100 > 5$/);
    });

    test("the dashboard's LLM row shows what the alerts fire on, below the edge's row", () => {
        const panel = (title: string) => panels.find((p) => p.title === title)!;
        const row = panels.find((p) => p.type === "row" && p.title === "LLM gateway (Envoy AI Gateway)")!;
        const edgeRow = panels.find((p) => p.type === "row" && p.title.startsWith("Public edge"))!;
        expect(row.gridPos.y).toBeGreaterThan(edgeRow.gridPos.y);
        for (const p of panels.filter((x) => x.title.startsWith("LLM ") && x.type !== "row")) expect(p.gridPos.y).toBeGreaterThan(row.gridPos.y);
        expect(rule("LlmSpendNearBudget").expr.startsWith(panel("LLM estimated USD per hour by caller").targets[0].expr)).toBe(true);
        expect(rule("LlmProviderErrors").expr.startsWith(panel("LLM provider error rate").targets[0].expr)).toBe(true);
        expect(rule("LlmFallbackRate").expr.startsWith(panel("LLM fallback rate").targets[0].expr)).toBe(true);
        expect(panel("LLM tokens per minute by caller").targets[0].expr).toContain(`sum by (${llmCallerMetricLabel})`);
        expect(panel("LLM tokens per minute by provider").targets[0].expr).toMatch(/^sum by \(provider\) \(label_replace/);
        expect(panel("LLM time to first token (p95)").targets[0].expr).toContain(`${aiGatewayMetrics.timeToFirstToken}_bucket{`);
        expect(panel("LLM time per output token (p95)").targets[0].expr).toContain(`${aiGatewayMetrics.timePerOutputToken}_bucket{`);
        expect(panel("LLM fallback rate").fieldConfig.defaults.thresholds.steps.find((s) => s.value !== null)?.value).toBe(5);
    });

    test("the runbook lists every caller's budget and where it is set", () => {
        const entry = (runbook.inputs.data as Record<string, string>)["LlmSpendOverBudget.md"];
        expect(entry).toContain(`| ${serviceCaller} | ${budgets.budget.usdPerHour} | ${budgets.budget.tokensPerHour} | \`llmGateway.budget\` |`);
        expect(entry).toContain(`| team-a | ${teamABudget.usdPerHour} | ${teamABudget.tokensPerHour} | \`tenants[team-a].llmBudget\` |`);
        expect(entry).toContain(`| team-b | ${budgets.tenantBudget.usdPerHour} | ${budgets.tenantBudget.tokensPerHour} | \`llmGateway.tenantBudget\` |`);
        expect(entry).toContain("429");
    });
});

describe("LLM signals from settings alone", () => {
    const prod = environmentDefaults.prod;
    const keys = (...names: ("openaiApiKey" | "anthropicApiKey" | "geminiApiKey")[]) => Object.fromEntries(names.map((n) => [n, {} as never]));

    test("without tenants the only caller is the service, with its own budget", () => {
        expect(llmCallers(prod)).toEqual([{ caller: serviceCaller, budget: prod.llmGateway.budget, source: "llmGateway.budget" }]);
        expect(thresholds(alertDefinitions(prod).find((a) => a.alert === "LlmSpendOverBudget")!.expr)).toEqual({ [serviceCaller]: prod.llmGateway.budget.usdPerHour });
    });

    test("the primary is the first backend whose provider has a key", () => {
        const onlyOpenai = llmQueries({ ...prod, keyedProviders: keyedProviders(keys("openaiApiKey")) });
        expect(onlyOpenai.fallbackRatePercent).toContain('"gen_ai_request_model", "gpt-4.1", "", ""');
        expect(providerModels({ ...prod, keyedProviders: keyedProviders(keys("openaiApiKey")) })).toEqual({ openai: ["gpt-4.1"] });
        expect(providerModels({ ...prod, keyedProviders: keyedProviders(keys("geminiApiKey", "anthropicApiKey")) })).toEqual({ anthropic: ["claude-sonnet-4-5"], gemini: ["gemini-2.5-pro"] });
    });

    test("the signals learn which providers have a key, never the keys", () => {
        expect(keyedProviders(keys("geminiApiKey", "openaiApiKey")).sort()).toEqual(["gemini", "openai"]);
        expect(keyedProviders({})).toEqual([]);
        // Settings refuse a model without a keyed backend; should one slip through, all its backends are still priced.
        expect(providerModels({ ...prod, keyedProviders: [] })).toEqual(providerModels(prod));
        expect(Object.keys(providerModels(prod)).sort()).toEqual(["anthropic", "gemini", "openai"]);
    });

    test("the price table prices a request as the gateway's CEL cost does (requestCostUsd of the same book)", () => {
        const table = priceTable({ ...prod, keyedProviders: keyedProviders(keys("openaiApiKey", "anthropicApiKey", "geminiApiKey")) });
        for (const [provider, model] of [
            ["anthropic", "claude-sonnet-4-5"],
            ["openai", "gpt-4.1"],
            ["gemini", "gemini-2.5-pro"],
        ] as const) {
            const per = (type: string) => table.find((p) => p.model === model && p.tokenType === type)!.usdPerMillion;
            // 1,200 input and 350 output tokens, as the spend query multiplies them.
            expect((1200 * per("input") + 350 * per("output")) / 1e6).toBeCloseTo(requestCostUsd(tokenPrice(provider, model), 1200, 350), 12);
        }
    });

    test("a model name two providers serve is priced at the dearer, so the estimate errs high", () => {
        const shared = { ...prod, llmGateway: { ...prod.llmGateway, models: [{ name: "gpt-4.1", backends: [{ provider: "openai" as const }, { provider: "anthropic" as const }] }] } };
        const table = priceTable(shared);
        const dearest = tokenPrice("anthropic", "gpt-4.1");
        expect(table).toEqual([
            { model: "gpt-4.1", tokenType: "input", usdPerMillion: Math.max(dearest.inputPerMillion, llmTokenPrices.openai["gpt-4.1"].inputPerMillion) },
            { model: "gpt-4.1", tokenType: "output", usdPerMillion: Math.max(dearest.outputPerMillion, llmTokenPrices.openai["gpt-4.1"].outputPerMillion) },
        ]);
    });

    test("thresholds carry no float noise (0.07 × 80 %)", () => {
        const s = {
            ...prod,
            tenants: [{ name: "team-a", principal: "group:team-a@example.com", quota: { cpu: "1", memory: "1Gi", pods: 5 }, ports: [8080], llmBudget: { tokensPerHour: 1000, usdPerHour: 0.07 } }],
        };
        expect(thresholds(llmQueries(s).spendWarningUsd)).toEqual({ [serviceCaller]: 80, "team-a": 0.056 });
    });
});
