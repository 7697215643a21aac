/**
 * DNS names: labels of 1 to 63 characters, names of at most 253, lower case letters, digits and
 * hyphens, no hyphen at either end of a label. RFC 1035 §2.3.4 and RFC 1123 §2.1
 * (https://www.rfc-editor.org/rfc/rfc1035, read 2026-11-27). Certificates from Let's Encrypt need a
 * public name with a top-level domain of letters.
 */
export const dnsLimits = { maxLabelLength: 63, maxNameLength: 253 } as const;
