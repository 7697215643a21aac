/**
 * How wide the set of addresses allowed to reach a Kubernetes API endpoint may be. Ranges are judged
 * by the addresses they cover together (their union), never by their spelling: 0.0.0.0/1 plus
 * 128.0.0.0/1 is the whole internet just as 0.0.0.0/0 is.
 *
 * Thresholds (our choice, 2026-11-27):
 * - Any environment: fewer than 2^24 addresses (less than a /8). A /8 is a sixteenth of a whole
 *   routing region: no operator network or CI fleet needs it, and at that size "allow-listed" means
 *   "scanned by the internet". The EKS and GKE API-exposure policies refuse the same.
 * - Prod: at most 2^16 addresses (one /16, e.g. a corporate VPN pool or a cloud CI provider's
 *   published egress block). CIS EKS Benchmark 5.4.1 and GKE hardening guides ask for the API to be
 *   reachable only from the addresses of the people and pipelines that run `pulumi up`:
 *   https://docs.aws.amazon.com/eks/latest/best-practices/control-plane.html,
 *   https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#restrict_network_access_to_the_control_plane_and_nodes
 * - EKS refuses private (RFC 1918) ranges in `publicAccessCidrs` (the public endpoint never sees them:
 *   "The following CIDRs are invalid in publicAccessCidrs"); GKE admits them in master authorized networks.
 */
export const apiAccessLimits = {
    /** Most addresses an API allow-list may cover in any environment (exclusive). */
    anyEnvironmentBelowAddresses: 2 ** 24,
    /** Most addresses an API allow-list may cover in prod (inclusive). */
    prodMaxAddresses: 2 ** 16,
} as const;

/** Whether the public API allow-list may hold private ranges, per cloud. */
export const apiAccessAcceptsPrivateRanges = { aws: false, gcp: true } as const;
