/**
 * Runs the whole program (`index.ts`) in-process under Pulumi engine mocks and records what it
 * declares: every resource with its type, name, parent, resource options and resolved inputs (secret
 * inputs flagged), and every stack output with its secret flag. The tests of every component and the
 * offline plan (`npm run plan`) use this one harness, so what they show is what the program does.
 * It lives with the tools, not the tests: the plan is a product command and must not reach into test/.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { isMap, isScalar, parseDocument } from "yaml";
import { parseConfigKey, setAtPath } from "../../stacks/configPath";
import { projectName } from "../../stacks/settings";
import type { AliasRecord } from "./aliases";
import { mocks } from "./mocks";

/** Engine internals the harness needs: the per-program store (to install the recording monitor) and the RPC drain. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal SDK modules whose published typings leave these functions out
const runtimeState: { getStore(): { settings: { monitor?: unknown }; logErrorCount: number } } = require("@pulumi/pulumi/runtime/state");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const runtimeSettings: { waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");

export const repoRoot = path.resolve(__dirname, "..", "..");
export { projectName };

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
    /** The `aliases` option as the SDK sent it (tools/engine/aliases.ts turns them into URNs); absent when none. */
    aliases?: AliasRecord[];
}

/** The SDK's structured alias message (proto/alias_pb): a whole URN, or a spec. */
interface AliasMessage {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

function aliasesOf(messages: AliasMessage[]): { aliases?: AliasRecord[] } {
    if (!messages.length) return {};
    const aliases = messages.map((m): AliasRecord => {
        const spec = m.getSpec();
        if (!spec) return { urn: m.getUrn() };
        const parts = { name: spec.getName(), type: spec.getType(), stack: spec.getStack(), project: spec.getProject(), parentUrn: spec.getParenturn(), noParent: spec.getNoparent() };
        // Empty strings and false are proto defaults: the resource's own value applies.
        return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== "" && v !== false)) as AliasRecord;
    });
    return { aliases };
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
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON in each resource type's own schema, which tests and policies navigate freely
    inputs: Record<string, any>;
    /** Dotted paths into `inputs` whose values were Pulumi secrets. */
    secretPaths: string[];
    /** State the mock engine returned (inputs plus computed outputs). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `inputs`
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

/** Config the engine could not take: a stack file with a YAML error or duplicate key (named with file and line), or a -c path that does not fit. */
export class ConfigInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigInputError";
    }
}

/** The `config:` entries of a stack file, with top-level scalars as the text typed (the engine keeps `1.30` as "1.30"). */
export function readStackFile(file: string): Record<string, unknown> {
    const name = path.basename(file);
    const doc = parseDocument(fs.readFileSync(file, "utf8"), { uniqueKeys: true, prettyErrors: true });
    const error = doc.errors[0];
    if (error) {
        const line = error.linePos?.[0];
        throw new ConfigInputError(
            `${name}${line ? `:${line.line}:${line.col}` : ""}: ${error.code === "DUPLICATE_KEY" ? "duplicate key" : "YAML syntax error"}: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
        );
    }
    const config = doc.get("config", true);
    if (config === undefined || config === null) return {};
    if (!isMap(config)) throw new ConfigInputError(`${name}: "config" must be a map of keys to values`);
    const entries: Record<string, unknown> = {};
    for (const pair of config.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const node = pair.value;
        // The engine reads a top-level scalar as a string; nested values as YAML types (1.30 there is the number 1.3).
        entries[key] = isScalar(node)
            ? node.value === null
                ? ""
                : typeof node.value === "string"
                  ? node.value
                  : (node.source ?? String(node.value))
            : ((node as { toJS(doc: unknown): unknown } | null)?.toJS(doc) ?? "");
    }
    return entries;
}

/** The config of a stack file with overrides applied, as the engine would hand it to the program. */
export function stackConfig(options: RunOptions): { config: Record<string, unknown>; secretKeys: Set<string> } {
    let config: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    const file = path.join(repoRoot, `Pulumi.${options.stack}.yaml`);
    if (!options.ignoreStackFile && fs.existsSync(file)) {
        for (const [key, value] of Object.entries(readStackFile(file))) {
            if (isSecure(value)) {
                config[key] = placeholderSecret(key);
                secretKeys.add(key);
            } else {
                config[key] = value;
            }
        }
    }
    for (const [key, value] of Object.entries(options.config ?? {})) {
        config = setConfigPath(config, key, value);
        // `pulumi config set` without --secret stores the key in plain text, whatever it was before.
        secretKeys.delete(configKeyOf(key));
    }
    for (const [key, value] of Object.entries(options.secrets ?? {})) {
        config = setConfigPath(config, key, value);
        secretKeys.add(configKeyOf(key));
    }
    return { config, secretKeys };
}

function configKeyOf(rawKey: string): string {
    try {
        return parseConfigKey(rawKey, projectName).key;
    } catch (e) {
        throw new ConfigInputError((e as Error).message);
    }
}

/** The config as the engine hands it to a program: every value a string, structured ones as JSON. */
export function engineValues(config: Record<string, unknown>): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    return flat;
}

/** The stand-in value of a `secure:` config entry: its ciphertext cannot be read without the stack's key. */
export function placeholderSecret(key: string): string {
    return `mock-secret-${key.replace(/[^a-zA-Z0-9]/g, "-")}`;
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value;
}

/** Sets a key like `pulumi config set [--path]`: `ns:name`, `ns:a.b`, `ns:list[0]`; `undefined` removes it. */
function setConfigPath(config: Record<string, unknown>, rawKey: string, value: unknown): Record<string, unknown> {
    let parsed: ReturnType<typeof parseConfigKey>;
    try {
        parsed = parseConfigKey(rawKey, projectName);
    } catch (e) {
        throw new ConfigInputError((e as Error).message);
    }
    const { key, path: segments } = parsed;
    const next = { ...config };
    if (segments.length === 1) {
        if (value === undefined) delete next[key];
        else next[key] = value;
        return next;
    }
    let root: unknown = config[key];
    if (typeof root === "string") {
        // A structured value the engine holds as JSON text.
        try {
            root = JSON.parse(root);
        } catch {
            root = undefined;
        }
    }
    try {
        next[key] = setAtPath(structuredClone(root), segments.slice(1), value);
    } catch (e) {
        throw new ConfigInputError(`${rawKey}: ${(e as Error).message}`);
    }
    return next;
}

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns the wire form of resource inputs into plain values, noting which paths were secret. */
function decode(value: unknown, at: string, secretPaths: string[]): unknown {
    if (value === unknownValue) return undefined;
    if (Array.isArray(value)) return value.map((v, i) => decode(v, at ? `${at}.${i}` : String(i), secretPaths));
    if (value !== null && typeof value === "object") {
        const wire = value as Record<string, unknown>;
        if (wire[sigKey] === secretSig) {
            secretPaths.push(at);
            return decode(wire.value, at, secretPaths);
        }
        if (wire[sigKey] === resourceSig) return wire.urn;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(wire)) out[k] = decode(v, at ? `${at}.${k}` : k, secretPaths);
        return out;
    }
    return value;
}

/** A decoded property map (the engine always sends an object at the top). */
const decodeObject = (struct: WireStruct | undefined, secretPaths: string[] = []) => decode(readOnce(struct) ?? {}, "", secretPaths) as Record<string, unknown>;

/**
 * A message's Struct as plain data, converted once: the harness reads each request's inputs and each
 * response's state, and then the SDK's mock monitor and resource code convert the same Struct again.
 * Every reader builds its own values from the result (nothing writes into it), so they can share it.
 */
function readOnce(struct: WireStruct | undefined): unknown {
    if (struct === undefined) return undefined;
    const value = struct.toJavaScript();
    struct.toJavaScript = () => value;
    return value;
}

/** The parts of the engine's gRPC messages the harness reads; the SDK types them `any`. */
interface WireStruct {
    toJavaScript(): unknown;
}
interface ResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom?(): boolean;
    getObject?(): WireStruct | undefined;
    getProperties?(): WireStruct | undefined;
}
interface ResourceResponse {
    getUrn(): string;
    getObject?(): WireStruct | undefined;
    getProperties?(): WireStruct | undefined;
}
type Callback = (err: unknown, resp: ResourceResponse | undefined) => void;

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** A mock monitor that also records the registration requests' options, which `Mocks` never sees. */
class RecordingMonitor extends MockMonitor {
    readonly records: RecordedResource[] = [];

    async registerResource(req: ResourceRequest, callback: Callback): Promise<void> {
        const recorded = this.capture(req, false);
        return super.registerResource(req, (err: unknown, resp: ResourceResponse | undefined) => {
            if (!err && resp) {
                recorded.urn = resp.getUrn();
                recorded.state = decodeObject(resp.getObject?.());
                this.records.push(recorded);
            }
            callback(err, resp);
        });
    }

    async readResource(req: ResourceRequest, callback: Callback): Promise<void> {
        const recorded = this.capture(req, true);
        return super.readResource(req, (err: unknown, resp: ResourceResponse | undefined) => {
            if (!err && resp) {
                recorded.urn = resp.getUrn();
                recorded.state = decodeObject(resp.getProperties?.());
                this.records.push(recorded);
            }
            callback(err, resp);
        });
    }

    private capture(req: ResourceRequest, read: boolean): RecordedResource {
        const secretPaths: string[] = [];
        const inputs = decodeObject(read ? req.getProperties?.() : req.getObject?.(), secretPaths);
        // Register and read requests carry different option fields: ask for each only where it exists.
        const methods = req as unknown as Record<string, unknown>;
        const get = <T>(method: string, fallback: T): T => (typeof methods[method] === "function" ? ((methods[method] as () => T | undefined).call(req) ?? fallback) : fallback);
        const dependencies = new Set<string>(get<string[]>("getDependenciesList", []));
        const propertyDependencies = get<{ forEach(visit: (deps: { getUrnsList(): string[] }) => void): void } | undefined>("getPropertydependenciesMap", undefined);
        propertyDependencies?.forEach((deps) => deps.getUrnsList().forEach((u) => dependencies.add(u)));
        return {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            custom: read ? true : (req.getCustom?.() ?? false),
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
                ...aliasesOf(get<AliasMessage[]>("getAliasesList", [])),
                dependencies: [...dependencies],
            },
        };
    }
}

const defaultProgram = path.join(repoRoot, "index.ts");

/** Programs this process has loaded outside jest (see `loadProgram`). */
let programsLoaded = 0;

/** Loads the program afresh, so every run declares it from scratch. */
function loadProgram(programPath: string): Record<string, unknown> | (() => Promise<Record<string, unknown>>) {
    // Under jest, `jest` is a module-scope binding and its module registry ignores require.cache.
    if (typeof jest !== "undefined") {
        let exported: ReturnType<typeof loadProgram> = {};
        jest.isolateModules(() => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program chosen at run time, loaded synchronously in jest's isolated registry
            exported = require(programPath);
        });
        return exported;
    }
    // The first program of a process keeps the project modules the caller has already loaded (the
    // plan's settings check loads stacks/), so they are not loaded and run twice: they declare no
    // resources and hold no state of a run. Every later program starts from none of them.
    for (const cached of Object.keys(require.cache)) {
        if (cached === programPath || (programsLoaded > 0 && cached.startsWith(repoRoot) && !cached.includes(`${path.sep}node_modules${path.sep}`) && !cached.startsWith(__dirname))) {
            delete require.cache[cached];
        }
    }
    programsLoaded++;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a program chosen at run time, loaded afresh after clearing the cache
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
    const prepare = Error.prepareStackTrace;
    Error.stackTraceLimit = 0;
    // The SDK lifts the limit to capture every resource's full stack for the engine's source positions;
    // no engine here reads them, and formatting each frame (a file URL apiece) costs about as much as
    // the mock engine itself. An error keeps its message.
    Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
        Error.prepareStackTrace = prepare;
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
    const flat = engineValues(config);
    pulumi.runtime.setAllConfig(flat, [...secretKeys]);

    const loaded = loadProgram(options.program ?? defaultProgram);
    // A program may export an async function (`export = async () => ({ ... })`); the engine awaits it for the outputs.
    const exported = typeof loaded === "function" ? await loaded() : loaded;
    await runtimeSettings.waitForRPCs();
    const outputs: Record<string, StackOutput> = {};
    for (const [name, value] of Object.entries(exported)) {
        if (name === "__esModule") continue;
        // promise() and isSecret are internal to Output; the typings leave them out.
        const out = pulumi.output(value) as unknown as { promise(): Promise<unknown>; isSecret: Promise<boolean> };
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
            const secretOutputNames = Object.entries(stack)
                .filter(([, o]) => o.secret)
                .map(([k]) => k);
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

/** Resolves once every registration the program started has reached the mock engine (after a failed run, before `recordedSoFar`). */
export function registrationsSettled(): Promise<void> {
    return runtimeSettings.waitForRPCs();
}

/** Resources the last run registered, also when it failed part-way. */
export function recordedSoFar(): RecordedResource[] {
    return lastMonitor?.records ?? [];
}

export { nameOf };
