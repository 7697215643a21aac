import type { PolicyResource } from "@pulumi/policy";
import { estimateCost, formatUsd, type CostResource } from "../../stacks/cost";
import { stackPolicy, type PolicyDefinition } from "../lib/define";
import { plainProps, read } from "../lib/values";

/**
 * Cost: the stack's estimated monthly cost (`stacks/cost.ts`, the same estimate `npm run plan` prints)
 * against the budget the stack declares. The budget is read from the cloud budget resource that
 * `ai-platform:budget.monthlyUsd` creates, so the pack needs no copy of the stack's config.
 */

export const budgetTypes = { aws: "aws:budgets/budget:Budget", gcp: "gcp:billing/budget:Budget" } as const;

/** A budget resource's monthly amount in USD, when known. */
export function budgetAmount(r: Pick<PolicyResource, "type" | "props">): number | undefined {
    const props = plainProps(r.props);
    const amount =
        r.type === budgetTypes.aws
            ? props.limitUnit === undefined || props.limitUnit === "USD"
                ? Number(props.limitAmount)
                : NaN
            : (() => {
                  const specified = (props.amount as { specifiedAmount?: { units?: unknown; nanos?: unknown; currencyCode?: unknown } } | undefined)?.specifiedAmount;
                  if (!specified || (specified.currencyCode !== undefined && specified.currencyCode !== "USD")) return NaN;
                  return Number(specified.units ?? 0) + Number(specified.nanos ?? 0) / 1e9;
              })();
    return Number.isFinite(amount) && amount > 0 ? amount : undefined;
}

/** Components are this project's own types; everything else is a provider's resource. */
function isComponent(type: string): boolean {
    return type.startsWith("ai-platform:") || type === "pulumi:pulumi:Stack";
}

/** A stack policy's view of a resource, in the form the estimate reads. */
export function toCostResource(r: PolicyResource): CostResource {
    const region = r.provider ? read(() => r.provider?.props.region) : undefined;
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        ...(r.parent ? { parent: r.parent.urn } : {}),
        custom: !isComponent(r.type),
        inputs: plainProps(r.props),
        ...(typeof region === "string" ? { providerRegion: region } : {}),
    };
}

const withinBudget = stackPolicy({
    name: "cost-within-budget",
    description: "The stack's estimated monthly cost stays within its budget (ai-platform:budget.monthlyUsd).",
    severity: "high",
    category: "governance",
    resources: "every resource + aws.budgets.Budget / gcp.billing.Budget",
    checks: "The estimate of `stacks/cost.ts` (on-demand list prices, stated usage assumptions, node groups at their desired size) is at most the budget resource's amount (`limitAmount`, `amount.specifiedAmount`); a stack without a budget has nothing to check.",
    seed: '000 "Cost Explosions: traffic spikes can trigger $10,000/hour bills"; AI apps scale on cost budgets',
    remediation: "Raise ai-platform:budget.monthlyUsd, or shrink the largest items named above (machine types, node counts, highly available data stores).",
    validateStack: (args, report) => {
        const limits = args.resources.filter((r) => r.type === budgetTypes.aws || r.type === budgetTypes.gcp).map(budgetAmount);
        const known = limits.filter((l): l is number => l !== undefined);
        if (known.length === 0) return;
        const limit = Math.min(...known);
        const estimate = estimateCost(args.resources.map(toCostResource));
        if (estimate.monthly <= limit) return;
        const largest = estimate.items
            .slice(0, 3)
            .map((i) => `${i.name} ${formatUsd(i.monthly)} (${i.basis})`)
            .join("; ");
        report(`Estimated ${formatUsd(estimate.monthly)}/month exceeds the budget of ${formatUsd(limit)}/month by ${formatUsd(estimate.monthly - limit)}. Largest items: ${largest}.`);
    },
});

export const costPolicies: PolicyDefinition[] = [withinBudget];
