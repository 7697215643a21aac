import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType, type PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../../lib/define";
import { podValidations } from "../../lib/kubernetes";
import { retiredChart, retiredImage } from "../../lib/retired";
import { label } from "../../lib/stack";
import { at, knownItems, show, UNKNOWN } from "../../lib/values";

/**
 * The public edge: no retired software, and the Gateway API objects the program declares (as
 * CustomResources, `kubernetes:gateway.networking.k8s.io/v1:<Kind>`) serve the API over HTTPS only,
 * plain HTTP existing only to redirect, with a request timeout on every route that forwards.
 */

const gatewayType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:Gateway$/;
const httpRouteType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:HTTPRoute$/;

/** The known items of `parent[key]`; `unknown` when the parent, the list or an item is not known yet. */
function listItems<T>(parent: unknown, key: string): { items: T[]; unknown: boolean } {
    if (parent === UNKNOWN) return { items: [], unknown: true };
    return knownItems<T>(() => (parent as Record<string, T[]> | undefined)?.[key]);
}

type Listener = {
    name?: string;
    protocol?: string;
    port?: number;
    tls?: { mode?: string; certificateRefs?: unknown[] };
    allowedRoutes?: { namespaces?: { from?: string }; kinds?: { group?: string; kind?: string }[] };
};
type RouteRule = { backendRefs?: unknown[]; filters?: { type?: string; requestRedirect?: { scheme?: string } }[]; timeouts?: { request?: string } };
type ParentRef = { group?: string; kind?: string; name?: string; namespace?: string; sectionName?: string; port?: number };

export const noRetiredSoftware = resourcePolicy({
    name: "k8s-no-retired-software",
    description: "No retired software (first: ingress-nginx) is installed as a Helm chart or runs as a container image.",
    severity: "high",
    category: "security",
    resources: "kubernetes.helm.v3.Release + pod-bearing kinds",
    checks: "A release's `chart` / `repositoryOpts.repo` and every container image are checked against the denylist in policy/lib/retired.ts, which says why each entry is retired.",
    seed: "000 Security › dependencies kept patched; 001 Security scanning (no unmaintained components at the edge)",
    remediation: "Replace it with what the denylist names (for ingress-nginx: the Gateway API on Envoy Gateway, docs/edge.md).",
    validateResource: [
        validateResourceOfType(k8s.helm.v3.Release, (release, args, report) => {
            const retired = retiredChart(at(release, "chart"), at(release, "repositoryOpts", "repo"));
            if (retired) report(`Helm release "${args.name}" installs ${retired.name}, ${retired.reason}. Use ${retired.replacement}.`);
        }),
        ...podValidations((pod, _args, report) => {
            for (const { container, name } of pod.containers) {
                const retired = retiredImage(at(container, "image"));
                if (retired) report(`${pod.what} runs ${retired.name} (container "${name}"), ${retired.reason}. Use ${retired.replacement}.`);
            }
        }),
    ],
});

export const gatewayListeners = resourcePolicy({
    name: "k8s-gateway-https-listeners",
    description: "Gateways serve HTTPS with a certificate; a plain-HTTP listener admits only HTTPRoutes of its own namespace (which must only redirect).",
    severity: "high",
    category: "security",
    resources: "Gateway (gateway.networking.k8s.io/v1)",
    checks: "Every listener is HTTPS with `tls.mode` Terminate and a certificateRef, or HTTP with `allowedRoutes.namespaces.from` Same (the default) and only HTTPRoute kinds; no TCP, UDP or TLS passthrough listeners.",
    seed: "000 Security › SSL certificates installed; 001 Network › SSL/TLS certificates installed",
    remediation:
        'Give the Gateway an HTTPS listener with tls.certificateRefs (cert-manager fills it through the cert-manager.io/cluster-issuer annotation) and keep plain HTTP for a RequestRedirect route with allowedRoutes.namespaces.from "Same".',
    validateResource: (args, report) => {
        if (!gatewayType.test(args.type)) return;
        const listeners = listItems<Listener>(at(args.props, "spec"), "listeners");
        for (const listener of listeners.items) {
            const what = `Gateway "${args.name}" listener ${show(at(listener, "name"))}`;
            const protocol = at(listener, "protocol");
            if (protocol === UNKNOWN) continue;
            if (protocol === "HTTPS") {
                const mode = at(listener, "tls", "mode");
                if (mode !== UNKNOWN && mode !== undefined && mode !== "Terminate") report(`${what} does not terminate TLS (tls.mode ${show(mode)}).`);
                const refs = listItems(at(listener, "tls"), "certificateRefs");
                if (!refs.unknown && refs.items.length === 0) report(`${what} has no certificate (tls.certificateRefs is empty).`);
            } else if (protocol === "HTTP") {
                const from = at(listener, "allowedRoutes", "namespaces", "from");
                if (from !== UNKNOWN && from !== undefined && from !== "Same") report(`${what} serves plain HTTP to routes from other namespaces (allowedRoutes.namespaces.from ${show(from)}).`);
                const kinds = listItems(at(listener, "allowedRoutes"), "kinds");
                const other = kinds.items.map((k) => at(k, "kind")).filter((k) => k !== UNKNOWN && k !== "HTTPRoute");
                if (other.length > 0) report(`${what} admits ${other.map(show).join(", ")} on plain HTTP, which cannot be limited to redirects.`);
            } else {
                report(`${what} exposes ${show(protocol)}; the public edge serves HTTPS (and HTTP only to redirect).`);
            }
        }
    },
});

/** A rule that only answers with a redirect to https: no backends, and RequestRedirect with scheme https as its only filter. */
function redirectsToHttps(rule: RouteRule): boolean | typeof UNKNOWN {
    const backends = listItems(rule, "backendRefs");
    const filters = listItems(rule, "filters");
    if (backends.unknown || filters.unknown) return UNKNOWN;
    if (backends.items.length > 0 || filters.items.length === 0) return false;
    return filters.items.every((f) => at(f, "type") === "RequestRedirect" && at(f, "requestRedirect", "scheme") === "https");
}

/** The object's namespace, else its provider's, else "default" (as the provider applies them). */
function namespaceOf(r: PolicyResource): string {
    const own = at(r.props, "metadata", "namespace");
    if (typeof own === "string" && own !== "") return own;
    const fromProvider = r.provider ? at(r.provider.props, "namespace") : undefined;
    return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}

export const routesOnHttps = stackPolicy({
    name: "k8s-gateway-routes-https",
    description: "HTTPRoutes attach only to HTTPS listeners; a route on a plain-HTTP listener only redirects to HTTPS.",
    severity: "high",
    category: "security",
    resources: "HTTPRoute + Gateway (gateway.networking.k8s.io/v1)",
    checks: "For every parentRef to a Gateway of the stack, the listeners it attaches to (by sectionName, port, or all) are HTTPS, or every rule of the route is a RequestRedirect to scheme https with no backendRefs.",
    seed: "000 Security › SSL certificates installed (HTTPS forced); 001 ingress (ssl-redirect)",
    remediation:
        'Attach the route to the HTTPS listener (parentRefs[].sectionName), and give the HTTP listener one route whose rule is filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }].',
    validateStack: (args, report) => {
        const gateways = args.resources.filter((r) => gatewayType.test(r.type));
        for (const route of args.resources.filter((r) => httpRouteType.test(r.type))) {
            const parents = listItems<ParentRef>(at(route.props, "spec"), "parentRefs");
            const rules = listItems<RouteRule>(at(route.props, "spec"), "rules");
            if (parents.unknown || rules.unknown) continue;
            for (const parent of parents.items) {
                const kind = at(parent, "kind") ?? "Gateway";
                const name = at(parent, "name");
                const namespace = at(parent, "namespace") ?? namespaceOf(route);
                if (kind !== "Gateway" || typeof name !== "string" || typeof namespace !== "string") continue;
                const gateway = gateways.find((g) => at(g.props, "metadata", "name") === name && namespaceOf(g) === namespace);
                if (!gateway) continue;
                const listeners = listItems<Listener>(at(gateway.props, "spec"), "listeners");
                const section = at(parent, "sectionName");
                const port = at(parent, "port");
                if (listeners.unknown || section === UNKNOWN || port === UNKNOWN) continue;
                const attached = listeners.items.filter((l) => (section === undefined || at(l, "name") === section) && (port === undefined || at(l, "port") === port));
                const plain = attached.filter((l) => at(l, "protocol") === "HTTP");
                if (plain.length === 0) continue;
                const verdicts = rules.items.map(redirectsToHttps);
                if (verdicts.includes(UNKNOWN) || verdicts.every((v) => v === true)) continue;
                report(`${label(route)} attaches to plain-HTTP listener ${plain.map((l) => show(at(l, "name"))).join(", ")} of Gateway ${show(name)} and does more than redirect to HTTPS.`, route.urn);
            }
        }
    },
});

export const routeTimeouts = resourcePolicy({
    name: "k8s-httproute-timeouts",
    description: "HTTPRoutes that forward to a backend carry a request timeout.",
    severity: "medium",
    category: "resilience",
    resources: "HTTPRoute (gateway.networking.k8s.io/v1)",
    checks: "Every rule with backendRefs sets `timeouts.request` to a non-zero duration (a zero duration disables the timeout).",
    seed: "001 ingress (proxy read/send timeouts for LLM calls)",
    remediation: "Set rules[].timeouts.request (stack setting ingress.requestTimeoutSeconds), at least the API's own response timeout.",
    validateResource: (args, report) => {
        if (!httpRouteType.test(args.type)) return;
        const rules = listItems<RouteRule>(at(args.props, "spec"), "rules");
        rules.items.forEach((rule, i) => {
            const backends = listItems(rule, "backendRefs");
            if (backends.unknown || backends.items.length === 0) return;
            const timeout = at(rule, "timeouts", "request");
            if (timeout === UNKNOWN) return;
            if (timeout === undefined) report(`HTTPRoute "${args.name}" rule ${i} forwards without a request timeout (timeouts.request).`);
            else if (typeof timeout === "string" && /^(0+(h|m|s|ms))+$/.test(timeout)) report(`HTTPRoute "${args.name}" rule ${i} disables its request timeout (timeouts.request ${show(timeout)}).`);
        });
    },
});
