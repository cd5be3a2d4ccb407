// Preloaded into a measured child (node --require): reports its peak resident set size at exit.
process.on('exit', () => process.stderr.write(`\n[maxrss-kb] ${process.resourceUsage().maxRSS}\n`));
