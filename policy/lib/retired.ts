/**
 * Software the platform must not run any more, as data: what it is, how to recognise its Helm chart
 * and its container images, why it is retired, and what replaces it. `k8s-no-retired-software` reads
 * this list; add an entry when an upstream project is retired.
 */
export interface RetiredSoftware {
    name: string;
    /** Matches a Helm release's chart reference (`name`, `repo/name` or an `oci://…/name` URL). */
    chart: RegExp;
    /** Matches a chart repository URL that serves only this software. */
    repository?: RegExp;
    /** Matches a container image reference. */
    image: RegExp;
    reason: string;
    replacement: string;
    /** Where the retirement is announced, and when we checked. */
    source: string;
    checked: string;
}

export const retiredSoftware: readonly RetiredSoftware[] = [
    {
        name: "ingress-nginx",
        chart: /(^|\/)ingress-nginx$/,
        repository: /^https?:\/\/kubernetes\.github\.io\/ingress-nginx\/?$/,
        image: /(^|\/)ingress-nginx\/(controller|kube-webhook-certgen|opentelemetry)(-chroot)?([:@]|$)/,
        reason: "retired by Kubernetes SIG Network: best-effort maintenance ended in March 2026 and the repository is archived, so the internet-facing component gets no more security fixes",
        replacement: "a maintained Gateway API implementation (this platform runs Envoy Gateway; docs/edge.md)",
        source: "https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/",
        checked: "2026-11-27",
    },
];

/** The retired entry a chart reference or repository belongs to, if any. */
export function retiredChart(chart: unknown, repository: unknown): RetiredSoftware | undefined {
    return retiredSoftware.find((r) => (typeof chart === "string" && r.chart.test(chart)) || (typeof repository === "string" && r.repository !== undefined && r.repository.test(repository)));
}

/** The retired entry an image reference belongs to, if any. */
export function retiredImage(image: unknown): RetiredSoftware | undefined {
    return typeof image === "string" ? retiredSoftware.find((r) => r.image.test(image)) : undefined;
}
