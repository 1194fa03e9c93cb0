// The pool thread's entry from TypeScript source (dev, tests, `sopbot worker` through tsx).
// piscina first require()s the file it is given. Given the ES module pool-thread-tsx.mjs, whose
// top-level await makes Node refuse require(), Node 20 now and then aborted the whole process
// instead ("FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module", a
// V8 fatal no catch sees), seen once in a full test run. This entry is CommonJS, so require()
// loads it plainly, and it import()s the ES module itself, once per thread, on the first task.
'use strict';

let answer = null;

module.exports = async function poolThread(task) {
  answer ??= import('./pool-thread-tsx.mjs').then((m) => m.default);
  return (await answer)(task);
};
