import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * Generated credentials shared by both clouds. Alphanumeric only: the values are embedded in
 * `postgresql://` and `rediss://` URLs, and RDS / ElastiCache reject `/`, `@`, `"` and spaces.
 * 40 characters of [A-Za-z0-9] is about 238 bits of entropy.
 */
export function generatedSecret(name: string, opts: pulumi.CustomResourceOptions, length = 40): random.RandomPassword {
    return new random.RandomPassword(name, { length, special: false, minLower: 4, minUpper: 4, minNumeric: 4 }, opts);
}
