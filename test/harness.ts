/**
 * Runs the whole program (`index.ts`) in-process under Pulumi engine mocks and records what it
 * declares: every resource with its type, name, parent, resource options and resolved inputs (secret
 * inputs flagged), and every stack output with its secret flag. The tests of every component and the
 * offline plan (`npm run plan`) use this one harness, so what they show is what the program does.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { parse as parseYaml } from "yaml";
import { mocks } from "./mocks";

/** Engine internals the harness needs: the per-program store (to install the recording monitor) and the RPC drain. */
const runtimeState: { getStore(): any } = require("@pulumi/pulumi/runtime/state");
const runtimeSettings: { waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");

export const repoRoot = path.resolve(__dirname, "..");
export const projectName = "ai-platform";

export interface ResourceOptionsRecord {
    protect: boolean;
    ignoreChanges: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    additionalSecretOutputs: string[];
    /** URN of the explicit provider, when one was given. */
    provider?: string;
    /** URN of the resource this one is deleted with, when set. */
    deletedWith?: string;
    /** Property dependencies plus explicit `dependsOn`, as URNs. */
    dependencies: string[];
}

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** True for CustomResources (cloud objects), false for components. */
    custom: boolean;
    /** URN of the parent; undefined for resources at the stack root. */
    parent?: string;
    /** Resolved inputs with secret values unwrapped (see `secretPaths` for which were secret). */
    inputs: Record<string, any>;
    /** Dotted paths into `inputs` whose values were Pulumi secrets. */
    secretPaths: string[];
    /** State the mock engine returned (inputs plus computed outputs). */
    state: Record<string, any>;
    options: ResourceOptionsRecord;
    /** For resources read with `.get()` rather than created. */
    read: boolean;
}

export interface StackOutput {
    value: unknown;
    secret: boolean;
}

export interface ProgramRun {
    stack: string;
    preview: boolean;
    resources: RecordedResource[];
    outputs: Record<string, StackOutput>;
    /** The config the program saw, secrets included in plain text (tests only). */
    config: Record<string, string>;
    secretKeys: string[];
    ofType(type: string): RecordedResource[];
    /** The one resource of a type whose name matches; throws when there is not exactly one. */
    one(type: string, name?: string | RegExp): RecordedResource;
    byUrn(urn: string): RecordedResource | undefined;
    children(of: RecordedResource): RecordedResource[];
    /** True when `r` depends on `on`, directly or through its parents' and dependencies' chains. */
    dependsOn(r: RecordedResource, on: RecordedResource): boolean;
}

export interface RunOptions {
    /** Stack name; `Pulumi.<stack>.yaml` supplies the config when it exists. */
    stack: string;
    /**
     * Config overrides in `pulumi config set` form: `"ai-platform:cloud": "gcp"`; a dotted key
     * (`"ai-platform:cluster.minNodes": 5`) sets one path like `--path`; `undefined` removes a key.
     */
    config?: Record<string, unknown>;
    /** Overrides stored as secrets, like `pulumi config set --secret`. */
    secrets?: Record<string, string>;
    /** Evaluate as a preview (unknown computed values) instead of an update. */
    preview?: boolean;
    /** Skip reading `Pulumi.<stack>.yaml`. */
    ignoreStackFile?: boolean;
    /** Another entry point than `index.ts` (a test fixture program); the default is the real program. */
    program?: string;
    /**
     * Stacks the program reads through `pulumi.StackReference`, by stack name: their outputs (with
     * secrecy) as the engine would hand them over. A reference to a stack not listed fails the run.
     */
    stackReferences?: Record<string, Record<string, StackOutput>>;
    /**
     * Whether a jest session may hand back an earlier identical run instead of evaluating again
     * (default true). Pass false when the test inspects live objects of this run (e.g. via jest.doMock).
     */
    reuse?: boolean;
}

/** The config of a stack file with overrides applied, as the engine would hand it to the program. */
export function stackConfig(options: RunOptions): { config: Record<string, unknown>; secretKeys: Set<string> } {
    const config: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    const file = path.join(repoRoot, `Pulumi.${options.stack}.yaml`);
    if (!options.ignoreStackFile && fs.existsSync(file)) {
        const doc = parseYaml(fs.readFileSync(file, "utf8")) ?? {};
        for (const [key, value] of Object.entries<unknown>(doc.config ?? {})) {
            if (isSecure(value)) {
                config[key] = placeholderSecret(key);
                secretKeys.add(key);
            } else {
                config[key] = value;
            }
        }
    }
    for (const [key, value] of Object.entries(options.config ?? {})) setConfigPath(config, key, value);
    for (const [key, value] of Object.entries(options.secrets ?? {})) {
        setConfigPath(config, key, value);
        secretKeys.add(key.split(".")[0]);
    }
    return { config, secretKeys };
}

/** The stand-in value of a `secure:` config entry: its ciphertext cannot be read without the stack's key. */
export function placeholderSecret(key: string): string {
    return `mock-secret-${key.replace(/[^a-zA-Z0-9]/g, "-")}`;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

function setConfigPath(config: Record<string, unknown>, key: string, value: unknown): void {
    const colon = key.indexOf(":");
    const [top, ...rest] = [key.slice(0, colon + 1) + key.slice(colon + 1).split(".")[0], ...key.slice(colon + 1).split(".").slice(1)];
    if (rest.length === 0) {
        if (value === undefined) delete config[top];
        else config[top] = value;
        return;
    }
    const root = (typeof config[top] === "object" && config[top] !== null ? structuredClone(config[top]) : {}) as Record<string, any>;
    let node = root;
    for (const part of rest.slice(0, -1)) {
        if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
        node = node[part];
    }
    const last = rest[rest.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
    config[top] = root;
}

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns the wire form of resource inputs into plain values, noting which paths were secret. */
function decode(value: any, at: string, secretPaths: string[]): any {
    if (value === unknownValue) return undefined;
    if (Array.isArray(value)) return value.map((v, i) => decode(v, at ? `${at}.${i}` : String(i), secretPaths));
    if (value !== null && typeof value === "object") {
        if (value[sigKey] === secretSig) {
            secretPaths.push(at);
            return decode(value.value, at, secretPaths);
        }
        if (value[sigKey] === resourceSig) return value.urn;
        const out: Record<string, any> = {};
        for (const [k, v] of Object.entries(value)) out[k] = decode(v, at ? `${at}.${k}` : k, secretPaths);
        return out;
    }
    return value;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** A mock monitor that also records the registration requests' options, which `Mocks` never sees. */
class RecordingMonitor extends MockMonitor {
    readonly records: RecordedResource[] = [];

    async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        const recorded = this.capture(req, false);
        return super.registerResource(req, (err: any, resp: any) => {
            if (!err && resp) {
                recorded.urn = resp.getUrn();
                recorded.state = decode(resp.getObject()?.toJavaScript() ?? {}, "", []);
                this.records.push(recorded);
            }
            callback(err, resp);
        });
    }

    async readResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
        const recorded = this.capture(req, true);
        return super.readResource(req, (err: any, resp: any) => {
            if (!err && resp) {
                recorded.urn = resp.getUrn();
                recorded.state = decode(resp.getProperties()?.toJavaScript() ?? {}, "", []);
                this.records.push(recorded);
            }
            callback(err, resp);
        });
    }

    private capture(req: any, read: boolean): RecordedResource {
        const secretPaths: string[] = [];
        const object = read ? req.getProperties() : req.getObject();
        const inputs = decode(object?.toJavaScript() ?? {}, "", secretPaths);
        const get = <T>(method: string, fallback: T): T => (typeof req[method] === "function" ? req[method]() ?? fallback : fallback);
        const dependencies = new Set<string>(get<string[]>("getDependenciesList", []));
        const propertyDependencies = get<any>("getPropertydependenciesMap", undefined);
        propertyDependencies?.forEach?.((deps: any) => deps.getUrnsList().forEach((u: string) => dependencies.add(u)));
        return {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            custom: read ? true : req.getCustom(),
            parent: req.getParent() || undefined,
            inputs,
            secretPaths,
            state: {},
            read,
            options: {
                protect: get<boolean>("getProtect", false),
                ignoreChanges: get<string[]>("getIgnorechangesList", []),
                retainOnDelete: get<boolean>("getRetainondelete", false),
                deleteBeforeReplace: get<boolean>("getDeletebeforereplace", false),
                additionalSecretOutputs: get<string[]>("getAdditionalsecretoutputsList", []),
                provider: get<string>("getProvider", "") || undefined,
                deletedWith: get<string>("getDeletedwith", "") || undefined,
                dependencies: [...dependencies],
            },
        };
    }
}

const defaultProgram = path.join(repoRoot, "index.ts");

/** Loads the program afresh, so every run declares it from scratch. */
function loadProgram(programPath: string): Record<string, unknown> | (() => Promise<Record<string, unknown>>) {
    // Under jest, `jest` is a module-scope binding and its module registry ignores require.cache.
    if (typeof jest !== "undefined") {
        let exported: ReturnType<typeof loadProgram> = {};
        jest.isolateModules(() => {
            exported = require(programPath);
        });
        return exported;
    }
    for (const cached of Object.keys(require.cache)) {
        if (cached.startsWith(repoRoot) && !cached.includes(`${path.sep}node_modules${path.sep}`) && !cached.startsWith(__dirname)) delete require.cache[cached];
    }
    return require(programPath);
}

/**
 * Runs the program for a stack under mocks. Rejects with the program's own error (for example a
 * `SettingsError`) when it fails; `recordedSoFar()` then tells what had been declared.
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    // The engine's store is process-global: two programs evaluated at once would mix their resources.
    if (running) throw new Error("runProgram: a run is already in progress; await one run before starting the next");
    running = true;
    try {
        const cached = options.reuse === false ? undefined : readCachedRun(options);
        if (cached) return withQueries(cached);
        const recorded = await withoutProcessListeners(() => withoutStackTraces(() => evaluate(options)));
        if (options.reuse !== false) writeCachedRun(options, recorded);
        return withQueries(recorded);
    } finally {
        running = false;
    }
}

let running = false;

/**
 * Each fresh load of the SDK registers process `exit`/`beforeExit` hooks (a promise-leak report for a
 * real engine run). Once a run has settled they have nothing left to do; left in place they pile up
 * over a test session and keep every earlier copy of the program's modules alive.
 */
async function withoutProcessListeners<T>(work: () => Promise<T>): Promise<T> {
    const emitter = process as unknown as NodeJS.EventEmitter;
    const events = ["exit", "beforeExit"];
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    try {
        return await work();
    } finally {
        for (const event of events) {
            for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
    }
}

/**
 * The engine records `new Error().stack` for every promise it makes, and with source maps installed
 * (ts-node, jest) formatting those stacks is half the cost of a run. Nothing reads them unless a
 * promise leaks, so they are off while the program is evaluated; set AI_PLATFORM_STACK_TRACES=1 to
 * debug the program with full stacks.
 */
async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
    if (process.env.AI_PLATFORM_STACK_TRACES === "1") return work();
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * Within one jest session (test/setup/runCache.js makes the directory), identical runs are evaluated
 * once and shared across test files as JSON: many files look at the same stacks. Failed runs are
 * never cached; outside jest (the offline plan) there is no cache.
 */
export function cacheFile(options: RunOptions): string | undefined {
    const dir = process.env.AI_PLATFORM_RUN_CACHE;
    if (!dir) return undefined;
    // An override of `undefined` removes a key, so it must stay in the key (JSON.stringify would drop it).
    const key = JSON.stringify({ ...options, reuse: null, program: options.program ? path.resolve(options.program) : null }, (_, v) => (v === undefined ? "[removed]" : v));
    return path.join(dir, `${crypto.createHash("sha256").update(key).digest("hex")}.json`);
}

function readCachedRun(options: RunOptions): RecordedRun | undefined {
    const file = cacheFile(options);
    if (!file || !fs.existsSync(file)) return undefined;
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

function writeCachedRun(options: RunOptions, run: RecordedRun): void {
    const file = cacheFile(options);
    if (!file) return;
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(run));
    fs.renameSync(temporary, file);
}

/** What a run records: plain data, so it can be cached. */
type RecordedRun = Pick<ProgramRun, "stack" | "preview" | "resources" | "outputs" | "config" | "secretKeys">;

async function evaluate(options: RunOptions): Promise<RecordedRun> {
    const { config, secretKeys } = stackConfig(options);
    const preview = options.preview ?? false;
    const engineMocks = options.stackReferences ? withStackReferences(options.stackReferences) : mocks;
    await pulumi.runtime.setMocks(engineMocks, projectName, options.stack, preview);
    const monitor = new RecordingMonitor(engineMocks);
    const store = runtimeState.getStore();
    store.settings.monitor = monitor;
    lastMonitor = monitor;
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(flat, [...secretKeys]);

    const loaded = loadProgram(options.program ?? defaultProgram);
    // A program may export an async function (`export = async () => ({ ... })`); the engine awaits it for the outputs.
    const exported = typeof loaded === "function" ? await loaded() : loaded;
    await runtimeSettings.waitForRPCs();
    const outputs: Record<string, StackOutput> = {};
    for (const [name, value] of Object.entries(exported)) {
        if (name === "__esModule") continue;
        const out = pulumi.output(value) as any;
        outputs[name] = { value: await out.promise(), secret: await out.isSecret };
    }
    await runtimeSettings.waitForRPCs();
    if (store.logErrorCount > 0) throw new Error(`the program logged ${store.logErrorCount} error(s); see the log above`);

    return { stack: options.stack, preview, resources: monitor.records, outputs, config: flat, secretKeys: [...secretKeys] };
}

/** The engine mocks, answering StackReference reads with the given stacks' outputs. */
function withStackReferences(stacks: Record<string, Record<string, StackOutput>>): pulumi.runtime.Mocks {
    return {
        ...mocks,
        newResource(args) {
            if (args.type !== "pulumi:pulumi:StackReference") return mocks.newResource(args);
            const name = String(args.inputs.name ?? args.name);
            const stack = stacks[name];
            if (!stack) throw new Error(`StackReference to "${name}": no such stack among ${Object.keys(stacks).join(", ")}`);
            const outputs = Object.fromEntries(Object.entries(stack).map(([k, o]) => [k, o.value]));
            const secretOutputNames = Object.entries(stack).filter(([, o]) => o.secret).map(([k]) => k);
            return { id: name, state: { name, outputs, secretOutputNames } };
        },
    };
}

function withQueries(recorded: RecordedRun): ProgramRun {
    const { resources } = recorded;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return {
        ...recorded,
        ofType: (type) => resources.filter((r) => r.type === type),
        one: (type, name) => {
            const matches = resources.filter((r) => r.type === type && (name === undefined || (typeof name === "string" ? r.name === name : name.test(r.name))));
            if (matches.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}: ${matches.map((m) => m.name).join(", ")}`);
            return matches[0];
        },
        byUrn: (urn) => byUrn.get(urn),
        children: (of) => resources.filter((r) => r.parent === of.urn),
        dependsOn: (r, on) => {
            const seen = new Set<string>();
            const visit = (urn: string): boolean => {
                if (urn === on.urn) return true;
                if (seen.has(urn)) return false;
                seen.add(urn);
                const node = byUrn.get(urn);
                if (!node) return false;
                return node.options.dependencies.some(visit) || resources.some((child) => child.parent === urn && child.urn !== urn && visit(child.urn));
            };
            return r.options.dependencies.some(visit);
        },
    };
}

let lastMonitor: RecordingMonitor | undefined;

/** Resources the last run registered, also when it failed part-way. */
export function recordedSoFar(): RecordedResource[] {
    return lastMonitor?.records ?? [];
}

export { nameOf };
