import { coverage, describeCount, parseCidr, type Cidr } from "./cidr";
import { apiAccessLimits } from "./facts/apiAccess";

/**
 * The one judgement of a Kubernetes API allow-list, used by the settings and by the policy pack's
 * EKS and GKE exposure policies: how many addresses the ranges reach together, against the limit of
 * the environment (facts/apiAccess.ts). Returns why the list is too wide, or undefined.
 */
export function apiAccessTooWide(ranges: readonly unknown[], environment: string): string | undefined {
    const parsed = ranges.map(parseCidr).filter((c): c is Cidr => c !== undefined);
    const v6 = parsed.filter((c) => c.family === "ipv6");
    // IPv6: any allow-list entry wider than a /48 (one site) reaches a provider's whole customer base.
    const wideV6 = v6.find((c) => c.prefix < 48);
    if (wideV6) return `${wideV6.text} reaches more than one site's IPv6 addresses (wider than a /48)`;
    const addresses = coverage(parsed, "ipv4");
    if (addresses >= BigInt(apiAccessLimits.anyEnvironmentBelowAddresses)) {
        return `together these ranges reach ${describeCount(addresses)}: that is the internet, not an allow-list (must stay below ${describeCount(BigInt(apiAccessLimits.anyEnvironmentBelowAddresses))})`;
    }
    if (environment === "prod" && addresses > BigInt(apiAccessLimits.prodMaxAddresses)) {
        return `together these ranges reach ${describeCount(addresses)}; prod allows at most ${describeCount(BigInt(apiAccessLimits.prodMaxAddresses))}: list the CIDRs of the CI runners and operators' VPN that run pulumi`;
    }
    return undefined;
}
