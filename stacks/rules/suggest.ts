import { closest as nearest, distance } from "fastest-levenshtein";

/** "; did you mean X?" when a known name is within a typo of `typed`, else "". */
export function closest(typed: string, known: readonly string[]): string {
    if (known.length === 0) return "";
    const best = nearest(typed, [...known]);
    const limit = Math.max(2, Math.floor(typed.length / 3));
    return distance(typed.toLowerCase(), best.toLowerCase()) <= limit ? `; did you mean ${best}?` : "";
}

/** A short list for a message: "a, b or c". */
export function oneOf(list: readonly string[]): string {
    return list.length <= 1 ? list.join("") : `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}`;
}
