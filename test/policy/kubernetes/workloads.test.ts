import * as k8s from "@pulumi/kubernetes";
import type { EvaluatedResource } from "../../../policy/evaluate";
import { k8sBaseline, k8sLabels, ns } from "../fixtures";
import { describeViolations, edit, evaluate, mutate, res, summary, unset, without, type ViolationCase } from "../helpers";

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

describeViolations("Kubernetes workload policies flag what they must", cases);

describe("Kubernetes workload policies accept the compliant variants", () => {
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
