import { runProgram, type ProgramRun } from "../harness";
import { gcpConfig, prebuiltDigestRef } from "./gcpStack";

/**
 * Stack outputs are read by other teams through StackReference, so a stack must export the same names
 * and shapes on either cloud. The AWS foundation is not in this branch: this checks GCP against the
 * agreed list, which the AWS foundation must export too. After both are merged, compare the two runs.
 */
const neutralOutputs = ["cloud", "environment", "region"];
const contractOutputs = [
    "vpcId",
    "privateSubnetIds",
    "clusterName",
    "kubeconfig",
    "databaseHost",
    "databasePort",
    "databaseSecretRef",
    "cacheHost",
    "cachePort",
    "imageRef",
    "backupBucket",
];

let gcp: ProgramRun;

beforeAll(async () => {
    gcp = await runProgram({ stack: "staging", config: { ...gcpConfig, "ai-platform:image.ref": prebuiltDigestRef } });
});

test("GCP exports exactly the agreed stack output names", () => {
    expect(Object.keys(gcp.outputs).sort()).toEqual([...neutralOutputs, ...contractOutputs].sort());
});

test("outputs have the agreed shapes, and only the kubeconfig is secret", () => {
    const o = gcp.outputs;
    for (const name of ["vpcId", "clusterName", "kubeconfig", "databaseHost", "databaseSecretRef", "cacheHost", "imageRef", "backupBucket"]) {
        expect({ name, type: typeof o[name].value }).toEqual({ name, type: "string" });
    }
    expect(o.privateSubnetIds.value).toEqual([expect.any(String)]);
    expect(typeof o.databasePort.value).toBe("number");
    expect(typeof o.cachePort.value).toBe("number");
    expect(Object.entries(o).filter(([, v]) => v.secret).map(([k]) => k)).toEqual(["kubeconfig"]);
});
