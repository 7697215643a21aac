import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { cloudIdentityLabel, edgeBackendLabel, gatewayParentRef, kubernetesProvider, platformFromStack, tenantNamespace, type Platform } from "ai-platform/consumer";

/**
 * A team's service on ai-platform: reads the platform stack through the typed consumer module and
 * deploys, into the team's tenant namespace, a Deployment under the restricted Pod Security profile,
 * its Service, an HTTPRoute on the shared Gateway's HTTPS listener under `/<tenant>/`, and a
 * ServiceAccount bound to a cloud identity of its own (IRSA on EKS, Workload Identity on GKE).
 */
export = async () => {
    const config = new pulumi.Config("team-service");
    /** `<org>/ai-platform/<stack>`. */
    const platformStack = config.require("platformStack");
    /** The tenant the platform team created for us (`ai-platform:tenants[].name`). */
    const tenant = config.require("tenant");
    /** Pin images by tag or digest; push your own to the platform's `registryUrl`. */
    const image = config.get("image") ?? "ghcr.io/stefanprodan/podinfo:6.9.2";
    const replicas = config.getNumber("replicas") ?? 2;
    const name = "team-service";
    // One of the ports the platform's tenant entry declares (`ports`, 8080 by default).
    const port = 8080;
    const pathPrefix = `/${tenant}`;

    const platform = await platformFromStack(platformStack);
    const namespace = pulumi.output(tenantNamespace(platform, tenant));
    const provider = kubernetesProvider(platform, "platform", { namespace });
    const inCluster = { provider };
    // Selector labels, and the governance labels the platform's policy pack asks of every object.
    const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": tenant };
    const environment = platform.outputs.environment;
    const labels = { ...selector, environment, owner: tenant, "cost-center": config.get("costCenter") ?? tenant, "app.kubernetes.io/managed-by": "pulumi" };

    const account = new k8s.core.v1.ServiceAccount(
        name,
        // The pods need no Kubernetes API token: IRSA and Workload Identity bring their own.
        { metadata: { name, namespace, labels, annotations: cloudIdentity(platform, name, namespace) }, automountServiceAccountToken: false },
        inCluster,
    );

    const deployment = new k8s.apps.v1.Deployment(
        name,
        {
            metadata: { name, namespace, labels },
            spec: {
                replicas,
                selector: { matchLabels: selector },
                template: {
                    // Marked as an edge backend and as using its cloud identity: the tenant's NetworkPolicies admit
                    // the shared Gateway, and on GKE the metadata server, only for pods so marked.
                    metadata: { labels: { ...labels, [edgeBackendLabel]: "true", [cloudIdentityLabel]: "true" } },
                    spec: {
                        serviceAccountName: account.metadata.name,
                        automountServiceAccountToken: false,
                        // The restricted profile the namespace enforces: non-root, no escalation, no capabilities, RuntimeDefault seccomp.
                        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
                        containers: [
                            {
                                name,
                                image,
                                ports: [{ name: "http", containerPort: port }],
                                securityContext: {
                                    allowPrivilegeEscalation: false,
                                    readOnlyRootFilesystem: true,
                                    runAsNonRoot: true,
                                    capabilities: { drop: ["ALL"] },
                                    seccompProfile: { type: "RuntimeDefault" },
                                },
                                // Within the tenant's quota; the namespace's LimitRange would fill these in otherwise.
                                resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
                                readinessProbe: { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 10 },
                                livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 20 },
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            },
                        ],
                        volumes: [{ name: "tmp", emptyDir: {} }],
                    },
                },
            },
        },
        inCluster,
    );

    const service = new k8s.core.v1.Service(name, { metadata: { name, namespace, labels }, spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http" }] } }, inCluster);

    // Rollouts and node drains keep one pod serving; load adds pods within the tenant's quota.
    new k8s.policy.v1.PodDisruptionBudget(name, { metadata: { name, namespace, labels }, spec: { minAvailable: 1, selector: { matchLabels: selector } } }, inCluster);
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        name,
        {
            metadata: { name, namespace, labels },
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                minReplicas: replicas,
                maxReplicas: config.getNumber("maxReplicas") ?? 4,
                metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
            },
        },
        inCluster,
    );

    // On the shared Gateway's HTTPS listener (the only one our namespace may attach to), under /<tenant>/,
    // with the prefix stripped before the request reaches the service.
    new k8s.apiextensions.CustomResource(
        `${name}-route`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name, namespace, labels },
            spec: {
                parentRefs: [gatewayParentRef(platform)],
                rules: [
                    {
                        matches: [{ path: { type: "PathPrefix", value: pathPrefix } }],
                        filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } }],
                        backendRefs: [{ group: "", kind: "Service", name: service.metadata.name, port: 80 }],
                        timeouts: { request: "30s" },
                    },
                ],
            },
        },
        { ...inCluster, dependsOn: [deployment] },
    );

    return {
        url: pulumi.interpolate`${platform.outputs.apiUrl}${pathPrefix}/`,
        namespace,
        serviceAccount: account.metadata.name,
    };
};

/**
 * The service's own cloud identity, and the annotation that binds the ServiceAccount to it: an IAM role
 * trusted through the cluster's OIDC provider for exactly this ServiceAccount (IRSA), or a Google
 * service account this ServiceAccount may impersonate (Workload Identity). Grant it what the service
 * needs, nothing more.
 */
function cloudIdentity(platform: Platform, name: string, namespace: pulumi.Output<string>): pulumi.Output<Record<string, string>> {
    const identity = platform.outputs.workloadIdentity;
    if (platform.cloud === "aws") {
        const trust = pulumi.all([identity, namespace]).apply(([w, ns]) => {
            const issuer = w.oidcIssuerUrl.replace(/^https:\/\//, "");
            return JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: w.oidcProviderArn },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${ns}:${name}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
                    },
                ],
            });
        });
        const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: trust, description: `IRSA for ${name}` });
        return role.arn.apply((arn): Record<string, string> => ({ "eks.amazonaws.com/role-arn": arn }));
    }
    const account = new gcp.serviceaccount.Account(`${name}-gsa`, { accountId: name, displayName: `${name} (Workload Identity)` });
    new gcp.serviceaccount.IAMMember(`${name}-workload-identity`, {
        serviceAccountId: account.name,
        role: "roles/iam.workloadIdentityUser",
        member: pulumi.interpolate`serviceAccount:${identity.workloadPool}[${namespace}/${name}]`,
    });
    return account.email.apply((email): Record<string, string> => ({ "iam.gke.io/gcp-service-account": email }));
}
