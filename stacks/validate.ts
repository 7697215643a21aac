import * as path from "path";
import { z } from "zod";
import { getAtPath, hasPath, setAtPath, type PathSegment } from "./configPath";
import { defaultsFor } from "./defaults";
import type { SettingsProblem } from "./errors";
import { recoveryObjectives } from "./recovery";
import { awsRules } from "./rules/aws";
import { commonRules } from "./rules/common";
import type { RuleContext, SettingsRule } from "./rules/context";
import { gcpRules } from "./rules/gcp";
import { llmProviderNames, llmProviders } from "./facts/llmProviders";
import { foreignKeyProblems } from "./rules/keys";
import { prodRules } from "./rules/prod";
import { closest } from "./rules/suggest";
import { checkTenantPrincipals } from "./tenants";
import { clouds, environments, replacedSettings, settingsSchema, type Cloud, type Environment, type TunedSettings } from "./schema";
import { SettingsError } from "./errors";

/**
 * The one validation path of stack config, for both clouds: read once, merged over the defaults of
 * the environment and cloud, checked field by field (the zod schema), then by the rules that span
 * fields, clouds and environments. Every problem is collected; nothing is declared unless there are none.
 * It is a pure function of the config the engine hands the program, so tests and the offline plan
 * call it directly.
 */

export const projectName = "ai-platform";

/** AI provider keys: at least one must be set. */
export const providerKeyNames = ["openaiApiKey", "anthropicApiKey", "geminiApiKey"] as const;
/** Alertmanager receivers, optional. */
export const alertingKeyNames = ["slackWebhookUrl", "pagerdutyRoutingKey"] as const;
/** Every setting that holds a secret: set with `pulumi config set --secret`, never in plain text. */
export const secretKeyNames: readonly string[] = [...providerKeyNames, ...alertingKeyNames];
/** Settings given as one plain value rather than an object of fields. */
const identityKeys = ["cloud", "environment"] as const;

export type ProviderKeyName = (typeof providerKeyNames)[number];
export type AlertingKeyName = (typeof alertingKeyNames)[number];

/** The config as the engine hands it to the program: every value a string, structured ones as JSON. */
export interface EngineConfig {
    project: string;
    stack: string;
    values: Readonly<Record<string, string>>;
    /** Keys whose values are Pulumi secrets (`secure:` in the stack file, `--secret` on the CLI). */
    secretKeys: readonly string[];
}

/** The validated settings, secrets still in plain text (the loader wraps them as Pulumi secrets). */
export interface ValidatedSettings extends TunedSettings {
    project: string;
    stack: string;
    cloud: Cloud;
    environment: Environment;
    /** `aws:region` or `gcp:region`, whichever cloud the stack is on. */
    region: string;
    /** `gcp:project`; undefined on AWS. */
    gcpProject?: string;
    secrets: Partial<Record<string, string>>;
}

/** The rule groups every stack is checked with, in report order. New rule groups go here. */
export const settingsRules: readonly SettingsRule[] = [
    commonRules,
    (ctx) => (ctx.cloud === "aws" ? awsRules(ctx) : gcpRules(ctx)),
    prodRules,
    (ctx) => checkTenantPrincipals(ctx.settings.tenants, ctx.cloud, (path, allowed) => ctx.problem(path, allowed)),
];

const sectionNames = Object.keys(settingsSchema.shape) as (keyof TunedSettings)[];
/** Sections whose value is an object of fields (the rest, owner and costCenter, are plain values). */
const objectSections = new Set<string>(sectionNames.filter((k) => (settingsSchema.shape[k] as z.ZodType).def.type === "object"));
const knownKeys = [...identityKeys, ...sectionNames, ...secretKeyNames];

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Stack config over defaults: objects merge key by key, anything else (lists included) replaces. */
export function mergeOver(base: unknown, override: unknown): unknown {
    if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
    const merged: Plain = { ...base };
    for (const [k, v] of Object.entries(override)) merged[k] = mergeOver(base[k], v);
    return merged;
}

type Validation = { settings?: ValidatedSettings; problems: SettingsProblem[] };

/**
 * Accepted configurations already validated in this process. The offline plan validates the same
 * configuration three times (its pre-check, the program's loader, the cost estimate); validation is a
 * pure function of the configuration, so an accepted one is checked once and handed out as copies.
 * Refused ones are always checked afresh: their messages depend on `options.root`.
 */
const accepted = new Map<string, ValidatedSettings>();

function configurationKey(engine: EngineConfig): string {
    return JSON.stringify([engine.project, engine.stack, Object.entries(engine.values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), [...engine.secretKeys].sort()]);
}

export function validateSettings(engine: EngineConfig, options: { root?: string } = {}): Validation {
    const key = configurationKey(engine);
    const known = accepted.get(key);
    if (known) return { settings: structuredClone(known), problems: [] };
    const result = checkSettings(engine, options);
    if (result.settings && result.problems.length === 0) {
        if (accepted.size >= 16) accepted.clear();
        accepted.set(key, structuredClone(result.settings));
    }
    return result;
}

function checkSettings(engine: EngineConfig, options: { root?: string }): Validation {
    const problems: SettingsProblem[] = [];
    const project = engine.project;
    const key = (k: string) => `${project}:${k}`;
    const raw = (k: string): string | undefined => engine.values[key(k)];

    // Keys: unknown project keys (with the value given and how to nest a dotted one), misspelt provider keys.
    for (const [fullKey, value] of Object.entries(engine.values)) {
        const colon = fullKey.indexOf(":");
        if (fullKey.slice(0, colon) !== project) continue;
        const name = fullKey.slice(colon + 1);
        if (knownKeys.includes(name)) continue;
        const secret = engine.secretKeys.includes(fullKey);
        problems.push({ key: fullKey, value: secret ? value : parseLoose(value), secret, allowed: unknownKeyAdvice(project, name, value) });
    }
    for (const p of foreignKeyProblems(Object.keys(engine.values), project))
        problems.push({ key: p.key, value: parseLoose(engine.values[p.key]), allowed: p.allowed, secret: engine.secretKeys.includes(p.key) });

    // Where and what: cloud, and an environment that matches the stack's name.
    const cloud = raw("cloud") ?? "aws";
    if (!(clouds as readonly string[]).includes(cloud)) problems.push({ key: key("cloud"), value: cloud, allowed: `must be one of ${clouds.join(", ")}${closest(cloud, clouds)}` });
    const configuredEnvironment = raw("environment");
    const stackIsEnvironment = (environments as readonly string[]).includes(engine.stack);
    if (configuredEnvironment !== undefined && !(environments as readonly string[]).includes(configuredEnvironment)) {
        problems.push({ key: key("environment"), value: configuredEnvironment, allowed: `must be one of ${environments.join(", ")}` });
    } else if (configuredEnvironment !== undefined && stackIsEnvironment && configuredEnvironment !== engine.stack) {
        problems.push({
            key: key("environment"),
            value: configuredEnvironment,
            allowed: `must be ${engine.stack} (or unset) on the stack named "${engine.stack}": a stack named after an environment cannot plan another's sizes and safeguards`,
        });
    } else if (configuredEnvironment === undefined && !stackIsEnvironment) {
        problems.push({ key: key("environment"), value: undefined, allowed: `must be set (one of ${environments.join(", ")}) because the stack name "${engine.stack}" is not an environment name` });
    }
    // A stack named after an environment is checked as that environment whatever it claims, so every other problem is still found.
    const environment = (stackIsEnvironment ? engine.stack : configuredEnvironment) as Environment;
    if (problems.some((p) => p.key === key("cloud")) || !(environments as readonly string[]).includes(environment)) return { problems };
    const onCloud = cloud as Cloud;

    // What the stack typed, section by section, as the engine stores it.
    const typed: Plain = {};
    for (const section of sectionNames) {
        const value = raw(section);
        if (value === undefined) continue;
        if (!objectSections.has(section)) {
            // A list setting (tenants) arrives as its JSON text; text settings stay the text typed.
            const loose = parseLoose(value);
            typed[section] = Array.isArray(loose) ? loose : value;
            continue;
        }
        const parsed = parseLoose(value);
        if (isPlain(parsed)) typed[section] = parsed;
        else
            problems.push({
                key: key(section),
                value: parsed,
                allowed: `must be an object of settings (in the stack file, nest its keys under ${key(section)}:; on the command line use --path ${key(section)}.<field>)`,
            });
    }
    const defaults = defaultsFor(onCloud, environment);
    const merged = mergeOver(defaults, typed);
    let read: unknown;
    const problemAt = (segments: readonly PathSegment[], allowed: string): SettingsProblem => {
        const fromStack = hasPath(typed, segments);
        const given = getAtPath(fromStack ? typed : merged, segments);
        // A version YAML turned into a number (1.30 → 1.3) is shown as the text it was read back as.
        const readBack = getAtPath(read, segments);
        const value = typeof given === "number" && typeof readBack === "string" ? readBack : given;
        // A list typed as its JSON text (`--path key '["a"]'`) is shown as the list it is.
        const shown = typeof value === "string" && /^\s*\[/.test(value) ? parseLoose(value) : value;
        return { key: key(segments.join(".")), value: shown, allowed, fromDefault: !fromStack && value !== undefined };
    };

    const parsed = settingsSchema.safeParse(merged, { reportInput: true });
    // The rules still run when some fields are bad: on the defaults in their place, so every problem is found at once.
    let checked = parsed;
    if (!parsed.success) {
        let repaired: unknown = merged;
        for (const issue of parsed.error.issues) {
            const at = issue.path as PathSegment[];
            if (issue.code === "unrecognized_keys") for (const extra of issue.keys) repaired = setAtPath(repaired, [...at, extra], undefined);
            else repaired = setAtPath(repaired, at, getAtPath(defaults, at));
        }
        checked = settingsSchema.safeParse(repaired);
        for (const issue of parsed.error.issues) {
            const at = issue.path as PathSegment[];
            if (issue.code === "unrecognized_keys") {
                const known = Object.keys(getAtPath(merged, at) ?? {}).filter((k) => !issue.keys.includes(k));
                const knownList = known.length > 0 ? ` (known: ${known.join(", ")})` : "";
                for (const extra of issue.keys) {
                    const replacement = replacedSettings[[...at, extra].join(".")];
                    const allowed = replacement ? `was replaced by ${replacement}` : `is not a setting of ${key(at.join("."))}${closest(extra, known)}${knownList}`;
                    problems.push({ ...problemAt([...at, extra], allowed), fromDefault: false });
                }
            } else {
                problems.push(problemAt(at, issue.message));
            }
        }
    }

    const region = engine.values[`${onCloud}:region`];
    const gcpProject = engine.values["gcp:project"];
    if (checked.success) {
        read = checked.data;
        const reported = new Set(problems.map((p) => p.key));
        const report = (p: SettingsProblem) => (parsed.success || !reported.has(p.key)) && problems.push(p);
        const ctx: RuleContext = {
            settings: checked.data,
            cloud: onCloud,
            environment,
            region,
            gcpProject,
            root: options.root ?? path.resolve(__dirname, ".."),
            problem: (p, allowed) => report(problemAt(p.split("."), allowed)),
            keyProblem: (k, value, allowed) => problems.push({ key: k, value, allowed }),
        };
        for (const rule of settingsRules) rule(ctx);
        // A model none of whose providers has a key would route nowhere: the gateway answers it 503.
        const keyed = new Set(llmProviderNames.filter((p) => engine.values[`${project}:${llmProviders[p].keyName}`] !== undefined));
        checked.data.llmGateway.models.forEach((model, i) => {
            if (!model.backends.some((b) => keyed.has(b.provider))) {
                const keys = model.backends.map((b) => `${project}:${llmProviders[b.provider].keyName}`).join(" or ");
                report(problemAt(["llmGateway", "models", i, "backends"], `has no provider with an API key: set ${keys} (\`pulumi config set --secret\`), or add a backend whose provider has one`));
            }
        });
        // The recovery point the configuration achieves must meet its target, or nothing is declared.
        try {
            recoveryObjectives(checked.data);
        } catch (e) {
            if (!(e instanceof SettingsError)) throw e;
            for (const p of e.problems) report(problemAt(p.key.slice(project.length + 1).split("."), p.allowed));
        }
    } else {
        // The provider keys are still worth reporting with the schema's problems.
        if (region === undefined) problems.push({ key: `${onCloud}:region`, value: undefined, allowed: `is required when ai-platform:cloud is ${onCloud}` });
    }

    const secrets = secretProblems(engine, problems);
    if (problems.length > 0 || !parsed.success || region === undefined) return { problems };
    return { settings: { ...parsed.data, project, stack: engine.stack, cloud: onCloud, environment, region, gcpProject, secrets }, problems };
}

/** Secret settings: Pulumi secrets, never blank; at least one AI provider key. Returns the plain values. */
function secretProblems(engine: EngineConfig, problems: SettingsProblem[]): Record<string, string> {
    const secrets: Record<string, string> = {};
    const key = (k: string) => `${engine.project}:${k}`;
    for (const name of secretKeyNames) {
        const value = engine.values[key(name)];
        if (value === undefined) continue;
        const command = `pulumi config set --secret ${key(name)} <value>`;
        if (!engine.secretKeys.includes(key(name))) {
            problems.push({
                key: key(name),
                value,
                secret: true,
                allowed: `must be a Pulumi secret, not plain text in the stack file or -c: run \`${command}\` (the offline plan takes --secret ${key(name)}=<value>)`,
            });
        } else if (value.trim() === "") {
            problems.push({ key: key(name), value, secret: true, allowed: `must not be empty or blank: run \`${command}\` with the real value` });
        } else {
            secrets[name] = value;
        }
    }
    const providerSet = providerKeyNames.filter((n) => engine.values[key(n)] !== undefined);
    if (providerSet.length === 0) {
        problems.push({
            key: providerKeyNames.map(key).join(" | "),
            value: undefined,
            allowed: `set at least one AI provider API key: \`pulumi config set --secret ${key(providerKeyNames[1])} <key>\``,
        });
    }
    return secrets;
}

/** Why a project key is unknown, and what was probably meant. */
function unknownKeyAdvice(project: string, name: string, value: string): string {
    const [head, ...rest] = name.split(".");
    if (rest.length > 0 && (sectionNames as string[]).includes(head)) {
        return `is a dotted key, which a stack file does not read as a path: nest it as ${project}:${head}: { ${rest.join(".")}: ${value} }, or run \`pulumi config set --path ${project}:${name} ${value}\``;
    }
    return `is not a known setting${closest(head, knownKeys)} (known: ${knownKeys.join(", ")})`;
}

/** Structured values arrive as JSON text, plain ones as the text itself. */
function parseLoose(value: string | undefined): unknown {
    if (value === undefined) return undefined;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
