import * as k8s from "@pulumi/kubernetes";
import { validateResourceOfType, type ReportViolation, type ResourceValidation, type ResourceValidationArgs } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { resourcePolicy, type PolicyDefinition } from "../lib/define";
import { isWorldCidr } from "../lib/network";
import { allowedEnvNamesSchema, imagePinProblem, isLabelledKubernetesObject, looksLikeCredential, looksSensitive, namespacedKinds } from "../lib/kubernetes";
import { tagRequirementsSchema, unmetRequirements, type TagRequirement } from "../lib/tags";
import { UNKNOWN, isKnown, knownEntries, knownItems, read, show } from "../lib/values";

/**
 * Kubernetes policies for the objects the program declares itself (input names of
 * @pulumi/kubernetes 4.34). Workload rules follow the Pod Security Standards "restricted" profile
 * and apply to every pod template: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
 * CronJobs and bare Pods. Objects a Helm release renders are invisible to a policy pack; see
 * `k8s-helm-release-pinned`.
 */

type PodSpec = pulumi.Unwrap<k8s.types.input.core.v1.PodSpec>;
type Container = pulumi.Unwrap<k8s.types.input.core.v1.Container>;
type ObjectMeta = pulumi.Unwrap<k8s.types.input.meta.v1.ObjectMeta>;

export interface PodContext {
    /** `Deployment "api"`, for messages. */
    what: string;
    /** Deployments, StatefulSets, DaemonSets, ReplicaSets and restart-always Pods; not Jobs or CronJobs. */
    longRunning: boolean;
    spec: PodSpec;
    /** Containers and init containers whose definitions are known. */
    containers: { container: Container; init: boolean; name: string }[];
}

function podContext(kind: string, longRunning: boolean, spec: () => PodSpec | undefined, args: ResourceValidationArgs): PodContext | undefined {
    const known = read(spec);
    if (known === UNKNOWN || known === undefined || known === null) return undefined;
    const containers: PodContext["containers"] = [];
    for (const [list, init] of [
        [() => known.containers, false],
        [() => known.initContainers, true],
    ] as const) {
        for (const container of knownItems(list).items) {
            const name = read(() => container.name);
            containers.push({ container, init, name: typeof name === "string" ? name : "(unnamed)" });
        }
    }
    return { what: `${kind} "${args.name}"`, longRunning, spec: known, containers };
}

/** One validation per pod-bearing kind, each handing the pod template to `check`. */
export function podValidations(check: (pod: PodContext, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation[] {
    const run = (kind: string, longRunning: boolean, spec: () => PodSpec | undefined) => (args: ResourceValidationArgs, report: ReportViolation) => {
        const pod = podContext(kind, longRunning, spec, args);
        if (pod) check(pod, args, report);
    };
    return [
        validateResourceOfType(k8s.apps.v1.Deployment, (d, args, report) => run("Deployment", true, () => d.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.apps.v1.StatefulSet, (s, args, report) => run("StatefulSet", true, () => s.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.apps.v1.DaemonSet, (d, args, report) => run("DaemonSet", true, () => d.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.apps.v1.ReplicaSet, (r, args, report) => run("ReplicaSet", true, () => r.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.batch.v1.Job, (j, args, report) => run("Job", false, () => j.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.batch.v1.CronJob, (c, args, report) => run("CronJob", false, () => c.spec?.jobTemplate?.spec?.template?.spec)(args, report)),
        validateResourceOfType(k8s.core.v1.Pod, (p, args, report) => {
            const restart = read(() => p.spec?.restartPolicy);
            run("Pod", restart === undefined || restart === "Always", () => p.spec)(args, report);
        }),
    ];
}

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

const runAsNonRoot = resourcePolicy({
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

const noPrivilegeEscalation = resourcePolicy({
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

const dropAllCapabilities = resourcePolicy({
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

const readOnlyRootFilesystem = resourcePolicy({
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

const seccompRuntimeDefault = resourcePolicy({
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

const noHostAccess = resourcePolicy({
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

const resourceRequestsLimits = resourcePolicy({
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

const probes = resourcePolicy({
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

const imagePinned = resourcePolicy({
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

const noPlaintextSecrets = resourcePolicy({
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

const dedicatedServiceAccount = resourcePolicy({
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

/** The namespace of a namespaced object: its own, else the provider's default, else "default". */
export function namespaceOf(args: ResourceValidationArgs, metadata: () => ObjectMeta | undefined): string | typeof UNKNOWN {
    const own = read(() => metadata()?.namespace);
    if (own !== undefined && own !== "") return own;
    const fromProvider = args.provider ? read(() => args.provider!.props.namespace) : undefined;
    if (fromProvider === UNKNOWN) return UNKNOWN;
    return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}

const noDefaultNamespace = resourcePolicy({
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

const serviceExposure = resourcePolicy({
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

const ingressTls = resourcePolicy({
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

const ingressRateLimit = resourcePolicy({
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

const networkPolicyScope = resourcePolicy({
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

export const defaultKubernetesLabelRequirements: TagRequirement[] = [
    ["environment"],
    ["project", "app.kubernetes.io/part-of"],
    ["owner", "cost-center"],
    ["managed-by", "app.kubernetes.io/managed-by"],
];

const requiredLabels = resourcePolicy({
    name: "k8s-required-labels",
    description: "Every Kubernetes object the program declares carries the governance labels.",
    severity: "low",
    category: "governance",
    resources: "every Kubernetes object declared directly, CustomResources included (Helm releases, YAML/Kustomize groups and *Patch types excluded)",
    checks: "`metadata.labels` has environment, project (or app.kubernetes.io/part-of), owner or cost-center, and managed-by (or app.kubernetes.io/managed-by).",
    seed: "001 Operations › team access configured (ownership labels)",
    remediation: "Add standardLabels(settings) from components/shared/naming.ts to metadata.labels.",
    configSchema: { properties: { requiredLabels: tagRequirementsSchema(defaultKubernetesLabelRequirements) } },
    validateResource: (args, report) => {
        if (!isLabelledKubernetesObject(args.type)) return;
        const { requiredLabels: required } = args.getConfig<{ requiredLabels: TagRequirement[] }>();
        const labels = knownEntries(() => args.props.metadata?.labels);
        if (labels.unknown) return;
        const missing = unmetRequirements(labels.entries, required, labels.unknownKeys);
        if (missing.length > 0) report(`${args.type.slice(args.type.lastIndexOf(":") + 1)} "${args.name}" is missing label(s) ${missing.join(", ")}.`);
    },
});

const helmReleasePinned = resourcePolicy({
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

export const kubernetesPolicies: PolicyDefinition[] = [
    runAsNonRoot,
    noPrivilegeEscalation,
    dropAllCapabilities,
    readOnlyRootFilesystem,
    seccompRuntimeDefault,
    noHostAccess,
    resourceRequestsLimits,
    probes,
    imagePinned,
    noPlaintextSecrets,
    dedicatedServiceAccount,
    noDefaultNamespace,
    serviceExposure,
    ingressTls,
    ingressRateLimit,
    networkPolicyScope,
    requiredLabels,
    helmReleasePinned,
];
