import * as k8s from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../../lib/define";
import { kubernetesTypes, namespaceOf, objectNamespace, podBearingTypes, propsAt } from "../../lib/kubernetes";
import { isWorldCidr } from "../../lib/network";
import { label, ofTypes } from "../../lib/stack";
import { UNKNOWN, knownEntries, knownItems, read, show, type Unknown } from "../../lib/values";

/**
 * Kubernetes networking (input names of @pulumi/kubernetes 4.34): how Services and Ingresses expose
 * workloads, what NetworkPolicies admit (resource policies), and that every namespace with
 * workloads denies by default (a stack policy).
 */

// ---------------------------------------------------------------- resource policies: Services, Ingresses, NetworkPolicies

export const serviceExposure = resourcePolicy({
    name: "k8s-service-exposure",
    description: "Only the public edge is exposed through a cloud load balancer; nothing uses NodePort.",
    severity: "high",
    category: "security",
    resources: "kubernetes.core.v1.Service",
    checks: '`spec.type` is not "NodePort", and "LoadBalancer" only in `ingressNamespaces` (default envoy-gateway-system, where Envoy Gateway runs the proxies).',
    seed: "000 Security › minimal internal network exposure; 001 Load Balancing and SSL (one ingress)",
    remediation: "Use type ClusterIP and route traffic through the Gateway; the Envoy proxies' Service is the only LoadBalancer.",
    configSchema: {
        properties: { ingressNamespaces: { type: "array", items: { type: "string" }, default: ["envoy-gateway-system"], description: "Namespaces whose Services may be of type LoadBalancer." } },
    },
    validateResource: validateResourceOfType(k8s.core.v1.Service, (svc, args, report) => {
        const { ingressNamespaces } = args.getConfig<{ ingressNamespaces: string[] }>();
        const type = read(() => svc.spec?.type);
        if (type === "NodePort") report(`Service "${args.name}" opens a port on every node (type NodePort).`);
        if (type === "LoadBalancer") {
            const ns = namespaceOf(args, () => svc.metadata);
            if (ns !== UNKNOWN && !ingressNamespaces.includes(ns)) report(`Service "${args.name}" in namespace ${show(ns)} is exposed through a cloud load balancer (type LoadBalancer).`);
        }
    }),
});

/** True when a TLS host entry covers a rule host (exact, or `*.example.com` for one label). */
function covers(tlsHost: string, host: string): boolean {
    if (tlsHost === host) return true;
    return tlsHost.startsWith("*.") && host.endsWith(tlsHost.slice(1)) && !host.slice(0, -tlsHost.length + 1).includes(".");
}

export const ingressTls = resourcePolicy({
    name: "k8s-ingress-tls",
    description: "Ingresses terminate TLS for every host they route.",
    severity: "high",
    category: "security",
    resources: "kubernetes.networking.v1.Ingress",
    checks: '`spec.tls` is set with a `secretName`, every rule host is listed in a TLS entry, and ingress-nginx\'s `ssl-redirect` / `force-ssl-redirect` annotations are not "false" (plain HTTP would then be served, not redirected).',
    seed: "000 Security › SSL certificates installed; 001 Network › SSL/TLS certificates installed",
    remediation:
        'Add spec.tls [{ hosts: [domain], secretName }] and the cert-manager.io/cluster-issuer annotation so cert-manager issues the certificate; leave nginx.ingress.kubernetes.io/ssl-redirect at "true".',
    validateResource: validateResourceOfType(k8s.networking.v1.Ingress, (ing, args, report) => {
        const annotations = knownEntries(() => ing.metadata?.annotations);
        for (const name of ["ssl-redirect", "force-ssl-redirect"].map((a) => `nginx.ingress.kubernetes.io/${a}`)) {
            if (String(annotations.entries[name]).toLowerCase() === "false") report(`Ingress "${args.name}" serves plain HTTP instead of redirecting it to HTTPS (${name} is "false").`);
        }
        const tls = knownItems(() => ing.spec?.tls);
        if (tls.unknown) return;
        if (tls.items.length === 0) return report(`Ingress "${args.name}" serves plain HTTP (no spec.tls).`);
        if (tls.items.some((entry) => read(() => entry.secretName) === undefined)) report(`Ingress "${args.name}" has a TLS entry without secretName.`);
        const hostLists = tls.items.map((entry) => knownItems(() => entry.hosts));
        if (hostLists.some((h) => h.unknown)) return;
        const tlsHosts = hostLists.flatMap((h) => h.items);
        for (const rule of knownItems(() => ing.spec?.rules).items) {
            const host = read(() => rule.host);
            if (typeof host === "string" && !tlsHosts.some((h) => covers(h, host))) report(`Ingress "${args.name}" routes ${host} without TLS.`);
        }
    }),
});

const rateLimitAnnotations = ["limit-rps", "limit-rpm", "limit-connections", "global-rate-limit"].map((a) => `nginx.ingress.kubernetes.io/${a}`);

export const ingressRateLimit = resourcePolicy({
    name: "k8s-ingress-rate-limit",
    description: "Ingresses served by ingress-nginx limit request rates per client.",
    severity: "medium",
    category: "security",
    resources: "kubernetes.networking.v1.Ingress (class nginx or default)",
    checks: "One of the nginx.ingress.kubernetes.io/limit-rps, limit-rpm, limit-connections or global-rate-limit annotations is set.",
    seed: "000 Security › Rate limiting enabled; 001 ingress (rate-limit annotation)",
    remediation: 'Add the annotation nginx.ingress.kubernetes.io/limit-rps: "<n>" (stack setting ingress.rateLimitRps).',
    validateResource: validateResourceOfType(k8s.networking.v1.Ingress, (ing, args, report) => {
        const className = read(() => ing.spec?.ingressClassName);
        const annotations = knownEntries(() => ing.metadata?.annotations);
        if (className === UNKNOWN || annotations.unknown) return;
        const legacyClass = annotations.entries["kubernetes.io/ingress.class"];
        const cls = className ?? legacyClass;
        if (typeof cls === "string" && !cls.includes("nginx")) return;
        if (!rateLimitAnnotations.some((a) => a in annotations.entries || annotations.unknownKeys.has(a))) report(`Ingress "${args.name}" sets no request rate limit.`);
    }),
});

type NetworkPolicyRule = { ports?: { port?: unknown; protocol?: string }[]; to?: Peer[]; from?: Peer[] };
type Peer = { ipBlock?: { cidr?: string }; podSelector?: unknown; namespaceSelector?: unknown };

/**
 * The internet-facing edge: pods behind a cloud L4 load balancer that keeps clients' addresses
 * (`externalTrafficPolicy: Local`), so their peer really is any address. By default Envoy Gateway's
 * proxies (v1.9 labels), which bind the listeners 80/443 as 10080/10443 without NET_BIND_SERVICE.
 */
export interface PublicIngress {
    namespaces: string[];
    podLabels: Record<string, string>;
    ports: number[];
}

export const defaultPublicIngress: PublicIngress = {
    namespaces: ["envoy-gateway-system"],
    podLabels: { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy" },
    ports: [10080, 10443],
};

/** True when a selector's matchLabels pin every one of `labels`, so it selects nothing but such pods. */
function selectsOnly(selector: unknown, labels: Record<string, string>): boolean {
    const own = knownEntries(() => (selector as { matchLabels?: Record<string, unknown> } | undefined)?.matchLabels);
    return Object.keys(labels).length > 0 && Object.entries(labels).every(([key, value]) => own.entries[key] === value);
}

export const networkPolicyScope = resourcePolicy({
    name: "k8s-network-policy-scope",
    description: "NetworkPolicies allow only named ports to named peers, for the pods that need them.",
    severity: "high",
    category: "security",
    resources: "kubernetes.networking.v1.NetworkPolicy",
    checks: "Every ingress/egress rule names its peers (`from`/`to`) and `ports`; a world CIDR (0.0.0.0/0, ::/0) is allowed only on `allowedWorldPorts` (default 443), and as an ingress source on `publicIngress.ports` only for a policy in `publicIngress.namespaces` whose podSelector's matchLabels pin every `publicIngress.podLabels` (the internet-facing edge's proxies); a policy that selects every pod (`podSelector: {}`) allows nothing but DNS (port 53).",
    seed: '000 Security › Network policies configured ("default deny", then least privilege); 001 NetworkPolicy',
    remediation:
        "Give each rule explicit peers and ports, select the pods that need the rule with podSelector labels, and keep 0.0.0.0/0 to HTTPS (and to the edge proxies' listener ports); name the control plane's ranges for webhooks.",
    configSchema: {
        properties: {
            allowedWorldPorts: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [443], description: "Ports pods may reach or be reached on from any address." },
            publicIngress: {
                type: "object",
                description: "The internet-facing edge: the data-plane ports its proxy pods (selected by these labels, in these namespaces) may accept from any address.",
                properties: {
                    namespaces: { type: "array", items: { type: "string" } },
                    podLabels: { type: "object", additionalProperties: { type: "string" } },
                    ports: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 } },
                },
                required: ["namespaces", "podLabels", "ports"],
                default: defaultPublicIngress,
            },
        },
    },
    validateResource: validateResourceOfType(k8s.networking.v1.NetworkPolicy, (np, args, report) => {
        const { allowedWorldPorts, publicIngress } = args.getConfig<{ allowedWorldPorts: number[]; publicIngress: PublicIngress }>();
        const selector = read(() => np.spec?.podSelector);
        if (selector === UNKNOWN) return;
        const labels = knownEntries(() => (selector as { matchLabels?: Record<string, unknown> } | undefined)?.matchLabels);
        const expressions = knownItems(() => (selector as { matchExpressions?: unknown[] } | undefined)?.matchExpressions);
        const selectsAll = !labels.unknown && !expressions.unknown && Object.keys(labels.entries).length === 0 && labels.unknownKeys.size === 0 && expressions.items.length === 0;
        const namespace = namespaceOf(args, () => np.metadata);
        const edge = namespace !== UNKNOWN && publicIngress.namespaces.includes(namespace) && selectsOnly(selector, publicIngress.podLabels);
        const rules: { direction: "ingress" | "egress"; rule: NetworkPolicyRule; peers: () => Peer[] | undefined }[] = [
            ...knownItems(() => np.spec?.ingress as NetworkPolicyRule[]).items.map((rule) => ({ direction: "ingress" as const, rule, peers: () => rule.from })),
            ...knownItems(() => np.spec?.egress as NetworkPolicyRule[]).items.map((rule) => ({ direction: "egress" as const, rule, peers: () => rule.to })),
        ];
        for (const { direction, rule, peers } of rules) {
            const peerList = knownItems(peers);
            const ports = knownItems(() => rule.ports);
            if (!peerList.unknown && peerList.items.length === 0) report(`NetworkPolicy "${args.name}" allows ${direction} from/to every address (a rule without peers).`);
            if (!ports.unknown && ports.items.length === 0) report(`NetworkPolicy "${args.name}" allows ${direction} on every port (a rule without ports).`);
            const portNumbers = ports.items.map((p) => read(() => p.port));
            // Only the edge's proxies accept the internet on its listener ports; nothing reaches out on them.
            const worldPorts = direction === "ingress" && edge ? [...allowedWorldPorts, ...publicIngress.ports] : allowedWorldPorts;
            const world = peerList.items.some((peer) => isWorldCidr(read(() => peer.ipBlock?.cidr)));
            if (world && portNumbers.some((p) => p !== UNKNOWN && !worldPorts.includes(Number(p))))
                report(`NetworkPolicy "${args.name}" allows ${direction} with any address on ports ${portNumbers.map(show).join(", ")}; only ${worldPorts.join(", ")} may be.`);
            if (selectsAll && portNumbers.some((p) => p !== UNKNOWN && Number(p) !== 53))
                report(`NetworkPolicy "${args.name}" selects every pod of its namespace (podSelector {}) but allows ${direction} on ports ${portNumbers.map(show).join(", ")}, not only DNS.`);
        }
    }),
});

// ---------------------------------------------------------------- stack policy: default deny per namespace

function isDefaultDeny(policy: PolicyResource): boolean | Unknown {
    const selector = propsAt(policy, "spec", "podSelector");
    if (selector === UNKNOWN) return UNKNOWN;
    const labels = knownEntries(() => selector?.matchLabels);
    const expressions = knownItems(() => selector?.matchExpressions);
    if (labels.unknown || expressions.unknown) return UNKNOWN;
    const selectsAll = Object.keys(labels.entries).length === 0 && labels.unknownKeys.size === 0 && expressions.items.length === 0;
    const types = knownItems(() => propsAt(policy, "spec", "policyTypes"));
    if (types.unknown) return UNKNOWN;
    return selectsAll && types.items.includes("Ingress") && types.items.includes("Egress");
}

export const defaultDenyNetworkPolicy = stackPolicy({
    name: "k8s-default-deny-network-policy",
    description: "Every namespace that runs workloads has a default-deny NetworkPolicy for ingress and egress.",
    severity: "high",
    category: "security",
    resources: "pod-bearing kinds + kubernetes.networking.v1.NetworkPolicy",
    checks: "For each namespace with a workload, a NetworkPolicy with `podSelector: {}` and `policyTypes` [Ingress, Egress].",
    seed: '000 Security › Network policies configured ("default deny"); 001 NetworkPolicy',
    remediation: 'Add a NetworkPolicy { podSelector: {}, policyTypes: ["Ingress", "Egress"] } to the namespace, then allow DNS, the ingress controller, the databases and HTTPS egress explicitly.',
    validateStack: (args, report) => {
        const policies = ofTypes(args.resources, [kubernetesTypes.networkPolicy]);
        const workloadsByNamespace = new Map<string, PolicyResource[]>();
        for (const workload of ofTypes(args.resources, podBearingTypes)) {
            const ns = objectNamespace(workload);
            if (ns === UNKNOWN) continue;
            workloadsByNamespace.set(ns, [...(workloadsByNamespace.get(ns) ?? []), workload]);
        }
        for (const [ns, workloads] of workloadsByNamespace) {
            const inNamespace = policies.filter((p) => {
                const pns = objectNamespace(p);
                return pns === UNKNOWN || pns === ns;
            });
            const verdicts = inNamespace.map(isDefaultDeny);
            if (verdicts.includes(UNKNOWN) || verdicts.includes(true)) continue;
            report(`Namespace ${show(ns)} runs ${workloads.map(label).join(", ")} without a default-deny NetworkPolicy.`, workloads[0].urn);
        }
    },
});
