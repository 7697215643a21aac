import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { llmProviderPort, llmProviders, type LlmProvider } from "../../stacks/facts/llmProviders";
import { llmTokenPrices, tokenPrice, type TokenPrice } from "../../stacks/facts/prices";
import { llmTenantPort } from "../../stacks/tenants";
import type { LlmBudget } from "../../stacks/llmBudget";
import { kubernetesNames, type Foundation } from "../contract";
import { llmCallerHeader, serviceCaller } from "../shared/llmCaller";
import { envoyGatewayApiVersion, gatewayApiGroup, gatewayApiVersion, gatewayDuration, proxyContainerPort } from "./gateway";
import { kubernetesOptions } from "../shared/options";
import { objectLabels, podSecurityLabels, type LabelSettingKeys } from "./labels";

/** Envoy AI Gateway's stable API (since v1.0.0). */
export const aiGatewayApiVersion = "aigateway.envoyproxy.io/v1beta1";
export const aiGatewayApiGroup = "aigateway.envoyproxy.io";

/** The request header the AI gateway's router matches a model by (it copies the body's `model` into it). */
export const modelHeader = "x-ai-eg-model";

/** Statuses a request is retried on, at the next backend in fallback order: rate limited, or the provider failing. */
export const fallbackStatusCodes = [429, 500, 502, 503, 504] as const;

/** Names of the per-provider objects (`kubectl -n llm-gateway get aiservicebackend openai`). */
export const providerObjectNames = (provider: LlmProvider) => ({ backend: provider, keySecret: `${provider}-api-key` });

/** The OpenAI-compatible base URL on a listener port: the gateway's ClusterIP Service, reachable only inside the cluster. */
export function llmGatewayBaseUrl(port: number = kubernetesNames.llmGateway.listenerPort): string {
    const llm = kubernetesNames.llmGateway;
    return `http://${llm.serviceName}.${kubernetesNames.gateway.namespace}.svc.cluster.local${port === 80 ? "" : `:${port}`}/v1`;
}

/** One caller of the LLM gateway: its key (the value of the caller header), its listener and the budget it is held to. */
export interface LlmCaller {
    caller: string;
    /** The namespace whose pods the listener admits. */
    namespace: string;
    /** The Gateway listener's name (a ClientTrafficPolicy's `sectionName`). */
    listener: string;
    /** The listener's port, and the port the proxies bind for it (Envoy Gateway shifts ports below 1024 by 10000). */
    port: number;
    proxyPort: number;
    budget: LlmBudget;
}

/**
 * Every caller of the LLM gateway, the service first (on the existing listener, port 80), then each
 * tenant on a port derived from its name (`llmTenantPort`, stable when tenants come and go), held to its
 * own `llmBudget` or else `llmGateway.tenantBudget`.
 */
export function llmCallers(settings: Pick<Settings, "llmGateway" | "tenants">): LlmCaller[] {
    const llm = kubernetesNames.llmGateway;
    const service: LlmCaller = {
        caller: serviceCaller,
        namespace: kubernetesNames.appNamespace,
        listener: llm.listenerName,
        port: llm.listenerPort,
        proxyPort: proxyContainerPort(llm.listenerPort),
        budget: settings.llmGateway.budget,
    };
    const tenants = settings.tenants.map((t): LlmCaller => {
        const port = llmTenantPort(t.name);
        return { caller: t.name, namespace: t.name, listener: `tenant-${t.name}`, port, proxyPort: proxyContainerPort(port), budget: t.llmBudget ?? settings.llmGateway.tenantBudget };
    });
    return [service, ...tenants];
}

/** Names of a caller's ClientTrafficPolicy (`kubectl -n llm-gateway get clienttrafficpolicy caller-team-a`). */
export const callerPolicyName = (caller: string) => `caller-${caller}`;

/** A micro-USD budget as the rate limiter counts it (whole units, `limit.requests` at most 2^32 − 1). */
export const microUsd = (usd: number) => Math.round(usd * 1_000_000);

/**
 * The global rate limit's rules: per caller, tokens per hour (charged `llm_total_token` on the
 * response) and micro-USD per hour (charged `llm_cost_micro_usd`); a request costs nothing up front, so
 * it is only checked against what the caller has already spent. The last rule refuses any request whose
 * caller header names no known caller (every listener sets one, so this only catches a listener added
 * without its ClientTrafficPolicy).
 */
export function budgetRules(callers: LlmCaller[]) {
    const charged = (key: string) => ({ request: { from: "Number", number: 0 }, response: { from: "Metadata", metadata: { namespace: aiGatewayMetadataNamespace, key } } });
    const byCaller = (caller: string) => [{ headers: [{ name: llmCallerHeader, type: "Exact", value: caller }] }];
    return [
        ...callers.flatMap((c) => [
            { clientSelectors: byCaller(c.caller), limit: { requests: c.budget.tokensPerHour, unit: "Hour" }, cost: charged(requestCostKeys.total) },
            { clientSelectors: byCaller(c.caller), limit: { requests: microUsd(c.budget.usdPerHour), unit: "Hour" }, cost: charged(requestCostKeys.microUsd) },
        ]),
        {
            clientSelectors: [{ headers: [{ name: llmCallerHeader, type: "RegularExpression", value: `^(${callers.map((c) => c.caller).join("|")})$`, invert: true }] }],
            limit: { requests: 0, unit: "Hour" },
        },
    ];
}

/** The providers with a key, and each model's backends among them in fallback order (priority 0 first). */
export function routedModels(settings: Pick<Settings, "llmGateway">, keyed: ReadonlySet<LlmProvider>) {
    return settings.llmGateway.models.map((model) => ({
        name: model.name,
        backends: model.backends.filter((b) => keyed.has(b.provider)).map((b, priority) => ({ provider: b.provider, model: b.model ?? model.name, priority })),
    }));
}

/**
 * The dynamic-metadata keys (namespace `io.envoy.ai_gateway`) the gateway records per request: input,
 * output and total tokens, and the request's price in micro-USD (CEL must return an integer).
 */
export const requestCostKeys = { input: "llm_input_token", output: "llm_output_token", total: "llm_total_token", microUsd: "llm_cost_micro_usd" } as const;

/** The dynamic-metadata namespace the AI gateway's external processor writes `llmRequestCosts` into (fixed by Envoy AI Gateway). */
export const aiGatewayMetadataNamespace = "io.envoy.ai_gateway";

/** A CEL double literal: `2` is an int in CEL and would not multiply a double. */
const celDouble = (n: number) => (Number.isInteger(n) ? `${n}.0` : String(n));
const celPrice = (price: TokenPrice) => `uint(double(input_tokens) * ${celDouble(price.inputPerMillion)} + double(output_tokens) * ${celDouble(price.outputPerMillion)})`;

/**
 * The CEL expression that prices one request in micro-USD from the price book (a price per million
 * tokens in USD is a price per token in micro-USD): one branch per model and backend that serves it
 * (the backend, `name.namespace`, tells which provider answered, and so whose model name applies),
 * and the dearest listed price for anything else.
 */
export function requestCostExpression(models: ReturnType<typeof routedModels>): string {
    const branches = models.flatMap((m) =>
        m.backends.map((b) => `backend == '${providerObjectNames(b.provider).backend}.${kubernetesNames.llmGateway.namespace}' && model == '${m.name}' ? ${celPrice(tokenPrice(b.provider, b.model))}`),
    );
    const all = Object.values(llmTokenPrices).flatMap((p) => Object.values(p));
    const dearest = { inputPerMillion: Math.max(...all.map((p) => p.inputPerMillion)), outputPerMillion: Math.max(...all.map((p) => p.outputPerMillion)) };
    return [...branches, celPrice(dearest)].join(" : ");
}

export interface LlmGatewayArgs {
    /**
     * Governance labels; the Kubernetes version the Pod Security labels pin (`cluster`); the gateway
     * class (`ingress`); models, budgets and replicas (`llmGateway`); the tenants' LLM listeners
     * (`tenants`); and the provider API keys, which only this component receives: it writes them into
     * the Secrets the AI gateway reads. Per-environment defaults in stacks/defaults.ts.
     */
    settings: Pick<Settings, LabelSettingKeys | "cluster" | "ingress" | "llmGateway" | "tenants" | "providerApiKeys">;
    /** The foundation: its cluster provider and ready resources, which every object waits for. */
    foundation: Foundation;

    /** The Envoy Gateway and Envoy AI Gateway CRD releases and controllers. */
    dependsOn: pulumi.Resource[];
    /** The rate limiter's Redis and its password Secret: the budgets wait for them. */
    rateLimitStore: pulumi.Resource[];
}

/**
 * The internal LLM gateway: one OpenAI-compatible endpoint inside the cluster, in front of every
 * provider that has a key. In the namespace `llm-gateway`, and nowhere else, live:
 * - the provider keys, each in a Secret that only a BackendSecurityPolicy references (the AI gateway
 *   adds the key to the upstream request, so no pod of the service ever holds one);
 * - per provider, an Envoy Gateway Backend (the provider's FQDN on 443, TLS verified against the
 *   system CAs with the provider's name as SNI) and the AIServiceBackend that speaks OpenAI to it;
 * - the Gateway, whose EnvoyProxy gives it a ClusterIP Service (no load balancer, no address outside
 *   the cluster), replicas, zone spread and a PodDisruptionBudget from settings;
 * - one AIGatewayRoute with a rule per model: its backends in fallback order (priority 0, 1, …), the
 *   provider's own model name where it differs, and `timeouts.request`;
 * - one listener per caller (the service on 80, each tenant on its own port), and per listener a
 *   ClientTrafficPolicy that sets the caller header, overwriting the client's: the budget key is
 *   where a request arrived, which NetworkPolicies decide, never what the client says;
 * - a BackendTrafficPolicy on the HTTPRoute the controller generates (same name): retries on 429,
 *   5xx, resets and connect failures, one attempt per priority, so each retry moves to the next backend,
 *   and the hourly budgets of every caller as a global rate limit (`budgetRules`).
 */
export class LlmGateway extends pulumi.ComponentResource {
    public readonly route: k8s.apiextensions.CustomResource;
    /** The service's base URL, `http://llm-gateway.envoy-gateway-system.svc.cluster.local/v1`, known once the route exists. */
    public readonly baseUrl: pulumi.Output<string>;

    constructor(name: string, args: LlmGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:workloads:LlmGateway", name, {}, opts);
        const { settings, foundation } = args;
        const gateway = settings.llmGateway;
        const llm = kubernetesNames.llmGateway;
        const labels = objectLabels(settings);
        const options = (...more: pulumi.Resource[]) => kubernetesOptions(this, foundation, [...args.dependsOn, ...more]);
        const object = (resourceName: string, apiVersion: string, kind: string, objectName: string, spec: Record<string, unknown>, resourceOptions: pulumi.CustomResourceOptions) =>
            new k8s.apiextensions.CustomResource(resourceName, { apiVersion, kind, metadata: { name: objectName, namespace: llm.namespace, labels }, spec }, resourceOptions);

        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: llm.namespace, labels: { ...labels, name: llm.namespace, ...podSecurityLabels("restricted", settings.cluster.kubernetesVersion) } } },
            kubernetesOptions(this, foundation),
        );

        const callers = llmCallers(settings);
        const keyed = new Set((Object.keys(llmProviders) as LlmProvider[]).filter((p) => settings.providerApiKeys[llmProviders[p].keyName] !== undefined));
        const backends: pulumi.Resource[] = [];
        for (const provider of keyed) {
            const facts = llmProviders[provider];
            const names = providerObjectNames(provider);
            const key = settings.providerApiKeys[facts.keyName] as pulumi.Output<string>;
            const secret = new k8s.core.v1.Secret(
                `${name}-${provider}-key`,
                { metadata: { name: names.keySecret, namespace: llm.namespace, labels }, type: "Opaque", stringData: { apiKey: pulumi.secret(key) } },
                kubernetesOptions(this, foundation, [namespace]),
            );
            const backend = object(
                `${name}-${provider}-backend`,
                envoyGatewayApiVersion,
                "Backend",
                names.backend,
                {
                    endpoints: [{ fqdn: { hostname: facts.hostname, port: llmProviderPort } }],
                    tls: { sni: facts.hostname, wellKnownCACertificates: "System" },
                },
                options(namespace),
            );
            const service = object(
                `${name}-${provider}-service-backend`,
                aiGatewayApiVersion,
                "AIServiceBackend",
                names.backend,
                { schema: { ...facts.schema }, backendRef: { group: "gateway.envoyproxy.io", kind: "Backend", name: names.backend } },
                options(backend),
            );
            const security = object(
                `${name}-${provider}-security-policy`,
                aiGatewayApiVersion,
                "BackendSecurityPolicy",
                names.keySecret,
                {
                    targetRefs: [{ group: aiGatewayApiGroup, kind: "AIServiceBackend", name: names.backend }],
                    type: "APIKey",
                    apiKey: { secretRef: { name: names.keySecret, namespace: llm.namespace } },
                },
                options(service, secret),
            );
            backends.push(service, security);
        }

        const proxyLabels = { ...llm.proxyPodLabels };
        const spread = (topologyKey: string, whenUnsatisfiable: string) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable,
            labelSelector: { matchLabels: proxyLabels },
            matchLabelKeys: ["pod-template-hash"],
        });
        const envoyProxy = object(
            `${name}-envoy-proxy`,
            envoyGatewayApiVersion,
            "EnvoyProxy",
            llm.gatewayName,
            {
                provider: {
                    type: "Kubernetes",
                    kubernetes: {
                        envoyDeployment: {
                            replicas: gateway.proxyReplicas,
                            pod: { topologySpreadConstraints: [spread("topology.kubernetes.io/zone", "DoNotSchedule"), spread("kubernetes.io/hostname", "ScheduleAnyway")] },
                            container: { resources: gateway.proxyResources },
                        },
                        ...(gateway.proxyReplicas > 1 ? { envoyPDB: { minAvailable: 1 } } : {}),
                        // Inside the cluster only: no load balancer, and a name the service's base URL can spell.
                        envoyService: { type: "ClusterIP", name: llm.serviceName },
                    },
                },
            },
            options(namespace),
        );

        const gatewayObject = object(
            `${name}-gateway`,
            gatewayApiVersion,
            "Gateway",
            llm.gatewayName,
            {
                gatewayClassName: settings.ingress.gatewayClassName,
                // This Gateway's own EnvoyProxy, in place of the class's (the public edge's LoadBalancer).
                infrastructure: { parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: llm.gatewayName } },
                // One listener per caller: which listener a request arrives on is who sent it.
                listeners: callers.map((c) => ({ name: c.listener, protocol: "HTTP", port: c.port, allowedRoutes: { namespaces: { from: "Same" } } })),
            },
            options(envoyProxy),
        );

        // Each listener names its caller in the header budgets key on, before routing and rate limiting,
        // overwriting whatever the client sent (`set`, not `add`).
        const callerPolicies = callers.map((c) =>
            object(
                `${name}-caller-${c.caller}`,
                envoyGatewayApiVersion,
                "ClientTrafficPolicy",
                callerPolicyName(c.caller),
                {
                    targetRefs: [{ group: gatewayApiGroup, kind: "Gateway", name: llm.gatewayName, sectionName: c.listener }],
                    headers: { earlyRequestHeaders: { set: [{ name: llmCallerHeader, value: c.caller }] } },
                },
                options(gatewayObject),
            ),
        );

        const models = routedModels(settings, keyed);
        this.route = object(
            `${name}-route`,
            aiGatewayApiVersion,
            "AIGatewayRoute",
            llm.routeName,
            {
                parentRefs: [{ group: gatewayApiGroup, kind: "Gateway", name: llm.gatewayName }],
                llmRequestCosts: [
                    { metadataKey: requestCostKeys.input, type: "InputToken" },
                    { metadataKey: requestCostKeys.output, type: "OutputToken" },
                    { metadataKey: requestCostKeys.total, type: "TotalToken" },
                    { metadataKey: requestCostKeys.microUsd, type: "CEL", cel: requestCostExpression(models) },
                ],
                rules: models
                    .filter((m) => m.backends.length > 0)
                    .map((m) => ({
                        matches: [{ headers: [{ type: "Exact", name: modelHeader, value: m.name }] }],
                        backendRefs: m.backends.map((b) => ({
                            name: providerObjectNames(b.provider).backend,
                            priority: b.priority,
                            ...(b.model !== m.name ? { modelNameOverride: b.model } : {}),
                        })),
                        timeouts: { request: gatewayDuration(gateway.requestTimeoutSeconds) },
                    })),
            },
            options(gatewayObject, ...backends),
        );

        object(
            `${name}-fallback-policy`,
            envoyGatewayApiVersion,
            "BackendTrafficPolicy",
            llm.routeName,
            {
                // The controller generates an HTTPRoute of the AIGatewayRoute's name.
                targetRefs: [{ group: gatewayApiGroup, kind: "HTTPRoute", name: llm.routeName }],
                retry: {
                    numRetries: gateway.retries,
                    // One attempt per priority: every retry goes to the next backend in fallback order.
                    numAttemptsPerPriority: 1,
                    perRetry: { timeout: gatewayDuration(gateway.attemptTimeoutSeconds), backOff: { baseInterval: "100ms", maxInterval: "10s" } },
                    retryOn: { httpStatusCodes: [...fallbackStatusCodes], triggers: ["connect-failure", "retriable-status-codes", "reset"] },
                },
                // The budgets live here too: Envoy Gateway attaches one BackendTrafficPolicy per route and
                // marks a second one Conflicted. Counters are shared by every proxy (the rate limit service and its Redis).
                rateLimit: { type: "Global", global: { rules: budgetRules(callers) } },
            },
            options(this.route, ...callerPolicies, ...args.rateLimitStore),
        );

        this.baseUrl = this.route.metadata.apply(() => llmGatewayBaseUrl());
        this.registerOutputs({ baseUrl: this.baseUrl });
    }
}
