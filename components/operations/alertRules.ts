import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { kubernetesNames, type Foundation } from "../contract";
import type { AlertDefinition } from "./alerts";
import { kubernetesOptions } from "../shared/options";
import { objectMetadata, operationsNames, type LabelKeys } from "./kubernetes";
import { runbookReference } from "./runbook";

export interface AlertRulesArgs {
    /** The settings of the governance labels the PrometheusRule carries. */
    settings: Pick<Settings, LabelKeys>;
    /** The foundation whose cluster the rule is created in (its provider and ready resources). */
    foundation: Foundation;
    /** Namespace the rule lives in (the monitoring namespace). */
    namespace: pulumi.Input<string>;
    /** The kube-prometheus-stack release, which installs the PrometheusRule CRD. */
    release: pulumi.Resource;
    /**
     * The alerts to evaluate (`alertDefinitions`), computed once by Operations for the rule and the runbook alike,
     * with the thresholds of `observability.alerts` and the budgets of `llmGateway` and `tenants`.
     */
    alerts: AlertDefinition[];
}

/** The service's alert rules as one PrometheusRule, picked up by the chart's Prometheus. */
export class AlertRules extends pulumi.ComponentResource {
    public readonly alertNames: string[];

    constructor(name: string, args: AlertRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:operations:AlertRules", name, {}, opts);
        const { settings, foundation, alerts } = args;
        this.alertNames = alerts.map((a) => a.alert);

        new k8s.apiextensions.CustomResource(
            `${name}-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: objectMetadata(settings, operationsNames.prometheusRule, args.namespace),
                spec: {
                    groups: [
                        {
                            name: kubernetesNames.appName,
                            rules: alerts.map((a) => ({
                                alert: a.alert,
                                expr: a.expr,
                                for: a.for,
                                labels: { severity: a.severity, service: kubernetesNames.appName },
                                annotations: { summary: a.summary, description: a.description, runbook: runbookReference(a.alert) },
                            })),
                        },
                    ],
                },
            },
            // The PrometheusRule CRD comes with the release (`crds.enabled`), which no input names; see PodMonitors.
            kubernetesOptions(this, foundation, [args.release]),
        );

        this.registerOutputs({ alertNames: this.alertNames });
    }
}
