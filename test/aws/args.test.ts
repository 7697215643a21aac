import type { AwsFoundation, AwsFoundationArgs } from "../../components/aws/foundation";
import type { BackupBucketArgs } from "../../components/aws/backupBucket";
import type { BackupReplicationArgs } from "../../components/aws/backupReplication";
import type { BudgetArgs } from "../../components/aws/budget";
import type { CacheArgs } from "../../components/aws/cache";
import type { ClusterArgs } from "../../components/aws/cluster";
import type { DatabaseArgs } from "../../components/aws/database";
import type { IdentityArgs } from "../../components/aws/identity";
import type { KeysArgs } from "../../components/aws/keys";
import type { NetworkArgs } from "../../components/aws/network";
import type { RegistryArgs } from "../../components/aws/registry";
import type { TenantAccessArgs } from "../../components/aws/tenantAccess";
import { runProgram } from "../../tools/engine/harness";
import { twoTenants } from "../tenants/fixtures";

/**
 * The AWS components receive the settings they read. The AI provider keys and the alerting receivers
 * are secrets no part of the foundation uses, so none of their Args can carry them: checked by the
 * compiler (`tsc --noEmit` refuses `noneCarrySecrets` when one can), and at run time by building the real program with
 * a foundation whose settings throw on any read of them.
 */
type Secrets = "providerApiKeys" | "alerting";
type ComponentArgs =
    AwsFoundationArgs | KeysArgs | NetworkArgs | ClusterArgs | DatabaseArgs | CacheArgs | RegistryArgs | BackupBucketArgs | IdentityArgs | TenantAccessArgs | BackupReplicationArgs | BudgetArgs;
/** The Args (of those in the union) whose settings could carry a secret; `never` when none can. */
type CarryingSecrets<A> = A extends { settings: infer S } ? (Extract<keyof S, Secrets> extends never ? never : A) : never;
const noneCarrySecrets: [CarryingSecrets<ComponentArgs>] extends [never] ? true : false = true;

/** Settings whose secrets throw when read, so a component that reads them fails the run. */
function withoutSecrets<S extends object>(settings: S): S {
    const guarded = { ...settings };
    for (const key of ["providerApiKeys", "alerting"] satisfies Secrets[]) {
        Object.defineProperty(guarded, key, {
            enumerable: true,
            get: () => {
                throw new Error(`the AWS foundation read settings.${key}`);
            },
        });
    }
    return guarded;
}

describe("AWS components' Args", () => {
    test("no component's settings can carry the provider keys or alerting receivers (tsc --noEmit checks the type)", () => {
        expect(noneCarrySecrets).toBe(true);
    });

    test("the guard is real: reading a secret of guarded settings throws", () => {
        const guarded = withoutSecrets({ region: "us-east-1", providerApiKeys: {}, alerting: {} });
        expect(guarded.region).toBe("us-east-1");
        expect(() => guarded.providerApiKeys).toThrow("settings.providerApiKeys");
        expect(() => guarded.alerting).toThrow("settings.alerting");
    });

    test.each(["staging", "prod"])("%s: the whole AWS foundation builds without reading a secret (budget and tenants included)", async (stack) => {
        const built: AwsFoundation[] = [];
        jest.doMock("../../components/aws/foundation", () => {
            const actual = jest.requireActual("../../components/aws/foundation");
            class GuardedFoundation extends actual.AwsFoundation {
                constructor(name: string, args: AwsFoundationArgs, opts?: ConstructorParameters<typeof AwsFoundation>[2]) {
                    super(name, { settings: withoutSecrets(args.settings) }, opts);
                    built.push(this as unknown as AwsFoundation);
                }
            }
            return { ...actual, AwsFoundation: GuardedFoundation };
        });
        try {
            const run = await runProgram({
                stack,
                reuse: false,
                config: {
                    "ai-platform:budget.monthlyUsd": 500,
                    "ai-platform:tenants": twoTenants.aws,
                },
            });
            expect(built).toHaveLength(1);
            expect(run.ofType("aws:budgets/budget:Budget")).toHaveLength(1);
            expect(run.ofType("aws:eks/accessEntry:AccessEntry")).toHaveLength(2);
        } finally {
            jest.dontMock("../../components/aws/foundation");
        }
    });
});
