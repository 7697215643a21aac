import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { unknownCheckingProxy, type ResourceValidation, type ResourceValidationArgs } from "@pulumi/policy";
import type { EvaluatedResource } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { unknownSentinel } from "../../policy/lib/values";
import { awsBaseline, gcpBaseline, k8sBaseline, tags } from "./fixtures";
import { edit, evaluate, res, summary, unknownInput, unset } from "./helpers";

/**
 * During `pulumi preview`, values computed from other resources' outputs are unknown. A policy must
 * never report them as violations; only a plain input the program left out is one.
 */

/** Every leaf input replaced by "unknown", keys kept: the shape of a preview where nothing is known yet. */
function allUnknown(value: any): any {
    if (Array.isArray(value)) return value.map(allUnknown);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, allUnknown(v)]));
    return undefined;
}

/** The engine's form of the same: sentinel strings, read through the unknown-checking proxy. */
function engineForm(value: any): any {
    if (value === undefined) return unknownSentinel;
    if (Array.isArray(value)) return value.map(engineForm);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, engineForm(v)]));
    return value;
}

const baselines: [string, () => EvaluatedResource[]][] = [
    ["aws", awsBaseline],
    ["gcp", gcpBaseline],
    ["kubernetes", k8sBaseline],
];

describe("unknown values during preview", () => {
    it.each(baselines)("the %s baseline with every input unknown produces no violation (harness form)", async (_cloud, build) => {
        const previewed = build().map((r) => ({ ...r, inputs: allUnknown(r.inputs) }));
        expect(summary(await evaluate(previewed, "prod"))).toEqual([]);
    });

    it.each(baselines)("the %s baseline with every input unknown produces no violation and no error (engine form, validateResource called directly)", async (_cloud, build) => {
        const reports: string[] = [];
        for (const r of build()) {
            const props = unknownCheckingProxy(engineForm(allUnknown(r.inputs)));
            for (const policy of policies) {
                const validations = "validateResource" in policy && policy.validateResource ? ([] as ResourceValidation[]).concat(policy.validateResource) : [];
                for (const validate of validations) {
                    const args: ResourceValidationArgs = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: { protect: true, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
                        stackTags: new Map(),
                        isType: (cls: any) => cls.__pulumiType === r.type,
                        asType: ((cls: any) => (cls.__pulumiType === r.type ? props : undefined)) as ResourceValidationArgs["asType"],
                        getConfig: <T extends object>() => ({}) as T,
                        notApplicable: () => {
                            throw new Error("not applicable");
                        },
                    };
                    try {
                        await validate(args, (message) => reports.push(`${policy.name} @ ${r.name}: ${message}`));
                    } catch (e) {
                        if ((e as Error).message !== "not applicable") throw e;
                    }
                }
            }
        }
        expect(reports).toEqual([]);
    });

    it("an unknown KMS key or ARN is fine, an absent plain input is still a violation", async () => {
        const db = (extra: Partial<aws.rds.InstanceArgs>) =>
            res(
                aws.rds.Instance,
                "db",
                {
                    engine: "postgres",
                    instanceClass: "db.t3.large",
                    kmsKeyId: unknownInput,
                    multiAz: true,
                    backupRetentionPeriod: 30,
                    deletionProtection: true,
                    finalSnapshotIdentifier: "final",
                    parameterGroupName: unknownInput,
                    tags,
                    ...extra,
                },
                { protect: true },
            );
        expect(summary(await evaluate([db({ storageEncrypted: unknownInput })])).filter((s) => s.startsWith("aws-rds-storage"))).toEqual([]);
        expect(summary(await evaluate([db({})])).filter((s) => s.startsWith("aws-rds-storage"))).toEqual(["aws-rds-storage-encrypted @ db"]);
    });

    it("a known offending element is reported even when its neighbours are unknown", async () => {
        const sg = res(aws.ec2.SecurityGroup, "sg", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [unknownInput, "0.0.0.0/0"] }], tags });
        expect(summary(await evaluate([sg]))).toEqual(["aws-security-group-no-public-ingress @ sg"]);
    });

    it("a whole nested object that is unknown skips the checks that need it", async () => {
        const resources = edit(awsBaseline(), aws.eks.Cluster, "eks", { encryptionConfig: unknownInput, vpcConfig: unknownInput, enabledClusterLogTypes: unknownInput });
        expect(summary(await evaluate(resources))).toEqual([]);
        expect(summary(await evaluate(unset(awsBaseline(), aws.eks.Cluster, "eks", "encryptionConfig")))).toEqual(["aws-eks-secrets-encryption @ eks"]);
    });

    it("an image digest that is unknown until the build is fine; a known latest tag is not", async () => {
        const unknownImage = k8sBaseline().map((r) =>
            r.name === "api" && r.type === "kubernetes:apps/v1:Deployment"
                ? {
                      ...r,
                      inputs: {
                          ...r.inputs,
                          spec: {
                              ...r.inputs.spec,
                              template: { ...r.inputs.spec.template, spec: { ...r.inputs.spec.template.spec, containers: [{ ...r.inputs.spec.template.spec.containers[0], image: unknownInput }] } },
                          },
                      },
                  }
                : r,
        );
        expect(summary(await evaluate(unknownImage))).toEqual([]);
        const job = res(k8s.batch.v1.Job, "j", { metadata: { namespace: "ai-agents" }, spec: { template: { spec: { containers: [{ name: "c", image: "busybox:latest" }] } } } });
        expect(summary(await evaluate([job])).filter((s) => s.startsWith("k8s-image"))).toEqual(["k8s-image-pinned @ j"]);
    });

    it("a policy that reads an unknown value without guarding is reported as advisory, as the CLI does", async () => {
        const careless = {
            name: "careless",
            description: "reads an unknown",
            enforcementLevel: "mandatory" as const,
            validateResource: (args: ResourceValidationArgs) => void args.props.kmsKeyId.length,
        };
        const db = res(aws.rds.Instance, "db", { instanceClass: "db.t3.large", kmsKeyId: unknownInput });
        const { evaluatePolicies } = await import("../../policy/evaluate");
        const violations = await evaluatePolicies([db], { environment: "prod", config: {}, policies: [careless] });
        expect(violations).toHaveLength(1);
        expect(violations[0]).toMatchObject({ policy: "careless", enforcementLevel: "advisory" });
        expect(violations[0].message).toMatch(/can't run policy 'careless'.*during preview/);
    });
});
