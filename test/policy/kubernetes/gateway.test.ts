import * as k8s from "@pulumi/kubernetes";
import type { EvaluatedResource } from "../../../policy/evaluate";
import { retiredChart, retiredImage, retiredSoftware } from "../../../policy/lib/retired";
import { k8sBaseline, k8sLabels, ns } from "../fixtures";
import { describeViolations, evaluate, mutate, res, summary, unknownInput, type ViolationCase } from "../helpers";

const base = k8sBaseline;
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";

const gateway = (change: (spec: any) => void) => mutate(base(), "gateway", (i) => change(i.spec), GATEWAY);
const httpListener = (change: (listener: any) => void) => gateway((spec) => change(spec.listeners[0]));
const httpsListener = (change: (listener: any) => void) => gateway((spec) => change(spec.listeners[1]));
const route = (name: string, change: (spec: any) => void) => mutate(base(), name, (i) => change(i.spec), ROUTE);
const withRelease = (name: string, args: k8s.helm.v3.ReleaseArgs): EvaluatedResource[] => [...base(), res(k8s.helm.v3.Release, name, args)];
const apiImage = (image: string) => mutate(base(), "api", (i) => (i.spec.template.spec.containers[0].image = image), "kubernetes:apps/v1:Deployment");

const cases: ViolationCase[] = [
    // retired software
    {
        policy: "k8s-no-retired-software",
        what: "the ingress-nginx chart by name",
        resources: () =>
            withRelease("ingress-nginx", { chart: "ingress-nginx", version: "4.14.1", namespace: "ingress-nginx", repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" } }),
    },
    {
        policy: "k8s-no-retired-software",
        what: "the ingress-nginx chart from another mirror",
        resources: () => withRelease("edge", { chart: "oci://registry.example.com/charts/ingress-nginx", version: "4.14.1", namespace: "edge" }),
    },
    {
        policy: "k8s-no-retired-software",
        what: "any chart from the ingress-nginx repository",
        resources: () => withRelease("edge", { chart: "controller", version: "4.14.1", namespace: "edge", repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" } }),
    },
    {
        policy: "k8s-no-retired-software",
        what: "the ingress-nginx controller image in a Deployment",
        resources: () => apiImage("registry.k8s.io/ingress-nginx/controller:v1.14.1@sha256:" + "a".repeat(64)),
    },
    // Gateway listeners
    { policy: "k8s-gateway-https-listeners", what: "an HTTPS listener without a certificate", resources: () => httpsListener((l) => (l.tls.certificateRefs = [])) },
    { policy: "k8s-gateway-https-listeners", what: "an HTTPS listener passing TLS through", resources: () => httpsListener((l) => (l.tls.mode = "Passthrough")) },
    { policy: "k8s-gateway-https-listeners", what: "plain HTTP open to routes of every namespace", resources: () => httpListener((l) => (l.allowedRoutes.namespaces.from = "All")) },
    {
        policy: "k8s-gateway-https-listeners",
        what: "plain HTTP admitting GRPCRoutes",
        resources: () => httpListener((l) => l.allowedRoutes.kinds.push({ group: "gateway.networking.k8s.io", kind: "GRPCRoute" })),
    },
    { policy: "k8s-gateway-https-listeners", what: "a TCP listener", resources: () => gateway((spec) => spec.listeners.push({ name: "postgres", protocol: "TCP", port: 5432 })) },
    // routes on plain HTTP
    { policy: "k8s-gateway-routes-https", what: "the API route attached to the HTTP listener", resources: () => route("api-route", (spec) => (spec.parentRefs[0].sectionName = "http")) },
    { policy: "k8s-gateway-routes-https", what: "a route attached to every listener (no sectionName)", resources: () => route("api-route", (spec) => delete spec.parentRefs[0].sectionName) },
    { policy: "k8s-gateway-routes-https", what: "a route attached by port 80", resources: () => route("api-route", (spec) => (spec.parentRefs[0] = { name: "agent-edge", port: 80 })) },
    { policy: "k8s-gateway-routes-https", what: "a redirect to http", resources: () => route("redirect-route", (spec) => (spec.rules[0].filters[0].requestRedirect.scheme = "http")) },
    {
        policy: "k8s-gateway-routes-https",
        what: "a redirect rule that also forwards",
        resources: () => route("redirect-route", (spec) => (spec.rules[0].backendRefs = [{ name: "agent-api", port: 80 }])),
        also: ["k8s-httproute-timeouts"],
    },
    {
        policy: "k8s-gateway-routes-https",
        what: "a redirect route with a second rule that forwards",
        resources: () =>
            route("redirect-route", (spec) =>
                spec.rules.push({ matches: [{ path: { type: "PathPrefix", value: "/admin" } }], backendRefs: [{ name: "agent-api", port: 80 }], timeouts: { request: "30s" } }),
            ),
    },
    {
        policy: "k8s-gateway-routes-https",
        what: "a redirect that also rewrites headers",
        resources: () => route("redirect-route", (spec) => spec.rules[0].filters.push({ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x", value: "y" }] } })),
    },
    // timeouts
    { policy: "k8s-httproute-timeouts", what: "a forwarding rule without timeouts", resources: () => route("api-route", (spec) => delete spec.rules[0].timeouts) },
    { policy: "k8s-httproute-timeouts", what: "a timeout of zero (disabled)", resources: () => route("api-route", (spec) => (spec.rules[0].timeouts.request = "0s")) },
];

describeViolations("edge policies flag what they must", cases);

describe("edge policies accept the compliant variants", () => {
    it("the program's shape: a redirect-only HTTP listener and the API on HTTPS", async () => {
        expect(summary(await evaluate(base()))).toEqual([]);
        expect(summary(await evaluate(base(), "staging"))).toEqual([]);
    });

    it("Envoy Gateway's charts and images, and images that merely mention nginx, are not retired", async () => {
        expect(summary(await evaluate(withRelease("crds", { chart: "oci://docker.io/envoyproxy/gateway-crds-helm", version: "v1.9.0", namespace: "envoy-gateway-system" })))).toEqual([]);
        expect(summary(await evaluate(apiImage("docker.io/library/nginx:1.29.3")))).toEqual([]);
    });

    it("an HTTP listener whose allowedRoutes are left to the defaults (Same namespace, HTTPRoute)", async () => {
        expect(summary(await evaluate(httpListener((l) => delete l.allowedRoutes)))).toEqual([]);
    });

    it("a route to a Gateway the stack does not declare is not judged", async () => {
        expect(summary(await evaluate(route("api-route", (spec) => (spec.parentRefs = [{ name: "shared-gateway", namespace: "infra" }]))))).toEqual([]);
    });

    it("a redirect-only route needs no timeout; a sub-second timeout is fine", async () => {
        expect(summary(await evaluate(route("api-route", (spec) => (spec.rules[0].timeouts.request = "500ms"))))).toEqual([]);
    });

    it("unknown values during preview raise nothing", async () => {
        const resources = route("api-route", (spec) => {
            spec.parentRefs = unknownInput;
            spec.rules[0].timeouts = unknownInput;
        });
        expect(summary(await evaluate(resources))).toEqual([]);
        expect(summary(await evaluate(gateway((spec) => (spec.listeners[1].tls = unknownInput))))).toEqual([]);
    });

    it("a Gateway in another namespace with the same name does not capture the route", async () => {
        const other = res(
            k8s.apiextensions.CustomResource,
            "other-gateway",
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: "agent-edge", namespace: "other", labels: k8sLabels },
                spec: { gatewayClassName: "x", listeners: [{ name: "https", protocol: "HTTP", port: 80 }] },
            },
            { type: GATEWAY },
        );
        // Its plain-HTTP listener is named "https", like the listener the API's route names: the route must not be judged against it.
        expect(ns).not.toBe("other");
        expect(summary(await evaluate([...base(), other]))).toEqual([]);
    });
});

describe("the retired-software list", () => {
    it("names ingress-nginx first, with why and what replaces it, and where that was announced", () => {
        expect(retiredSoftware[0]).toEqual(expect.objectContaining({ name: "ingress-nginx", reason: expect.stringMatching(/retired|archived/), replacement: expect.stringContaining("Gateway API") }));
        for (const entry of retiredSoftware) expect(entry.source).toMatch(/^https:\/\//);
    });

    it.each([
        ["ingress-nginx", undefined, "ingress-nginx"],
        ["ingress-nginx/ingress-nginx", undefined, "ingress-nginx"],
        ["oci://ghcr.io/x/ingress-nginx", undefined, "ingress-nginx"],
        ["my-ingress-nginx-fork", undefined, undefined],
        ["cert-manager", "https://charts.jetstack.io", undefined],
        ["anything", "https://kubernetes.github.io/ingress-nginx/", "ingress-nginx"],
    ])("retiredChart(%j, %j)", (chart, repo, expected) => {
        expect(retiredChart(chart, repo)?.name).toBe(expected);
    });

    it.each([
        ["registry.k8s.io/ingress-nginx/controller:v1.14.1", "ingress-nginx"],
        ["registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.4", "ingress-nginx"],
        ["registry.k8s.io/ingress-nginx/controller-chroot@sha256:" + "b".repeat(64), "ingress-nginx"],
        ["docker.io/envoyproxy/envoy:distroless-v1.36.2", undefined],
        ["nginx:1.29", undefined],
    ])("retiredImage(%j)", (image, expected) => {
        expect(retiredImage(image)?.name).toBe(expected);
    });
});
