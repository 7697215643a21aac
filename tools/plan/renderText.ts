import { createColors } from "picocolors";
import { creationTimesCheckedOn, defaultCreationTime } from "../../stacks/facts/creationTimes";
import type { DeployStep } from "./deploy";
import { maskedOutput, scrubSecrets, secretStrings } from "./mask";
import type { Plan } from "./planStack";
import { planExitCode } from "./planStack";
import { advisoryViolations, mandatoryViolations, type Violation } from "./policyStep";
import { buildTree, countByType, treeLines } from "./tree";

export interface TextOptions {
    /** ANSI colours; off for pipes, files, `NO_COLOR` and `--no-color`. */
    color: boolean;
}

type Colors = ReturnType<typeof createColors>;

/** Longer output values are cut in the text report; `--json` has them whole. */
const maxValueWidth = 160;

/**
 * The plan as `pulumi preview` would show it: a header naming the stack, the resource tree, counts
 * per type, the stack outputs (secrets masked) and the policy report, ending with the verdict.
 */
export function renderText(plan: Plan, options: TextOptions): string {
    const c = createColors(options.color);
    const text = [renderHeader(plan, c), renderTree(plan, c), renderCounts(plan, options, c), renderOutputs(plan, c), renderDeploy(plan, c), renderPolicies(plan, c), renderVerdict(plan, c)].join("\n\n") + "\n";
    // Policy messages are free text: a secret they quote is scrubbed like any other.
    return scrubSecrets(text, secretStrings(plan.run));
}

function renderHeader({ identity }: Plan, c: Colors): string {
    const rows: [string, string][] = [
        ["project", identity.project],
        ["stack", identity.stack],
        ["cloud", identity.cloud],
        ["region", identity.region],
        ["environment", identity.environment],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    return [
        `${c.bold(`Plan for ${identity.project}/${identity.stack}`)} ${c.yellow("(offline: mocked engine; nothing is created)")}`,
        ...rows.map(([k, v]) => `  ${c.dim(k.padEnd(width))}  ${v}`),
    ].join("\n");
}

function renderTree({ identity, run }: Plan, c: Colors): string {
    const lines = treeLines(buildTree(run.resources), { underStack: true });
    const stackType = "pulumi:pulumi:Stack";
    const typeWidth = Math.max(stackType.length, ...lines.map((l) => l.prefix.length + l.resource.type.length));
    const out = [c.bold("Resources"), `     ${c.dim(stackType.padEnd(typeWidth))}  ${c.dim(`${identity.project}-${identity.stack}`)}`];
    for (const { resource, prefix } of lines) {
        const op = resource.read ? c.cyan(">") : c.green("+");
        const type = resource.custom ? resource.type : c.bold(resource.type);
        const flags = [resource.read ? "read" : "", resource.options.protect ? "protected" : ""].filter(Boolean);
        const padding = " ".repeat(typeWidth - prefix.length - resource.type.length);
        out.push(`  ${op}  ${c.dim(prefix)}${type}${padding}  ${resource.name}${flags.length ? "  " + c.yellow(`[${flags.join(", ")}]`) : ""}`);
    }
    if (lines.length === 0) out.push(c.dim("  (the program declares no resources)"));
    return out.join("\n");
}

function renderCounts({ run }: Plan, options: TextOptions, c: Colors): string {
    const counts = countByType(run.resources);
    const table = borderlessTable(["Type", "Count"], options);
    for (const { type, count } of counts.byType) table.push([type, String(count)]);
    table.push([c.bold("Total"), c.bold(String(counts.total))]);
    const kinds = `${counts.custom} custom resource${counts.custom === 1 ? "" : "s"}, ${counts.components} component${counts.components === 1 ? "" : "s"}`;
    return `${c.bold("Resources by type")}\n${table.toString()}\n  ${c.dim(`${counts.total} to create: ${kinds}`)}`;
}

function renderOutputs({ run }: Plan, c: Colors): string {
    const names = Object.keys(run.outputs).sort();
    if (names.length === 0) return `${c.bold("Outputs")}\n${c.dim("  (none)")}`;
    const width = Math.max(...names.map((n) => n.length));
    const lines = names.map((name) => {
        const output = run.outputs[name];
        const shown = output.secret ? c.magenta(String(maskedOutput(output))) : truncate(JSON.stringify(output.value) ?? "undefined");
        return `  ${name.padEnd(width)}  ${shown}`;
    });
    return `${c.bold("Outputs")}\n${lines.join("\n")}`;
}

/** The modeled first `pulumi up`: its total, the chain that sets it, and the longest chains beside it. */
function renderDeploy({ deploy }: Plan, c: Colors): string {
    const minutes = (m: number) => m.toFixed(1).padStart(5);
    const steps = (list: DeployStep[], indent: string) => {
        const width = Math.max(...list.map((s) => s.name.length));
        return list.map((s) => `${indent}${minutes(s.minutes)}  ${minutes(s.finish)}  ${s.name.padEnd(width)}  ${c.dim(s.type)}`);
    };
    const out = [
        `${c.bold("First deploy")} ${c.dim(`(modeled: typical creation times of ${creationTimesCheckedOn}, the program's dependencies, everything else in parallel)`)}`,
        `  ${c.bold(`about ${Math.ceil(deploy.minutes)} min`)} ${c.dim(`(${deploy.minutes.toFixed(1)})`)} until the last resource is created`,
    ];
    if (deploy.criticalPath.length > 0) out.push(`  Critical path ${c.dim("(minutes it takes, done at minute, resource, type)")}`, ...steps(deploy.criticalPath, "    "));
    deploy.chains.forEach((chain, i) => {
        out.push(`  Independent chain ${i + 1}: ${chain.minutes.toFixed(1)} min ${c.dim("(runs beside the chains above; timed from the start)")}`, ...steps(chain.steps, "    "));
    });
    if (deploy.defaultedTypes.length > 0) {
        out.push(c.yellow(`  Not in the creation-time table, counted as ${defaultCreationTime.minutes} min: ${deploy.defaultedTypes.join(", ")}`));
    }
    return out.join("\n");
}

function renderPolicies({ policy }: Plan, c: Colors): string {
    if (policy.status !== "evaluated") return `${c.bold("Policies")}\n  ${c.yellow(`not evaluated: ${policy.reason}`)}`;
    const group = (title: string, violations: Violation[], mark: string, paint: (s: string) => string) => {
        if (violations.length === 0) return `  ${title} (0): none`;
        const items = violations.map((v) => {
            const where = v.urn ? `${v.resourceType ?? ""}  ${v.resourceName ?? ""}`.trim() : "(stack)";
            const fix = v.remediation ? `fix: ${v.remediation}` : `policy: ${v.description}`;
            return [`    ${paint(mark)} ${paint(v.policy)} ${c.dim(`[${v.severity}]`)}  ${where}`, `        ${v.message}`, `        ${c.dim(fix)}`].join("\n");
        });
        return [`  ${paint(`${title} (${violations.length})`)}`, ...items].join("\n");
    };
    return [
        `${c.bold("Policies")} ${c.dim(`(policy config of ${policy.environment})`)}`,
        group("Mandatory", mandatoryViolations(policy), "✖", c.red),
        group("Advisory", advisoryViolations(policy), "!", c.yellow),
    ].join("\n");
}

function renderVerdict(plan: Plan, c: Colors): string {
    const mandatory = mandatoryViolations(plan.policy).length;
    const advisory = advisoryViolations(plan.policy).length;
    if (planExitCode(plan) !== 0) {
        return c.red(c.bold(`✖ ${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}: \`pulumi up\` would be blocked.`));
    }
    const note = plan.policy.status === "evaluated" ? `no mandatory policy violation${advisory ? `, ${advisory} advisory` : ""}` : "policies not evaluated";
    return c.green(c.bold(`✔ ${plan.run.resources.length} resources planned; ${note}.`));
}

function truncate(text: string): string {
    return text.length <= maxValueWidth ? text : `${text.slice(0, maxValueWidth - 1)}…`;
}

/** A cli-table3 table without borders, loaded only when a report needs one. */
export function borderlessTable(head: string[], options: TextOptions): { push(row: string[]): void; toString(): string } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Table = require("cli-table3") as typeof import("cli-table3");
    const none = { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "", left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  " };
    return new Table({
        head,
        chars: none,
        colAligns: head.map((_, i) => (i === 0 ? "left" : "right")),
        style: { head: options.color ? ["cyan"] : [], border: [], "padding-left": 2, "padding-right": 0 },
    });
}
