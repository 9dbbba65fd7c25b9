// Preloaded into a spawned CLI (`node -r`): writes its peak resident set size, in bytes, to stderr at exit.
process.on('exit', () => process.stderr.write(`\npeak-rss-bytes=${process.resourceUsage().maxRSS * 1024}\n`));
