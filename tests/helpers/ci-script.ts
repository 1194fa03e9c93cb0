/** Runs one of the .ci/ check scripts on a tree: its exit code and what it printed. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function runCiScript(name: string, root: string): { code: number; out: string } {
  const script = join(import.meta.dirname, '../../.ci', name);
  try {
    return {
      code: 0,
      out: execFileSync('node', [script, '--root', root], { encoding: 'utf8', stdio: 'pipe' }),
    };
  } catch (e) {
    const err = e as { status: number; stderr: string };
    return { code: err.status, out: err.stderr };
  }
}
