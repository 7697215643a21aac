/**
 * Address ranges the networks may use, and the sizes each cloud accepts.
 *
 * - Private ranges: RFC 1918 §3, https://www.rfc-editor.org/rfc/rfc1918 (read 2026-11-27). A VPC on a
 *   public range (8.8.0.0/16) shadows real internet hosts for everything in it.
 * - AWS VPC IPv4 blocks are /16 to /28: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
 *   (read 2026-11-27); the AWS network carves 3 private /(n+2) and 3 public /(n+5) subnets from it, so /20 is the smallest that holds them.
 * - GCP subnet primary ranges up to /8 and secondary ranges (GKE pods and services):
 *   https://cloud.google.com/vpc/docs/subnets#valid-ranges and https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips#cluster_sizing
 *   (read 2026-11-27): pods /9 to /21 (a /21 holds 16 nodes of 110 pods), services /16 to /27.
 * - Private services access (Cloud SQL, Memorystore) allocated ranges must be /24 or larger:
 *   https://cloud.google.com/vpc/docs/configure-private-services-access#allocating-range (read 2026-11-27).
 * - EKS `serviceIpv4Cidr` must be /12 to /24 in a private range, not overlapping the VPC:
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html (read 2026-11-27).
 */
export const privateIpv4Ranges: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * Ranges that never route to the internet: RFC 1918, shared address space (RFC 6598, 100.64/10),
 * loopback, link-local (the cloud metadata endpoints), IPv6 unique-local (RFC 4193) and link-local
 * and loopback (RFC 4291). A range outside all of them reaches public addresses.
 */
export const nonPublicRanges: readonly string[] = [...privateIpv4Ranges, "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"];

/** Prefix lengths allowed per range, smallest prefix (largest range) first. */
export interface PrefixLimits {
    largest: number;
    smallest: number;
}

export const networkPrefixLimits = {
    aws: {
        vpc: { largest: 16, smallest: 20 },
        services: { largest: 12, smallest: 24 },
    },
    gcp: {
        vpc: { largest: 8, smallest: 24 },
        pods: { largest: 9, smallest: 21 },
        services: { largest: 16, smallest: 27 },
        privateServices: { largest: 8, smallest: 24 },
    },
} as const satisfies Record<string, Record<string, PrefixLimits>>;
