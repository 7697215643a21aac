import { createColors } from "picocolors";
import { planCost, planLlmCeiling, renderCost } from "./cost";
import { creationTimesCheckedOn, defaultCreationTime } from "../../stacks/facts/creationTimes";
import type { DeployStep } from "./deploy";
import { maskedOutput, scrubSecrets, secretStrings } from "./mask";
import type { Plan } from "./planStack";
import { planExitCode } from "./planStack";
import { defaultWidth, displayType, elideEnd, elideMiddle, minimumWidth, wrap } from "./fit";
import { advisoryViolations, expectedViolations, mandatoryViolations, type Violation } from "./policyStep";
import { buildTree, treeLines } from "./tree";

export interface TextOptions {
    /** ANSI colours; off for pipes, files, `NO_COLOR` and `--no-color`. */
    color: boolean;
    /** Columns no line may exceed (see `terminalWidth`); 100 when not given. */
    width?: number;
}

type Colors = ReturnType<typeof createColors>;

/**
 * The plan as `pulumi preview` would show it: a header naming the stack, the resource tree, a
 * summary per provider and type, the stack outputs (secrets masked) and the policy report, ending
 * with the verdict. No line is wider than `options.width`: long names and tokens are elided in the
 * middle, free text is wrapped, and `--json` keeps everything whole.
 */
export function renderText(plan: Plan, options: TextOptions): string {
    const c = createColors(options.color);
    const width = Math.max(minimumWidth, options.width ?? defaultWidth);
    const text =
        [
            renderHeader(plan, c, width),
            renderTree(plan, c, width),
            renderSummary(plan, c, width),
            ...renderCostIfPriced(plan, c, width),
            renderOutputs(plan, c, width),
            renderDeploy(plan, c, width),
            renderPolicies(plan, c, width),
            renderVerdict(plan, c, width),
        ].join("\n\n") + "\n";
    // Policy messages are free text: a secret they quote is scrubbed like any other.
    return scrubSecrets(text, secretStrings(plan.run));
}

function renderHeader({ identity }: Plan, c: Colors, width: number): string {
    const rows: [string, string][] = [
        ["project", identity.project],
        ["stack", identity.stack],
        ["cloud", identity.cloud],
        ["region", identity.region],
        ["environment", identity.environment],
    ];
    const keyWidth = Math.max(...rows.map(([k]) => k.length));
    const title = `Plan for ${identity.project}/${identity.stack}`;
    const note = "(offline: mocked engine; nothing is created)";
    const heading = title.length + 1 + note.length <= width ? `${c.bold(title)} ${c.yellow(note)}` : `${c.bold(elideMiddle(title, width))}\n${c.yellow(elideEnd(note, width))}`;
    return [heading, ...rows.map(([k, v]) => `  ${c.dim(k.padEnd(keyWidth))}  ${elideMiddle(v, width - keyWidth - 4)}`)].join("\n");
}

/**
 * One line per resource: operation, tree guides, type token (as `pulumi preview` shortens it) and
 * name in two columns. The type column takes what it needs up to three fifths of the width; a token
 * or name that does not fit is elided in the middle, the guides and flags are kept.
 */
function renderTree({ identity, run }: Plan, c: Colors, width: number): string {
    const lines = treeLines(buildTree(run.resources), { underStack: true }).map((line) => ({ ...line, type: displayType(line.resource.type) }));
    const lead = 5;
    const stackType = "pulumi:pulumi:Stack";
    const widest = Math.max(stackType.length, ...lines.map((l) => l.prefix.length + l.type.length));
    const typeWidth = Math.min(widest, Math.floor((width - lead - 2) * 0.6));
    const out = [c.bold("Resources"), `${" ".repeat(lead)}${c.dim(stackType.padEnd(typeWidth))}  ${c.dim(elideMiddle(`${identity.project}-${identity.stack}`, width - lead - typeWidth - 2))}`];
    for (const { resource, prefix, type: fullType } of lines) {
        const op = resource.read ? c.cyan(">") : c.green("+");
        const guides = elideEnd(prefix, typeWidth - 4);
        const type = elideMiddle(fullType, typeWidth - guides.length);
        const flags = [resource.read ? "read" : "", resource.options.protect ? "protected" : ""].filter(Boolean);
        const flagText = flags.length ? `  [${flags.join(", ")}]` : "";
        const room = width - lead - typeWidth - 2;
        const name = elideMiddle(resource.name, Math.max(1, room - flagText.length));
        const padding = " ".repeat(typeWidth - guides.length - type.length);
        const shownFlags = name.length + flagText.length <= room ? flagText : "";
        out.push(`  ${op}  ${c.dim(guides)}${resource.custom ? type : c.bold(type)}${padding}  ${name}${shownFlags ? c.yellow(shownFlags) : ""}`);
    }
    if (lines.length === 0) out.push(c.dim("  (the program declares no resources)"));
    return out.join("\n");
}

/**
 * What the plan creates at a glance: the totals, then one entry per provider package with its count
 * and its types, most numerous first, each by its short name unless two share one. Wrapped to the
 * width; `--json` has the full count per type token.
 */
function renderSummary({ run }: Plan, c: Colors, width: number): string {
    const created = run.resources.filter((r) => !r.read);
    const reads = run.resources.length - created.length;
    const custom = created.filter((r) => r.custom).length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    const totals = `${created.length} to create: ${plural(custom, "custom resource")}, ${plural(created.length - custom, "component")}${reads ? `; ${reads} read` : ""}`;
    const byPackage = new Map<string, Map<string, number>>();
    for (const resource of created) {
        const token = displayType(resource.type);
        const pkg = token.split(":")[0];
        const types = byPackage.get(pkg) ?? new Map<string, number>();
        types.set(token, (types.get(token) ?? 0) + 1);
        byPackage.set(pkg, types);
    }
    const groups = [...byPackage].map(([pkg, types]) => ({ pkg, types, count: [...types.values()].reduce((a, b) => a + b, 0) })).sort((a, b) => b.count - a.count || a.pkg.localeCompare(b.pkg));
    const labelWidth = Math.max(0, ...groups.map((g) => `${g.pkg} ${g.count}`.length));
    const out = [`Summary  ${totals}`.length <= width ? `${c.bold("Summary")}  ${totals}` : `${c.bold("Summary")}\n${wrap(totals, width, "  ").join("\n")}`];
    for (const { pkg, types, count } of groups) {
        const shortNames = new Map<string, number>();
        for (const token of types.keys()) shortNames.set(shortName(token), (shortNames.get(shortName(token)) ?? 0) + 1);
        const entries = [...types]
            .map(([token, n]) => ({ n, label: (shortNames.get(shortName(token)) ?? 0) > 1 ? token.slice(pkg.length + 1) : shortName(token) }))
            .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label))
            .map(({ n, label }) => `${label}${n > 1 ? `${nbsp}×${n}` : ""}`);
        const label = `${pkg} ${" ".repeat(labelWidth - pkg.length - String(count).length - 1)}${count}`;
        const indent = " ".repeat(labelWidth + 4);
        const [first, ...rest] = wrapAtMost(entries, width, indent, summaryLinesPerPackage);
        out.push(`  ${c.cyan(label)}  ${first.slice(indent.length)}`, ...rest.map((l) => c.dim(l)));
    }
    return out.join("\n");
}

/** Keeps a count with its name when lines wrap. */
const nbsp = "\u00a0";

/** Lines of types per provider package in the summary; the rest are counted, not named. */
const summaryLinesPerPackage = 2;

/** `entries` joined and wrapped into at most `maxLines`, the ones left out counted at the end. */
function wrapAtMost(entries: string[], width: number, indent: string, maxLines: number): string[] {
    for (let shown = entries.length; shown > 0; shown--) {
        const more = entries.length - shown;
        const lines = wrap([...entries.slice(0, shown), ...(more ? [`+${more} more`] : [])].join(", "), width, indent);
        if (lines.length <= maxLines) return lines;
    }
    return wrap(`${entries.length} types`, width, indent);
}

/** The last part of a type token (`Deployment` of `kubernetes:apps/v1:Deployment`); a provider says so. */
function shortName(token: string): string {
    const last = token.slice(token.lastIndexOf(":") + 1);
    return token.startsWith("pulumi:providers:") ? `${last} provider` : last;
}

function renderOutputs({ run }: Plan, c: Colors, width: number): string {
    const names = Object.keys(run.outputs).sort();
    if (names.length === 0) return `${c.bold("Outputs")}\n${c.dim("  (none)")}`;
    const nameWidth = Math.min(Math.max(...names.map((n) => n.length)), Math.floor(width / 3));
    const lines = names.map((name) => {
        const output = run.outputs[name];
        const room = width - nameWidth - 4;
        const shown = output.secret ? c.magenta(String(maskedOutput(output))) : elideEnd(JSON.stringify(output.value) ?? "undefined", room);
        return `  ${elideMiddle(name, nameWidth).padEnd(nameWidth)}  ${shown}`;
    });
    return `${c.bold("Outputs")}\n${lines.join("\n")}`;
}

/** The modeled first `pulumi up`: its total, the chain that sets it, and the longest chains beside it. */
function renderDeploy({ deploy }: Plan, c: Colors, width: number): string {
    const minutes = (m: number) => m.toFixed(1).padStart(5);
    const steps = (list: DeployStep[], indent: string) => {
        // Two minute columns and their gaps take 14 columns; the name gets what the type leaves.
        const room = Math.max(8, width - indent.length - 14);
        const nameWidth = Math.min(Math.max(...list.map((s) => s.name.length)), room);
        return list.map((s) => {
            const name = elideMiddle(s.name, nameWidth).padEnd(nameWidth);
            const type = elideMiddle(displayType(s.type), Math.max(0, room - nameWidth - 2));
            return `${indent}${minutes(s.minutes)}  ${minutes(s.finish)}  ${name}${type ? `  ${c.dim(type)}` : ""}`;
        });
    };
    const title = "First deploy";
    const [first, ...rest] = wrap(`${title} (modeled: typical creation times of ${creationTimesCheckedOn}, the program's dependencies, everything else in parallel)`, width, "", "  ");
    const out = [
        `${c.bold(title)}${c.dim(first.slice(title.length))}`,
        ...rest.map((l) => c.dim(l)),
        ...wrap(`about ${Math.ceil(deploy.minutes)} min (${deploy.minutes.toFixed(1)}) until the last resource is created`, width, "  ", "    "),
    ];
    if (deploy.criticalPath.length > 0) out.push(...wrap("Critical path (minutes it takes, done at minute, resource, type)", width, "  ", "    "), ...steps(deploy.criticalPath, "    "));
    deploy.chains.forEach((chain, i) => {
        out.push(...wrap(`Independent chain ${i + 1}: ${chain.minutes.toFixed(1)} min (runs beside the chains above; timed from the start)`, width, "  ", "    "), ...steps(chain.steps, "    "));
    });
    if (deploy.defaultedTypes.length > 0) {
        out.push(...wrap(`Not in the creation-time table, counted as ${defaultCreationTime.minutes} min: ${deploy.defaultedTypes.join(", ")}`, width, "  ", "    ").map((l) => c.yellow(l)));
    }
    return out.join("\n");
}

function renderPolicies({ policy }: Plan, c: Colors, width: number): string {
    if (policy.status !== "evaluated")
        return `${c.bold("Policies")}\n${wrap(`not evaluated: ${policy.reason}`, width, "  ", "    ")
            .map((l) => c.yellow(l))
            .join("\n")}`;
    const item = (v: Violation, mark: string, paint: (s: string) => string) => {
        const head = `${mark} ${v.policy} [${v.severity}]`;
        const where = v.urn ? `${displayType(v.resourceType ?? "")}  ${v.resourceName ?? ""}`.trim() : "(stack)";
        const whereShown = elideMiddle(where, Math.max(8, width - 4 - head.length - 2));
        const fix = v.remediation ? `fix: ${v.remediation}` : `policy: ${v.description}`;
        return [`    ${paint(`${mark} ${v.policy}`)} ${c.dim(`[${v.severity}]`)}  ${whereShown}`, ...wrap(v.message, width, "        "), ...wrap(fix, width, "        ").map((l) => c.dim(l))].join(
            "\n",
        );
    };
    const group = (title: string, violations: Violation[], mark: string, paint: (s: string) => string, expected: Violation[] = []) => {
        if (violations.length === 0) return `  ${title} (0): none`;
        const lines = [`  ${paint(`${title} (${violations.length})`)}`];
        if (expected.length > 0) lines.push(expectedGroup(expected, policy.environment ?? "", c, width));
        for (const v of violations) if (!expected.includes(v)) lines.push(item(v, mark, paint));
        return lines.join("\n");
    };
    return [
        `${c.bold("Policies")} ${c.dim(`(policy config of ${policy.environment})`)}`,
        group("Mandatory", mandatoryViolations(policy), "✖", c.red),
        group("Advisory", advisoryViolations(policy), "!", c.yellow, expectedViolations(policy)),
    ].join("\n");
}

/**
 * The advisories an environment expects, as one line that says why, then the policies and how many
 * resources each flags (wrapped). They are the policies prod enforces and this environment's policy
 * config relaxes: staging trades redundancy and protection for cost on purpose.
 */
function expectedGroup(expected: Violation[], environment: string, c: Colors, width: number): string {
    const perPolicy = new Map<string, number>();
    for (const v of expected) perPolicy.set(v.policy, (perPolicy.get(v.policy) ?? 0) + 1);
    const why = `${expected.length} expected: mandatory in prod, relaxed for ${environment} by its policy config`;
    const list = [...perPolicy].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, n]) => (n > 1 ? `${name}${nbsp}×${n}` : name));
    return [...wrap(`! ${why}`, width, "    ", "      ").map((l) => c.yellow(l)), ...wrap(list.join(", "), width, "        ").map((l) => c.dim(l))].join("\n");
}

function renderVerdict(plan: Plan, c: Colors, width: number): string {
    const mandatory = mandatoryViolations(plan.policy).length;
    const advisory = advisoryViolations(plan.policy).length;
    if (planExitCode(plan) !== 0) {
        return paintLines(wrap(`✖ ${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}: \`pulumi up\` would be blocked.`, width, "", "  "), (l) => c.red(c.bold(l)));
    }
    const note = plan.policy.status === "evaluated" ? `no mandatory policy violation${advisory ? `, ${advisory} advisory` : ""}` : "policies not evaluated";
    return paintLines(wrap(`✔ ${plan.run.resources.length} resources planned; ${note}.`, width, "", "  "), (l) => c.green(c.bold(l)));
}

function paintLines(lines: string[], paint: (line: string) => string): string {
    return lines.map(paint).join("\n");
}

/** The cost section, left out for a program that declares nothing the price book prices (no cloud resources). */
function renderCostIfPriced(plan: Plan, c: Colors, width: number): string[] {
    const estimate = planCost(plan);
    return estimate.items.length > 0 || estimate.unpricedTypes.length > 0 || estimate.warnings.length > 0 ? [renderCost(estimate, c, width, planLlmCeiling(plan))] : [];
}
