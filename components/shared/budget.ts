import type { Settings } from "../../stacks";

/** Both clouds alert at these shares of the budget, once for actual and once for forecast spend. */
export const budgetAlertThresholdsPercent = [50, 80, 100] as const;

/** Who is told: `budget.alertEmails`, else the platform team's address the stack already names for Let's Encrypt. */
export function budgetRecipients(settings: Pick<Settings, "budget" | "ingress">): string[] {
    return settings.budget.alertEmails ?? [settings.ingress.acmeEmail];
}
