import type * as pulumi from "@pulumi/pulumi";
import { awsCalls, awsResources } from "./aws";
import { commonCalls, commonResources } from "./common";
import { gcpCalls, gcpResources } from "./gcp";
import { kubernetesCalls, kubernetesResources } from "./kubernetes";

/** Computes the outputs a provider would report for a resource, from its inputs. */
export type ResourceMock = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;
/** Computes the result of a provider function (data source). */
export type CallMock = (inputs: Record<string, unknown>) => Record<string, unknown>;

const resourceMocks: Record<string, ResourceMock> = { ...commonResources, ...awsResources, ...gcpResources, ...kubernetesResources };
const callMocks: Record<string, CallMock> = { ...commonCalls, ...awsCalls, ...gcpCalls, ...kubernetesCalls };

/**
 * Engine mocks realistic enough for everything the program reads back: endpoints, ARNs, digests,
 * kubeconfig pieces. A resource's state is its inputs plus what its type's mock computes; an ID is
 * derived from the name so runs are deterministic.
 */
export const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const computed = resourceMocks[args.type]?.(args) ?? {};
        const id = typeof computed.id === "string" && computed.id ? computed.id : args.id || `${args.name}-id`;
        return { id, state: { ...args.inputs, ...computed } };
    },
    call(args) {
        const mock = callMocks[args.token];
        if (!mock) throw new Error(`no mock for provider function ${args.token}; add one under tools/engine/mocks/`);
        return mock(args.inputs);
    },
};
