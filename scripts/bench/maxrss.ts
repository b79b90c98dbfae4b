/** Preloaded into a child process by the benchmarks: prints its peak resident memory and CPU time at exit. */
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\ntractmix-bench max-rss-kb ${process.resourceUsage().maxRSS} cpu-us ${cpu.user + cpu.system}\n`);
});
