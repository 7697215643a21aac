import * as k8s from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import { validateResourceOfType } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "../../lib/define";
import {
    allowedEnvNamesSchema,
    imagePinProblem,
    kubernetesTypes,
    looksLikeCredential,
    looksSensitive,
    namespaceOf,
    namespacedKinds,
    objectNamespace,
    podBearingTypes,
    podTemplatePaths,
    podValidations,
    propsAt,
    type Container,
    type PodContext,
    type PodSpec,
} from "../../lib/kubernetes";
import { label, ofTypes } from "../../lib/stack";
import { UNKNOWN, isKnown, knownEntries, knownItems, read, show, type Unknown } from "../../lib/values";

/**
 * Kubernetes workloads (input names of @pulumi/kubernetes 4.34): resource policies over each pod
 * template, following the Pod Security Standards "restricted" profile, for Deployments,
 * StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs and bare Pods, and the stack policies over
 * what no single object shows (a workload and its PodDisruptionBudget, HorizontalPodAutoscaler and
 * ServiceAccount). Objects a Helm release renders are invisible to a policy pack; see
 * `k8s-helm-release-pinned`.
 */

// ---------------------------------------------------------------- resource policies: each pod template, namespaces, Helm releases

/** A container-level security setting, falling back to the pod-level one where Kubernetes does. */
function effective<T>(
    pod: PodContext,
    container: Container,
    pick: (sc: NonNullable<Container["securityContext"]> | NonNullable<PodSpec["securityContext"]>) => T | undefined,
): T | undefined | typeof UNKNOWN {
    const own = read(() => (container.securityContext ? pick(container.securityContext) : undefined));
    if (own !== undefined) return own;
    return read(() => (pod.spec.securityContext ? pick(pod.spec.securityContext) : undefined));
}

const seedPss = "000 Pod Security Standards (PodSecurityPolicy in the seed); 001 Security Hardening › security policies";

export const runAsNonRoot = resourcePolicy({
    name: "k8s-run-as-non-root",
    description: "Containers run as a non-root user.",
    severity: "high",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "`runAsNonRoot: true` on the pod or every container, and no `runAsUser: 0`.",
    seed: seedPss,
    remediation: "Set spec.securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 } in the pod template and build the image with a non-root USER.",
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            const nonRoot = effective(pod, container, (sc) => sc.runAsNonRoot);
            const user = effective(pod, container, (sc) => sc.runAsUser);
            if (user === 0) report(`${pod.what}: container "${name}" runs as root (runAsUser 0).`);
            else if (isKnown(nonRoot) && nonRoot !== true) report(`${pod.what}: container "${name}" may run as root (runAsNonRoot is ${show(nonRoot)}).`);
        }
    }),
});

export const noPrivilegeEscalation = resourcePolicy({
    name: "k8s-no-privilege-escalation",
    description: "Containers are not privileged and cannot gain privileges.",
    severity: "high",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "Every container sets `allowPrivilegeEscalation: false` and not `privileged: true`.",
    seed: seedPss,
    remediation: "Set securityContext: { allowPrivilegeEscalation: false } on every container (and never privileged: true).",
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            if (read(() => container.securityContext?.privileged) === true) report(`${pod.what}: container "${name}" is privileged.`);
            const escalation = read(() => container.securityContext?.allowPrivilegeEscalation);
            if (isKnown(escalation) && escalation !== false) report(`${pod.what}: container "${name}" may escalate privileges (allowPrivilegeEscalation is ${show(escalation)}).`);
        }
    }),
});

export const dropAllCapabilities = resourcePolicy({
    name: "k8s-drop-all-capabilities",
    description: "Containers drop every Linux capability (adding back at most NET_BIND_SERVICE).",
    severity: "high",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: '`securityContext.capabilities.drop` includes "ALL"; `add` has nothing but NET_BIND_SERVICE.',
    seed: "000/001 PodSecurityPolicy › requiredDropCapabilities: ALL",
    remediation: 'Set securityContext.capabilities: { drop: ["ALL"] } on every container.',
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            const drop = knownItems(() => container.securityContext?.capabilities?.drop);
            if (!drop.unknown && !drop.items.some((c) => String(c).toUpperCase() === "ALL")) report(`${pod.what}: container "${name}" does not drop ALL capabilities.`);
            const added = knownItems(() => container.securityContext?.capabilities?.add).items.filter((c) => String(c).toUpperCase() !== "NET_BIND_SERVICE");
            if (added.length > 0) report(`${pod.what}: container "${name}" adds capabilities ${added.join(", ")}.`);
        }
    }),
});

export const readOnlyRootFilesystem = resourcePolicy({
    name: "k8s-read-only-root-filesystem",
    description: "Containers cannot write to their root filesystem.",
    severity: "medium",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "Every container sets `readOnlyRootFilesystem: true`.",
    seed: "001 PodSecurityPolicy › readOnlyRootFilesystem: true",
    remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write (e.g. /tmp).",
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            const ro = read(() => container.securityContext?.readOnlyRootFilesystem);
            if (isKnown(ro) && ro !== true) report(`${pod.what}: container "${name}" has a writable root filesystem.`);
        }
    }),
});

export const seccompRuntimeDefault = resourcePolicy({
    name: "k8s-seccomp-runtime-default",
    description: "Containers run under the runtime's default seccomp profile (or a local one).",
    severity: "medium",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: '`seccompProfile.type` is "RuntimeDefault" or "Localhost" on the pod or every container.',
    seed: seedPss,
    remediation: 'Set spec.securityContext.seccompProfile: { type: "RuntimeDefault" } in the pod template.',
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            const type = effective(pod, container, (sc) => sc.seccompProfile?.type);
            if (isKnown(type) && type !== "RuntimeDefault" && type !== "Localhost") report(`${pod.what}: container "${name}" runs without a seccomp profile (type ${show(type)}).`);
        }
    }),
});

export const noHostAccess = resourcePolicy({
    name: "k8s-no-host-access",
    description: "Pods share nothing with the node: no host network, PID or IPC namespace, hostPath volume or host port.",
    severity: "high",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "`hostNetwork`, `hostPID`, `hostIPC` not true; no `hostPath` volume; no container `hostPort`.",
    seed: "001 PodSecurityPolicy › hostNetwork/hostIPC/hostPID: false; allowed volume types",
    remediation: "Remove hostNetwork/hostPID/hostIPC, replace hostPath volumes with emptyDir, configMap, secret or a PersistentVolumeClaim, and expose ports through a Service.",
    validateResource: podValidations((pod, _args, report) => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
            if (read(() => pod.spec[field]) === true) report(`${pod.what} uses the node's ${field.slice(4)} namespace (${field}: true).`);
        }
        for (const volume of knownItems(() => pod.spec.volumes).items) {
            if (read(() => volume.hostPath) !== undefined) report(`${pod.what} mounts a hostPath volume ${show(read(() => volume.name))}.`);
        }
        for (const { container, name } of pod.containers) {
            for (const port of knownItems(() => container.ports).items) {
                const hostPort = read(() => port.hostPort);
                if (typeof hostPort === "number" && hostPort !== 0) report(`${pod.what}: container "${name}" binds host port ${hostPort}.`);
            }
        }
    }),
});

export const resourceRequestsLimits = resourcePolicy({
    name: "k8s-resource-requests-limits",
    description: "Every container declares CPU and memory requests and limits.",
    severity: "medium",
    category: "resilience",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "`resources.requests.cpu`, `requests.memory`, `limits.cpu` and `limits.memory` are set on every container.",
    seed: "000 Performance › Resource limits set; 001 deployment manifest (requests/limits)",
    remediation: "Set resources: { requests: { cpu, memory }, limits: { cpu, memory } } (stack settings api.resources / worker.resources).",
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            const resources = read(() => container.resources);
            if (resources === UNKNOWN) continue;
            const missing: string[] = [];
            for (const kind of ["requests", "limits"] as const) {
                const section = read(() => resources?.[kind]);
                if (section === UNKNOWN) continue;
                for (const key of ["cpu", "memory"]) if (read(() => (section as Record<string, unknown> | undefined)?.[key]) === undefined) missing.push(`${kind}.${key}`);
            }
            if (missing.length > 0) report(`${pod.what}: container "${name}" sets no ${missing.join(", ")}.`);
        }
    }),
});

export const probes = resourcePolicy({
    name: "k8s-probes",
    description: "Long-running containers have liveness and readiness probes.",
    severity: "medium",
    category: "resilience",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod (not Jobs or CronJobs)",
    checks: "Every (non-init) container has `livenessProbe` and `readinessProbe`.",
    seed: "000 Monitoring › Health checks implemented; 001 deployment manifest (/health, /ready probes)",
    remediation: "Add livenessProbe (httpGet /health) and readinessProbe (httpGet /ready) to every long-running container.",
    validateResource: podValidations((pod, _args, report) => {
        if (!pod.longRunning) return;
        for (const { container, name, init } of pod.containers) {
            if (init) continue;
            const missing = (["livenessProbe", "readinessProbe"] as const).filter((p) => read(() => container[p]) === undefined);
            if (missing.length > 0) report(`${pod.what}: container "${name}" has no ${missing.join(" or ")}.`);
        }
    }),
});

export const imagePinned = resourcePolicy({
    name: "k8s-image-pinned",
    description: "Containers run an image pinned by digest or by a tag other than latest.",
    severity: "high",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: 'Every image has `@sha256:` digest or a tag, and the tag is not "latest".',
    seed: "000 CI/CD › immutable deployments (the seed's raaf-app:latest is what this forbids); 001 image ghcr.io/...:v1.0.0",
    remediation: "Reference images by digest (repo@sha256:…) as components/shared/image.ts does, or by an immutable version tag.",
    validateResource: podValidations((pod, _args, report) => {
        for (const { container, name } of pod.containers) {
            const image = read(() => container.image);
            if (image === UNKNOWN) continue;
            const problem = imagePinProblem(image);
            if (problem) report(`${pod.what}: container "${name}" ${problem}.`);
        }
    }),
});

export const noPlaintextSecrets = resourcePolicy({
    name: "k8s-no-plaintext-secrets",
    description: "Secrets reach containers from Secret objects, never as plain environment values.",
    severity: "critical",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: "No env entry with a secret-looking name (…_KEY, TOKEN, PASSWORD, SECRET, CREDENTIALS, DSN, WEBHOOK…) or a credential-looking value (URL with a password, sk-… keys) has a plain `value`.",
    seed: "000 Security › API keys stored securely; 001 Secrets Management",
    remediation: "Put the value in a Kubernetes Secret and reference it with valueFrom.secretKeyRef (or envFrom.secretRef).",
    configSchema: { properties: { allowedNames: allowedEnvNamesSchema } },
    validateResource: podValidations((pod, args, report) => {
        const { allowedNames } = args.getConfig<{ allowedNames: string[] }>();
        for (const { container, name } of pod.containers) {
            for (const env of knownItems(() => container.env).items) {
                const envName = read(() => env.name);
                const value = read(() => env.value);
                if (typeof envName !== "string" || value === undefined) continue;
                if (looksSensitive(envName, allowedNames)) report(`${pod.what}: container "${name}" sets ${envName} as a plain value.`);
                else if (looksLikeCredential(value)) report(`${pod.what}: container "${name}" sets ${envName} to a value that contains credentials.`);
            }
        }
    }),
});

export const dedicatedServiceAccount = resourcePolicy({
    name: "k8s-dedicated-service-account",
    description: "Pods run under their own service account, not the namespace's default one.",
    severity: "medium",
    category: "security",
    resources: "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod",
    checks: '`serviceAccountName` is set and not "default".',
    seed: "001 Security › Access Control: service accounts created, RBAC configured; CIS 5.1.5",
    remediation: "Create a ServiceAccount per workload (bound to its cloud identity) and set serviceAccountName in the pod template.",
    validateResource: podValidations((pod, _args, report) => {
        const sa = read(() => pod.spec.serviceAccountName ?? pod.spec.serviceAccount);
        if (sa === undefined || sa === "default") report(`${pod.what} runs as the namespace's default service account.`);
    }),
});

export const noDefaultNamespace = resourcePolicy({
    name: "k8s-no-default-namespace",
    description: "Nothing is deployed into the `default` namespace.",
    severity: "medium",
    category: "security",
    resources: "namespaced built-in kinds (workloads, Service, Ingress, ConfigMap, Secret, ServiceAccount, NetworkPolicy, PDB, HPA, Role, RoleBinding, PVC)",
    checks: '`metadata.namespace` (or the provider\'s namespace) is set and not "default".',
    seed: "001 deployment manifests (namespace: production); CIS 5.7.4",
    remediation: "Set metadata.namespace to the platform's namespace (kubernetesNames.appNamespace).",
    validateResource: (args, report) => {
        if (!namespacedKinds.has(args.type)) return;
        const ns = namespaceOf(args, () => args.props.metadata);
        if (ns === "default") report(`${args.type.slice(args.type.lastIndexOf(":") + 1)} "${args.name}" is in the default namespace.`);
    },
});

export const helmReleasePinned = resourcePolicy({
    name: "k8s-helm-release-pinned",
    description: "Helm releases pin an exact chart version from a TLS repository and install outside `default`.",
    severity: "medium",
    category: "security",
    resources: "kubernetes.helm.v3.Release",
    checks: "`version` is an exact semantic version; `repositoryOpts.repo`, when set, is https:// or oci://; `namespace` is set and not default. (The objects a release renders are not visible to the pack; chart values are checked by the add-ons' own tests.)",
    seed: "000 CI/CD › reproducible deployments; 001 Security scanning (known chart versions)",
    remediation: 'Set version: "x.y.z" (stack settings addons.*), an https:// repository and namespace.',
    validateResource: validateResourceOfType(k8s.helm.v3.Release, (release, args, report) => {
        const version = read(() => release.version);
        if (isKnown(version) && !(typeof version === "string" && /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version)))
            report(`Helm release "${args.name}" does not pin an exact chart version (version is ${show(version)}).`);
        const repo = read(() => release.repositoryOpts?.repo);
        if (typeof repo === "string" && !/^(https|oci):\/\//.test(repo)) report(`Helm release "${args.name}" pulls its chart over an insecure repository ${repo}.`);
        const ns = read(() => release.namespace);
        if (ns === undefined || ns === "default") report(`Helm release "${args.name}" installs into the default namespace.`);
    }),
});

// ---------------------------------------------------------------- stack policies: replicas, PDB/HPA, API tokens

/** Same namespace, or one of them not known yet (which must not produce a violation). */
function sameNamespace(a: PolicyResource, b: PolicyResource): boolean {
    const na = objectNamespace(a);
    const nb = objectNamespace(b);
    return na === UNKNOWN || nb === UNKNOWN || na === nb;
}

function podLabels(r: PolicyResource): { entries: Record<string, unknown>; unknown: boolean } {
    const path = podTemplatePaths[r.type]?.template ?? [];
    const labels = knownEntries(
        () => (path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], r.props) as { metadata?: { labels?: Record<string, unknown> } } | undefined)?.metadata?.labels,
    );
    return { entries: labels.entries, unknown: labels.unknown || labels.unknownKeys.size > 0 };
}

/**
 * The autoscalers whose scaleTargetRef names this workload (by name, or by depending on it when its
 * name is generated): HPAs, and KEDA ScaledObjects, which create the HPA themselves.
 */
function autoscalersFor(resources: PolicyResource[], workload: PolicyResource): PolicyResource[] {
    const kind = workload.type.slice(workload.type.lastIndexOf(":") + 1);
    const name = propsAt(workload, "metadata", "name");
    return ofTypes(resources, [kubernetesTypes.hpa, kubernetesTypes.scaledObject]).filter((scaler) => {
        const targetKind = propsAt(scaler, "spec", "scaleTargetRef", "kind");
        // A ScaledObject's target kind defaults to Deployment.
        const effectiveKind = targetKind === undefined && scaler.type === kubernetesTypes.scaledObject ? "Deployment" : targetKind;
        if (effectiveKind !== UNKNOWN && effectiveKind !== kind) return false;
        if (!sameNamespace(scaler, workload)) return false;
        const targetName = propsAt(scaler, "spec", "scaleTargetRef", "name");
        if (typeof targetName === "string" && typeof name === "string") return targetName === name;
        return scaler.dependencies.includes(workload);
    });
}

/** True when a label selector (matchLabels and simple matchExpressions) selects pods with these labels. */
function selects(value: unknown, labels: Record<string, unknown>): boolean | Unknown {
    if (value === UNKNOWN) return UNKNOWN;
    if (!value) return false;
    const selector = value as { matchLabels?: Record<string, unknown>; matchExpressions?: unknown };
    const matchLabels = knownEntries(() => selector.matchLabels);
    if (matchLabels.unknown || matchLabels.unknownKeys.size > 0) return UNKNOWN;
    const expressions = knownItems(() => selector.matchExpressions as { key: string; operator: string; values?: string[] }[]);
    if (expressions.unknown) return UNKNOWN;
    if (Object.keys(matchLabels.entries).length === 0 && expressions.items.length === 0) return false;
    const byLabels = Object.entries(matchLabels.entries).every(([key, value]) => labels[key] === value);
    const byExpressions = expressions.items.every((e) => {
        const value = labels[e.key];
        switch (e.operator) {
            case "In":
                return typeof value === "string" && (e.values ?? []).includes(value);
            case "NotIn":
                return !(typeof value === "string" && (e.values ?? []).includes(value));
            case "Exists":
                return value !== undefined;
            case "DoesNotExist":
                return value === undefined;
            default:
                return false;
        }
    });
    return byLabels && byExpressions;
}

function pdbsFor(resources: PolicyResource[], workload: PolicyResource): PolicyResource[] | Unknown {
    const labels = podLabels(workload);
    if (labels.unknown) return UNKNOWN;
    const found: PolicyResource[] = [];
    for (const pdb of ofTypes(resources, [kubernetesTypes.pdb]).filter((p) => sameNamespace(p, workload))) {
        const match = selects(propsAt(pdb, "spec", "selector"), labels.entries);
        if (match === UNKNOWN) return UNKNOWN;
        if (match) found.push(pdb);
    }
    return found;
}

interface ReplicaFloor {
    /** The fewest pods the workload runs: its autoscaler's minimum when one targets it, else spec.replicas (default 1). */
    floor: number;
    /** The most it is declared to run at rest: max(spec.replicas, the autoscaler's minimum). */
    declared: number;
    /** The HPA or ScaledObject that targets it. */
    hpa: PolicyResource | undefined;
}

/** An autoscaler's minimum: an HPA's minReplicas (default 1), a ScaledObject's minReplicaCount (default 0). */
function autoscalerMinimum(scaler: PolicyResource): number | Unknown {
    const scaledObject = scaler.type === kubernetesTypes.scaledObject;
    const min = propsAt(scaler, "spec", scaledObject ? "minReplicaCount" : "minReplicas");
    if (min === UNKNOWN) return UNKNOWN;
    return typeof min === "number" ? min : scaledObject ? 0 : 1;
}

function replicaFloor(resources: PolicyResource[], workload: PolicyResource): ReplicaFloor | undefined {
    const replicas = propsAt(workload, "spec", "replicas");
    if (replicas === UNKNOWN) return undefined;
    const own = typeof replicas === "number" ? replicas : 1;
    const hpa = autoscalersFor(resources, workload)[0];
    if (!hpa) return { floor: own, declared: own, hpa };
    const min = autoscalerMinimum(hpa);
    if (min === UNKNOWN) return undefined;
    return { floor: min, declared: Math.max(own, min), hpa };
}

export const minReplicas = stackPolicy({
    name: "k8s-min-replicas",
    description: "Long-running workloads keep at least two pods (the API at least three in prod), counting the autoscaler's floor.",
    severity: "high",
    category: "resilience",
    resources: "kubernetes.apps.v1.Deployment, StatefulSet (+ HorizontalPodAutoscaler, keda.sh ScaledObject)",
    checks: "The replica floor (the HPA's `minReplicas` or the KEDA ScaledObject's `minReplicaCount` when one targets the workload, else `spec.replicas`) is ≥ `minReplicas` (default 2), and ≥ `apiMinReplicas` (default 3) for pods labelled `app.kubernetes.io/component: api`. With `allowScaleToZero`, a ScaledObject with `minReplicaCount: 0` and an event trigger (not only cpu/memory) passes: the workload runs when there is work. A workload named in `singletons` (`namespace/name`) must run exactly one pod instead.",
    seed: "000 HPA minReplicas 3, deployment replicas 3; 001 Auto-scaling (2-10 instances), replicas: 3",
    remediation: "Raise replicas and the HPA's minReplicas (stack settings api.replicas/minReplicas, worker.replicas/minReplicas).",
    configSchema: {
        properties: {
            minReplicas: { type: "integer", minimum: 1, default: 2 },
            apiMinReplicas: { type: "integer", minimum: 1, default: 3 },
            apiComponent: { type: "string", default: "api", description: "Value of app.kubernetes.io/component that marks the API's pods." },
            allowScaleToZero: {
                type: "boolean",
                default: false,
                description: "Let a KEDA ScaledObject scale a workload to zero on an event trigger (a queue), for environments that pay only for work.",
            },
            singletons: {
                type: "array",
                items: { type: "string" },
                // The LLM budgets' Redis: the rate limiter talks to one Redis, and two would each count half (docs/ai-gateway.md).
                default: ["envoy-gateway-system/envoy-ratelimit-redis"],
                description: "`namespace/name` of workloads whose state one pod must hold; they run exactly one pod.",
            },
        },
    },
    validateStack: (args, report) => {
        const config = args.getConfig<{ minReplicas: number; apiMinReplicas: number; apiComponent: string; allowScaleToZero: boolean; singletons: string[] }>();
        for (const workload of ofTypes(args.resources, [kubernetesTypes.deployment, kubernetesTypes.statefulSet])) {
            const floor = replicaFloor(args.resources, workload);
            if (!floor) continue;
            const id = `${String(propsAt(workload, "metadata", "namespace"))}/${String(propsAt(workload, "metadata", "name"))}`;
            if (config.singletons.includes(id)) {
                if (floor.floor !== 1 || floor.hpa)
                    report(`${label(workload)} holds state one pod must own (${id}); it may run ${floor.floor} pod(s), and must run exactly 1 with no autoscaler.`, workload.urn);
                continue;
            }
            if (floor.floor === 0 && config.allowScaleToZero && floor.hpa && scalesOnEvents(floor.hpa)) continue;
            const labels = podLabels(workload);
            const isApi = labels.entries["app.kubernetes.io/component"] === config.apiComponent;
            const wanted = isApi ? config.apiMinReplicas : config.minReplicas;
            if (floor.floor < wanted) {
                report(
                    `${label(workload)}${isApi ? " (the API)" : ""} may run ${floor.floor} pod(s)${floor.hpa ? ` (its ${floor.hpa.type === kubernetesTypes.scaledObject ? "ScaledObject's minReplicaCount" : "HPA's minReplicas"})` : ""}; at least ${wanted} are required.`,
                    workload.urn,
                );
            }
        }
    },
});

/** True when a ScaledObject has a trigger other than cpu and memory: only such a trigger can wake a workload from zero. */
function scalesOnEvents(scaler: PolicyResource): boolean {
    if (scaler.type !== kubernetesTypes.scaledObject) return false;
    const triggers = knownItems(() => propsAt(scaler, "spec", "triggers") as { type?: unknown }[]);
    return !triggers.unknown && triggers.items.some((t) => typeof t?.type === "string" && t.type !== "cpu" && t.type !== "memory");
}

/** How many of `pods` a PDB lets be evicted at once; undefined when not known yet. */
function evictablePods(pdb: PolicyResource, pods: number): number | undefined {
    const value = (v: unknown, round: (x: number) => number): number | undefined => {
        if (typeof v === "number") return v;
        if (typeof v === "string" && /^\d+%$/.test(v)) return round((Number(v.slice(0, -1)) / 100) * pods);
        return undefined;
    };
    const maxUnavailable = propsAt(pdb, "spec", "maxUnavailable");
    const minAvailable = propsAt(pdb, "spec", "minAvailable");
    if (maxUnavailable === UNKNOWN || minAvailable === UNKNOWN) return undefined;
    // Kubernetes rounds percentages up for both fields.
    if (maxUnavailable !== undefined) return value(maxUnavailable, Math.ceil);
    const min = value(minAvailable, Math.ceil);
    return min === undefined ? undefined : pods - min;
}

export const pdbAndHpa = stackPolicy({
    name: "k8s-pdb-and-hpa",
    description: "Every replicated Deployment has a PodDisruptionBudget that keeps pods up without blocking drains, and a HorizontalPodAutoscaler.",
    severity: "medium",
    category: "resilience",
    resources: "kubernetes.apps.v1.Deployment + policy.v1.PodDisruptionBudget + autoscaling.v2.HorizontalPodAutoscaler or keda.sh ScaledObject",
    checks: "Each Deployment with ≥ 2 replicas has a PDB in its namespace whose selector matches its pod labels, and an HPA or a KEDA ScaledObject (which creates the HPA) whose scaleTargetRef names it; the PDB lets at least one pod be evicted but, from a replica floor of two up, never all at the floor (`maxUnavailable` ≥ 1 and below the floor, or `minAvailable` ≥ 1 and below the floor; percentages likewise). At a floor of 0 or 1 (a ScaledObject's `minReplicaCount`) the single pod must stay evictable; the floor itself is k8s-min-replicas' concern.",
    seed: "000 Performance › Autoscaling configured (HPA with behaviour); 001 Rolling updates with zero downtime",
    remediation: "Add a PodDisruptionBudget (minAvailable 1, or maxUnavailable 1) selecting the pods and an autoscaling/v2 HorizontalPodAutoscaler or a KEDA ScaledObject targeting the Deployment.",
    validateStack: (args, report) => {
        for (const deployment of ofTypes(args.resources, [kubernetesTypes.deployment])) {
            const floor = replicaFloor(args.resources, deployment);
            if (!floor || floor.declared < 2) continue;
            const pdbs = pdbsFor(args.resources, deployment);
            if (pdbs !== UNKNOWN && pdbs.length === 0) report(`${label(deployment)} has ${floor.declared} replicas but no PodDisruptionBudget selecting its pods.`, deployment.urn);
            // At a floor of 0 or 1 no budget can both keep a pod up and let drains through: a single pod
            // must be evictable (else every node upgrade stalls on it), and whether one pod is enough is
            // k8s-min-replicas' question. So "never all at once" is checked only from two pods up.
            const pods = Math.max(floor.floor, 1);
            for (const pdb of pdbs === UNKNOWN ? [] : pdbs) {
                const evictable = evictablePods(pdb, pods);
                if (evictable === undefined) continue;
                if (floor.floor >= 2 && evictable >= floor.floor) report(`${label(pdb)} lets every pod of ${label(deployment)} (${floor.floor} at its floor) be evicted at once.`, pdb.urn);
                if (evictable < 1) report(`${label(pdb)} lets no pod of ${label(deployment)} be evicted, so node drains and upgrades stall.`, pdb.urn);
            }
            if (!floor.hpa) report(`${label(deployment)} has ${floor.declared} replicas but no HorizontalPodAutoscaler or ScaledObject targeting it.`, deployment.urn);
        }
    },
});

export const noAutomountToken = stackPolicy({
    name: "k8s-no-automount-token",
    description: "Pods do not mount a Kubernetes API token unless they need one.",
    severity: "medium",
    category: "security",
    resources: "pod-bearing kinds + kubernetes.core.v1.ServiceAccount",
    checks: "`automountServiceAccountToken: false` on the pod template, or unset there and false on its ServiceAccount declared in the stack (a pod's `true` overrides its account); service accounts in `allowedServiceAccounts` are exempt.",
    seed: "001 Security › Access Control: RBAC, service accounts; CIS 5.1.6",
    remediation:
        "Set automountServiceAccountToken: false in the pod template (IRSA and Workload Identity do not need it), or add the service account to allowedServiceAccounts when the pod talks to the Kubernetes API.",
    configSchema: { properties: { allowedServiceAccounts: { type: "array", items: { type: "string" }, default: [], description: "Service accounts whose pods may mount an API token." } } },
    validateStack: (args, report) => {
        const { allowedServiceAccounts } = args.getConfig<{ allowedServiceAccounts: string[] }>();
        const accounts = ofTypes(args.resources, [kubernetesTypes.serviceAccount]);
        for (const workload of ofTypes(args.resources, podBearingTypes)) {
            const spec = propsAt(workload, ...(podTemplatePaths[workload.type]?.template ?? []), "spec");
            if (spec === UNKNOWN || spec === undefined) continue;
            const podSetting = read(() => spec.automountServiceAccountToken);
            if (podSetting === false || podSetting === UNKNOWN) continue;
            const saName = read(() => spec.serviceAccountName ?? spec.serviceAccount);
            if (saName === UNKNOWN || (typeof saName === "string" && allowedServiceAccounts.includes(saName))) continue;
            const name = typeof saName === "string" ? saName : "default";
            // The pod's own setting wins over its ServiceAccount's.
            if (podSetting === true) {
                report(`${label(workload)} mounts a Kubernetes API token (automountServiceAccountToken is true on the pod, which overrides its ServiceAccount ${show(name)}).`, workload.urn);
                continue;
            }
            if (accounts.some((a) => sameNamespace(a, workload) && propsAt(a, "metadata", "name") === UNKNOWN)) continue;
            const account = accounts.find(
                (a) =>
                    sameNamespace(a, workload) &&
                    (propsAt(a, "metadata", "name") === name || (saName !== undefined && workload.dependencies.includes(a) && propsAt(a, "metadata", "name") === undefined)),
            );
            const accountSetting = account ? propsAt(account, "automountServiceAccountToken") : undefined;
            if (accountSetting === false || accountSetting === UNKNOWN) continue;
            report(
                `${label(workload)} mounts a Kubernetes API token (service account ${show(name)}; automountServiceAccountToken is not false on the pod${account ? " or its ServiceAccount" : ""}).`,
                workload.urn,
            );
        }
    },
});
