import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { insideAny, parseCidr } from "../../stacks/cidr";
import { nonPublicRanges } from "../../stacks/facts/network";
import { UNKNOWN } from "./values";

/**
 * True for a range that opens to the internet at large, judged by its size rather than its
 * spelling: any `/0`, and anything wider than an IPv4 /8 or an IPv6 /16 (0.0.0.0/1 is half the
 * internet; 2000::/3 is all of IPv6's global unicast space). 10.0.0.0/8 itself is not.
 */
export function isWorldCidr(cidr: unknown): boolean {
    if (typeof cidr !== "string") return false;
    if (/\/0$/.test(cidr.trim())) return true;
    const parsed = parseCidr(cidr);
    return parsed !== undefined && parsed.prefix < (parsed.family === "ipv4" ? 8 : 16);
}

/** True when a CIDR includes any public address, however narrow (an `except` list only carves holes in it); false for what is not a CIDR. */
export function reachesInternet(cidr: unknown): boolean {
    const parsed = parseCidr(cidr);
    return parsed !== undefined && !insideAny(parsed, nonPublicRanges);
}

/** The ports a load balancer may expose to the internet. */
export const defaultPublicPorts = [80, 443];

export const publicPortsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description: "TCP ports that may be open to 0.0.0.0/0 (the load balancer's listeners).",
    items: { type: "integer", minimum: 1, maximum: 65535 },
    default: defaultPublicPorts,
};

const allProtocols = new Set(["-1", "all"]);

/**
 * True when a rule's whole port range is among the allowed TCP ports. "All protocols" and port
 * ranges that span anything else are not. A protocol or port not known yet (preview) counts as
 * allowed: the rule is judged again during the update, when it is known.
 */
export function onlyAllowedPorts(protocol: unknown, fromPort: unknown, toPort: unknown, allowed: readonly number[]): boolean {
    if ([protocol, fromPort, toPort].includes(UNKNOWN)) return true;
    const proto = String(protocol ?? "").toLowerCase();
    if (allProtocols.has(proto) || (proto !== "tcp" && proto !== "6")) return false;
    const from = Number(fromPort);
    const to = Number(toPort ?? fromPort);
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) return false;
    for (let port = from; port <= to; port++) if (!allowed.includes(port)) return false;
    return true;
}

/** GCP firewall port specs ("443", "8000-8080") as a list of numbers, or undefined for "all ports". */
export function expandPortSpecs(specs: readonly unknown[] | undefined): number[] | undefined {
    if (!specs || specs.length === 0) return undefined;
    const ports: number[] = [];
    for (const spec of specs) {
        const [a, b] = String(spec)
            .split("-")
            .map((s) => Number(s.trim()));
        if (!Number.isInteger(a)) return undefined;
        const end = Number.isInteger(b) ? b : a;
        if (end - a > 1024) return undefined;
        for (let p = a; p <= end; p++) ports.push(p);
    }
    return ports;
}
