/** Preloaded into a child process by the benchmarks: prints its peak resident memory at exit. */
process.on('exit', () => process.stderr.write(`\ntractmix-bench max-rss-kb ${process.resourceUsage().maxRSS}\n`));
