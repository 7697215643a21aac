/**
 * Fitting text to the terminal: the plan's lines are never wider than the screen. Plain text only;
 * the renderer fits first and paints after, so colour codes never count towards the width.
 */

/** Columns when stdout is not a terminal and `COLUMNS` is not set (a CI log, a pipe, a file). */
export const defaultWidth = 100;
/** Narrower than this, nothing readable fits; the plan lays out for this many columns instead. */
export const minimumWidth = 40;

/** The terminal's width; `COLUMNS` when stdout is not a terminal; else 100. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
    const fromEnv = Number.parseInt(env.COLUMNS ?? "", 10);
    const columns = stream.isTTY && stream.columns ? stream.columns : Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : defaultWidth;
    return Math.max(minimumWidth, columns);
}

const ellipsis = "…";

/** `text` cut to `width` columns, the cut marked with an ellipsis at the end. */
export function elideEnd(text: string, width: number): string {
    if (text.length <= width) return text;
    if (width <= 0) return "";
    return `${text.slice(0, width - 1)}${ellipsis}`;
}

/**
 * `text` cut to `width` columns in the middle, keeping more of the end: resource names and type
 * tokens differ most at their ends (`…-private-rt-2`, `…:RouteTableAssociation`).
 */
export function elideMiddle(text: string, width: number): string {
    if (text.length <= width) return text;
    if (width < 5) return elideEnd(text, width);
    const head = Math.floor((width - 1) / 3);
    const tail = width - 1 - head;
    return `${text.slice(0, head)}${ellipsis}${text.slice(text.length - tail)}`;
}

/**
 * Words wrapped into lines of at most `width` columns, each line after the first starting with
 * `indent` (the first line's own indent is the caller's). A word longer than a line is elided.
 */
export function wrap(text: string, width: number, firstIndent: string, indent: string = firstIndent): string[] {
    const lines: string[] = [];
    let lead = firstIndent;
    let line = "";
    for (const word of text.split(/[ \t\n]+/).filter(Boolean)) {
        if (line && lead.length + line.length + 1 + word.length <= width) {
            line += ` ${word}`;
            continue;
        }
        if (line) {
            lines.push(lead + line);
            lead = indent;
        }
        line = elideEnd(word, width - lead.length);
    }
    lines.push(lead + line);
    return lines;
}

/**
 * A type token as `pulumi preview` shows it: `aws:ec2/vpc:Vpc` is `aws:ec2:Vpc`, since the module's
 * last part only repeats the type's name. Other tokens (`kubernetes:apps/v1:Deployment`) are kept.
 */
export function displayType(token: string): string {
    const [pkg, module, name, ...rest] = token.split(":");
    if (name === undefined || rest.length > 0 || !module.includes("/")) return token;
    const slash = module.lastIndexOf("/");
    const last = module.slice(slash + 1);
    return last === `${name.charAt(0).toLowerCase()}${name.slice(1)}` ? `${pkg}:${module.slice(0, slash)}:${name}` : token;
}
