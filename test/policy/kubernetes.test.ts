import * as k8s from "@pulumi/kubernetes";
import type { EvaluatedResource } from "../../policy/evaluate";
import { imagePinProblem, looksLikeCredential, looksSensitive } from "../../policy/lib/kubernetes";
import { k8sBaseline, k8sLabels, ns } from "./fixtures";
import { describeViolations, edit, evaluate, mutate, res, summary, unset, without, type ViolationCase } from "./helpers";

const base = k8sBaseline;
const deploymentType = "kubernetes:apps/v1:Deployment";

/** Changes the API Deployment's pod spec (or its first container) in place on a copy. */
function apiPod(change: (pod: k8s.types.input.core.v1.PodSpec & Record<string, any>) => void): EvaluatedResource[] {
    return mutate(base(), "api", (inputs) => change(inputs.spec.template.spec), deploymentType);
}
function apiContainer(change: (c: k8s.types.input.core.v1.Container & Record<string, any>) => void): EvaluatedResource[] {
    return apiPod((pod) => change((pod.containers as any[])[0]));
}
function backupContainer(change: (c: Record<string, any>) => void): EvaluatedResource[] {
    return mutate(base(), "backup", (inputs) => change(inputs.spec.jobTemplate.spec.template.spec.containers[0]), "kubernetes:batch/v1:CronJob");
}

const pod = (name: string, spec: k8s.types.input.core.v1.PodSpec) => res(k8s.core.v1.Pod, name, { metadata: { name, namespace: ns, labels: k8sLabels }, spec });

const networkPolicy = (name: string, podSelector: k8s.types.input.meta.v1.LabelSelector, spec: Pick<k8s.types.input.networking.v1.NetworkPolicySpec, "ingress" | "egress">) =>
    res(k8s.networking.v1.NetworkPolicy, name, {
        metadata: { name, namespace: ns, labels: k8sLabels },
        spec: { podSelector, policyTypes: [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])], ...spec },
    });

const cases: ViolationCase[] = [
    { policy: "k8s-run-as-non-root", what: "runAsNonRoot missing", resources: () => apiPod((p) => delete (p.securityContext as any).runAsNonRoot) },
    { policy: "k8s-run-as-non-root", what: "a container overriding runAsUser 0", resources: () => apiContainer((c) => (c.securityContext = { ...(c.securityContext as object), runAsUser: 0 })) },
    { policy: "k8s-no-privilege-escalation", what: "allowPrivilegeEscalation not false", resources: () => apiContainer((c) => delete (c.securityContext as any).allowPrivilegeEscalation) },
    { policy: "k8s-no-privilege-escalation", what: "a privileged CronJob container", resources: () => backupContainer((c) => (c.securityContext.privileged = true)) },
    { policy: "k8s-drop-all-capabilities", what: "capabilities kept", resources: () => apiContainer((c) => delete (c.securityContext as any).capabilities) },
    { policy: "k8s-drop-all-capabilities", what: "NET_ADMIN added", resources: () => apiContainer((c) => ((c.securityContext as any).capabilities = { drop: ["ALL"], add: ["NET_ADMIN"] })) },
    { policy: "k8s-read-only-root-filesystem", what: "writable root filesystem", resources: () => apiContainer((c) => ((c.securityContext as any).readOnlyRootFilesystem = false)) },
    { policy: "k8s-seccomp-runtime-default", what: "no seccomp profile", resources: () => apiPod((p) => delete (p.securityContext as any).seccompProfile) },
    { policy: "k8s-seccomp-runtime-default", what: "Unconfined on a container", resources: () => apiContainer((c) => ((c.securityContext as any).seccompProfile = { type: "Unconfined" })) },
    { policy: "k8s-no-host-access", what: "hostNetwork", resources: () => apiPod((p) => (p.hostNetwork = true)) },
    { policy: "k8s-no-host-access", what: "a hostPath volume", resources: () => apiPod((p) => (p.volumes as any[]).push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } })) },
    { policy: "k8s-no-host-access", what: "a host port", resources: () => apiContainer((c) => (c.ports = [{ containerPort: 8080, hostPort: 8080 }])) },
    { policy: "k8s-resource-requests-limits", what: "no limits", resources: () => apiContainer((c) => delete (c.resources as any).limits) },
    { policy: "k8s-resource-requests-limits", what: "no resources in a CronJob", resources: () => backupContainer((c) => delete c.resources) },
    { policy: "k8s-probes", what: "no readiness probe", resources: () => apiContainer((c) => delete c.readinessProbe) },
    { policy: "k8s-image-pinned", what: "latest tag", resources: () => apiContainer((c) => (c.image = "ghcr.io/acme/agent:latest")) },
    { policy: "k8s-image-pinned", what: "untagged image in a CronJob", resources: () => backupContainer((c) => (c.image = "postgres")) },
    {
        policy: "k8s-no-plaintext-secrets",
        what: "an API key as a plain value",
        resources: () => apiContainer((c) => (c.env as any[]).push({ name: "OPENAI_API_KEY", value: "sk-live" })),
        also: ["k8s-provider-keys-in-gateway"],
    },
    {
        policy: "k8s-no-plaintext-secrets",
        what: "a database URL with a password",
        resources: () => apiContainer((c) => (c.env as any[]).push({ name: "DATABASE_URL", value: "postgresql://app:hunter2@db:5432/agents" })),
    },
    { policy: "k8s-dedicated-service-account", what: "the default service account", resources: () => apiPod((p) => delete p.serviceAccountName), also: [] },
    {
        policy: "k8s-no-default-namespace",
        what: "a Deployment in default",
        resources: () => mutate(base(), "api", (i) => (i.metadata.namespace = "default"), deploymentType),
        also: ["k8s-default-deny-network-policy", "k8s-pdb-and-hpa"],
    },
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
        resources: () => [...base(), networkPolicy("allow-db", { matchLabels: { app: "api" } }, { egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 5432 }] }] })],
    },
    {
        policy: "k8s-network-policy-scope",
        what: "HTTPS egress for every pod of the namespace",
        resources: () => [...base(), networkPolicy("allow-https", {}, { egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }] })],
    },
    { policy: "k8s-ingress-tls", what: "a host outside the TLS entry", resources: () => mutate(base(), "api-ingress", (i) => i.spec.rules.push({ host: "admin.example.com" })) },
    {
        policy: "k8s-ingress-rate-limit",
        what: "no rate limit annotation",
        resources: () => mutate(base(), "api-ingress", (i) => delete i.metadata.annotations["nginx.ingress.kubernetes.io/limit-rps"]),
    },
    {
        policy: "k8s-required-labels",
        what: "a ConfigMap without governance labels",
        resources: () => [...base(), res(k8s.core.v1.ConfigMap, "config", { metadata: { name: "agent-config", namespace: ns, labels: { app: "agent" } }, data: { LOG_LEVEL: "info" } })],
    },
    {
        policy: "k8s-required-labels",
        what: "a CustomResource without labels",
        resources: () => [
            ...base(),
            res(
                k8s.apiextensions.CustomResource,
                "issuer",
                { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "letsencrypt-prod" }, spec: {} },
                { type: "kubernetes:cert-manager.io/v1:ClusterIssuer" },
            ),
        ],
    },
    { policy: "k8s-helm-release-pinned", what: "a version range", resources: () => edit(base(), k8s.helm.v3.Release, "envoy-gateway", { version: "^1.9" }) },
    { policy: "k8s-helm-release-pinned", what: "no version", resources: () => unset(base(), k8s.helm.v3.Release, "envoy-gateway", "version") },
    { policy: "k8s-helm-release-pinned", what: "an http repository", resources: () => edit(base(), k8s.helm.v3.Release, "envoy-gateway", { repositoryOpts: { repo: "http://charts.example.com" } }) },
    // stack policies
    {
        policy: "k8s-min-replicas",
        what: "one worker replica in prod",
        resources: () =>
            mutate(
                mutate(base(), "worker", (i) => (i.spec.replicas = 1), deploymentType),
                "worker-hpa",
                (i) => (i.spec.minReplicas = 1),
            ),
    },
    { policy: "k8s-min-replicas", what: "an HPA that lets the API shrink to 2 in prod", resources: () => mutate(base(), "api-hpa", (i) => (i.spec.minReplicas = 2)) },
    { policy: "k8s-pdb-and-hpa", what: "no PDB", resources: () => without(base(), "api-pdb") },
    { policy: "k8s-pdb-and-hpa", what: "no HPA", resources: () => without(base(), "worker-hpa") },
    {
        policy: "k8s-pdb-and-hpa",
        what: "a PDB that lets every API pod go at once",
        resources: () => mutate(base(), "api-pdb", (i) => (i.spec = { maxUnavailable: "100%", selector: i.spec.selector })),
    },
    { policy: "k8s-pdb-and-hpa", what: "a PDB that lets no worker pod be evicted", resources: () => mutate(base(), "worker-pdb", (i) => (i.spec.maxUnavailable = 0)) },
    { policy: "k8s-pdb-and-hpa", what: "a PDB whose minAvailable is the whole floor", resources: () => mutate(base(), "api-pdb", (i) => (i.spec.minAvailable = 3)) },
    { policy: "k8s-pdb-and-hpa", what: "a PDB selecting other pods", resources: () => mutate(base(), "api-pdb", (i) => (i.spec.selector.matchLabels = { "app.kubernetes.io/component": "web" })) },
    { policy: "k8s-default-deny-network-policy", what: "no default deny", resources: () => without(base(), "default-deny") },
    { policy: "k8s-default-deny-network-policy", what: "a deny that covers ingress only", resources: () => mutate(base(), "default-deny", (i) => (i.spec.policyTypes = ["Ingress"])) },
    { policy: "k8s-no-automount-token", what: "a pod that mounts the token although its account does not (the pod wins)", resources: () => apiPod((p) => (p.automountServiceAccountToken = true)) },
    {
        policy: "k8s-no-automount-token",
        what: "token mounted on pod and account",
        resources: () =>
            mutate(
                apiPod((p) => delete p.automountServiceAccountToken),
                "api-sa",
                (i) => delete i.automountServiceAccountToken,
            ),
    },
];

describeViolations("Kubernetes policies flag what they must", cases);

describe("Kubernetes policies accept the compliant variants", () => {
    it("a token disabled on the ServiceAccount instead of the pod", async () => {
        expect(summary(await evaluate(apiPod((p) => delete p.automountServiceAccountToken)))).toEqual([]);
    });

    it("an HPA floor counts when the Deployment leaves replicas to it", async () => {
        expect(summary(await evaluate(mutate(base(), "api", (i) => delete i.spec.replicas, deploymentType)))).toEqual([]);
    });

    it("Jobs need no probes, Pods that restart do", async () => {
        const job = res(k8s.batch.v1.Job, "migrate", {
            metadata: { name: "migrate", namespace: ns, labels: k8sLabels },
            spec: { template: { spec: { ...(base().find((r) => r.name === "backup")!.inputs.spec.jobTemplate.spec.template.spec as k8s.types.input.core.v1.PodSpec), restartPolicy: "Never" } } },
        });
        expect(summary(await evaluate([...base(), job]))).toEqual([]);
        const once = pod("once", { ...(job.inputs.spec.template.spec as k8s.types.input.core.v1.PodSpec), restartPolicy: "Never" });
        const always = pod("always", { ...(job.inputs.spec.template.spec as k8s.types.input.core.v1.PodSpec), restartPolicy: "Always" });
        expect(summary(await evaluate([...base(), once, always]))).toEqual(["k8s-probes @ always"]);
    });

    it("the LoadBalancer Service of the ingress namespace is allowed, and the namespace list is configurable", async () => {
        expect(await evaluate(base())).toEqual([]);
        const config = { "k8s-service-exposure": { ingressNamespaces: ["edge"] } };
        expect(summary(await evaluate(base(), "prod", config))).toEqual(["k8s-service-exposure @ ingress-lb"]);
    });

    it("a namespace set on the provider counts as the object's namespace", async () => {
        const resources = base().map((r) => (r.type === "pulumi:providers:kubernetes" ? { ...r, inputs: { ...r.inputs, namespace: "default" } } : r));
        const configMap = res(k8s.core.v1.ConfigMap, "cm", { metadata: { name: "cm", labels: k8sLabels }, data: {} }, { provider: resources[0] });
        expect(summary(await evaluate([...resources, configMap]))).toEqual(["k8s-no-default-namespace @ cm"]);
    });

    it("environment variables may be configured as not secret", async () => {
        const resources = apiContainer((c) => (c.env as any[]).push({ name: "CACHE_TOKEN_TTL", value: "3600" }));
        expect(summary(await evaluate(resources))).toEqual(["k8s-no-plaintext-secrets @ api"]);
        expect(summary(await evaluate(resources, "prod", { "k8s-no-plaintext-secrets": { allowedNames: ["CACHE_TOKEN_TTL"] } }))).toEqual([]);
    });

    it("staging takes a single worker as an advisory", async () => {
        const staging = mutate(
            mutate(base(), "worker", (i) => (i.spec.replicas = 1), deploymentType),
            "worker-hpa",
            (i) => (i.spec.minReplicas = 1),
        );
        expect(await evaluate(staging, "staging")).toEqual([]);
        const strict = await evaluate(staging, "staging", { "k8s-min-replicas": "advisory" });
        expect(summary(strict)).toEqual(["k8s-min-replicas @ worker"]);
        expect(strict[0].enforcementLevel).toBe("advisory");
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

describe("KEDA ScaledObjects count as the HPA they create", () => {
    /** The baseline with the worker's HPA replaced by a KEDA ScaledObject with this floor. */
    function withScaledWorker(
        minReplicaCount: number | undefined,
        triggers: { type: string; metadata: Record<string, string> }[] = [{ type: "redis", metadata: { listName: "agent:tasks" } }],
    ): EvaluatedResource[] {
        const resources = without(base(), "worker-hpa");
        const worker = resources.find((r) => r.name === "worker")!;
        const scaledObject = res(
            k8s.apiextensions.CustomResource,
            "worker-scaled",
            {
                apiVersion: "keda.sh/v1alpha1",
                kind: "ScaledObject",
                metadata: { name: "agent-worker", namespace: ns, labels: k8sLabels },
                spec: { scaleTargetRef: { name: "agent-worker" }, ...(minReplicaCount === undefined ? {} : { minReplicaCount }), maxReplicaCount: 10, triggers },
            } as never,
            { type: "kubernetes:keda.sh/v1alpha1:ScaledObject", dependsOn: [worker] },
        );
        return [...resources, scaledObject];
    }

    it("a ScaledObject targeting a replicated Deployment satisfies the PDB-and-autoscaler rule, and its floor the minimum", async () => {
        expect(summary(await evaluate(withScaledWorker(3)))).toEqual([]);
    });

    it("its floor is minReplicaCount (KEDA's default 0), checked like an HPA's minReplicas", async () => {
        expect(summary(await evaluate(withScaledWorker(1)))).toEqual(["k8s-min-replicas @ worker"]);
        expect(summary(await evaluate(withScaledWorker(undefined)))).toEqual(["k8s-min-replicas @ worker"]);
    });

    it("at a floor of 0 or 1 the single pod must stay evictable: a budget that blocks drains is still reported", async () => {
        const blocking = (floor: number) => mutate(withScaledWorker(floor), "worker-pdb", (i) => (i.spec = { minAvailable: 1, selector: i.spec.selector }));
        expect(summary(await evaluate(blocking(1)))).toEqual(["k8s-min-replicas @ worker", "k8s-pdb-and-hpa @ worker-pdb"]);
        expect(summary(await evaluate(blocking(0)))).toEqual(["k8s-min-replicas @ worker", "k8s-pdb-and-hpa @ worker-pdb"]);
        expect(summary(await evaluate(mutate(withScaledWorker(1), "worker-pdb", (i) => (i.spec.maxUnavailable = "50%"))))).toEqual(["k8s-min-replicas @ worker"]);
    });

    it("scaling to zero on a queue passes where allowScaleToZero is set (staging), never on CPU alone, never by default (prod)", async () => {
        const strict = { "k8s-min-replicas": { enforcementLevel: "mandatory" as const, minReplicas: 1, apiMinReplicas: 2, allowScaleToZero: true } };
        expect(summary(await evaluate(withScaledWorker(0), "staging", strict))).toEqual([]);
        expect(summary(await evaluate(withScaledWorker(0, [{ type: "cpu", metadata: { value: "70" } }]), "staging", strict))).toEqual(["k8s-min-replicas @ worker"]);
        expect(summary(await evaluate(withScaledWorker(0)))).toEqual(["k8s-min-replicas @ worker"]);
    });
});

describe("Kubernetes helpers", () => {
    it.each([
        ["ghcr.io/acme/agent@sha256:" + "0".repeat(64), undefined],
        ["ghcr.io/acme/agent:v1.0.0", undefined],
        ["localhost:5000/agent:1.2", undefined],
        ["localhost:5000/agent", "no tag"],
        ["postgres", "no tag"],
        ["redis:latest", "latest"],
        ["", "no image"],
    ])("imagePinProblem(%j)", (image, problem) => {
        const found = imagePinProblem(image);
        if (problem === undefined) expect(found).toBeUndefined();
        else expect(found).toContain(problem);
    });

    it.each([
        ["OPENAI_API_KEY", true],
        ["DB_PASSWORD", true],
        ["SECRET_KEY_BASE", true],
        ["AWS_ACCESS_KEY_ID", true],
        ["SLACK_WEBHOOK_URL", true],
        ["SENTRY_DSN", true],
        ["LOG_LEVEL", false],
        ["CACHE_KEY_PREFIX", false],
        ["REDIS_URL", false],
        ["DEFAULT_MODEL", false],
    ])("looksSensitive(%s) is %s", (name, expected) => {
        expect(looksSensitive(name)).toBe(expected);
    });

    it("recognises credentials in values", () => {
        expect(looksLikeCredential("postgresql://app:pw@db:5432/x")).toBe(true);
        expect(looksLikeCredential("sk-ant-" + "a".repeat(20))).toBe(true);
        expect(looksLikeCredential("redis://cache:6379/0")).toBe(false);
        expect(looksLikeCredential("info")).toBe(false);
    });
});
