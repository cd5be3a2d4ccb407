import { main } from './cli/main';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
    // Stopped by a signal: requests cancelled at the last moment may still hold sockets or timers; do not wait for them.
    if (status > 128) {
      if (process.stdout.writable) process.stdout.write('', () => process.exit(status));
      else process.exit(status);
    }
  },
  () => {
    process.exitCode = 2;
  },
);
