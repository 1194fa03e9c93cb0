// The pool thread from TypeScript source (dev, tests): piscina loads this plain ES module in
// each thread, which registers tsx's loader there and then loads pool-thread.ts. A build
// loads dist's pool-thread.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: answer } = await import('./pool-thread.ts');
export default answer;
