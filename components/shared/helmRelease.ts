import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";

/**
 * The one way the program installs a Helm chart, whoever asks for it (the add-ons, KEDA, the
 * monitoring stack, the releases a foundation needs): atomic, so a failed install or upgrade rolls back
 * instead of leaving a half-applied release that blocks the next `pulumi up`; failed resources cleaned
 * up; time-boxed by a setting; pinned to the chart version the settings name; and installed into a
 * namespace the program created with its Pod Security labels (so Helm does not create it) unless the
 * caller says otherwise.
 */

/** A pinned chart to install: where it comes from, which version, into which namespace, with which values. */
export interface HelmChart {
    /** Helm release name (and so the prefix of what the chart creates). */
    name: string;
    /** Namespace the release installs into. */
    namespace: pulumi.Input<string>;
    /** Chart name in its repository. */
    chart: string;
    /** Classic repository URL, or an OCI registry (`oci://…`), under which the chart is addressed by URL. */
    repository: string;
    /** Chart version, always from settings (`addons.*`), so upgrades happen in one place. */
    version: string;
    /** Chart values (keys as in the chart's values.yaml); secrets by reference only. */
    values: pulumi.Input<Record<string, unknown>>;
}

/** The `addons` settings that time-box a release. */
export type HelmTimeoutSetting = "timeoutSeconds" | "kubePrometheusStackTimeoutSeconds";

/** What a release reads from settings beyond the chart itself. */
export interface HelmReleaseSettings {
    /** Chart versions and the add-ons' timeout. */
    settings: Pick<Settings, "addons">;
    /**
     * The setting that says how many seconds Helm may take before the release is rolled back: a chart
     * that needs longer than the add-ons (kube-prometheus-stack) has a setting of its own.
     * @default "timeoutSeconds" (`addons.timeoutSeconds`: staging and prod 600, stacks/defaults.ts)
     */
    timeout?: HelmTimeoutSetting;
    /**
     * Let Helm create the namespace (without Pod Security labels): only for charts whose namespace the
     * program does not create itself (the foundation's releases).
     * @default false
     */
    createNamespace?: boolean;
    /**
     * Release revisions Helm keeps (the provider's default keeps them all).
     * @default the provider's default
     */
    maxHistory?: number;
}

/** A Helm release of `chart`, atomic and time-boxed, with the given resource options. */
export function helmRelease(resourceName: string, chart: HelmChart, release: HelmReleaseSettings, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
    // OCI charts are addressed by URL; classic repositories by name plus repository URL.
    const oci = chart.repository.startsWith("oci://");
    return new k8s.helm.v3.Release(
        resourceName,
        {
            name: chart.name,
            namespace: chart.namespace,
            chart: oci ? `${chart.repository.replace(/\/$/, "")}/${chart.chart}` : chart.chart,
            repositoryOpts: oci ? undefined : { repo: chart.repository },
            version: chart.version,
            values: chart.values,
            createNamespace: release.createNamespace ?? false,
            atomic: true,
            cleanupOnFail: true,
            timeout: release.settings.addons[release.timeout ?? "timeoutSeconds"],
            ...(release.maxHistory === undefined ? {} : { maxHistory: release.maxHistory }),
        },
        opts,
    );
}
