/** The repository's TypeScript sources, for tests that read the code itself. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Every `.ts` file under `dir` (relative to the repository), recursively; `skip` leaves out
 * the folders it matches (given their path relative to the repository).
 */
export function sources(dir: string, skip: (folder: string) => boolean = () => false): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return skip(path) ? [] : sources(path, skip);
    return path.endsWith('.ts') ? [path] : [];
  });
}
