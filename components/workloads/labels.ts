import type { Settings } from "../../stacks";
import { selectorLabels, type Component } from "../shared/kubernetes";
import { standardLabels } from "../shared/naming";

/**
 * The labels of the workloads' Kubernetes objects: the governance labels every object carries, the
 * selector labels of the component it belongs to, and the Pod Security Admission labels of a namespace.
 */

/** The settings the governance labels are made of (`standardTags` in components/shared/naming.ts). */
export type LabelSettingKeys = "project" | "environment" | "owner" | "costCenter" | "stack";

/** Labels of an object: the standard governance labels, plus the selector labels when it belongs to one component. */
export function objectLabels(settings: Pick<Settings, LabelSettingKeys>, component?: Component): Record<string, string> {
    return { ...standardLabels(settings), ...(component ? selectorLabels(component) : {}) };
}

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Pod Security Admission labels for a namespace. Versions are pinned to the cluster's minor version so
 * that a control-plane upgrade cannot tighten the profile under running workloads unannounced.
 */
export function podSecurityLabels(enforce: PodSecurityLevel, kubernetesVersion: string, auditAndWarn: PodSecurityLevel = enforce): Record<string, string> {
    const version = `v${kubernetesVersion}`;
    return {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/audit": auditAndWarn,
        "pod-security.kubernetes.io/audit-version": version,
        "pod-security.kubernetes.io/warn": auditAndWarn,
        "pod-security.kubernetes.io/warn-version": version,
    };
}
