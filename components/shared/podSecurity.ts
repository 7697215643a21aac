import type * as k8s from "@pulumi/kubernetes";

/**
 * The restricted Pod Security Standard, written once for every pod the program runs (the service's
 * Deployments and Jobs, the backup CronJob, the runbook's restore pod): a fixed non-root user, no
 * privilege escalation, every capability dropped, a read-only root filesystem and the RuntimeDefault
 * seccomp profile, which each container repeats so that none can opt out of the pod's.
 */
export const restrictedContainerProfile = {
    runAsNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
} satisfies k8s.types.input.core.v1.SecurityContext;

/** Pod level, for a fixed non-root UID (also the GID and `fsGroup`, so projected tokens and emptyDirs are readable). */
export function restrictedPodProfile(uid: number) {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        seccompProfile: { type: "RuntimeDefault" },
    } satisfies k8s.types.input.core.v1.PodSecurityContext;
}
