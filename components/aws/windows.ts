/**
 * RDS and ElastiCache take backup/snapshot windows as "hh:mm-hh:mm" (daily) and maintenance windows
 * as "ddd:hh:mm-ddd:hh:mm" (weekly), and refuse overlapping ones. Both are derived from the one
 * configured backup start time so they can never collide.
 */

const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const minutesPerDay = 24 * 60;

function parse(hhmm: string): number {
    const [h, m] = hhmm.split(":").map(Number);
    return h * 60 + m;
}

const clock = (minutes: number) => {
    const m = ((minutes % minutesPerDay) + minutesPerDay) % minutesPerDay;
    return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};

/** A daily window starting at `start` (UTC "HH:MM"), `durationMinutes` long. */
export function dailyWindow(start: string, durationMinutes: number): string {
    const from = parse(start);
    return `${clock(from)}-${clock(from + durationMinutes)}`;
}

/** A weekly window on Sunday, starting `offsetMinutes` after `start`, `durationMinutes` long. */
export function weeklyWindow(start: string, offsetMinutes: number, durationMinutes: number): string {
    const from = parse(start) + offsetMinutes;
    const to = from + durationMinutes;
    const day = (m: number) => days[Math.floor(m / minutesPerDay) % 7];
    return `${day(from)}:${clock(from)}-${day(to)}:${clock(to)}`;
}
