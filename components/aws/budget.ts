import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../stacks";
import { budgetAlertThresholdsPercent, budgetRecipients } from "../shared/budget";
import { namePrefix, standardTags } from "../shared/naming";

export interface BudgetArgs {
    /**
     * `budget.monthlyUsd` (the limit; required here), `budget.alertEmails` or, when unset,
     * `ingress.acmeEmail` (who is told), and the name and tag parts.
     * @default budget.monthlyUsd: unset on both environments, so no budget (stacks/defaults.ts)
     */
    settings: Pick<Settings, "project" | "stack" | "environment" | "owner" | "costCenter" | "budget" | "ingress">;
}

/**
 * An AWS Budgets cost budget of `budget.monthlyUsd` per month that e-mails the alert contacts when
 * actual or forecast spend passes 50, 80 and 100 %. It covers the account's whole bill: AWS recommends
 * an account per environment, and a tag-filtered budget would see nothing until the tag is activated
 * for cost allocation, nor the load balancer and volumes Kubernetes creates.
 */
export class Budget extends pulumi.ComponentResource {
    public readonly budget: aws.budgets.Budget;

    constructor(name: string, args: BudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ai-platform:aws:Budget", name, {}, opts);
        const { settings } = args;
        const limit = settings.budget.monthlyUsd;
        if (limit === undefined) throw new Error("Budget needs ai-platform:budget.monthlyUsd");
        const subscriberEmailAddresses = budgetRecipients(settings);
        this.budget = new aws.budgets.Budget(
            `${name}-monthly`,
            {
                name: `${namePrefix(settings)}-monthly`,
                budgetType: "COST",
                limitAmount: String(limit),
                limitUnit: "USD",
                timeUnit: "MONTHLY",
                notifications: (["ACTUAL", "FORECASTED"] as const).flatMap((notificationType) =>
                    budgetAlertThresholdsPercent.map((threshold) => ({ notificationType, threshold, thresholdType: "PERCENTAGE", comparisonOperator: "GREATER_THAN", subscriberEmailAddresses })),
                ),
                tags: standardTags(settings),
            },
            { parent: this },
        );
        this.registerOutputs({ budgetName: this.budget.name });
    }
}
