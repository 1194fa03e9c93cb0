#!/usr/bin/env node
// The `sopbot` executable: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main, loadDotEnv, processIo } = await import('./cli.ts');
loadDotEnv();
process.exitCode = await main(process.argv.slice(2), processIo()).catch((err) => {
  process.stderr.write(`sopbot: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
});
