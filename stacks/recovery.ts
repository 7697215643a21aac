import { SettingsError } from "./errors";
import type { TunedSettings } from "./schema";

/**
 * Recovery objectives the configuration achieves, computed from the settings alone.
 *
 * - With point-in-time recovery the managed database (RDS / Cloud SQL) can be restored to any
 *   moment up to a few minutes ago: its transaction logs are shipped at least every 5 minutes.
 * - Without it, the newest restorable state is the last logical dump, so the recovery point is the
 *   longest gap between two runs of the backup schedule.
 */
export const pitrRpoMinutes = 5;

export interface RecoveryObjectives {
    /** Worst-case data loss in minutes the configuration achieves. */
    rpoMinutes: number;
    /** How that RPO is achieved, for the runbook. */
    rpoSource: "point-in-time recovery" | "scheduled dump";
    /** The configured recovery-time target the runbook is written for. */
    rtoMinutes: number;
    /** Longest gap between two scheduled dumps, in minutes. */
    dumpIntervalMinutes: number;
}

type RecoverySettings = Pick<TunedSettings, "database" | "backup" | "recovery">;

/** The RPO and RTO of the configuration; throws a `SettingsError` when the RPO target cannot be met. */
export function recoveryObjectives(settings: RecoverySettings): RecoveryObjectives {
    let dumpIntervalMinutes: number;
    try {
        dumpIntervalMinutes = cronMaxGapMinutes(settings.backup.schedule);
    } catch (e) {
        throw new SettingsError([{ key: "ai-platform:backup.schedule", value: settings.backup.schedule, allowed: (e as Error).message }]);
    }
    const pitr = settings.database.pointInTimeRecovery && pitrRpoMinutes < dumpIntervalMinutes;
    const rpoMinutes = pitr ? pitrRpoMinutes : dumpIntervalMinutes;
    const target = settings.recovery.rpoMinutes;
    if (rpoMinutes > target) {
        const why = settings.database.pointInTimeRecovery
            ? `cannot be met: point-in-time recovery of the managed database restores to within ${pitrRpoMinutes} minutes at best; raise recovery.rpoMinutes to at least ${pitrRpoMinutes}`
            : `cannot be met: without ai-platform:database.pointInTimeRecovery the newest restorable state is the last dump of ` +
              `ai-platform:backup.schedule "${settings.backup.schedule}", up to ${dumpIntervalMinutes} minutes old; ` +
              `enable database.pointInTimeRecovery (RPO ${pitrRpoMinutes} min), schedule dumps at least every ${target} minutes, or raise recovery.rpoMinutes`;
        throw new SettingsError([{ key: "ai-platform:recovery.rpoMinutes", value: target, allowed: why }]);
    }
    return {
        rpoMinutes,
        rpoSource: pitr ? "point-in-time recovery" : "scheduled dump",
        rtoMinutes: settings.recovery.rtoMinutes,
        dumpIntervalMinutes,
    };
}

const minutesPerDay = 24 * 60;
const minutesPerWeek = 7 * minutesPerDay;

/**
 * The longest interval in minutes between two consecutive runs of a five-field cron schedule.
 * Minute, hour and day-of-week fields are evaluated exactly over a week; a schedule restricted by
 * day of month or month is counted as up to a month apart (31 days), the worst case of a monthly run.
 */
export function cronMaxGapMinutes(schedule: string): number {
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 5) throw new Error(`"${schedule}" is not a five-field cron schedule`);
    const [minuteField, hourField, domField, monthField, dowField] = fields;
    const minutes = cronField(minuteField, 0, 59);
    const hours = cronField(hourField, 0, 23);
    // Validate the calendar fields even when only their restrictedness matters.
    cronField(domField, 1, 31);
    cronField(monthField, 1, 12);
    const days = new Set([...cronField(dowField, 0, 7)].map((d) => d % 7));
    if (domField !== "*" || monthField !== "*") return 31 * minutesPerDay;

    const runs: number[] = [];
    for (const day of [...days].sort((a, b) => a - b)) {
        for (const hour of hours) for (const minute of minutes) runs.push(day * minutesPerDay + hour * 60 + minute);
    }
    runs.sort((a, b) => a - b);
    let gap = runs[0] + minutesPerWeek - runs[runs.length - 1];
    for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i] - runs[i - 1]);
    return gap;
}

/** The values of one cron field: `*`, `n`, `a-b`, `*\/s`, `a-b/s` and comma lists of those. */
function cronField(field: string, low: number, high: number): number[] {
    const values = new Set<number>();
    for (const part of field.split(",")) {
        const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
        if (!match) throw new Error(`"${part}" is not a supported cron field (use numbers, ranges, steps and lists)`);
        const from = match[1] === "*" ? low : Number(match[2]);
        const to = match[1] === "*" ? high : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? high : from;
        const step = match[4] !== undefined ? Number(match[4]) : 1;
        if (from < low || to > high || from > to || step < 1) throw new Error(`cron field "${part}" is out of range ${low}-${high}`);
        for (let v = from; v <= to; v += step) values.add(v);
    }
    return [...values].sort((a, b) => a - b);
}
