// Preloaded by bench/ack.ts into the processes it measures (node --require): each SIGUSR2
// toggles an event-loop delay histogram; when it stops, one line goes to stdout:
//   loop-delay <p50 ms> <p99 ms> <max ms>
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 5 });
let on = false;
process.on('SIGUSR2', () => {
  if (!on) {
    histogram.reset();
    histogram.enable();
  } else {
    histogram.disable();
    const ms = (ns) => (ns / 1e6).toFixed(2);
    process.stdout.write(
      `loop-delay ${ms(histogram.percentile(50))} ${ms(histogram.percentile(99))} ${ms(histogram.max)}\n`,
    );
  }
  on = !on;
});
