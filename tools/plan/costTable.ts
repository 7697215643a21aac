/**
 * The README's cost table: the estimate of each default stack (AWS and GCP, staging and prod) and the
 * staging/prod ratio, computed by planning the real program. `npm run docs` rewrites the table; a
 * test fails when the README and the code drift apart.
 */
import { formatUsd } from "../../stacks/cost";
import { runProgram } from "../engine/harness";
import { planCost } from "./cost";
import { identityOf } from "./planStack";

/** The GCP stack the README tells users to configure. */
export const gcpStackConfig = { "ai-platform:cloud": "gcp", "gcp:project": "acme-agents", "gcp:region": "us-central1" } as const;

export const costTableMarkers = { begin: "<!-- cost-table:begin (npm run docs) -->", end: "<!-- cost-table:end -->" };

export interface StackEstimate {
    cloud: "aws" | "gcp";
    stack: "staging" | "prod";
    region: string;
    monthly: number;
}

/**
 * How the table plans a default stack: as a preview, GCP configured as the README says. The options
 * are spelled as the policy tests spell theirs, so a jest session evaluates each stack once.
 */
export function defaultStackRun(cloud: "aws" | "gcp", stack: "staging" | "prod"): { stack: string; config: Record<string, string> | undefined; preview: true } {
    return { stack, config: cloud === "gcp" ? { ...gcpStackConfig } : undefined, preview: true };
}

/** The four default stacks, each planned (as a preview) and estimated. */
export async function defaultStackEstimates(): Promise<StackEstimate[]> {
    const out: StackEstimate[] = [];
    for (const cloud of ["aws", "gcp"] as const) {
        for (const stack of ["staging", "prod"] as const) {
            const run = await runProgram(defaultStackRun(cloud, stack));
            const identity = identityOf(run);
            out.push({ cloud, stack, region: identity.region, monthly: planCost({ run, identity }).monthly });
        }
    }
    return out;
}

export function renderCostTable(estimates: readonly StackEstimate[]): string {
    const lines = ["| cloud | staging | prod | staging / prod |", "|---|---|---|---|"];
    for (const cloud of ["aws", "gcp"] as const) {
        const staging = estimates.find((e) => e.cloud === cloud && e.stack === "staging");
        const prod = estimates.find((e) => e.cloud === cloud && e.stack === "prod");
        if (!staging || !prod) continue;
        lines.push(`| ${cloud} | ${formatUsd(staging.monthly)} (${staging.region}) | ${formatUsd(prod.monthly)} (${prod.region}) | ${((100 * staging.monthly) / prod.monthly).toFixed(1)} % |`);
    }
    return lines.join("\n");
}

/** The README with its cost table replaced. */
export function withCostTable(readme: string, table: string): string {
    const start = readme.indexOf(costTableMarkers.begin);
    const end = readme.indexOf(costTableMarkers.end);
    if (start < 0 || end < start) throw new Error(`README.md lacks the ${costTableMarkers.begin} … ${costTableMarkers.end} markers`);
    return `${readme.slice(0, start + costTableMarkers.begin.length)}\n${table}\n${readme.slice(end)}`;
}
