import * as ipaddr from "ipaddr.js";

/**
 * CIDR arithmetic shared by the settings and the policy pack: parsing, canonical form, overlaps and
 * how many addresses a set of ranges covers together. Security rules use `coverage`, so a range
 * split into pieces (0.0.0.0/1 + 128.0.0.0/1) is judged as the range it adds up to.
 */

export interface Cidr {
    /** The text as given. */
    text: string;
    family: "ipv4" | "ipv6";
    prefix: number;
    /** First and last address, as integers. */
    first: bigint;
    last: bigint;
    /** Whether the address part is the network address (no host bits set). */
    canonical: boolean;
    /** The range written canonically, e.g. 10.0.0.0/16 for 10.0.5.7/16. */
    network: string;
}

const toBigInt = (bytes: number[]): bigint => bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

/** Parses "a.b.c.d/n" or an IPv6 CIDR; undefined when it is not one. A bare address is not a CIDR. */
export function parseCidr(text: unknown): Cidr | undefined {
    if (typeof text !== "string" || !text.includes("/")) return undefined;
    let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
        parsed = ipaddr.parseCIDR(text.trim());
    } catch {
        return undefined;
    }
    const [address, prefix] = parsed;
    const family = address.kind();
    // ipaddr.js accepts shorthand IPv4 ("10/8", "10.1/16"); a CIDR here is four dotted octets.
    if (family === "ipv4" && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text.trim())) return undefined;
    const bits = family === "ipv4" ? 32 : 128;
    const value = toBigInt(address.toByteArray());
    const size = 1n << BigInt(bits - prefix);
    const first = value - (value % size);
    const networkAddress = family === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(text.trim()) : ipaddr.IPv6.networkAddressFromCIDR(text.trim());
    return { text, family, prefix, first, last: first + size - 1n, canonical: first === value, network: `${networkAddress.toString()}/${prefix}` };
}

/** The number of distinct addresses a set of ranges covers (their union), per address family. */
export function coverage(cidrs: readonly Cidr[], family: "ipv4" | "ipv6" = "ipv4"): bigint {
    const ranges = cidrs
        .filter((c) => c.family === family)
        .map((c) => [c.first, c.last] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let total = 0n;
    let current: [bigint, bigint] | undefined;
    for (const [first, last] of ranges) {
        if (current && first <= current[1] + 1n) {
            if (last > current[1]) current[1] = last;
            continue;
        }
        if (current) total += current[1] - current[0] + 1n;
        current = [first, last];
    }
    if (current) total += current[1] - current[0] + 1n;
    return total;
}

/** True when the two ranges share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** True when `inner` lies wholly inside `outer`. */
export function within(inner: Cidr, outer: Cidr): boolean {
    return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}

/** True when the range lies inside one of `ranges` (CIDR texts). */
export function insideAny(cidr: Cidr, ranges: readonly string[]): boolean {
    return ranges.some((r) => {
        const outer = parseCidr(r);
        return outer !== undefined && within(cidr, outer);
    });
}

/** A count of addresses as the smallest prefix that holds it ("about a /12"), for messages. */
export function describeCount(addresses: bigint, family: "ipv4" | "ipv6" = "ipv4"): string {
    const bits = family === "ipv4" ? 32 : 128;
    let prefix = bits;
    while (prefix > 0 && 1n << BigInt(bits - prefix) < addresses) prefix--;
    return `${addresses.toLocaleString("en-US")} addresses (${1n << BigInt(bits - prefix) === addresses ? "" : "about "}a /${prefix})`;
}
