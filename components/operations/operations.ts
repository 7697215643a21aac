import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import type { Foundation } from "../contract";
import type { ServiceHandle } from "../workloads/platform";
import { AlertRules } from "./alertRules";
import { alertDefinitions } from "./alerts";
import { Dashboards } from "./dashboards";
import { DatabaseBackup } from "./databaseBackup";
import { keyedProviders } from "./llmSignals";
import { Monitoring, type MonitoringArgs } from "./monitoring";
import { PodMonitors } from "./podMonitors";
import { recoveryObjectives } from "../../stacks";
import { Runbook, type RunbookSettings } from "./runbook";

export interface OperationsArgs {
    /**
     * What its parts read (each part's Args says which and their defaults), the recovery target, and the LLM
     * gateway's models and callers. Of the API keys it reads only which providers have one, for the LLM
     * signals (`keyedProviders`); the keys themselves go no further.
     * @default recovery.rpoMinutes staging 1440, prod 60; recovery.rtoMinutes staging 480, prod 240 (stacks/defaults.ts)
     */
    settings: RunbookSettings & MonitoringArgs["settings"] & Pick<Settings, "llmGateway" | "tenants" | "providerApiKeys">;
    /** The foundation everything runs on: its cluster, its StorageClass and its backups bucket. */
    foundation: Foundation;
    /** What the platform hands over for the pods and the runbook in the service's namespace. */
    service: ServiceHandle;
}

/**
 * Observability, backups and disaster recovery on top of any foundation: kube-prometheus-stack with
 * the service's scrape targets, dashboards and alert rules; a daily logical database backup into the
 * foundation's bucket; and the runbook. The objects in the service's namespace (backup CronJob, runbook)
 * use the namespace, Secret, ServiceAccount and NetworkPolicies the platform hands over (`service`) and
 * depend on those only; monitoring does not wait for the service's rollout either, so both come up even
 * when a release of the service hangs.
 */
export class Operations extends pulumi.ComponentResource {
    /** Worst-case data loss the configuration achieves, in minutes. */
    public readonly rpoMinutes: pulumi.Output<number>;
    /** The recovery-time target the runbook is written for, in minutes. */
    public readonly rtoMinutes: pulumi.Output<number>;
    /** Cron schedule (UTC) of the logical database backup. */
    public readonly backupSchedule: pulumi.Output<string>;

    constructor(name: string, args: OperationsArgs, opts?: pulumi.ComponentResourceOptions) {
        // The settings have already refused an unreachable RPO target; this computes what the configuration achieves.
        const objectives = recoveryObjectives(args.settings);
        super("ai-platform:operations:Operations", name, {}, opts);
        const { settings, foundation } = args;
        const keyed = keyedProviders(settings.providerApiKeys);
        const alerts = alertDefinitions({ observability: settings.observability, llmGateway: settings.llmGateway, tenants: settings.tenants, keyedProviders: keyed });

        const monitoring = new Monitoring(`${name}-monitoring`, { settings, foundation }, { parent: this });
        new PodMonitors(`${name}-podmonitors`, { settings, foundation, namespace: monitoring.namespace, release: monitoring.release }, { parent: this });
        new AlertRules(`${name}-alerts`, { settings, foundation, namespace: monitoring.namespace, release: monitoring.release, alerts }, { parent: this });
        new Dashboards(`${name}-dashboards`, { settings, keyedProviders: keyed, foundation, namespace: monitoring.namespace }, { parent: this });
        const { service } = args;
        const backup = new DatabaseBackup(`${name}-backup`, { settings, foundation, service }, { parent: this });
        new Runbook(`${name}-runbook`, { settings, foundation, service, objectives, alerts }, { parent: this });

        this.rpoMinutes = pulumi.output(objectives.rpoMinutes);
        this.rtoMinutes = pulumi.output(objectives.rtoMinutes);
        this.backupSchedule = backup.schedule;
        this.registerOutputs({ rpoMinutes: this.rpoMinutes, rtoMinutes: this.rtoMinutes, backupSchedule: this.backupSchedule });
    }
}
