import * as pulumi from "@pulumi/pulumi";

/**
 * IAM documents built as plain JSON. `aws.iam.getPolicyDocument` would need the real provider to
 * render, so documents are assembled here with `pulumi.jsonStringify` instead.
 */

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, unknown> | "*";
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy for an AWS service principal (eks, ec2, vpc-flow-logs, monitoring.rds, …). */
export function serviceTrustPolicy(service: string, actions: string[] = ["sts:AssumeRole"]): pulumi.Output<string> {
    return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: actions }]);
}

/** The OIDC issuer as IAM condition keys use it: host and path, no scheme. */
export function issuerHost(issuerUrl: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(issuerUrl).apply((url) => url.replace(/^https:\/\//, ""));
}

/** `system:serviceaccount:<namespace>:<name>`, the subject an IRSA token carries. */
export function serviceAccountSubject(namespace: string, name: string): string {
    return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * IRSA trust: only tokens issued by this cluster's OIDC provider, for exactly these service
 * accounts (`sub`) and for STS (`aud`), may assume the role.
 */
export function irsaTrustPolicy(oidcProviderArn: pulumi.Input<string>, issuerUrl: pulumi.Input<string>, subjects: string[]): pulumi.Output<string> {
    return pulumi.all([oidcProviderArn, issuerHost(issuerUrl)]).apply(([arn, host]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${host}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
                            [`${host}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        }),
    );
}

/** ARN of an AWS-managed policy in the stack's partition (aws, aws-us-gov, aws-cn). */
export function managedPolicyArn(partition: pulumi.Input<string>, path: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${partition}:iam::aws:policy/${path}`;
}
