import * as k8s from "@pulumi/kubernetes";
import type { EvaluatedResource } from "../../../policy/evaluate";
import { k8sBaseline, k8sLabels, ns } from "../fixtures";
import { describeViolations, edit, evaluate, mutate, res, summary, without, type ViolationCase } from "../helpers";

const base = k8sBaseline;

const networkPolicy = (name: string, podSelector: k8s.types.input.meta.v1.LabelSelector, spec: Pick<k8s.types.input.networking.v1.NetworkPolicySpec, "ingress" | "egress">) =>
    res(k8s.networking.v1.NetworkPolicy, name, {
        metadata: { name, namespace: ns, labels: k8sLabels },
        spec: { podSelector, policyTypes: [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])], ...spec },
    });

const cases: ViolationCase[] = [
    {
        policy: "k8s-service-exposure",
        what: "a LoadBalancer Service outside the ingress namespace",
        resources: () => edit(base(), k8s.core.v1.Service, "api-svc", { spec: { type: "LoadBalancer", ports: [{ port: 443 }] } }),
    },
    { policy: "k8s-service-exposure", what: "a NodePort Service", resources: () => edit(base(), k8s.core.v1.Service, "api-svc", { spec: { type: "NodePort", ports: [{ port: 443 }] } }) },
    { policy: "k8s-ingress-tls", what: "no TLS", resources: () => mutate(base(), "api-ingress", (i) => delete i.spec.tls) },
    {
        policy: "k8s-ingress-tls",
        what: "HTTP not redirected to HTTPS",
        resources: () => mutate(base(), "api-ingress", (i) => (i.metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "false")),
    },
    {
        policy: "k8s-network-policy-scope",
        what: "an allow rule without ports",
        resources: () => [...base(), networkPolicy("allow-db", { matchLabels: { app: "api" } }, { egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/16" } }] }] })],
    },
    {
        policy: "k8s-network-policy-scope",
        what: "an allow rule without peers",
        resources: () => [...base(), networkPolicy("allow-any", { matchLabels: { app: "api" } }, { ingress: [{ ports: [{ port: 8080 }] }] })],
    },
    {
        policy: "k8s-network-policy-scope",
        what: "the internet on Postgres's port",
        // Outside the platform's namespaces any internet egress also bypasses the LLM gateway.
        also: ["k8s-internet-egress-through-llm-gateway"],
        resources: () => [...base(), networkPolicy("allow-db", { matchLabels: { app: "api" } }, { egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 5432 }] }] })],
    },
    {
        policy: "k8s-network-policy-scope",
        what: "HTTPS egress for every pod of the namespace",
        // Outside the platform's namespaces any internet egress also bypasses the LLM gateway.
        also: ["k8s-internet-egress-through-llm-gateway"],
        resources: () => [...base(), networkPolicy("allow-https", {}, { egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }] })],
    },
    { policy: "k8s-ingress-tls", what: "a host outside the TLS entry", resources: () => mutate(base(), "api-ingress", (i) => i.spec.rules.push({ host: "admin.example.com" })) },
    {
        policy: "k8s-ingress-rate-limit",
        what: "no rate limit annotation",
        resources: () => mutate(base(), "api-ingress", (i) => delete i.metadata.annotations["nginx.ingress.kubernetes.io/limit-rps"]),
    },
    { policy: "k8s-default-deny-network-policy", what: "no default deny", resources: () => without(base(), "default-deny") },
    { policy: "k8s-default-deny-network-policy", what: "a deny that covers ingress only", resources: () => mutate(base(), "default-deny", (i) => (i.spec.policyTypes = ["Ingress"])) },
];

describeViolations("Kubernetes network policies flag what they must", cases);

describe("Kubernetes network policies accept the compliant variants", () => {
    it("the LoadBalancer Service of the ingress namespace is allowed, and the namespace list is configurable", async () => {
        expect(await evaluate(base())).toEqual([]);
        const config = { "k8s-service-exposure": { ingressNamespaces: ["edge"] } };
        expect(summary(await evaluate(base(), "prod", config))).toEqual(["k8s-service-exposure @ ingress-lb"]);
    });
});

describe("the internet-facing edge may accept any address on its listener ports, and nothing else may", () => {
    const edgeNamespace = "envoy-gateway-system";
    const proxies = { "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway" };
    const world = [{ ipBlock: { cidr: "0.0.0.0/0" } }];
    const listeners = [
        { protocol: "TCP", port: 10080 },
        { protocol: "TCP", port: 10443 },
    ];
    const policyIn = (namespace: string, podSelector: k8s.types.input.meta.v1.LabelSelector, spec: Pick<k8s.types.input.networking.v1.NetworkPolicySpec, "ingress" | "egress">) =>
        res(k8s.networking.v1.NetworkPolicy, "edge-policy", {
            metadata: { name: "edge-policy", namespace, labels: k8sLabels },
            spec: { podSelector, policyTypes: [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])], ...spec },
        });
    const check = async (policy: EvaluatedResource, config = {}) => summary(await evaluate([...base(), policy], "prod", config));

    it("the edge's proxies accept the internet on 10080/10443", async () => {
        expect(await check(policyIn(edgeNamespace, { matchLabels: proxies }, { ingress: [{ from: world, ports: listeners }] }))).toEqual([]);
    });

    it("not outside the edge's namespace, not for a selector that could pick other pods, not on other ports, never as egress", async () => {
        const flagged = ["k8s-network-policy-scope @ edge-policy"];
        expect(await check(policyIn(ns, { matchLabels: proxies }, { ingress: [{ from: world, ports: listeners }] }))).toEqual(flagged);
        expect(await check(policyIn(edgeNamespace, { matchLabels: { "app.kubernetes.io/name": "envoy" } }, { ingress: [{ from: world, ports: listeners }] }))).toEqual(flagged);
        expect(await check(policyIn(edgeNamespace, { matchLabels: { "control-plane": "envoy-gateway" } }, { ingress: [{ from: world, ports: [{ protocol: "TCP", port: 9443 }] }] }))).toEqual(flagged);
        expect(await check(policyIn(edgeNamespace, { matchLabels: proxies }, { ingress: [{ from: world, ports: [{ protocol: "TCP", port: 19001 }] }] }))).toEqual(flagged);
        expect(await check(policyIn(edgeNamespace, { matchLabels: proxies }, { egress: [{ to: world, ports: listeners }] }))).toEqual(flagged);
    });

    it("the control plane's calls name its range as their peer", async () => {
        const controlPlane = [{ ipBlock: { cidr: "10.0.0.0/16" } }];
        expect(await check(policyIn("keda", { matchLabels: { app: "keda-admission-webhooks" } }, { ingress: [{ from: controlPlane, ports: [{ protocol: "TCP", port: 10250 }] }] }))).toEqual([]);
        expect(await check(policyIn("keda", { matchLabels: { app: "keda-admission-webhooks" } }, { ingress: [{ ports: [{ protocol: "TCP", port: 10250 }] }] }))).toEqual([
            "k8s-network-policy-scope @ edge-policy",
        ]);
    });

    it("the edge is configurable", async () => {
        const config = { "k8s-network-policy-scope": { publicIngress: { namespaces: ["edge"], podLabels: { app: "haproxy" }, ports: [8443] } } };
        expect(await check(policyIn("edge", { matchLabels: { app: "haproxy" } }, { ingress: [{ from: world, ports: [{ port: 8443 }] }] }), config)).toEqual([]);
        expect(await check(policyIn(edgeNamespace, { matchLabels: proxies }, { ingress: [{ from: world, ports: listeners }] }), config)).toEqual(["k8s-network-policy-scope @ edge-policy"]);
    });
});
