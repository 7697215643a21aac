import { fakeHash } from "./common";
import type { CallMock, ResourceMock } from "./index";

/** Outputs the kubernetes provider computes, for the resources the program reads back. */
export const kubernetesResources: Record<string, ResourceMock> = {
    /** A Helm release reports what it installed, as `helm status` would. */
    "kubernetes:helm.sh/v3:Release": ({ name, inputs }) => ({
        status: {
            name: inputs.name ?? name,
            namespace: inputs.namespace ?? "default",
            chart: inputs.chart,
            version: inputs.version,
            appVersion: inputs.version,
            revision: 1,
            status: "deployed",
        },
    }),
    /**
     * A Gateway the provider waited for (`pulumi.com/waitFor: condition=Programmed`) comes back with the
     * status Envoy Gateway wrote: Programmed, with its load balancer's address.
     */
    "kubernetes:gateway.networking.k8s.io/v1:Gateway": ({ name }) => ({
        status: {
            addresses: [{ type: "Hostname", value: `a${fakeHash(name, 31)}.elb.us-west-2.amazonaws.com` }],
            conditions: [{ type: "Programmed", status: "True", reason: "Programmed" }],
        },
    }),
    "kubernetes:core/v1:Service": ({ id }) => {
        if (!id) return {};
        const [namespace, serviceName] = String(id).split("/");
        return {
            // As the chart labels it (`app.kubernetes.io/managed-by: {{ .Release.Service }}`).
            metadata: { name: serviceName, namespace, labels: { "app.kubernetes.io/managed-by": "Helm" } },
            spec: { type: "LoadBalancer", externalTrafficPolicy: "Local" },
            status: { loadBalancer: { ingress: [{ hostname: `a${fakeHash(String(id), 31)}.elb.us-west-2.amazonaws.com` }] } },
        };
    },
};

/** Provider functions of kubernetes the program calls. */
export const kubernetesCalls: Record<string, CallMock> = {};
