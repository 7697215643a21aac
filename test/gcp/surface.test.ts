import * as path from "path";
import type { AwsFoundation } from "../../components/aws/foundation";
import type { GcpFoundation } from "../../components/gcp/foundation";
import { parseUrn } from "../../tools/engine/aliases";
import { runProgram, type ProgramRun } from "../../tools/engine/harness";
import { gcpConfig, prebuiltDigestRef } from "./gcpStack";

/**
 * One public surface per foundation: the concerns both clouds have are the same members on
 * `AwsFoundation` and `GcpFoundation`, built by components of the same class and child name, and the
 * foundations register the same outputs.
 */
const shared = ["contract", "keys", "network", "cluster", "database", "cache", "registry", "backups", "identity", "budget"] as const;
const awsOnly = ["backupReplication", "tenantAccess"] as const;
const gcpOnly = ["services", "logs"] as const;

// Checked by the compiler (`tsc --noEmit` covers the tests): a shared member missing, private or renamed on
// either class, or a new public child not sorted into shared or cloud-only, fails the type-check.
type Components<F> = { [K in keyof F]-?: NonNullable<F[K]> extends { urn: unknown } | AwsFoundation["contract"] ? K : never }[keyof F];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const awsSurface: Same<Exclude<Components<AwsFoundation>, (typeof awsOnly)[number]>, (typeof shared)[number]> = true;
const gcpSurface: Same<Exclude<Components<GcpFoundation>, (typeof gcpOnly)[number]>, (typeof shared)[number]> = true;

const budget = { "ai-platform:budget.monthlyUsd": 5000, "ai-platform:budget.billingAccount": "012345-6789AB-CDEF01" };
const program = path.join(__dirname, "fixtures", "surfaceProgram.ts");
let aws: ProgramRun;
let gcp: ProgramRun;

beforeAll(async () => {
    aws = await runProgram({ stack: "prod", config: { "ai-platform:cloud": "aws", "ai-platform:budget.monthlyUsd": 5000 }, program });
    gcp = await runProgram({ stack: "prod", config: { ...gcpConfig, ...budget, "ai-platform:image.ref": prebuiltDigestRef }, program });
});

const members = (run: ProgramRun) => run.outputs.memberUrns.value as Record<string, string>;
/** A member's component as `<Class> <name>`: the type token without its cloud, and the resource name. */
const described = (urn: string) => {
    const { qualifiedType, name } = parseUrn(urn);
    return `${(qualifiedType.split("$").pop() as string).split(":").pop()} ${name}`;
};

test("the compiler holds both classes to the shared members", () => {
    expect([awsSurface, gcpSurface]).toEqual([true, true]);
});

test("both foundations expose the shared concerns as public members, and only the listed cloud-only ones beside them", () => {
    const components = shared.filter((m) => m !== "contract");
    expect(Object.keys(members(aws)).sort()).toEqual([...components, ...awsOnly].sort());
    expect(Object.keys(members(gcp)).sort()).toEqual([...components, ...gcpOnly].sort());
});

test.each(shared.filter((m) => m !== "contract"))("%s: the same component class and child name on both clouds", (member) => {
    expect(described(members(gcp)[member])).toBe(described(members(aws)[member]));
    expect(members(gcp)[member]).toContain("ai-platform:gcp:");
    expect(members(aws)[member]).toContain("ai-platform:aws:");
});

test("the contract has the same fields on both clouds", () => {
    expect(gcp.outputs.contractFields.value).toEqual(aws.outputs.contractFields.value);
});

test("both foundations register the same outputs, once", () => {
    const keys = ["vpcId", "clusterName", "databaseHost", "cacheHost", "imageRef", "backupBucket"];
    expect(aws.outputs.registeredOutputs.value).toEqual([keys]);
    expect(gcp.outputs.registeredOutputs.value).toEqual([keys]);
});
