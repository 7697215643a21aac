/**
 * How long logs may be kept, per service.
 *
 * - CloudWatch Logs accepts only these `retentionInDays` values (PutRetentionPolicy); anything else is
 *   rejected at `pulumi up`. Source: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (read 2026-11-27).
 * - Cloud Logging buckets keep logs 1 to 3650 days. Source: https://cloud.google.com/logging/docs/buckets#custom-retention (read 2026-11-27).
 */
export const cloudWatchRetentionDays: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const cloudLoggingRetentionDays = { min: 1, max: 3650 } as const;
