import * as fs from "fs";
import * as path from "path";

/**
 * `mkdir -p` one level at a time. Node's own `mkdirSync(…, { recursive: true })` never returns when a
 * parent exists but refuses children (a file under /proc): the plan used to hang there after printing ✔.
 */
export function makeDirectory(directory: string): void {
    const missing: string[] = [];
    let at = path.resolve(directory);
    while (!fs.existsSync(at)) {
        missing.unshift(at);
        const parent = path.dirname(at);
        if (parent === at) break;
        at = parent;
    }
    for (const dir of missing) fs.mkdirSync(dir);
}
