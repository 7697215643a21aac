import * as k8s from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../../lib/define";
import { namespaceOf, podValidations } from "../../lib/kubernetes";
import { reachesInternet } from "../../lib/network";
import { label } from "../../lib/stack";
import { at, knownEntries, knownItems, read, show, UNKNOWN } from "../../lib/values";

/**
 * LLM provider keys live only in the LLM gateway's namespace, where the gateway adds them to
 * upstream requests; a pod or Secret anywhere else holding one bypasses the gateway's budgets and
 * fallbacks, and one compromised pod would leak the key (docs/ai-gateway.md).
 */

interface ProviderKeyConfig {
    gatewayNamespace: string;
    providers: string[];
}

/** Words of a name, camelCase and separators split: `openaiApiKey` → OPENAI API KEY. */
function words(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter(Boolean);
}

/** True for names such as OPENAI_API_KEY, anthropicApiKey, GEMINI_KEY, GOOGLE_AI_API_TOKEN: a provider word, then KEY or TOKEN. */
export function isProviderKeyName(name: string, providers: readonly string[]): boolean {
    const w = words(name);
    const provider = w.findIndex((word) => providers.includes(word));
    return provider >= 0 && w.slice(provider + 1).some((word) => word === "KEY" || word === "APIKEY" || word === "TOKEN");
}

/** Values shaped like the providers' keys: OpenAI `sk-…`, Anthropic `sk-ant-…`, Google AI `AIza…`. */
export function looksLikeProviderKey(value: unknown): boolean {
    return typeof value === "string" && /^(sk-(ant-|proj-)?[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{35})$/.test(value.trim());
}

type EnvVar = { name?: string; value?: string; valueFrom?: { secretKeyRef?: { key?: string } } };

export const providerKeysInGateway = resourcePolicy({
    name: "k8s-provider-keys-in-gateway",
    description: "LLM provider keys exist only in the LLM gateway's namespace; no workload outside it gets one.",
    severity: "critical",
    category: "security",
    resources: "Secret, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "Outside `gatewayNamespace`: no Secret has a key named like a provider key (a `providers` word followed by KEY or TOKEN, any case or separator) or a value shaped like one (sk-…, sk-ant-…, AIza…); no container env entry is named like one or takes a Secret key named like one.",
    seed: "000 Security › API keys stored securely; issue 20 (keys leave the service)",
    remediation:
        "Set the key as ai-platform:<provider>ApiKey; the LLM gateway keeps it in its namespace and adds it to upstream requests. Workloads call the gateway's internal base URL (LLM_BASE_URL) with no key.",
    configSchema: {
        properties: {
            gatewayNamespace: { type: "string", default: "llm-gateway" },
            providers: {
                type: "array",
                items: { type: "string" },
                default: ["OPENAI", "ANTHROPIC", "CLAUDE", "GEMINI", "GOOGLEAI", "GENAI", "COHERE", "MISTRAL", "GROQ", "DEEPSEEK", "XAI", "TOGETHER", "PERPLEXITY", "OPENROUTER"],
            },
        },
    },
    validateResource: [
        validateResourceOfType(k8s.core.v1.Secret, (secret, args, report) => {
            const config = args.getConfig<ProviderKeyConfig>();
            const namespace = namespaceOf(args, () => secret.metadata);
            if (namespace === UNKNOWN || namespace === config.gatewayNamespace) return;
            for (const field of ["data", "stringData"] as const) {
                const { entries, unknownKeys } = knownEntries(() => secret[field] as Record<string, string> | undefined);
                // A value not known yet still has a known name.
                for (const [key, value] of [...Object.entries(entries), ...[...unknownKeys].map((k) => [k, undefined] as const)]) {
                    if (isProviderKeyName(key, config.providers)) report(`Secret "${args.name}" in namespace ${namespace} holds ${key}, a provider key, outside ${config.gatewayNamespace}.`);
                    else if (field === "stringData" && looksLikeProviderKey(value))
                        report(`Secret "${args.name}" in namespace ${namespace} holds a provider-key-shaped value under ${key}, outside ${config.gatewayNamespace}.`);
                }
            }
        }),
        ...podValidations((pod, args, report) => {
            const config = args.getConfig<ProviderKeyConfig>();
            const namespace = namespaceOf(args, () => (args.props as { metadata?: { namespace?: string } }).metadata);
            if (namespace === UNKNOWN || namespace === config.gatewayNamespace) return;
            for (const { container, name } of pod.containers) {
                for (const env of knownItems<EnvVar>(() => container.env as EnvVar[] | undefined).items) {
                    const envName = read(() => env.name);
                    const secretKey = read(() => env.valueFrom?.secretKeyRef?.key);
                    if (typeof envName === "string" && isProviderKeyName(envName, config.providers))
                        report(`${pod.what}: container "${name}" gets ${envName}, a provider key, outside ${config.gatewayNamespace}.`);
                    else if (typeof secretKey === "string" && isProviderKeyName(secretKey, config.providers))
                        report(`${pod.what}: container "${name}" reads the provider key ${secretKey} from a Secret, outside ${config.gatewayNamespace}.`);
                }
            }
        }),
    ],
});

const backendType = /^kubernetes:gateway\.envoyproxy\.io\/v1alpha1:Backend$/;
/** Names that resolve inside the cluster, where the mesh-less hop may be plain. */
const inCluster = /(\.svc|\.svc\.cluster\.local|\.cluster\.local)\.?$/;

export const backendTls = resourcePolicy({
    name: "k8s-external-backend-tls",
    description: "An Envoy Gateway Backend outside the cluster (an LLM provider) is reached over verified TLS.",
    severity: "critical",
    category: "security",
    resources: "Backend (gateway.envoyproxy.io/v1alpha1)",
    checks: "A Backend with an `fqdn` endpoint outside the cluster (not `*.svc`, `*.cluster.local`) or an `ip` endpoint has `spec.tls` with `wellKnownCACertificates` or `caCertificateRefs`, and not `insecureSkipVerify`.",
    seed: "000 Security › SSL everywhere; issue 20 (the gateway adds the provider's key to every upstream request)",
    remediation: 'Set spec.tls: { sni: <host>, wellKnownCACertificates: "System" } on the Backend (components/workloads/llmGateway.ts does).',
    validateResource: (args, report) => {
        if (!backendType.test(args.type)) return;
        const endpoints = knownItems<Record<string, unknown>>(() => at(args.props, "spec", "endpoints") as Record<string, unknown>[] | undefined);
        if (endpoints.unknown) return;
        const external = endpoints.items.some((e) => {
            const host = at(e, "fqdn", "hostname");
            return at(e, "ip") !== undefined || (typeof host === "string" && !inCluster.test(host));
        });
        if (!external) return;
        const tls = at(args.props, "spec", "tls");
        if (tls === UNKNOWN) return;
        const trust = [at(tls, "wellKnownCACertificates"), at(tls, "caCertificateRefs")];
        if (trust.includes(UNKNOWN)) return;
        if (tls === undefined || tls === null) report(`Backend "${args.name}" reaches a host outside the cluster without TLS.`);
        else if (at(tls, "insecureSkipVerify") === true) report(`Backend "${args.name}" skips verifying the server's certificate.`);
        else if (trust.every((t) => t === undefined)) report(`Backend "${args.name}" sets TLS without a CA to verify the server against.`);
    },
});

interface CallerHeaderConfig {
    gatewayNamespace: string;
    callerHeader: string;
}

const gatewayType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:Gateway$/;
const clientPolicyType = "kubernetes:gateway.envoyproxy.io/v1alpha1:ClientTrafficPolicy";
const backendPolicyType = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
type TargetRef = { group?: string; kind?: string; name?: string; sectionName?: string };
type HeaderEdit = { name?: string; value?: string };

const inNamespace = (r: PolicyResource, namespace: string) => at(r.props, "metadata", "namespace") === namespace;

/**
 * Budgets key on a header the LLM gateway sets per listener. A listener without a ClientTrafficPolicy
 * that sets it passes the client's own header through, and a rate-limit rule keyed on anything else (a
 * header the client sends, its address) lets the client pick, or dodge, the budget it is charged to.
 */
export const callerHeader = stackPolicy({
    name: "k8s-llm-caller-header",
    description: "Every LLM gateway listener names its caller itself, and the LLM budgets key only on that name.",
    severity: "high",
    category: "governance",
    resources: "Gateway + ClientTrafficPolicy + BackendTrafficPolicy (gateway.envoyproxy.io/v1alpha1) in `gatewayNamespace`",
    checks: "Each listener of each Gateway in `gatewayNamespace` is the target (the Gateway, with or without its `sectionName`) of a ClientTrafficPolicy there whose `headers.earlyRequestHeaders.set` gives `callerHeader` a non-empty value, and none `add`s it; every Global rate-limit rule of a BackendTrafficPolicy there has client selectors, each made only of header matches on `callerHeader`.",
    seed: "issue 20 (spend limits: the budget key comes from the caller's identity; a client must never be able to choose it)",
    remediation:
        "Declare tenants through `ai-platform:tenants` (the LlmGateway component gives each caller a listener and a ClientTrafficPolicy setting x-ai-platform-caller), and key rate-limit rules on that header alone.",
    configSchema: {
        properties: {
            gatewayNamespace: { type: "string", default: "llm-gateway" },
            callerHeader: { type: "string", default: "x-ai-platform-caller" },
        },
    },
    validateStack: (args, report) => {
        const config = args.getConfig<CallerHeaderConfig>();
        const header = config.callerHeader.toLowerCase();
        const here = args.resources.filter((r) => inNamespace(r, config.gatewayNamespace));
        const clientPolicies = here.filter((r) => r.type === clientPolicyType);
        // Which listeners a policy that sets the header covers; undefined when something is not known yet.
        const settingTargets: (TargetRef & { by: PolicyResource })[] = [];
        for (const p of clientPolicies) {
            const edits = at(p.props, "spec", "headers", "earlyRequestHeaders");
            const targets = knownItems<TargetRef>(() => at(p.props, "spec", "targetRefs") as TargetRef[] | undefined);
            const set = knownItems<HeaderEdit>(() => at(edits, "set") as HeaderEdit[] | undefined);
            const add = knownItems<HeaderEdit>(() => at(edits, "add") as HeaderEdit[] | undefined);
            if (edits === UNKNOWN || targets.unknown || set.unknown || add.unknown) return;
            if (add.items.some((h) => String(h.name).toLowerCase() === header))
                report(`${label(p)} adds ${config.callerHeader} beside the client's own instead of setting it: a client could send a second value.`, p.urn);
            if (set.items.some((h) => String(h.name).toLowerCase() === header && typeof h.value === "string" && h.value !== "")) settingTargets.push(...targets.items.map((t) => ({ ...t, by: p })));
        }
        for (const gateway of here.filter((r) => gatewayType.test(r.type))) {
            const name = at(gateway.props, "metadata", "name");
            const listeners = knownItems<{ name?: string }>(() => at(gateway.props, "spec", "listeners") as { name?: string }[] | undefined);
            if (name === UNKNOWN || listeners.unknown) continue;
            for (const l of listeners.items) {
                const covered = settingTargets.some((t) => (t.kind ?? "Gateway") === "Gateway" && t.name === name && (t.sectionName === undefined || t.sectionName === l.name));
                if (!covered) report(`${label(gateway)}: listener ${show(l.name)} has no ClientTrafficPolicy setting ${config.callerHeader}, so its clients choose their own budget key.`, gateway.urn);
            }
        }
        for (const p of here.filter((r) => r.type === backendPolicyType)) {
            const rules = knownItems<{ clientSelectors?: Record<string, unknown>[] }>(
                () => at(p.props, "spec", "rateLimit", "global", "rules") as { clientSelectors?: Record<string, unknown>[] }[] | undefined,
            );
            if (rules.unknown) continue;
            rules.items.forEach((rule, i) => {
                const selectors = rule.clientSelectors ?? [];
                const onlyCaller = (s: Record<string, unknown>) =>
                    Object.keys(s).every((k) => k === "headers") &&
                    Array.isArray(s.headers) &&
                    s.headers.length > 0 &&
                    (s.headers as { name?: unknown }[]).every((h) => String(h.name).toLowerCase() === header);
                if (selectors.length === 0 || !selectors.every(onlyCaller))
                    report(
                        `${label(p)}: global rate-limit rule ${i} selects clients by something other than ${config.callerHeader} alone (a header or address the client controls, or nothing).`,
                        p.urn,
                    );
            });
        }
    },
});

/**
 * Once the keys left the service, a workload that can still reach the internet could call a provider
 * with a key of its own and spend outside every budget, or send data anywhere. Only the LLM gateway's
 * proxies and the platform's own add-ons (which reach cloud APIs and ACME) may open connections to
 * public addresses; in every other namespace (the service's and the tenants'), only the components
 * named in `allowedComponents` may (the backup job uploads dumps to object storage).
 */
interface InternetEgressConfig {
    platformNamespaces: string[];
    componentLabel: string;
    allowedComponents: string[];
}

/** The components a pod selector pins by `label` (matchLabels, or an `In` expression); undefined when it does not pin one. */
function pinnedComponents(selector: unknown, label: string): string[] | undefined {
    const labels = knownEntries(() => (selector as { matchLabels?: Record<string, unknown> } | undefined)?.matchLabels);
    const value = labels.entries[label];
    if (typeof value === "string") return [value];
    const expressions = knownItems<{ key?: unknown; operator?: unknown; values?: unknown[] }>(() => (selector as { matchExpressions?: never[] } | undefined)?.matchExpressions);
    const pin = expressions.items.find((e) => e.key === label && e.operator === "In" && Array.isArray(e.values));
    return pin ? (pin.values as unknown[]).map(String) : undefined;
}

export const internetEgressThroughGateway = resourcePolicy({
    name: "k8s-internet-egress-through-llm-gateway",
    description: "Outside the platform's own namespaces, no workload may reach the internet except the components allowed to; LLM calls go through the LLM gateway.",
    severity: "high",
    category: "security",
    resources: "kubernetes.networking.v1.NetworkPolicy",
    checks: "A NetworkPolicy outside `platformNamespaces` has no egress peer whose `ipBlock.cidr` includes a public address (anything outside RFC 1918, 100.64/10, loopback, link-local and fc00::/7), unless its podSelector pins `componentLabel` to values all in `allowedComponents`.",
    seed: "issue 20 (keys leave the service: the service's and tenants' egress to the internet on 443 is closed)",
    remediation:
        "Call LLM providers through the LLM gateway's internal base URL (LLM_BASE_URL) and reach other services inside the cluster or the VPC; a component that must reach the internet (object storage uploads) is added to `allowedComponents` in the policy config, with its own podSelector.",
    configSchema: {
        properties: {
            platformNamespaces: {
                type: "array",
                items: { type: "string" },
                default: ["envoy-gateway-system", "envoy-ai-gateway-system", "llm-gateway", "cert-manager", "keda", "monitoring", "logging", "kube-system"],
                description: "Namespaces of the platform's add-ons and the LLM gateway, whose controllers reach cloud APIs, ACME and the providers.",
            },
            componentLabel: { type: "string", default: "app.kubernetes.io/component" },
            allowedComponents: { type: "array", items: { type: "string" }, default: ["backup"] },
        },
    },
    validateResource: validateResourceOfType(k8s.networking.v1.NetworkPolicy, (np, args, report) => {
        const config = args.getConfig<InternetEgressConfig>();
        const namespace = namespaceOf(args, () => np.metadata);
        if (namespace === UNKNOWN || config.platformNamespaces.includes(namespace)) return;
        const selector = read(() => np.spec?.podSelector);
        if (selector === UNKNOWN) return;
        const pinned = pinnedComponents(selector, config.componentLabel);
        if (pinned && pinned.length > 0 && pinned.every((c) => config.allowedComponents.includes(c))) return;
        for (const rule of knownItems(() => np.spec?.egress as { to?: { ipBlock?: { cidr?: unknown } }[] }[]).items) {
            for (const peer of knownItems(() => rule.to).items) {
                const cidr = read(() => peer.ipBlock?.cidr);
                if (reachesInternet(cidr))
                    report(
                        `NetworkPolicy "${args.name}" in namespace ${namespace} lets its pods reach ${cidr}, public addresses: outside the platform only ${config.allowedComponents.join(", ")} may; LLM calls go through the LLM gateway.`,
                    );
            }
        }
    }),
});
