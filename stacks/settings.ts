import * as pulumi from "@pulumi/pulumi";
import { SettingsError } from "./errors";
import { alertingKeyNames, projectName, providerKeyNames, validateSettings, type AlertingKeyName, type EngineConfig, type ProviderKeyName, type ValidatedSettings } from "./validate";

export {
    alertingKeyNames,
    mergeOver,
    projectName,
    providerKeyNames,
    secretKeyNames,
    validateSettings,
    settingsRules,
    type EngineConfig,
    type ProviderKeyName,
    type ValidatedSettings,
} from "./validate";

/** The one typed object every component is handed: the validated settings, their secrets as Pulumi secrets. */
export interface Settings extends Omit<ValidatedSettings, "secrets"> {
    /** AI provider API keys that are set, by config key; each a Pulumi secret. */
    providerApiKeys: Partial<Record<ProviderKeyName, pulumi.Output<string>>>;
    /** Alertmanager receivers; each a Pulumi secret, absent when unset. */
    alerting: Partial<Record<AlertingKeyName, pulumi.Output<string>>>;
}

/** The engine's config and which keys hold secrets (the engine lists them in PULUMI_CONFIG_SECRET_KEYS). */
export function engineConfig(): EngineConfig {
    const values = pulumi.runtime.allConfig();
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    const secretKeys = Object.keys(values).filter((k) => runtime.isConfigSecret?.(k) ?? false);
    return { project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys };
}

/**
 * Reads Pulumi config once, merges it over the defaults of the stack's environment and cloud,
 * validates the result and returns it as one typed object. Throws a `SettingsError` naming every bad
 * key, its value and what is allowed, so no resource is ever declared from bad config.
 */
export function loadSettings(): Settings {
    const engine = engineConfig();
    // The program's project is ai-platform; config keys are read in that namespace whatever the project file says.
    const { settings, problems } = validateSettings({ ...engine, project: projectName });
    if (!settings || problems.length > 0) throw new SettingsError(problems);
    const { secrets, ...rest } = settings;
    const wrap = <K extends string>(names: readonly K[]) =>
        Object.fromEntries(names.filter((n) => secrets[n] !== undefined).map((n) => [n, pulumi.secret(secrets[n] as string)])) as Partial<Record<K, pulumi.Output<string>>>;
    return { ...rest, project: engine.project, providerApiKeys: wrap(providerKeyNames), alerting: wrap(alertingKeyNames) };
}
