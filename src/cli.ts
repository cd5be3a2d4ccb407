import { main } from './cli/main';

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  () => {
    process.exitCode = 2;
  },
);
