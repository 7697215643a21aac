import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, type PolicyDefinition } from "../lib/define";
import { podTemplatePaths } from "../lib/kubernetes";
import { label, ofTypes } from "../lib/stack";
import { UNKNOWN, knownEntries, knownItems, read, show, type Unknown } from "../lib/values";

/**
 * Cloud-neutral stack policies: relations between the Kubernetes objects of a stack (a workload and
 * its PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy and ServiceAccount) that no single
 * resource shows.
 */

const k = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    /** A KEDA ScaledObject creates and owns the HPA of its target, so it counts as that HPA. */
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
} as const;

const podBearing = Object.keys(podTemplatePaths);

/** Reads a path of a resource's props; UNKNOWN when any step is not known yet. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- props are each provider's untyped JSON (@pulumi/policy types them `any`); callers read the fields they know
function at(r: PolicyResource, ...path: string[]): any {
    return read(() => path.reduce<unknown>((node, key) => (node === undefined || node === null ? undefined : (node as Record<string, unknown>)[key]), r.props));
}

function namespaceOf(r: PolicyResource): string | Unknown {
    const own = at(r, "metadata", "namespace");
    if (own === UNKNOWN) return UNKNOWN;
    if (typeof own === "string" && own !== "") return own;
    const fromProvider = r.provider ? read(() => r.provider!.props.namespace) : undefined;
    if (fromProvider === UNKNOWN) return UNKNOWN;
    return typeof fromProvider === "string" && fromProvider !== "" ? fromProvider : "default";
}

/** Same namespace, or one of them not known yet (which must not produce a violation). */
function sameNamespace(a: PolicyResource, b: PolicyResource): boolean {
    const na = namespaceOf(a);
    const nb = namespaceOf(b);
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
    const name = at(workload, "metadata", "name");
    return ofTypes(resources, [k.hpa, k.scaledObject]).filter((scaler) => {
        const targetKind = at(scaler, "spec", "scaleTargetRef", "kind");
        // A ScaledObject's target kind defaults to Deployment.
        const effectiveKind = targetKind === undefined && scaler.type === k.scaledObject ? "Deployment" : targetKind;
        if (effectiveKind !== UNKNOWN && effectiveKind !== kind) return false;
        if (!sameNamespace(scaler, workload)) return false;
        const targetName = at(scaler, "spec", "scaleTargetRef", "name");
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
    for (const pdb of ofTypes(resources, [k.pdb]).filter((p) => sameNamespace(p, workload))) {
        const match = selects(at(pdb, "spec", "selector"), labels.entries);
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
    const scaledObject = scaler.type === k.scaledObject;
    const min = at(scaler, "spec", scaledObject ? "minReplicaCount" : "minReplicas");
    if (min === UNKNOWN) return UNKNOWN;
    return typeof min === "number" ? min : scaledObject ? 0 : 1;
}

function replicaFloor(resources: PolicyResource[], workload: PolicyResource): ReplicaFloor | undefined {
    const replicas = at(workload, "spec", "replicas");
    if (replicas === UNKNOWN) return undefined;
    const own = typeof replicas === "number" ? replicas : 1;
    const hpa = autoscalersFor(resources, workload)[0];
    if (!hpa) return { floor: own, declared: own, hpa };
    const min = autoscalerMinimum(hpa);
    if (min === UNKNOWN) return undefined;
    return { floor: min, declared: Math.max(own, min), hpa };
}

const minReplicas = stackPolicy({
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
        for (const workload of ofTypes(args.resources, [k.deployment, k.statefulSet])) {
            const floor = replicaFloor(args.resources, workload);
            if (!floor) continue;
            const id = `${String(at(workload, "metadata", "namespace"))}/${String(at(workload, "metadata", "name"))}`;
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
                    `${label(workload)}${isApi ? " (the API)" : ""} may run ${floor.floor} pod(s)${floor.hpa ? ` (its ${floor.hpa.type === k.scaledObject ? "ScaledObject's minReplicaCount" : "HPA's minReplicas"})` : ""}; at least ${wanted} are required.`,
                    workload.urn,
                );
            }
        }
    },
});

/** True when a ScaledObject has a trigger other than cpu and memory: only such a trigger can wake a workload from zero. */
function scalesOnEvents(scaler: PolicyResource): boolean {
    if (scaler.type !== k.scaledObject) return false;
    const triggers = knownItems(() => at(scaler, "spec", "triggers") as { type?: unknown }[]);
    return !triggers.unknown && triggers.items.some((t) => typeof t?.type === "string" && t.type !== "cpu" && t.type !== "memory");
}

/** How many of `pods` a PDB lets be evicted at once; undefined when not known yet. */
function evictablePods(pdb: PolicyResource, pods: number): number | undefined {
    const value = (v: unknown, round: (x: number) => number): number | undefined => {
        if (typeof v === "number") return v;
        if (typeof v === "string" && /^\d+%$/.test(v)) return round((Number(v.slice(0, -1)) / 100) * pods);
        return undefined;
    };
    const maxUnavailable = at(pdb, "spec", "maxUnavailable");
    const minAvailable = at(pdb, "spec", "minAvailable");
    if (maxUnavailable === UNKNOWN || minAvailable === UNKNOWN) return undefined;
    // Kubernetes rounds percentages up for both fields.
    if (maxUnavailable !== undefined) return value(maxUnavailable, Math.ceil);
    const min = value(minAvailable, Math.ceil);
    return min === undefined ? undefined : pods - min;
}

const pdbAndHpa = stackPolicy({
    name: "k8s-pdb-and-hpa",
    description: "Every replicated Deployment has a PodDisruptionBudget that keeps pods up without blocking drains, and a HorizontalPodAutoscaler.",
    severity: "medium",
    category: "resilience",
    resources: "kubernetes.apps.v1.Deployment + policy.v1.PodDisruptionBudget + autoscaling.v2.HorizontalPodAutoscaler or keda.sh ScaledObject",
    checks: "Each Deployment with ≥ 2 replicas has a PDB in its namespace whose selector matches its pod labels, and an HPA or a KEDA ScaledObject (which creates the HPA) whose scaleTargetRef names it; the PDB lets at least one pod be evicted but, from a replica floor of two up, never all at the floor (`maxUnavailable` ≥ 1 and below the floor, or `minAvailable` ≥ 1 and below the floor; percentages likewise). At a floor of 0 or 1 (a ScaledObject's `minReplicaCount`) the single pod must stay evictable; the floor itself is k8s-min-replicas' concern.",
    seed: "000 Performance › Autoscaling configured (HPA with behaviour); 001 Rolling updates with zero downtime",
    remediation: "Add a PodDisruptionBudget (minAvailable 1, or maxUnavailable 1) selecting the pods and an autoscaling/v2 HorizontalPodAutoscaler or a KEDA ScaledObject targeting the Deployment.",
    validateStack: (args, report) => {
        for (const deployment of ofTypes(args.resources, [k.deployment])) {
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

function isDefaultDeny(policy: PolicyResource): boolean | Unknown {
    const selector = at(policy, "spec", "podSelector");
    if (selector === UNKNOWN) return UNKNOWN;
    const labels = knownEntries(() => selector?.matchLabels);
    const expressions = knownItems(() => selector?.matchExpressions);
    if (labels.unknown || expressions.unknown) return UNKNOWN;
    const selectsAll = Object.keys(labels.entries).length === 0 && labels.unknownKeys.size === 0 && expressions.items.length === 0;
    const types = knownItems(() => at(policy, "spec", "policyTypes"));
    if (types.unknown) return UNKNOWN;
    return selectsAll && types.items.includes("Ingress") && types.items.includes("Egress");
}

const defaultDenyNetworkPolicy = stackPolicy({
    name: "k8s-default-deny-network-policy",
    description: "Every namespace that runs workloads has a default-deny NetworkPolicy for ingress and egress.",
    severity: "high",
    category: "security",
    resources: "pod-bearing kinds + kubernetes.networking.v1.NetworkPolicy",
    checks: "For each namespace with a workload, a NetworkPolicy with `podSelector: {}` and `policyTypes` [Ingress, Egress].",
    seed: '000 Security › Network policies configured ("default deny"); 001 NetworkPolicy',
    remediation: 'Add a NetworkPolicy { podSelector: {}, policyTypes: ["Ingress", "Egress"] } to the namespace, then allow DNS, the ingress controller, the databases and HTTPS egress explicitly.',
    validateStack: (args, report) => {
        const policies = ofTypes(args.resources, [k.networkPolicy]);
        const workloadsByNamespace = new Map<string, PolicyResource[]>();
        for (const workload of ofTypes(args.resources, podBearing)) {
            const ns = namespaceOf(workload);
            if (ns === UNKNOWN) continue;
            workloadsByNamespace.set(ns, [...(workloadsByNamespace.get(ns) ?? []), workload]);
        }
        for (const [ns, workloads] of workloadsByNamespace) {
            const inNamespace = policies.filter((p) => {
                const pns = namespaceOf(p);
                return pns === UNKNOWN || pns === ns;
            });
            const verdicts = inNamespace.map(isDefaultDeny);
            if (verdicts.includes(UNKNOWN) || verdicts.includes(true)) continue;
            report(`Namespace ${show(ns)} runs ${workloads.map(label).join(", ")} without a default-deny NetworkPolicy.`, workloads[0].urn);
        }
    },
});

const noAutomountToken = stackPolicy({
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
        const accounts = ofTypes(args.resources, [k.serviceAccount]);
        for (const workload of ofTypes(args.resources, podBearing)) {
            const spec = at(workload, ...(podTemplatePaths[workload.type]?.template ?? []), "spec");
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
            if (accounts.some((a) => sameNamespace(a, workload) && at(a, "metadata", "name") === UNKNOWN)) continue;
            const account = accounts.find(
                (a) => sameNamespace(a, workload) && (at(a, "metadata", "name") === name || (saName !== undefined && workload.dependencies.includes(a) && at(a, "metadata", "name") === undefined)),
            );
            const accountSetting = account ? at(account, "automountServiceAccountToken") : undefined;
            if (accountSetting === false || accountSetting === UNKNOWN) continue;
            report(
                `${label(workload)} mounts a Kubernetes API token (service account ${show(name)}; automountServiceAccountToken is not false on the pod${account ? " or its ServiceAccount" : ""}).`,
                workload.urn,
            );
        }
    },
});

export const stackPolicies: PolicyDefinition[] = [minReplicas, pdbAndHpa, defaultDenyNetworkPolicy, noAutomountToken];
