import { closest } from "./suggest";

/**
 * The config keys the providers this program uses accept, taken from the installed SDKs' config
 * modules (`@pulumi/aws/config`, `@pulumi/gcp/config`), so they follow the pinned provider versions.
 */
function sdkConfigKeys(module: string): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vars = require(module) as Record<string, unknown>;
    // Getters are the settings; functions (requireRegion…) are helpers. Reading a getter would read config, so only look.
    return Object.keys(vars).filter((k) => {
        const d = Object.getOwnPropertyDescriptor(vars, k);
        return d !== undefined && d.get !== undefined;
    });
}

let providerKeys: Record<string, string[]> | undefined;

export function providerConfigKeys(): Record<string, string[]> {
    providerKeys ??= { aws: sdkConfigKeys("@pulumi/aws/config"), gcp: sdkConfigKeys("@pulumi/gcp/config") };
    return providerKeys;
}

/** Namespaces whose keys the engine or providers read without this program checking them. */
const openNamespaces = ["pulumi", "kubernetes", "docker", "random"];

/** Problems with keys outside the project namespace: a misspelt provider key or namespace is never silently ignored. */
export function foreignKeyProblems(keys: readonly string[], project: string): { key: string; allowed: string }[] {
    const problems: { key: string; allowed: string }[] = [];
    const provider = providerConfigKeys();
    const namespaces = [project, ...Object.keys(provider), ...openNamespaces];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const [namespace, name] = [key.slice(0, colon), key.slice(colon + 1)];
        if (namespace === project || openNamespaces.includes(namespace)) continue;
        const known = provider[namespace];
        if (known === undefined) {
            problems.push({ key, allowed: `is not read by anything: "${namespace}" is not a namespace of this program (${namespaces.join(", ")})${closest(namespace, namespaces)}` });
        } else if (!known.includes(name)) {
            problems.push({ key, allowed: `is not a setting of the ${namespace} provider${closest(name, known).replace(/did you mean (\S+)\?/, `did you mean ${namespace}:$1?`)}` });
        }
    }
    return problems;
}
