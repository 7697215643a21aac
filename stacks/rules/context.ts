import type { Cloud, Environment, TunedSettings } from "../schema";

/**
 * What a settings rule sees: the merged, schema-valid settings and where the stack is going. A rule
 * reports through `problem` with the dotted path of the setting it refuses; the value shown and
 * whether it came from a default are looked up from the path, so rules never format values.
 */
export interface RuleContext {
    settings: TunedSettings;
    cloud: Cloud;
    environment: Environment;
    /** `aws:region` / `gcp:region`, when set. */
    region?: string;
    /** `gcp:project`, when set. */
    gcpProject?: string;
    /** The repository root, where a relative `image.buildContext` is resolved. */
    root: string;
    /** Refuses the setting at `path` (e.g. "cluster.minNodes" or "cluster.publicAccessCidrs.0"). */
    problem(path: string, allowed: string): void;
    /** Refuses a key outside the project namespace, e.g. `aws:region`. */
    keyProblem(key: string, value: unknown, allowed: string): void;
}

/** One group of settings rules; every group runs, so every problem is found at once. */
export type SettingsRule = (ctx: RuleContext) => void;
