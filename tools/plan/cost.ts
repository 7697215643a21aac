import type { createColors } from "picocolors";
import { llmCallers } from "../../components/operations/llmSignals";
import { estimateCost, formatUsd, llmSpendCeiling, type CostEstimate, type CostResource, type LlmSpendCeiling } from "../../stacks/cost";
import { projectName, validateSettings } from "../../stacks/validate";
import type { Plan } from "./planStack";
import { elideMiddle, wrap } from "./fit";

/**
 * The plan's cost section: the estimate of `stacks/cost.ts` over the resources the run declared, the
 * same figure the policy pack's `cost-within-budget` holds to `ai-platform:budget.monthlyUsd`.
 */

type Colors = ReturnType<typeof createColors>;

/** What `--json` carries as `cost`; the items sum to `monthly`. */
export interface PlanCostJson {
    currency: CostEstimate["currency"];
    monthly: number;
    pricedAt: string;
    region?: string;
    /** The total with every autoscaled item at its lower and at its upper bound. */
    band: CostEstimate["band"];
    items: { urn: string; type: string; name: string; monthly: number; basis: string; band?: CostEstimate["band"] }[];
    warnings: string[];
    /** What the stack's LLM budgets allow at most per month; not in `monthly` (docs/cost.md). */
    llmCeiling?: LlmSpendCeiling;
}

/** Each recorded resource as the estimate reads it; an explicit provider's region goes with it. */
export function costResources(plan: Pick<Plan, "run">): CostResource[] {
    const providerRegions = new Map(plan.run.resources.filter((r) => r.type.startsWith("pulumi:providers:") && typeof r.inputs.region === "string").map((r) => [r.urn, r.inputs.region as string]));
    return plan.run.resources.map((r) => {
        const provider = r.options.provider?.split("::").slice(0, 4).join("::");
        const providerRegion = provider ? providerRegions.get(provider) : undefined;
        return { urn: r.urn, type: r.type, name: r.name, parent: r.parent, custom: r.custom, read: r.read, inputs: r.inputs, ...(providerRegion ? { providerRegion } : {}) };
    });
}

export function planCost(plan: Pick<Plan, "run" | "identity">): CostEstimate {
    const region = plan.identity.region === "(not set)" ? undefined : plan.identity.region;
    return estimateCost(costResources(plan), { region, environment: plan.identity.environment });
}

/**
 * The LLM spend ceiling of the stack's settings (the service's and every tenant's hourly USD budget),
 * read from the config the run saw; none when the config is not the program's (a fixture program).
 */
export function planLlmCeiling(plan: Pick<Plan, "run">): LlmSpendCeiling | undefined {
    const { settings } = validateSettings({ project: projectName, stack: plan.run.stack, values: plan.run.config, secretKeys: plan.run.secretKeys });
    if (!settings) return undefined;
    return llmSpendCeiling(llmCallers(settings).map((c) => ({ caller: c.caller, usdPerHour: c.budget.usdPerHour })));
}

export function costJson(estimate: CostEstimate, llmCeiling?: LlmSpendCeiling): PlanCostJson {
    return {
        currency: estimate.currency,
        monthly: estimate.monthly,
        pricedAt: estimate.pricedAt,
        ...(estimate.region ? { region: estimate.region } : {}),
        band: estimate.band,
        items: estimate.items.map((i) => ({ urn: i.urn, type: i.type, name: i.name, monthly: i.monthly, basis: i.basis, ...(i.band ? { band: i.band } : {}) })),
        warnings: estimate.warnings,
        ...(llmCeiling ? { llmCeiling } : {}),
    };
}

/** The total, its autoscaling band, and the figure of each component, largest first. */
export function renderCost(estimate: CostEstimate, c: Colors, width: number, llmCeiling?: LlmSpendCeiling): string {
    const amount = 11;
    const nameWidth = Math.max(5, Math.min(Math.max(...estimate.components.map((x) => x.component.length), 0), width - amount - 4));
    const title = "Estimated monthly cost";
    const [first, ...rest] = wrap(
        `${title} (on-demand list prices of ${estimate.pricedAt}${estimate.region ? `, ${estimate.region}` : ""}; usage assumed for ${estimate.environment}: docs/cost.md)`,
        width,
        "",
        "  ",
    );
    const total = `  ${c.bold("Total".padEnd(nameWidth))}  ${c.bold(formatUsd(estimate.monthly).padStart(amount))}`;
    const band = estimate.band.low !== estimate.band.high ? `(autoscaling ${formatUsd(estimate.band.low)} – ${formatUsd(estimate.band.high)})` : "";
    const warn = (text: string) => wrap(`! ${text}`, width, "  ", "    ").map((line) => c.yellow(line));
    const lines = [
        `${c.bold(title)}${c.dim(first.slice(title.length))}`,
        ...rest.map((line) => c.dim(line)),
        ...estimate.components.map((x) => `  ${elideMiddle(x.component, nameWidth).padEnd(nameWidth)}  ${formatUsd(x.monthly).padStart(amount)}`),
        ...(band && nameWidth + amount + band.length + 6 <= width ? [`${total}  ${c.dim(band)}`] : [total, ...(band ? wrap(band, width, "    ").map((line) => c.dim(line)) : [])]),
        ...(llmCeiling ? renderLlmCeiling(llmCeiling, c, width, nameWidth, amount) : []),
        ...estimate.warnings.flatMap(warn),
    ];
    if (estimate.unpricedTypes.length > 0) lines.push(...warn(`not in the price book (counted as $0): ${estimate.unpricedTypes.join(", ")}`));
    return lines.join("\n");
}

/** Below the total, never in it: the providers bill it, and it is what the budgets allow, not what traffic will spend. */
function renderLlmCeiling(ceiling: LlmSpendCeiling, c: Colors, width: number, nameWidth: number, amount: number): string[] {
    const name = "LLM spend ceiling";
    const line = `  ${elideMiddle(name, Math.max(nameWidth, 5)).padEnd(nameWidth)}  ${formatUsd(ceiling.monthly).padStart(amount)}`;
    const callers = ceiling.callers.length === 1 ? "1 caller" : `${ceiling.callers.length} callers`;
    const note = `(at most what the hourly LLM budgets of ${callers} allow, ${ceiling.basis}; billed by the providers, not in the total; a ceiling, not a forecast)`;
    return [line, ...wrap(note, width, "    ").map((l) => c.dim(l))];
}
