/** `npm run bench`: speed figures printed with ratios to baselines measured in the same run. */
import { benchCore } from './bench/core';
import { benchMap } from './bench/map';
import { benchFetch } from './bench/fetch';

for (const line of benchCore()) console.log(line);
for (const line of await benchFetch()) console.log(line);
if (!process.argv.includes('--no-map')) for (const line of await benchMap()) console.log(line);
