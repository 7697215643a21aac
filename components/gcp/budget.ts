import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { budgetAlertThresholdsPercent, budgetRecipients } from "../shared/budget";
import { namePrefix, standardLabels } from "../shared/naming";
import { childOptions } from "../shared/options";

export interface BudgetArgs {
    /**
     * `budget` (amount, billing account, alert e-mails), `ingress.acmeEmail` (the fallback recipient), `gcpProject`, the name and label parts.
     * @default budget: none on either environment (stacks/defaults.ts); the foundation creates no Budget then
     */
    settings: Pick<Settings, "project" | "stack" | "environment" | "owner" | "costCenter" | "budget" | "ingress" | "gcpProject">;
    /** Project number: budgets filter on `projects/<number>`. */
    projectNumber: pulumi.Input<string>;
}

/**
 * A Cloud Billing budget of `budget.monthlyUsd` per month on `budget.billingAccount`, scoped to the
 * stack's project, that notifies the alert contacts (through e-mail notification channels) and the
 * billing account's administrators when actual or forecast spend passes 50, 80 and 100 %.
 */
export class Budget extends pulumi.ComponentResource {
    public readonly budget: gcp.billing.Budget;
    public readonly channels: gcp.monitoring.NotificationChannel[];

    constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:gcp:Budget", name, {}, opts);
        const { settings } = args;
        const { monthlyUsd, billingAccount } = settings.budget;
        if (monthlyUsd === undefined || !billingAccount) throw new Error("Budget needs ai-platform:budget.monthlyUsd and ai-platform:budget.billingAccount");
        const project = settings.gcpProject;
        const prefix = namePrefix(settings);

        // The Billing Budget API is called through the project; it stays enabled on destroy like the others.
        const api = new gcp.projects.Service(`${name}-api`, { project, service: "billingbudgets.googleapis.com", disableOnDestroy: false }, childOptions(this, opts));
        this.channels = budgetRecipients(settings).map(
            (email, i) =>
                new gcp.monitoring.NotificationChannel(
                    `${name}-email-${i}`,
                    { project, type: "email", displayName: `${prefix} budget alerts: ${email}`, labels: { email_address: email }, userLabels: standardLabels(settings) },
                    childOptions(this, opts),
                ),
        );
        const units = Math.floor(monthlyUsd);
        this.budget = new gcp.billing.Budget(
            `${name}-monthly`,
            {
                billingAccount,
                displayName: `${prefix} monthly`,
                budgetFilter: { projects: [pulumi.interpolate`projects/${args.projectNumber}`], calendarPeriod: "MONTH", creditTypesTreatment: "INCLUDE_ALL_CREDITS" },
                // USD, as the estimate is: a billing account in another currency rejects the budget instead of misreading the amount.
                amount: { specifiedAmount: { currencyCode: "USD", units: String(units), nanos: Math.round((monthlyUsd - units) * 1e9) } },
                thresholdRules: (["CURRENT_SPEND", "FORECASTED_SPEND"] as const).flatMap((spendBasis) =>
                    budgetAlertThresholdsPercent.map((percent) => ({ thresholdPercent: percent / 100, spendBasis })),
                ),
                allUpdatesRule: { monitoringNotificationChannels: this.channels.map((c) => c.id), disableDefaultIamRecipients: false },
            },
            childOptions(this, opts, { dependsOn: [api] }),
        );
        this.registerOutputs({ budgetName: this.budget.name });
    }
}
