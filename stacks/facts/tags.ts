/**
 * Governance tag and label values (owner, costCenter) are refused, never silently rewritten, when a
 * cloud could not store them as given, so the value on the bill is the value typed. The rule is the
 * same on both clouds: the stricter GCP label rule (lower case letters, digits, `_` and `-`, starting
 * with a letter or digit, at most 63 characters) applies to both, because the same settings must
 * deploy to either cloud.
 *
 * - AWS tag values: up to 256 Unicode characters. https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html (read 2026-11-27).
 * - GCP label values: up to 63 characters of lower-case letters, digits, `_` and `-`.
 *   https://cloud.google.com/resource-manager/docs/labels-overview#requirements (read 2026-11-27).
 * - Kubernetes label values: 63 characters, alphanumeric at both ends. https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
export const labelValueLimits = { maxLength: 63, syntax: /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/ } as const;
export const awsTagValueMaxLength = 256;
