/**
 * `ai-platform/consumer`: the typed way for another team's Pulumi program to read an ai-platform stack.
 *
 *     import { platformFromStack, kubernetesProvider } from "ai-platform/consumer";
 *     export = async () => {
 *         const platform = await platformFromStack("acme/ai-platform/prod");
 *         const provider = kubernetesProvider(platform, "platform", { namespace: "team-a" });
 *         ...
 *     };
 *
 * The output names, types and secrecy come from the same declaration the platform's `index.ts`
 * exports from (contract/outputs.ts), so a rename on either side is a compile error here, not a
 * surprise at the next `pulumi up`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { contractVersion, majorOf, platformOutputs, type OutputName, type PlatformOutputs } from "../contract/outputs";

export { contractVersion, platformOutputs, type OutputName, type PlatformOutputs };

/** Every platform output as a Pulumi Output of its declared type; secret outputs stay secret. */
export type PlatformOutputValues = { [K in OutputName]: pulumi.Output<PlatformOutputs[K]> };

export interface Platform {
    /** `<org>/ai-platform/<stack>`. */
    stackName: string;
    /** The StackReference the outputs are read through. */
    stack: pulumi.StackReference;
    /** The stack's `contractVersion`, checked against this module's major. */
    contractVersion: string;
    /** The platform's cloud, known while the program runs, so a team program can choose its cloud resources. */
    cloud: "aws" | "gcp";
    /** Tenant name → namespace, known while the program runs (see `tenantNamespace`). */
    tenantNamespaces: Record<string, string>;
    outputs: PlatformOutputValues;
}

/** The platform stack speaks another major version of the outputs contract than this module. */
export class ContractVersionError extends Error {
    constructor(stackName: string, stackVersion: string | undefined) {
        super(
            stackVersion === undefined
                ? `stack "${stackName}" exports no contractVersion: it is not an ai-platform stack, or one from before the versioned outputs contract; this module reads contract ${contractVersion}`
                : `stack "${stackName}" exports outputs contract ${stackVersion}, but this module (ai-platform/consumer) reads contract ${contractVersion}: the major versions differ, so names or types have changed. ` +
                      (/^\d+\./.test(stackVersion) ? `Upgrade the ai-platform dependency to a release with contract ${stackVersion.split(".")[0]}.x` : "That is not a semver version") +
                      " (see contract/outputs-record.json and docs/tenants.md).",
        );
        this.name = "ContractVersionError";
    }
}

/** Throws a `ContractVersionError` unless `stackVersion` has this module's major version. */
export function assertCompatible(stackName: string, stackVersion: unknown): string {
    if (typeof stackVersion !== "string") throw new ContractVersionError(stackName, undefined);
    let major: number;
    try {
        major = majorOf(stackVersion);
    } catch {
        throw new ContractVersionError(stackName, stackVersion);
    }
    if (major !== majorOf(contractVersion)) throw new ContractVersionError(stackName, stackVersion);
    return stackVersion;
}

/**
 * Reads an ai-platform stack (`<org>/ai-platform/<stack>`) through a StackReference. Resolves once the
 * stack's contract version is known to be compatible, and rejects with a `ContractVersionError`
 * otherwise, before the calling program declares anything that depends on it.
 */
export async function platformFromStack(stackName: string, opts?: { resourceName?: string; parent?: pulumi.Resource }): Promise<Platform> {
    const stack = new pulumi.StackReference(opts?.resourceName ?? stackName, { name: stackName }, { parent: opts?.parent });
    const version = assertCompatible(stackName, (await stack.getOutputDetails("contractVersion")).value);
    const cloud = (await stack.getOutputDetails("cloud")).value;
    if (cloud !== "aws" && cloud !== "gcp") throw new Error(`stack "${stackName}" exports cloud ${JSON.stringify(cloud)}; expected "aws" or "gcp"`);

    const tenantNamespaces = ((await stack.getOutputDetails("tenantNamespaces")).value ?? {}) as Record<string, string>;

    const outputs = {} as Record<OutputName, pulumi.Output<unknown>>;
    for (const name of Object.keys(platformOutputs) as OutputName[]) {
        const value = stack.requireOutput(name);
        // Secret by declaration too, should the engine not say which outputs are secret.
        outputs[name] = platformOutputs[name].secret ? pulumi.secret(value) : value;
    }
    return { stackName, stack, contractVersion: version, cloud, tenantNamespaces, outputs: outputs as PlatformOutputValues };
}

/** The namespace of a tenant of the platform; throws, naming the tenants there are, for one it does not have. */
export function tenantNamespace(platform: Platform, tenant: string): string {
    const namespace = platform.tenantNamespaces[tenant];
    if (namespace === undefined) {
        const known = Object.keys(platform.tenantNamespaces);
        throw new Error(`"${tenant}" is not a tenant of ${platform.stackName} (tenants: ${known.join(", ") || "none"}); ask the platform team to add it to ai-platform:tenants (docs/tenants.md)`);
    }
    return namespace;
}

/**
 * A Kubernetes provider for the platform's cluster. The kubeconfig authenticates through the cloud CLI
 * as whoever runs the program (the team's own principal), so it can do what the tenant's access
 * allows: `edit` and HTTPRoutes in its namespace. `namespace` becomes the default for objects
 * without one.
 */
export function kubernetesProvider(platform: Platform, name: string, args: { namespace?: pulumi.Input<string> } = {}, opts?: pulumi.CustomResourceOptions): k8s.Provider {
    return new k8s.Provider(name, { kubeconfig: platform.outputs.kubeconfig, namespace: args.namespace }, opts);
}

/** The `parentRefs` entry that attaches an HTTPRoute to the shared Gateway's HTTPS listener, the only one tenants may use. */
export function gatewayParentRef(platform: Platform): pulumi.Output<{ group: string; kind: string; name: string; namespace: string; sectionName: string }> {
    return platform.outputs.gateway.apply((g) => ({ group: "gateway.networking.k8s.io", kind: "Gateway", name: g.name, namespace: g.namespace, sectionName: g.httpsListener }));
}

/**
 * The label (value `"true"`) a team puts on the pods its HTTPRoutes send traffic to: only those pods
 * receive traffic from the shared Gateway, and only on the ports the tenant entry declares.
 */
export const edgeBackendLabel = "ai-platform/edge-backend";

/** The label (value `"true"`) a team puts on pods that use their cloud identity: on GKE only those may reach the metadata server. */
export const cloudIdentityLabel = "ai-platform/cloud-identity";
