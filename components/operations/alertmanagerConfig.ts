import { stringify } from "yaml";

export interface Receivers {
    slackWebhookUrl?: string;
    pagerdutyRoutingKey?: string;
}

/**
 * The Alertmanager configuration file. Every alert goes to Slack when a webhook is configured;
 * critical alerts also page through PagerDuty when a routing key is configured (warnings never page).
 * With neither, everything ends in the "null" receiver: alerts are visible in Alertmanager and
 * Grafana, and nobody is notified. The chart's always-firing Watchdog and InfoInhibitor alerts are
 * routed to "null" too.
 */
export function alertmanagerConfigYaml(receivers: Receivers): string {
    const slack = receivers.slackWebhookUrl;
    const pagerduty = receivers.pagerdutyRoutingKey;
    const routes: Record<string, unknown>[] = [{ receiver: "null", matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] }];
    if (pagerduty) routes.push({ receiver: "pagerduty", matchers: ['severity = "critical"'], continue: Boolean(slack) });
    if (slack) routes.push({ receiver: "slack" });

    return stringify({
        global: { resolve_timeout: "5m" },
        route: {
            receiver: "null",
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes,
        },
        // A firing critical alert silences the warnings of the same name and namespace.
        inhibit_rules: [{ source_matchers: ['severity = "critical"'], target_matchers: ['severity = "warning"'], equal: ["alertname", "namespace"] }],
        receivers: [
            { name: "null" },
            ...(slack
                ? [
                      {
                          name: "slack",
                          slack_configs: [
                              {
                                  api_url: slack,
                                  send_resolved: true,
                                  title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})",
                                  text: "{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook }}\n{{ end }}",
                              },
                          ],
                      },
                  ]
                : []),
            ...(pagerduty
                ? [
                      {
                          name: "pagerduty",
                          pagerduty_configs: [{ routing_key: pagerduty, send_resolved: true, severity: "{{ .CommonLabels.severity }}", description: "{{ .CommonAnnotations.summary }}" }],
                      },
                  ]
                : []),
        ],
    });
}
